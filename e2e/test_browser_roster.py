"""The roster walk in headless Chromium: a university's staff uploads a 附件2 workbook with mistakes, reads the
Chinese errors, downloads the error workbook, uploads the fixed file, sees the roster with masked IDs, exports
附件2 and submits it; the province sees the submission."""
import glob
import os
import time
import urllib.parse
import urllib.request

import openpyxl
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

import roster_fixtures as F
from a11y import assert_accessible
from conftest import ADMIN_PASSWORD, SERVER_LOG, first_sign_in, screenshot
from test_browser_foundation import click, login, wait_url


def make_staff(browser, server, username):
    login(browser, server, "admin", ADMIN_PASSWORD)
    browser.get(server + "/orgs?q=韶关学院")   # 50 a page: an office searches for its unit
    click(browser, By.LINK_TEXT, "韶关学院")
    browser.find_element(By.CSS_SELECTOR, "#add-user summary").click()
    browser.find_element(By.ID, "new-username").send_keys(username)
    browser.find_element(By.ID, "new-password").send_keys("Initial-2022a")
    Select(browser.find_element(By.ID, "new-role")).select_by_value("staff")
    click(browser, By.ID, "create-user")
    assert "已创建用户" in browser.find_element(By.CSS_SELECTOR, ".flash").text
    click(browser, By.ID, "logout")
    wait_url(browser, "/login")
    first_sign_in(server, username, "Initial-2022a", "Shaoguan-2022")


def test_university_staff_fixes_and_submits_its_roster(server, browser, tmp_path):
    make_staff(browser, server, "sgu_roster")
    s = F.Synth(77)
    good = [s.pair(F.SHAOGUAN[i % len(F.SHAOGUAN)]) for i in range(6)]
    bad = [dict(r) for r in good]
    bad[1][F.SEX] = "女" if bad[1][F.SEX] == "男" else "男"                 # Excel row 7
    bad[3][F.PUPIL_ID] = F.with_wrong_check(bad[3][F.PUPIL_ID])              # Excel row 9
    bad[3][F.STUDENT_NO] = ""
    bad_path = F.write_official_xlsx(str(tmp_path / "结对名单-有错.xlsx"), bad, "韶关学院")
    good_path = F.write_official_xlsx(str(tmp_path / "结对名单.xlsx"), good, "韶关学院")

    login(browser, server, "sgu_roster", "Shaoguan-2022")
    click(browser, By.LINK_TEXT, "结对名单")
    browser.find_element(By.ID, "roster-file").send_keys(bad_path)
    click(browser, By.ID, "upload-roster")
    summary = browser.find_element(By.ID, "import-errors-summary").text
    assert "2 处错误" in summary and "未保存任何数据" in summary
    errors = browser.find_element(By.ID, "import-errors").text
    assert "第7行" in errors and "第17位" in errors
    # Each problem names the pupil of its row.
    assert f"第7行（{bad[1][F.PUPIL_NAME]}）" in errors, errors
    assert "第9行" in errors and "校验位" in errors
    screenshot(browser, "11-roster-errors")
    assert_accessible(browser, "11-roster-errors")

    # The error workbook comes back with the office's own rows and the problems marked.
    # It is a POST with the page's CSRF token (the download is audited), as the button sends it.
    form = browser.find_element(By.ID, "download-errors").find_element(By.XPATH, "./ancestor::form")
    link = form.get_attribute("action")
    token = form.find_element(By.NAME, "_csrf").get_attribute("value")
    cookie = browser.get_cookie("lb_session")["value"]
    request = urllib.request.Request(link, data=urllib.parse.urlencode({"_csrf": token}).encode(), method="POST",
                                     headers={"Cookie": "lb_session=" + cookie, "Content-Type": "application/x-www-form-urlencoded"})
    with urllib.request.urlopen(request) as response:
        (tmp_path / "errors.xlsx").write_bytes(response.read())
    ws = openpyxl.load_workbook(tmp_path / "errors.xlsx").active
    # The official title rows come back merged, the title written once (not in every column).
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert any(r.startswith("A2:") for r in merged) and any(r.startswith("A3:") for r in merged), merged
    assert ws["B2"].value in (None, "")
    header = [c.value for c in ws[5]]
    assert header[-1] == "错误说明"
    assert "性别" in (ws.cell(row=7, column=len(header)).value or "")
    assert ws.cell(row=9, column=4).comment is not None
    assert ws.cell(row=6, column=len(header)).value in (None, "")

    browser.find_element(By.ID, "reupload-file").send_keys(good_path)
    click(browser, By.ID, "reupload")
    assert browser.find_element(By.ID, "preview-added").text == "6"
    click(browser, By.ID, "confirm-import")
    assert "导入成功" in browser.find_element(By.CSS_SELECTOR, ".flash").text
    assert browser.find_element(By.ID, "stat-pairings").text == "6"
    table = browser.find_element(By.ID, "pairings").text
    assert F.mask(good[0][F.PUPIL_ID]) in table
    for row in good:
        assert row[F.PUPIL_ID] not in browser.page_source
    screenshot(browser, "12-roster-list")
    assert_accessible(browser, "12-roster-list")

    # Export 附件2 (masked) through the page's own link.
    link = browser.find_element(By.ID, "export-xlsx").get_attribute("href")
    with urllib.request.urlopen(urllib.request.Request(link, headers={"Cookie": "lb_session=" + cookie})) as response:
        (tmp_path / "附件2.xlsx").write_bytes(response.read())
    ws = openpyxl.load_workbook(tmp_path / "附件2.xlsx").active
    assert ws["A1"].value == "附件2" and ws["A3"].value == "高校团委（盖章）：韶关学院"
    assert ws["A4"].value == "帮扶学生总计 6 名，结对志愿者总计 6 名"

    click(browser, By.ID, "submit-roster")
    assert "结对6条" in browser.find_element(By.ID, "submit-summary").text
    screenshot(browser, "11-6-confirm-roster")
    click(browser, By.ID, "confirm-submit")
    assert "已报送第1版" in browser.find_element(By.CSS_SELECTOR, ".flash").text
    assert "待审核" in browser.find_element(By.ID, "submission").text
    screenshot(browser, "13-roster-submitted")
    click(browser, By.ID, "logout")
    wait_url(browser, "/login")

    login(browser, server, "admin", ADMIN_PASSWORD)
    browser.get(server + "/roster")
    row = [r for r in browser.find_elements(By.CSS_SELECTOR, "#universities tbody tr") if "韶关学院" in r.text][0]
    assert "第1版" in row.text and "6" in row.text
    screenshot(browser, "14-province-roster-overview")
    assert_accessible(browser, "14-province-roster-overview")

    # Neither the uploads nor the pages wrote an ID number into the server log.
    log = open(SERVER_LOG["path"], encoding="utf-8").read()
    assert "POST /roster/import" in log
    for row in good + bad:
        assert row[F.PUPIL_ID] not in log and row[F.VOL_ID] not in log
