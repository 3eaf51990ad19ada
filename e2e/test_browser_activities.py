"""Issue 6 in real headless Chromium: a county staff user adds an activity (the counter stops the summary at 100
characters) and submits its plan; the city sees the county turn green on its board; the province sees the board
and downloads the consolidated 附件3. The campaign is next year's (copied from 2022), so the plan is not yet due."""
import datetime
import json
import os
import time
import urllib.request

import openpyxl
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from a11y import assert_accessible
from conftest import ADMIN_PASSWORD, first_sign_in, make_driver, screenshot, today
from test_browser_foundation import click, login


def api(server, path, body=None, token=None, method=None):
    request = urllib.request.Request(server + path, data=json.dumps(body).encode() if body is not None else None, method=method,
                                     headers={"Content-Type": "application/json", **({"Authorization": "Bearer " + token} if token else {})})
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def setup_users(server, year):
    """The province's side of the set-up, through the API: next year's campaign and two league secretaries."""
    _, session = api(server, "/api/v1/session", {"username": "admin", "password": ADMIN_PASSWORD})
    token = session["token"]
    status, _ = api(server, "/api/v1/campaigns", {"year": year, "copyFrom": 2022}, token)
    assert status in (201, 409)
    # These walks are about 附件3: the year's training quotas (work item 6, test_browser_training) are set aside.
    _, detail = api(server, f"/api/v1/campaigns/{year}", token=token)
    quotas = [q for q in detail["quotas"] if not q["metric"].startswith("training")]
    status, body = api(server, f"/api/v1/campaigns/{year}", {"quotas": quotas}, token, method="PATCH")
    assert status == 200, body
    _, orgs = api(server, "/api/v1/orgs", token=token)
    items = orgs["items"] if isinstance(orgs, dict) else orgs
    ids = {o["name"]: o["id"] for o in items}
    for username, org in (("lc_secretary", "乐昌市"), ("sg_secretary", "韶关市")):
        status, body = api(server, "/api/v1/users", {"username": username, "password": "Initial-2022a", "orgId": ids[org],
                                                     "role": "staff", "displayName": username}, token)
        assert status in (201, 409), body
        if status == 201:
            first_sign_in(server, username, "Initial-2022a", "Shaoguan-2022")


def set_date(driver, element_id, value):
    """Date inputs take typed dates in the browser's locale; set the ISO value the form submits instead."""
    driver.execute_script("arguments[0].value = arguments[1]", driver.find_element(By.ID, element_id), value)


def board_status(driver, server, year, org):
    driver.get(f"{server}/completeness?campaign={year}")
    return driver.find_element(By.CSS_SELECTOR, f'tr.board-row[data-org="{org}"]').get_attribute("data-status")


