"""Issue 14, item 10 in real headless Chromium: a 12355 counsellor at 连州 registers a crisis case received two days
ago — it shows as overdue at once (a crisis needs a follow-up within 24 hours) — opens it, records a home visit, and
the case is no longer overdue. The province admin, who may not read cases, sees the counts by city with the small
ones as "<5", and is refused the case itself. Times are relative to the server's own today, so any day works."""
import datetime
import urllib.parse

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from a11y import assert_accessible
from conftest import ADMIN_PASSWORD, first_sign_in, screenshot, today
from test_browser_activities import api, set_date
from test_browser_foundation import click, login

PASSWORD = "Counsel-12355a"


def make_counsellor(server):
    _, session = api(server, "/api/v1/session", {"username": "admin", "password": ADMIN_PASSWORD})
    token = session["token"]
    _, orgs = api(server, "/api/v1/orgs?q=" + urllib.parse.quote("连州市"), token=token)
    items = orgs["items"] if isinstance(orgs, dict) else orgs
    org = next(o["id"] for o in items if o["name"] == "连州市")
    status, body = api(server, "/api/v1/users", {"username": "lz_12355", "password": "Initial-2022a", "orgId": org, "role": "counselor",
                                                 "sensitiveData": True, "displayName": "连州心理咨询师"}, token)
    assert status in (201, 409), body
    if status == 201:
        first_sign_in(server, "lz_12355", "Initial-2022a", PASSWORD)


def test_a_counsellor_follows_up_an_overdue_crisis_and_the_admin_sees_only_counts(server, browser):
    make_counsellor(server)
    login(browser, server, "lz_12355", PASSWORD)
    click(browser, By.LINK_TEXT, "12355个案")
    assert_accessible(browser, "hotline-empty")

    received = (today() - datetime.timedelta(days=2)).isoformat() + "T09:00"
    set_date(browser, "case-received", received)
    Select(browser.find_element(By.ID, "case-channel")).select_by_visible_text("热线来电")
    browser.find_element(By.ID, "case-age").send_keys("14")
    Select(browser.find_element(By.ID, "case-sex")).select_by_visible_text("女")
    Select(browser.find_element(By.ID, "case-county")).select_by_visible_text("连州市")
    Select(browser.find_element(By.ID, "case-category")).select_by_visible_text("校园欺凌")
    Select(browser.find_element(By.ID, "case-risk")).select_by_visible_text("危机")
    Select(browser.find_element(By.ID, "case-offline")).select_by_visible_text("是")
    browser.find_element(By.ID, "case-summary").send_keys("来电称长期被同学孤立，有自伤念头")
    click(browser, By.ID, "case-save")
    assert "请在" in browser.find_element(By.CSS_SELECTOR, ".flash").text
    row = browser.find_element(By.CSS_SELECTOR, "#case-table tr.case-row")
    assert "已逾期" in row.find_element(By.CSS_SELECTOR, "td.due").text
    assert "逾期未回访1件" in browser.find_element(By.ID, "overdue-count").text
    assert "自伤" not in browser.page_source  # the list never shows what a case says
    assert_accessible(browser, "hotline")

    click(browser, By.CSS_SELECTOR, "#case-table tr.case-row a")
    assert "自伤念头" in browser.find_element(By.ID, "case-summary-shown").text
    assert "已逾期" in browser.find_element(By.ID, "case-due").text
    Select(browser.find_element(By.ID, "follow-up-mode")).select_by_visible_text("上门走访")
    browser.find_element(By.ID, "follow-up-note").send_keys("已上门走访，联系学校心理老师每周跟进")
    click(browser, By.ID, "follow-up-save")
    assert "已记录回访" in browser.find_element(By.CSS_SELECTOR, ".flash").text
    assert browser.find_element(By.ID, "case-due").text == "—"
    assert "上门走访" in browser.find_element(By.ID, "follow-up-list").text
    assert_accessible(browser, "hotline-case")
    screenshot(browser, "14-10-case")
    case_url = browser.current_url
    click(browser, By.LINK_TEXT, "12355个案")
    assert not browser.find_elements(By.ID, "overdue-count")
    click(browser, By.ID, "logout")

    login(browser, server, "admin", ADMIN_PASSWORD)
    click(browser, By.LINK_TEXT, "12355")
    row = browser.find_element(By.CSS_SELECTOR, "#stats-city tr.city-row[data-city='清远市']")
    assert row.find_element(By.CSS_SELECTOR, "td.cases").text == "<5"
    assert "自伤" not in browser.page_source
    assert_accessible(browser, "hotline-stats")
    screenshot(browser, "14-10-stats")
    browser.get(case_url)
    assert "自伤" not in browser.page_source and "心理咨询师" in browser.page_source
