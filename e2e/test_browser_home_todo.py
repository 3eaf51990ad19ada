"""Issue 11 §3 in Chromium: a university clerk's home page lists what to do next, each with its deadline and a link
that opens the right page."""
from selenium.webdriver.common.by import By

from a11y import assert_accessible
from conftest import ADMIN_PASSWORD, first_sign_in, screenshot
from test_browser_foundation import click, login, wait_url
from test_browser_forms_keep_typed import api


def test_the_home_page_says_what_to_do_next(server, browser):
    _, session = api(server, "POST", "/api/v1/session", body={"username": "admin", "password": ADMIN_PASSWORD})
    admin = session["token"]
    _, orgs = api(server, "GET", "/api/v1/orgs", admin)
    orgs = orgs["items"] if isinstance(orgs, dict) else orgs
    unit = next(o for o in orgs if o["name"] == "广东第二师范学院")
    status, _ = api(server, "POST", "/api/v1/users", admin, {"username": "gd2_clerk", "password": "Initial-2022a",
                                                             "orgId": unit["id"], "role": "staff"})
    assert status == 201
    first_sign_in(server, "gd2_clerk", "Initial-2022a", "Guangdong-2022")

    login(browser, server, "gd2_clerk", "Guangdong-2022")
    items = browser.find_elements(By.CSS_SELECTOR, "#todo li")
    texts = [i.text for i in items]
    assert any("结对名单（附件2）" in t and "截止" in t for t in texts), texts
    assert any("活动汇总表（附件3）" in t for t in texts), texts
    screenshot(browser, "11-3-home-todo")
    assert_accessible(browser, "11-3-home-todo")
    click(browser, By.PARTIAL_LINK_TEXT, "结对名单（附件2）")
    wait_url(browser, "/roster")
