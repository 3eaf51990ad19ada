"""Issue 11 §1 in Chromium: each form the server refuses comes back with every field as it was typed and the
message next to the field — the session log on a phone (390 px) and a desk (1366 px), adding and editing a pairing,
adding an activity, adding a user, the campaign calendar. Nothing is stored."""
import json
import urllib.request

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

import roster_fixtures as F
from a11y import assert_accessible
from conftest import ADMIN_PASSWORD, first_sign_in, make_driver, screenshot
from selenium.webdriver.support.ui import WebDriverWait

from test_browser_foundation import click, login, page_gone

PASSWORD = "Shaoguan-2022"


def api(server, method, path, token=None, body=None, raw=None, content_type="application/json"):
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    req = urllib.request.Request(server + path, data=data, method=method)
    if token:
        req.add_header("Authorization", "Bearer " + token)
    if data is not None:
        req.add_header("Content-Type", content_type)
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


@pytest.fixture(scope="module")
def university_with_a_pairing(server):
    """A staff account at 惠州学院 and one 2022 pairing, made through the API (韶关学院's roster belongs to the
    roster walk, which counts it)."""
    _, session = api(server, "POST", "/api/v1/session", body={"username": "admin", "password": ADMIN_PASSWORD})
    admin = session["token"]
    _, orgs = api(server, "GET", "/api/v1/orgs", admin)
    orgs = orgs["items"] if isinstance(orgs, dict) else orgs
    sgu = next(o for o in orgs if o["name"] == "惠州学院")
    status, _ = api(server, "POST", "/api/v1/users", admin,
                    {"username": "sgu_forms", "password": "Initial-2022a", "orgId": sgu["id"], "role": "staff"})
    assert status in (201, 409), status
    if status == 201:
        first_sign_in(server, "sgu_forms", "Initial-2022a", PASSWORD)
    _, session = api(server, "POST", "/api/v1/session", body={"username": "sgu_forms", "password": PASSWORD})
    staff = session["token"]
    s = F.Synth(511)
    row = s.pair("441302")   # 惠城区
    header = ",".join(F.COLUMNS) + "\r\n"
    line = ",".join(row[c] for c in F.COLUMNS) + "\r\n"
    boundary = "----forms"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"r.csv\"\r\n"
            f"Content-Type: text/csv\r\n\r\n{header}{line}\r\n--{boundary}--\r\n").encode()
    status, report = api(server, "POST", "/api/v1/pairings/import?campaign=2022&mode=merge", staff, raw=body,
                         content_type=f"multipart/form-data; boundary={boundary}")
    assert status == 200, report
    return {"row": row, "staff": staff, "university": sgu}


def submit(browser, element):
    """Submits `element`'s form and waits for the answer page."""
    old = browser.find_element(By.TAG_NAME, "html")
    element.submit()
    WebDriverWait(browser, 15).until(page_gone(old))


def values(browser, ids):
    return {i: browser.find_element(By.ID, i).get_attribute("value") for i in ids}


def fill(browser, fields):
    for element_id, value in fields.items():
        element = browser.find_element(By.ID, element_id)
        browser.execute_script("arguments[0].value = arguments[1];", element, value)


@pytest.mark.parametrize("width", [390, 1366])
def test_the_session_log_keeps_what_was_typed(server, university_with_a_pairing, width):
    browser = make_driver(width, 844 if width < 600 else 900)
    try:
        login(browser, server, "sgu_forms", PASSWORD)
        browser.get(server + "/tutoring?campaign=2022")
        typed = {"log-date": "2022-06-20", "log-start": "20:15", "log-minutes": "75", "log-content": "分数应用题讲解", "log-note": "下次复习小数"}
        fill(browser, typed)
        browser.find_element(By.CSS_SELECTOR, "#log-form input[name=mode][value=offline]").click()
        click(browser, By.ID, "log-submit")
        # The date lies before the tutoring period: refused, everything else as typed, the reason at the date.
        assert values(browser, typed) == typed
        assert browser.find_element(By.CSS_SELECTOR, "#log-form input[name=mode][value=offline]").is_selected()
        message = browser.find_element(By.ID, "error-date")
        assert "不在支教期" in message.text and message.is_displayed()
        assert "未保存" in browser.find_element(By.ID, "form-error").text
        screenshot(browser, f"11-1-session-log-refused-{width}")
        assert_accessible(browser, f"11-1-session-log-refused-{width}")
        pairing_id = browser.find_element(By.ID, "log-pairing").get_attribute("value")
        status, sessions = api(server, "GET", f"/api/v1/sessions?pairingId={pairing_id}", university_with_a_pairing["staff"])
        assert status == 200 and not [s for s in sessions["items"] if s.get("date") == "2022-06-20"], sessions
    finally:
        browser.quit()


