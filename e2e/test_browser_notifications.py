"""Issue 11 §4 in Chromium: a county admin sets its 企业微信 group robot on a phone (a bad address comes back with the
message next to the field); the city chases from a desk; the county's bell counts the reminder, its inbox opens the
page it is about, and the group robot (a local fake) got the same reminder."""
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import ADMIN_PASSWORD, first_sign_in, make_driver, screenshot
from test_browser_foundation import click, login, wait_url
from test_browser_forms_keep_typed import api, submit


def make_account(server, admin, username, unit_name, role):
    _, orgs = api(server, "GET", "/api/v1/orgs", admin)
    orgs = orgs["items"] if isinstance(orgs, dict) else orgs
    unit = next(o for o in orgs if o["name"] == unit_name)
    status, body = api(server, "POST", "/api/v1/users", admin, {"username": username, "password": "Initial-2022a",
                                                                "orgId": unit["id"], "role": role})
    assert status == 201, body
    first_sign_in(server, username, "Initial-2022a", "Guangdong-2022")
    return unit


def test_a_chase_reaches_the_bell_the_inbox_and_the_group_robot(server, robot):
    _, session = api(server, "POST", "/api/v1/session", body={"username": "admin", "password": ADMIN_PASSWORD})
    admin = session["token"]
    county = make_account(server, admin, "yd_admin", "英德市", "admin")
    make_account(server, admin, "qy_city", "清远市", "staff")
    key = "yingde-robot-key-2022"

    phone = make_driver(390, 844)
    try:
        # The county admin sets its robot on its unit's page; a bad address is refused next to the field, kept.
        login(phone, server, "yd_admin", "Guangdong-2022")
        phone.get(f"{server}/orgs/{county['id']}#robot")
        phone.find_element(By.CSS_SELECTOR, "#robot-form summary").click()
        field = phone.find_element(By.ID, "robot-url")
        field.send_keys("www.baidu.com/robot")
        submit(phone, field)
        assert "应以 https:// 开头" in phone.find_element(By.ID, "error-url").text
        assert phone.find_element(By.ID, "robot-url").get_attribute("value") == "www.baidu.com/robot"
        field = phone.find_element(By.ID, "robot-url")
        field.clear()
        field.send_keys(robot.wecom_url(key))
        submit(phone, field)
        current = phone.find_element(By.ID, "robot-current").text
        assert "企业微信" in current and key not in current and key not in phone.page_source
        click(phone, By.ID, "robot-test")
        assert "测试消息已送达" in phone.find_element(By.CSS_SELECTOR, ".flash").text
        assert any("测试消息" in p["body"]["text"]["content"] for p in robot.received)
        screenshot(phone, "11-4-robot-390")

        # The city chases from a desk; the chase list names the units nobody can be told about.
        desk = make_driver(1366, 900)
        try:
            login(desk, server, "qy_city", "Guangdong-2022")
            desk.get(f"{server}/completeness")
            chase = desk.find_element(By.ID, "chase-list").text
            assert "英德市" in chase and "无账号，无法提醒" in chase
            assert "清远市\n" not in chase.split("缺项", 1)[1][:10]
            screenshot(desk, "11-4-chase-1366")
            old = desk.find_element(By.TAG_NAME, "html")
            desk.find_element(By.ID, "chase-send").click()
            desk.switch_to.alert.accept()
            WebDriverWait(desk, 15).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".flash"))
            assert "发送提醒" in desk.find_element(By.CSS_SELECTOR, ".flash").text
            del old
        finally:
            desk.quit()

        # The county's bell counts it on any page; the inbox opens the page it is about and the count goes.
        phone.get(server + "/")
        assert phone.find_element(By.ID, "bell-count").text == "1"
        click(phone, By.ID, "bell")
        wait_url(phone, "/notifications")
        item = phone.find_element(By.CSS_SELECTOR, "#inbox li.unread")
        assert "英德市" in item.text and "催报" in item.text
        screenshot(phone, "11-4-inbox-390")
        click(phone, By.CSS_SELECTOR, "#inbox li.unread button")
        wait_url(phone, "/activities")
        assert not phone.find_elements(By.ID, "bell-count")
    finally:
        phone.quit()

    # The group robot got the same reminder as the documented text message (the courier sends it at once).
    deadline = time.time() + 20
    while time.time() < deadline and not any("英德市" in p["body"]["text"]["content"] and "待办" in p["body"]["text"]["content"]
                                             for p in robot.received):
        time.sleep(0.3)
    chase_posts = [p for p in robot.received if "待办" in p["body"]["text"]["content"]]
    assert len(chase_posts) == 1 and chase_posts[0]["path"].startswith("/cgi-bin/webhook/send?key=" + key)
    assert chase_posts[0]["body"]["msgtype"] == "text"
