"""Issue 16 in Chromium: a developer at a province data centre opens /api/docs without signing in, finds every
operation the OpenAPI document promises, jumps to one from the table of contents, and follows the link to the
machine-readable document."""
import json
import urllib.request

from selenium.webdriver.common.by import By

from a11y import assert_accessible
from conftest import make_driver, screenshot


def test_the_api_docs_page_lists_every_operation_without_a_sign_in(server, browser):
    document = json.load(urllib.request.urlopen(server + "/api/v1/openapi.json"))
    assert document["openapi"] == "3.1.0"
    operations = [(method.upper(), path) for path, item in document["paths"].items()
                  for method in item if method in ("get", "post", "put", "patch", "delete")]
    assert len(operations) > 100

    browser.delete_all_cookies()
    browser.get(server + "/api/docs")
    assert browser.find_element(By.TAG_NAME, "h1").text == "接口文档"
    articles = browser.find_elements(By.CSS_SELECTOR, ".api-group .api-op h3")
    headings = {h.text for h in articles}
    for method, path in operations:
        assert any(h.startswith(method) and path in h for h in headings), (method, path)
    screenshot(browser, "16-api-docs")
    assert_accessible(browser, "16-api-docs")

    # The table of contents jumps to a group; the group lists the 结对卡小程序's call to log a session.
    toc = browser.find_elements(By.CSS_SELECTOR, ".api-toc a")
    assert len(toc) >= 6
    sessions = browser.find_element(By.ID, "POST-api-v1-sessions")
    assert "201" in sessions.text and "422" in sessions.text
    toc[0].click()
    assert browser.current_url.endswith(toc[0].get_attribute("hash"))

    browser.find_element(By.ID, "openapi-link").click()
    assert '"openapi"' in browser.page_source


def test_the_api_docs_page_reads_on_a_phone(server):
    phone = make_driver(width=390, height=844)
    try:
        phone.get(server + "/api/docs")
        assert phone.find_element(By.TAG_NAME, "h1").text == "接口文档"
        # The page does not scroll sideways as a whole: long paths wrap, tables scroll inside their card.
        assert phone.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1")
        screenshot(phone, "16-api-docs-phone")
    finally:
        phone.quit()