def test_county_reports_city_sees_green_province_downloads_consolidation(server, browser, tmp_path):
    year = today().year + 1
    setup_users(server, year)

    city = make_driver()
    try:
        login(city, server, "sg_secretary", "Shaoguan-2022")
        assert board_status(city, server, year, "乐昌市") == "amber"      # nothing submitted, deadline ahead

        login(browser, server, "lc_secretary", "Shaoguan-2022")
        click(browser, By.LINK_TEXT, "活动汇总")
        browser.get(f"{server}/activities?campaign={year}")
        browser.find_element(By.ID, "activity-title").send_keys("暑期学业辅导营")
        Select(browser.find_element(By.ID, "activity-category")).select_by_visible_text("学业帮助")
        Select(browser.find_element(By.ID, "activity-work-item")).select_by_value("cloud-tutoring")
        set_date(browser, "activity-start", f"{year}-07-15")
        set_date(browser, "activity-end", f"{year}-07-20")
        browser.find_element(By.ID, "activity-cohosts").send_keys("韶关学院")
        summary = browser.find_element(By.ID, "activity-summary")
        summary.send_keys("乡" * 95 + "😀")
        assert browser.find_element(By.ID, "summary-counter").text == "96/100"
        summary.send_keys("村" * 24)                                      # 120 typed: the counter stops it at 100
        counter = browser.find_element(By.ID, "summary-counter")
        assert counter.text == "100/100" and "at-limit" in counter.get_attribute("class")
        assert browser.execute_script("return Array.from(arguments[0].value).length", summary) == 100
        browser.find_element(By.ID, "activity-people").send_keys("120")
        browser.find_element(By.ID, "activity-links").send_keys("https://example.org/news/lechang")
        browser.find_element(By.ID, "activity-key").click()
        screenshot(browser, "60-activity-form")
        assert_accessible(browser, "60-activity-form")
        click(browser, By.ID, "activity-save")
        assert "已添加活动" in browser.find_element(By.CSS_SELECTOR, ".flash").text
        rows = browser.find_elements(By.CSS_SELECTOR, "#activity-table tr.activity-row")
        assert len(rows) == 1 and "暑期学业辅导营" in rows[0].text and "√" in rows[0].text
        assert "已达标" in browser.find_element(By.ID, "quotas").text

        click(browser, By.ID, "submit-plan")
        # 报送 asks first, with a summary.
        assert "活动" in browser.find_element(By.ID, "submit-summary").text
        click(browser, By.ID, "confirm-submit")
        flash = browser.find_element(By.CSS_SELECTOR, ".flash").text
        assert "已报送活动计划第1版" in flash and "按时" in flash
        assert "活动计划" in browser.find_element(By.ID, "activity-submissions").text
        screenshot(browser, "61-activity-submitted")

        assert board_status(city, server, year, "乐昌市") == "green"
        row = city.find_element(By.CSS_SELECTOR, 'tr.board-row[data-org="乐昌市"]')
        assert "活动计划" not in row.find_element(By.CSS_SELECTOR, "td.missing").text
        assert "仁化县" in city.find_element(By.ID, "chase-list").text
        screenshot(city, "62-city-board")
        assert_accessible(city, "62-city-board")
    finally:
        city.quit()

    province = make_driver()
    try:
        province.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path)})
        login(province, server, "admin", ADMIN_PASSWORD)
        click(province, By.LINK_TEXT, "完成情况")
        province.get(f"{server}/completeness?campaign={year}")
        table = province.find_element(By.ID, "completeness-table").text
        assert "韶关市" in table and "广州市" in table and "韶关学院" in table
        shaoguan = province.find_element(By.CSS_SELECTOR, 'tr.board-row[data-org="韶关市"]')
        assert shaoguan.find_element(By.CSS_SELECTOR, "a.drill") is not None
        screenshot(province, "63-province-board")
        province.find_element(By.ID, "consolidation-download").click()
        deadline = time.time() + 20
        files = []
        while time.time() < deadline:
            files = [f for f in os.listdir(tmp_path) if f.endswith(".xlsx")]
            if files:
                break
            time.sleep(0.2)
        assert files, "the consolidation workbook was not downloaded"
        workbook = openpyxl.load_workbook(tmp_path / files[0])
        assert workbook.sheetnames[0] == "汇总" and "韶关市" in workbook.sheetnames and "高校" in workbook.sheetnames
        sheet = workbook["韶关市"]
        values = [[c for c in row] for row in sheet.iter_rows(min_row=5, values_only=True)]
        assert any(r[1] == "乐昌市" and r[6] == "暑期学业辅导营" for r in values)
        assert any(r[4] == "暑期学业辅导营" for r in workbook["重点宣传项目"].iter_rows(min_row=3, values_only=True))
    finally:
        province.quit()


def test_the_activity_page_and_the_board_fit_a_phone(server):
    """A county secretary often fills the table on a phone: no sideways scrolling of the page (wide tables scroll
    inside their own box), the counter visible under the summary."""
    year = today().year + 1
    setup_users(server, year)
    phone = make_driver(375, 812)
    try:
        login(phone, server, "lc_secretary", "Shaoguan-2022")
        for path in (f"/activities?campaign={year}", f"/completeness?campaign={year}"):
            phone.get(server + path)
            assert phone.execute_script("return document.documentElement.scrollWidth") <= 376, path
        phone.get(f"{server}/activities?campaign={year}")
        phone.find_element(By.CSS_SELECTOR, "#add-activity summary").click()
        assert phone.find_element(By.ID, "summary-counter").text == "0/100"
        assert phone.execute_script("return document.documentElement.scrollWidth") <= 376
        screenshot(phone, "64-activities-phone")
        assert_accessible(phone, "64-activities-phone")
    finally:
        phone.quit()


