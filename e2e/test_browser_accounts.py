"""Issue 11 §2 in Chromium: the province admin finds an account by searching, resets its password (the temporary
one is shown once), the user signs in with it and must set a new one before anything else; an account the admin
disables cannot sign in, and works again once enabled."""
from selenium.webdriver.common.by import By

from a11y import assert_accessible
from conftest import ADMIN_PASSWORD, first_sign_in, screenshot
from test_browser_foundation import click, login, wait_url
from test_browser_forms_keep_typed import api


def test_admin_resets_a_password_and_disables_an_account(server, browser):
    _, session = api(server, "POST", "/api/v1/session", body={"username": "admin", "password": ADMIN_PASSWORD})
    admin = session["token"]
    _, orgs = api(server, "GET", "/api/v1/orgs", admin)
    orgs = orgs["items"] if isinstance(orgs, dict) else orgs
    unit = next(o for o in orgs if o["name"] == "肇庆学院")
    for username in ("zq_clerk", "zq_leaver"):
        status, _ = api(server, "POST", "/api/v1/users", admin, {"username": username, "password": "Initial-2022a",
                                                                 "orgId": unit["id"], "role": "staff"})
        assert status == 201
        first_sign_in(server, username, "Initial-2022a", "Zhaoqing-2022")

    login(browser, server, "admin", ADMIN_PASSWORD)
    click(browser, By.LINK_TEXT, "账户管理")
    browser.find_element(By.CSS_SELECTOR, ".table-search input[name=q]").send_keys("肇庆")
    click(browser, By.CSS_SELECTOR, ".table-search button")
    names = [r.get_attribute("data-username") for r in browser.find_elements(By.CSS_SELECTOR, "#user-list tbody tr")]
    assert names == ["zq_clerk", "zq_leaver"], names
    assert "共 2 条" in browser.find_element(By.CSS_SELECTOR, ".pager-total").text
    screenshot(browser, "11-2-accounts-search")
    assert_accessible(browser, "11-2-accounts-search")

    row = browser.find_element(By.CSS_SELECTOR, "#user-list tr[data-username=zq_clerk]")
    browser.execute_script("window.confirm = () => true;")
    old = browser.find_element(By.TAG_NAME, "html")
    row.find_element(By.CSS_SELECTOR, "button.reset-password").click()
    from selenium.webdriver.support.ui import WebDriverWait
    from test_browser_foundation import page_gone
    WebDriverWait(browser, 15).until(page_gone(old))
    temporary = browser.find_element(By.ID, "temporary-password").text.strip()
    assert len(temporary) == 12
    screenshot(browser, "11-2-temporary-password")
    assert_accessible(browser, "11-2-temporary-password")

    click(browser, By.LINK_TEXT, "返回账户管理")
    row = browser.find_element(By.CSS_SELECTOR, "#user-list tr[data-username=zq_leaver]")
    browser.execute_script("window.confirm = () => true;")
    old = browser.find_element(By.TAG_NAME, "html")
    row.find_element(By.CSS_SELECTOR, "button.toggle-disabled").click()
    WebDriverWait(browser, 15).until(page_gone(old))
    assert "已停用" in browser.find_element(By.CSS_SELECTOR, "#user-list tr[data-username=zq_leaver]").text
    click(browser, By.ID, "logout")

    # The disabled account cannot sign in; the reset one must set its own password first.
    login(browser, server, "zq_leaver", "Zhaoqing-2022", succeeds=False)
    assert "停用" in browser.find_element(By.CSS_SELECTOR, "p.error").text
    login(browser, server, "zq_clerk", temporary)
    wait_url(browser, "/account/password")
    browser.find_element(By.NAME, "current").send_keys(temporary)
    browser.find_element(By.NAME, "new").send_keys("Zhaoqing-2023")
    browser.find_element(By.NAME, "confirm").send_keys("Zhaoqing-2023")
    click(browser, By.CSS_SELECTOR, "form[action='/account/password'] button[type=submit]")
    assert "密码已修改" in browser.find_element(By.CSS_SELECTOR, ".flash").text
    screenshot(browser, "11-2-password-changed")


def test_admin_creates_accounts_in_bulk_and_prints_their_passwords(server, browser, tmp_path):
    import openpyxl
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["批量创建账户"])
    sheet.append(["单位名称或代码", "用户名", "姓名", "角色", "手机号"])
    sheet.append(["嘉应学院", "jy_clerk", "梅小华", "工作人员", "13800138000"])
    sheet.append(["441402", "mj_viewer", "梅江区团委", "查看者", ""])
    path = str(tmp_path / "accounts.xlsx")
    book.save(path)

    login(browser, server, "admin", ADMIN_PASSWORD)
    browser.get(server + "/users")
    browser.find_element(By.CSS_SELECTOR, "#import-accounts summary").click()
    browser.find_element(By.ID, "accounts-file").send_keys(path)
    click(browser, By.ID, "upload-accounts")
    assert "新增" in browser.find_element(By.ID, "import-ok").text and browser.find_element(By.ID, "preview-added").text == "2"
    click(browser, By.ID, "confirm-import")
    rows = browser.find_elements(By.CSS_SELECTOR, "#initial-passwords tbody tr")
    assert [r.find_elements(By.TAG_NAME, "td")[1].text for r in rows] == ["jy_clerk", "mj_viewer"]
    password = rows[0].find_element(By.CSS_SELECTOR, "td.temporary-password").text.strip()
    assert len(password) == 12
    screenshot(browser, "11-2-initial-passwords")
    assert_accessible(browser, "11-2-initial-passwords")
    click(browser, By.ID, "logout")

    login(browser, server, "jy_clerk", password)
    wait_url(browser, "/account/password")
