"""Issue 14, item 8 in real headless Chromium: a 连州 league office (with the sensitive-data permission) records a
健康直通车 visit 45 days ago and a child's check with a finding; the guardian's consent is missing (a gap the visit
shows); the finding's follow-up (due 30 days after the visit) is overdue on the office's list; the office opens
the check, records a follow-up, and the list is clear. Dates are relative to the server's today."""
import datetime
import urllib.parse

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from a11y import assert_accessible
from conftest import ADMIN_PASSWORD, first_sign_in, screenshot, today
from test_browser_activities import api, set_date
from test_browser_foundation import click, login

PASSWORD = "Health-lz-2022a"


def valid_id(first17: str) -> str:
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return first17 + "10X98765432"[sum(int(c) * w for c, w in zip(first17, weights)) % 11]


def setup(server, year):
    _, session = api(server, "/api/v1/session", {"username": "admin", "password": ADMIN_PASSWORD})
    token = session["token"]
    status, _ = api(server, "/api/v1/campaigns", {"year": year, "copyFrom": 2022}, token)
    assert status in (201, 409)
    _, orgs = api(server, "/api/v1/orgs?q=" + urllib.parse.quote("连州市"), token=token)
    items = orgs["items"] if isinstance(orgs, dict) else orgs
    org = next(o["id"] for o in items if o["name"] == "连州市")
    status, body = api(server, "/api/v1/users", {"username": "lz_health", "password": "Initial-2022a", "orgId": org, "role": "staff",
                                                 "sensitiveData": True, "displayName": "连州团县委"}, token)
    assert status in (201, 409), body
    if status == 201:
        first_sign_in(server, "lz_health", "Initial-2022a", PASSWORD)


def test_a_finding_goes_overdue_and_is_followed_up(server, browser):
    visited = today() - datetime.timedelta(days=45)
    year = visited.year
    setup(server, year)
    login(browser, server, "lz_health", PASSWORD)
    click(browser, By.LINK_TEXT, "健康直通车")
    browser.get(f"{server}/health?campaign={year}")
    assert_accessible(browser, "health-empty")

    browser.find_element(By.ID, "visit-collective").send_keys("清远市人民医院儿科青年文明号")
    Select(browser.find_element(By.ID, "visit-county")).select_by_visible_text("连州市")
    browser.find_element(By.ID, "visit-village").send_keys("东陂村")
    set_date(browser, "visit-date", visited.isoformat())
    browser.find_element(By.ID, "visit-services").send_keys("体检、视力筛查")
    click(browser, By.ID, "visit-save")
    assert "已登记服务" in browser.find_element(By.CSS_SELECTOR, ".flash").text
    click(browser, By.CSS_SELECTOR, "#visit-list a")

    child = valid_id(f"441882{today().year - 10}0305001")
    browser.find_element(By.CSS_SELECTOR, "#add-check summary").click()
    browser.find_element(By.ID, "check-name").send_keys("陈小明")
    browser.find_element(By.ID, "check-id").send_keys(child)
    browser.find_element(By.ID, "check-height").send_keys("138")
    browser.find_element(By.ID, "check-weight").send_keys("31.5")
    browser.find_element(By.ID, "check-vision-right").send_keys("4.6")
    browser.find_element(By.ID, "check-finding").send_keys("右眼视力下降，建议到医院验光")
    click(browser, By.ID, "check-save")
    assert "已记录检查" in browser.find_element(By.CSS_SELECTOR, ".flash").text
    assert "缺监护人同意1人" in browser.find_element(By.ID, "consent-gaps").text
    row = browser.find_element(By.CSS_SELECTOR, "#check-table tr.check-row[data-name='陈小明']")
    assert "逾期" in row.find_element(By.CSS_SELECTOR, "td.follow").text
    assert child not in browser.page_source
    assert_accessible(browser, "health-visit")

    browser.get(f"{server}/health?campaign={year}")
    overdue = browser.find_element(By.CSS_SELECTOR, "#overdue-table tr.overdue-row")
    assert "陈小明" in overdue.text and overdue.find_element(By.CSS_SELECTOR, "td.days").text == "15"
    assert "连州市：1人" in browser.find_element(By.ID, "overdue-by-county").text
    screenshot(browser, "14-8-overdue")
    click(browser, By.LINK_TEXT, "陈小明")
    assert "视力下降" in browser.find_element(By.ID, "check-finding-shown").text
    browser.find_element(By.ID, "follow-up-note").send_keys("已到医院验光配镜，视力矫正正常")
    click(browser, By.ID, "follow-up-save")
    assert "已记录随访" in browser.find_element(By.CSS_SELECTOR, ".flash").text
    due = (today() + datetime.timedelta(days=30)).isoformat()
    assert f"应于{due}前" in browser.find_element(By.ID, "check-due").text
    assert_accessible(browser, "health-check")
    browser.get(f"{server}/health?campaign={year}")
    assert browser.find_element(By.ID, "overdue-empty")
