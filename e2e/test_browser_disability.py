"""Issue 14, item 9 in real headless Chromium: a 连州 office with the sensitive-data permission pairs a young person
(paired 40 days ago, so the plan is already overdue), opens the pair, writes the 一人一策 plan with the next review
within 90 days, and the pair is on time again; an office without the permission sees the list but not the
disability. Dates are relative to the server's today."""
import datetime

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from a11y import assert_accessible
from conftest import screenshot, today
from test_browser_activities import set_date
from test_browser_foundation import click, login
from test_browser_health import setup, valid_id


def test_a_pair_gets_its_plan(server, browser):
    paired = today() - datetime.timedelta(days=40)
    year = paired.year
    setup(server, year)   # lz_health: 连州 staff with the sensitive-data permission
    login(browser, server, "lz_health", "Health-lz-2022a")
    click(browser, By.LINK_TEXT, "阳光助残")
    browser.get(f"{server}/disability?campaign={year}")
    assert_accessible(browser, "disability-empty")

    browser.find_element(By.ID, "pair-name").send_keys("李小华")
    browser.find_element(By.ID, "pair-id").send_keys(valid_id(f"441882{today().year - 12}0305002"))
    Select(browser.find_element(By.ID, "pair-category")).select_by_visible_text("听力残疾")
    Select(browser.find_element(By.ID, "pair-level")).select_by_visible_text("二级")
    browser.find_element(By.ID, "pair-guardian").send_keys("李大华")
    browser.find_element(By.ID, "pair-phone").send_keys("13912345678")
    browser.find_element(By.ID, "pair-organisation").send_keys("连州市助残志愿服务队")
    set_date(browser, "pair-started", paired.isoformat())
    click(browser, By.ID, "pair-save")
    assert "已登记结对" in browser.find_element(By.CSS_SELECTOR, ".flash").text
    row = browser.find_element(By.CSS_SELECTOR, "#pair-table tr.pair-row[data-name='李小华']")
    assert "未制定" in row.find_element(By.CSS_SELECTOR, "td.plan-status").text
    assert "逾期1人" in browser.find_element(By.ID, "overdue-count").text
    assert "听力" not in row.text
    assert_accessible(browser, "disability")

    click(browser, By.LINK_TEXT, "李小华")
    assert "听力残疾 二级" in browser.find_element(By.ID, "pair-disability").text
    browser.find_element(By.ID, "plan-goals").send_keys("提高听说能力，跟上课堂")
    browser.find_element(By.ID, "plan-measures").send_keys("志愿者每周两次上门，手语与口语练习；联系学校安排前排座位")
    browser.find_element(By.ID, "plan-responsible").send_keys("王老师")
    set_date(browser, "plan-next", (today() + datetime.timedelta(days=60)).isoformat())
    click(browser, By.ID, "plan-save")
    assert "已保存一人一策" in browser.find_element(By.CSS_SELECTOR, ".flash").text
    assert "正常" in browser.find_element(By.ID, "pair-status").text
    assert browser.find_element(By.ID, "review-form")
    assert_accessible(browser, "disability-pair")
    screenshot(browser, "14-9-plan")
    click(browser, By.LINK_TEXT, "阳光助残")
    assert "正常" in browser.find_element(By.CSS_SELECTOR, "#pair-table tr.pair-row td.plan-status").text