def test_county_uploads_its_filled_template_through_the_page(server, browser, tmp_path):
    """The county's 附件3 as it came back from the office: the notice's template with its sample row and notes.
    A file with last year's dates is refused line by line and stores nothing (a range typed without a year, 7.11-8.19,
    is read in the campaign's year and passes); the corrected file is previewed, then imported."""
    import activity_fixtures as F

    year = today().year + 1
    setup_users(server, year)

    def activities(y):
        host = "共青团乐昌市委员会"
        return [F.Activity("乡村学子暑期托管课堂", datetime.date(y, 7, 11), "学业帮助", end=datetime.date(y, 8, 19), host=host,
                           summary="大学生志愿者为留守儿童开展暑期托管", people=320, key=True),
                F.Activity("12355心理健康进村居讲座", datetime.date(y, 8, 6), "心理健康促进", host=host, people=80)]

    wrong, rows = F.write_form(str(tmp_path / "附件3-乐昌市-旧.xlsx"), [F.Line(a) for a in activities(year - 1)], "共青团乐昌市委员会")
    right, _ = F.write_form(str(tmp_path / "附件3-乐昌市.xlsx"), [F.Line(a) for a in activities(year)], "共青团乐昌市委员会")

    login(browser, server, "lc_secretary", "Shaoguan-2022")
    browser.get(f"{server}/activities?campaign={year}")
    before = len(browser.find_elements(By.CSS_SELECTOR, "#activity-table tr.activity-row"))
    browser.find_element(By.ID, "activity-file").send_keys(str(wrong))
    browser.find_element(By.CSS_SELECTOR, "input[name=mode][value=merge]").click()
    click(browser, By.ID, "upload-activities")
    assert "1 处错误" in browser.find_element(By.ID, "import-errors-summary").text
    errors = browser.find_element(By.ID, "import-errors").text
    assert f"第{rows[1]}行" in errors and "开展时间" in errors and f"不在{year}年度内" in errors
    screenshot(browser, "65-activities-import-errors")

    browser.find_element(By.ID, "reupload-file").send_keys(str(right))
    click(browser, By.ID, "reupload")
    assert browser.find_element(By.ID, "preview-added").text == "2"
    # The preview names what it adds, not only how many.
    browser.find_element(By.CSS_SELECTOR, "#preview-added-list summary").click()
    assert "12355心理健康进村居讲座" in browser.find_element(By.ID, "preview-added-list").text
    click(browser, By.ID, "confirm-import")
    assert "导入成功" in browser.find_element(By.CSS_SELECTOR, ".flash").text
    rows_now = browser.find_elements(By.CSS_SELECTOR, "#activity-table tr.activity-row")
    assert len(rows_now) == before + 2
    assert any("12355心理健康进村居讲座" in r.text for r in rows_now)

    # The unit has activities now: 合并 is the default; 替换 lists what it would delete and asks again.
    only_first, _ = F.write_form(str(tmp_path / "附件3-乐昌市-只有一项.xlsx"), [F.Line(activities(year)[0])], "共青团乐昌市委员会")
    assert browser.find_element(By.CSS_SELECTOR, "input[name=mode][value=merge]").is_selected()
    browser.find_element(By.ID, "activity-file").send_keys(str(only_first))
    browser.find_element(By.CSS_SELECTOR, "input[name=mode][value=replace]").click()
    click(browser, By.ID, "upload-activities")
    assert "12355心理健康进村居讲座" in browser.find_element(By.ID, "preview-removed-list").text
    screenshot(browser, "11-6-replace-lists-deletions")
    browser.find_element(By.ID, "confirm-import").click()          # the box is not ticked: nothing happens
    assert browser.find_elements(By.ID, "confirm-delete-box")
    browser.find_element(By.ID, "confirm-delete").click()
    click(browser, By.ID, "confirm-import")
    assert "导入成功" in browser.find_element(By.CSS_SELECTOR, ".flash").text
    assert len(browser.find_elements(By.CSS_SELECTOR, "#activity-table tr.activity-row")) == 1   # 替换: only what the file holds