def test_the_pairing_forms_keep_what_was_typed(server, browser, university_with_a_pairing):
    login(browser, server, "sgu_forms", PASSWORD)
    browser.get(server + "/roster?campaign=2022")
    browser.find_element(By.CSS_SELECTOR, "#add-pairing summary").click()
    form = "#add-pairing form "
    s = F.Synth(733)
    good = s.pair("441302")
    typed = {"pupilName": "黎小雨", "pupilId": F.with_wrong_check(good[F.PUPIL_ID]), "school": "惠城区示范小学", "gradeClass": "五年级2班",
             "volunteerName": "陈志远", "volunteerId": good[F.VOL_ID], "startDate": "2022-07-05", "consentDate": "2022-07-01"}
    for name, value in typed.items():
        element = browser.find_element(By.CSS_SELECTOR, form + f"[name={name}]")
        browser.execute_script("arguments[0].value = arguments[1];", element, value)
    Select(browser.find_element(By.CSS_SELECTOR, form + "[name=consent]")).select_by_value("yes")
    click(browser, By.CSS_SELECTOR, form + "button[type=submit]")
    assert browser.find_element(By.ID, "add-pairing").get_attribute("open") is not None
    for name, value in typed.items():
        assert browser.find_element(By.CSS_SELECTOR, form + f"[name={name}]").get_attribute("value") == value, name
    assert Select(browser.find_element(By.CSS_SELECTOR, form + "[name=consent]")).first_selected_option.get_attribute("value") == "yes"
    assert "校验位" in browser.find_element(By.ID, "error-pupilId").text
    screenshot(browser, "11-1-add-pairing-refused")
    assert_accessible(browser, "11-1-add-pairing-refused")

    # Edit: a start date after the period, with a changed school.
    browser.get(server + "/roster?campaign=2022")
    click(browser, By.LINK_TEXT, "修改")
    school = browser.find_element(By.NAME, "school")
    browser.execute_script("arguments[0].value = '改过的学校';", school)
    browser.execute_script("document.querySelector('[name=startDate]').value = '2023-01-09';")
    submit(browser, browser.find_element(By.NAME, "school"))
    assert browser.find_element(By.NAME, "school").get_attribute("value") == "改过的学校"
    assert browser.find_element(By.NAME, "startDate").get_attribute("value") == "2023-01-09"
    assert browser.find_element(By.ID, "error-startDate").is_displayed()
    screenshot(browser, "11-1-edit-pairing-refused")


def test_the_activity_form_keeps_a_long_summary(server, browser, university_with_a_pairing):
    login(browser, server, "sgu_forms", PASSWORD)
    browser.get(server + "/activities?campaign=2022")
    summary = "暑期支教帮扶留守儿童，" * 9
    typed = {"activity-title": "惠州暑期课堂", "activity-start": "2022-07-15", "activity-end": "2022-07-16", "activity-cohosts": "惠城区教育局",
             "activity-summary": summary, "activity-people": "120", "activity-links": "www.example.com/news"}
    fill(browser, typed)
    browser.find_element(By.ID, "activity-key").click()
    submit(browser, browser.find_element(By.ID, "activity-title"))
    assert values(browser, typed) == typed
    assert browser.find_element(By.ID, "activity-key").is_selected()
    assert "http://" in browser.find_element(By.ID, "error-reportLinksText").text
    screenshot(browser, "11-1-activity-refused")
    assert_accessible(browser, "11-1-activity-refused")


def test_the_account_and_calendar_forms_keep_what_was_typed(server, browser):
    login(browser, server, "admin", ADMIN_PASSWORD)
    browser.get(server + "/orgs?q=惠州学院")
    click(browser, By.LINK_TEXT, "惠州学院")
    browser.find_element(By.CSS_SELECTOR, "#add-user summary").click()
    browser.find_element(By.ID, "new-username").send_keys("sgu_forms")          # taken (made above)
    browser.find_element(By.ID, "new-display-name").send_keys("林晓")
    browser.find_element(By.ID, "new-password").send_keys("Another-2022")
    Select(browser.find_element(By.ID, "new-role")).select_by_value("viewer")
    click(browser, By.ID, "create-user")
    assert browser.find_element(By.ID, "new-username").get_attribute("value") == "sgu_forms"
    assert browser.find_element(By.ID, "new-display-name").get_attribute("value") == "林晓"
    assert Select(browser.find_element(By.ID, "new-role")).first_selected_option.get_attribute("value") == "viewer"
    assert "已被使用" in browser.find_element(By.ID, "error-username").text
    screenshot(browser, "11-1-add-user-refused")
    assert_accessible(browser, "11-1-add-user-refused")

    browser.get(server + "/campaigns/2022")
    typed = {"calendar-focusStart": "2022-07-20", "calendar-focusEnd": "2022-07-10", "calendar-updateDue": "2022-09-20"}
    fill(browser, typed)
    submit(browser, browser.find_element(By.ID, "calendar-focusEnd"))
    assert values(browser, typed) == typed
    assert browser.find_element(By.ID, "form-error").is_displayed()
    screenshot(browser, "11-1-calendar-refused")
    assert_accessible(browser, "11-1-calendar-refused")
