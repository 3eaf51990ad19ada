"""The foundation walk in real headless Chromium: admin signs in, sees the 21 cities, creates a
university staff user; that user signs in, sees only its own organisation, and signs out."""
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from a11y import assert_accessible
from conftest import ADMIN_PASSWORD, SERVER_LOG, screenshot


def page_gone(element):
    """True once `element`'s page has been replaced. Chromium reports a detached node either as a stale
    reference or as an inspector error ("Node with given id does not belong to the document")."""
    def check(_):
        try:
            element.is_enabled()
            return False
        except WebDriverException:
            return True
    return check


def click(browser, by, value):
    """Clicks something that loads a new page and waits until the old page is gone."""
    old = browser.find_element(By.TAG_NAME, "html")
    browser.find_element(by, value).click()
    WebDriverWait(browser, 15).until(page_gone(old))


def wait_url(browser, part):
    WebDriverWait(browser, 10).until(EC.url_contains(part))


def login(browser, base, username, password, succeeds=True):
    browser.get(base + "/login")
    browser.find_element(By.ID, "username").send_keys(username)
    browser.find_element(By.ID, "password").send_keys(password)
    click(browser, By.ID, "login")
    if succeeds:
        WebDriverWait(browser, 10).until(lambda d: "/login" not in d.current_url)
    else:
        WebDriverWait(browser, 10).until(EC.presence_of_element_located((By.CSS_SELECTOR, "p.error")))


def test_admin_creates_university_staff_who_sees_only_its_own_organisation(server, browser):
    # A wrong password is refused in Chinese.
    login(browser, server, "admin", "not-the-password", succeeds=False)
    assert "用户名或密码错误" in browser.page_source

    login(browser, server, "admin", ADMIN_PASSWORD)
    assert browser.find_element(By.TAG_NAME, "h1").text == "广东省"
    screenshot(browser, "01-admin-home")
    assert_accessible(browser, "01-admin-home")

    visible = browser.find_element(By.ID, "visible-orgs").text
    click(browser, By.LINK_TEXT, "组织与用户")
    assert "地市团委 21 个" in browser.page_source
    # Every organisation is listed, 50 a page, nothing cut: the total is what the home page counted.
    assert browser.find_element(By.CSS_SELECTOR, ".pager-total").text == f"共 {visible} 条"
    assert len(browser.find_elements(By.CSS_SELECTOR, "#org-tree tbody tr")) == 50
    screenshot(browser, "02-org-tree")
    # Search by code as offices write it.
    browser.find_element(By.CSS_SELECTOR, ".table-search input[name=q]").send_keys("440281")
    click(browser, By.CSS_SELECTOR, ".table-search button")
    names = [r.find_element(By.TAG_NAME, "a").text for r in browser.find_elements(By.CSS_SELECTOR, "#org-tree tbody tr")]
    assert names == ["乐昌市"], names
    browser.get(server + "/orgs?q=韶关学院")
    click(browser, By.LINK_TEXT, "韶关学院")
    assert browser.find_element(By.ID, "org-name").text == "韶关学院"
    browser.find_element(By.CSS_SELECTOR, "#add-user summary").click()
    browser.find_element(By.ID, "new-username").send_keys("sgu_staff")
    browser.find_element(By.ID, "new-display-name").send_keys("韶关学院团委老师")
    browser.find_element(By.ID, "new-password").send_keys("Initial-2022a")
    Select(browser.find_element(By.ID, "new-role")).select_by_value("staff")
    click(browser, By.ID, "create-user")
    assert "已创建用户 sgu_staff" in browser.find_element(By.CSS_SELECTOR, ".flash").text
    assert "sgu_staff" in browser.find_element(By.ID, "users").text
    screenshot(browser, "03-user-created")
    assert_accessible(browser, "03-user-created")

    click(browser, By.ID, "logout")
    wait_url(browser, "/login")

    # The first sign-in with the password the admin chose leads to the change form, and nowhere else until done.
    login(browser, server, "sgu_staff", "Initial-2022a")
    wait_url(browser, "/account/password")
    browser.get(server + "/roster")
    wait_url(browser, "/account/password")
    browser.find_element(By.NAME, "current").send_keys("Initial-2022a")
    browser.find_element(By.NAME, "new").send_keys("Shaoguan-2022")
    browser.find_element(By.NAME, "confirm").send_keys("Shaoguan-2022")
    click(browser, By.CSS_SELECTOR, "form[action='/account/password'] button[type=submit]")
    assert "密码已修改" in browser.find_element(By.CSS_SELECTOR, ".flash").text
    assert browser.find_element(By.TAG_NAME, "h1").text == "韶关学院"
    assert browser.find_element(By.ID, "visible-orgs").text == "1"
    click(browser, By.LINK_TEXT, "组织与用户")
    names = [r.find_element(By.TAG_NAME, "a").text for r in browser.find_elements(By.CSS_SELECTOR, "#org-tree tbody tr")]
    assert names == ["韶关学院"]
    assert "审计日志" not in browser.page_source
    screenshot(browser, "04-staff-sees-own-org")

    # Typing another organisation's address shows a Chinese 404 page, not its data.
    browser.get(server + "/audit")
    assert "只有团省委可以执行此操作" in browser.page_source or "没有权限" in browser.page_source

    browser.get(server + "/")
    click(browser, By.ID, "logout")
    wait_url(browser, "/login")
    browser.get(server + "/orgs")
    wait_url(browser, "/login?next=")
    screenshot(browser, "05-logged-out")
    assert_accessible(browser, "05-logged-out")

    # The server log names requests, never passwords.
    log = open(SERVER_LOG["path"], encoding="utf-8").read()
    assert "GET /orgs" in log or "Server started" in log
    for secret in (ADMIN_PASSWORD, "Shaoguan-2022", "not-the-password"):
        assert secret not in log


def test_pages_fit_a_phone(server):
    from conftest import make_driver

    phone = make_driver(375, 812)
    try:
        login(phone, server, "admin", ADMIN_PASSWORD)
        nav = phone.find_element(By.ID, "nav")
        assert not nav.is_displayed()
        phone.find_element(By.CSS_SELECTOR, ".menu-toggle").click()
        assert nav.is_displayed()
        width = phone.execute_script("return document.documentElement.scrollWidth")
        assert width <= 375 + 1
        screenshot(phone, "06-phone-menu")
        assert_accessible(phone, "06-phone-menu")
    finally:
        phone.quit()
