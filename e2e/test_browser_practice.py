"""Issue 12, work item 4 in real headless Chromium: a university league secretary registers a 三下乡 team on the page,
imports its member list from an xlsx (upload, preview, commit), and sees the targets board count the students; the
province ticks a key county (warned that the notice names 38) and changes a target. The 2022 campaign's dates are
fixed: no step depends on today."""
import urllib.parse

import openpyxl
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from a11y import assert_accessible
from conftest import ADMIN_PASSWORD, first_sign_in, screenshot
from test_browser_activities import api, set_date
from test_browser_foundation import click, login


def setup_secretary(server, username, org_name, password):
    _, session = api(server, "/api/v1/session", {"username": "admin", "password": ADMIN_PASSWORD})
    token = session["token"]
    _, orgs = api(server, "/api/v1/orgs?q=" + urllib.parse.quote(org_name), token=token)
    items = orgs["items"] if isinstance(orgs, dict) else orgs
    org = next(o["id"] for o in items if o["name"] == org_name)
    status, body = api(server, "/api/v1/users", {"username": username, "password": "Initial-2022a", "orgId": org,
                                                 "role": "staff", "displayName": username}, token)
    assert status in (201, 409), body
    if status == 201:
        first_sign_in(server, username, "Initial-2022a", password)


def target_actual(driver, label):
    for row in driver.find_elements(By.CSS_SELECTOR, "#targets-table tr.target-row"):
        if row.text.startswith(label):
            return row.find_element(By.CSS_SELECTOR, "td.actual").text
    raise AssertionError(label)


def test_a_team_imports_its_member_list_and_the_board_counts_the_students(server, browser, tmp_path):
    setup_secretary(server, "scnu_secretary", "华南师范大学", "Scnu-league-2022")
    login(browser, server, "scnu_secretary", "Scnu-league-2022")
    click(browser, By.LINK_TEXT, "实践与目标")
    browser.get(f"{server}/targets?campaign=2022")
    assert_accessible(browser, "targets-empty")
    click(browser, By.ID, "link-teams")
    assert_accessible(browser, "practice-teams")

    browser.find_element(By.ID, "team-name").send_keys("华师赴连州支教实践团")
    browser.find_element(By.ID, "team-lighthouse").click()
    browser.find_element(By.ID, "team-leader").send_keys("张老师")
    browser.find_element(By.ID, "team-destination").send_keys("清远市连州市")
    set_date(browser, "team-start", "2022-07-10")
    set_date(browser, "team-end", "2022-07-20")
    Select(browser.find_element(By.ID, "team-theme")).select_by_visible_text("学业帮助")
    browser.find_element(By.ID, "team-declared").send_keys("12")
    click(browser, By.ID, "team-save")
    assert "已登记实践团队" in browser.find_element(By.CSS_SELECTOR, ".flash").text
    click(browser, By.LINK_TEXT, "华师赴连州支教实践团")
    assert "填报12人" in browser.find_element(By.ID, "team-count").text
    assert_accessible(browser, "practice-team")

    # The member list as a school keeps it: a title row above the header, 学号 typed as numbers.
    path = tmp_path / "实践团成员名单.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["华师赴连州支教实践团成员名单"])
    ws.append(["序号", "姓名", "学号", "学校"])
    for n, (name, number) in enumerate([("陈一", 2020001), ("李二", 2020002), ("王三", 2020003)], start=1):
        ws.append([n, name, number, "华南师范大学"])
    wb.save(path)
    browser.find_element(By.ID, "member-file").send_keys(str(path))
    click(browser, By.ID, "upload-members")
    assert browser.find_element(By.ID, "preview-added").text == "3"
    screenshot(browser, "12-4-member-preview")
    click(browser, By.ID, "confirm-import")
    assert "导入成功" in browser.find_element(By.CSS_SELECTOR, ".flash").text
    assert len(browser.find_elements(By.CSS_SELECTOR, "#member-table tr.member-row")) == 3
    assert "名单3人" in browser.find_element(By.ID, "team-count").text

    browser.get(f"{server}/targets?campaign=2022")
    assert target_actual(browser, "三下乡实践团队") == "1"
    assert target_actual(browser, "三下乡参与学生") == "3"          # the list, not the 12 declared
    assert "华南师范大学" in browser.find_element(By.ID, "targets-universities").text
    assert_accessible(browser, "targets")
    screenshot(browser, "12-4-targets-board")


def test_the_province_ticks_a_key_county_and_sets_a_target(server, browser):
    setup_secretary(server, "gd_secretary", "广东省", "Guangdong-2022a")
    login(browser, server, "gd_secretary", "Guangdong-2022a")
    browser.get(f"{server}/key-counties?campaign=2022")
    assert_accessible(browser, "key-counties")
    group = next(g for g in browser.find_elements(By.CSS_SELECTOR, "fieldset.county-group") if g.find_element(By.TAG_NAME, "legend").text == "清远市")
    box = next(label for label in group.find_elements(By.CSS_SELECTOR, "label.check") if label.text == "连州市")
    box.find_element(By.TAG_NAME, "input").click()
    click(browser, By.ID, "key-counties-save")
    assert "当前名单为1个" in browser.find_element(By.CSS_SELECTOR, ".flash").text
    assert browser.find_element(By.ID, "key-count").text == "1"

    browser.get(f"{server}/targets?campaign=2022")
    assert "当前名单为1个" in browser.find_element(By.ID, "key-county-warning").text
    field = browser.find_element(By.ID, "target-civilityPairs")
    field.clear()
    field.send_keys("120")
    click(browser, By.ID, "targets-save")
    assert "已保存" in browser.find_element(By.CSS_SELECTOR, ".flash").text
    row = next(r for r in browser.find_elements(By.CSS_SELECTOR, "#targets-table tr.target-row") if r.text.startswith("百校百号结对"))
    assert "120" in row.text
    assert "清远市" in browser.find_element(By.ID, "targets-cities").text
