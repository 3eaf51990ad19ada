"""On a phone-sized window (375×812): a volunteer activates its account with the code its university issued,
logs a session, and sees its pupil turn compliant for the week. The campaign is the current year's, copied from
2022 by the province, who sets its tutoring period to the whole year, so that the test passes on any day
(`E2E_FAKETIME` runs it again at another date)."""

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

import roster_fixtures as F
from a11y import assert_accessible
from conftest import ADMIN_PASSWORD, make_driver, screenshot, today
from test_browser_foundation import click, login, page_gone, wait_url
from test_browser_roster import make_staff


def test_volunteer_activates_logs_and_turns_compliant(server, browser, tmp_path):
    year = today().year
    login(browser, server, "admin", ADMIN_PASSWORD)
    browser.get(server + "/campaigns")
    if str(year) not in browser.find_element(By.TAG_NAME, "table").text:
        browser.find_element(By.CSS_SELECTOR, "details.form-box summary").click()
        field = browser.find_element(By.NAME, "year")
        field.clear()
        field.send_keys(str(year))
        old = browser.find_element(By.TAG_NAME, "html")
        field.submit()
        WebDriverWait(browser, 15).until(page_gone(old))
        assert f"已创建{year}年度" in browser.find_element(By.CSS_SELECTOR, ".flash").text
    # Today must lie in the tutoring period whatever the date: the province opens it for the whole year.
    browser.get(server + f"/campaigns/{year}")
    browser.execute_script("document.querySelector('[name=tutoringStart]').value = arguments[0];"
                           "document.querySelector('[name=tutoringEnd]').value = arguments[1];", f"{year}-01-01", f"{year}-12-31")
    old = browser.find_element(By.TAG_NAME, "html")
    browser.find_element(By.NAME, "tutoringEnd").submit()
    WebDriverWait(browser, 15).until(page_gone(old))
    click(browser, By.ID, "logout")
    wait_url(browser, "/login")

    make_staff(browser, server, "sgu_tutor")
    s = F.Synth(5)
    s.year = year
    rows = [s.pair(F.SHAOGUAN[0]), s.pair(F.SHAOGUAN[1])]
    path = F.write_official_xlsx(str(tmp_path / "roster.xlsx"), rows, "韶关学院")
    login(browser, server, "sgu_tutor", "Shaoguan-2022")
    browser.get(server + f"/roster?campaign={year}")
    browser.find_element(By.ID, "roster-file").send_keys(path)
    click(browser, By.ID, "upload-roster")
    click(browser, By.ID, "confirm-import")
    assert "导入成功" in browser.find_element(By.CSS_SELECTOR, ".flash").text

    click(browser, By.LINK_TEXT, "志愿者")
    click(browser, By.ID, "issue-codes")
    assert "激活码" in browser.find_element(By.CSS_SELECTOR, ".flash").text
    row = [r for r in browser.find_elements(By.CSS_SELECTOR, "#volunteer-list tbody tr") if rows[0][F.VOL_NAME] in r.text][0]
    code = row.find_element(By.CSS_SELECTOR, ".code").text
    assert len(code) == 9
    click(browser, By.ID, "logout")

    phone = make_driver(375, 812)
    try:
        phone.get(server + "/login")
        click(phone, By.ID, "to-activate")
        phone.find_element(By.ID, "code").send_keys(code.lower().replace("-", ""))
        phone.find_element(By.ID, "act-username").send_keys("vol_first")
        phone.find_element(By.ID, "act-password").send_keys("Volunteer-2022")
        phone.find_element(By.ID, "act-confirm").send_keys("Volunteer-2022")
        click(phone, By.ID, "activate")
        wait_url(phone, "/tutoring")
        card = phone.find_element(By.CSS_SELECTOR, f".pupil-card[data-pupil='{rows[0][F.PUPIL_NAME]}']")
        assert "本周还差 60 分钟" in card.text
        assert len(phone.find_elements(By.CSS_SELECTOR, ".pupil-card")) == 1   # only its own pupil
        screenshot(phone, "21-volunteer-before")
        assert_accessible(phone, "21-volunteer-before")

        minutes = phone.find_element(By.ID, "log-minutes")
        minutes.clear()
        minutes.send_keys("60")
        phone.find_element(By.ID, "log-content").send_keys("数学作业答疑")
        click(phone, By.ID, "log-submit")
        assert "已登记" in phone.find_element(By.CSS_SELECTOR, ".flash").text
        card = phone.find_element(By.CSS_SELECTOR, f".pupil-card[data-pupil='{rows[0][F.PUPIL_NAME]}']")
        assert "本周已达标" in card.text
        assert phone.execute_script("return document.documentElement.scrollWidth") <= 376
        screenshot(phone, "22-volunteer-compliant")

        # The same session again is refused in Chinese, nothing doubled.
        phone.find_element(By.ID, "log-content").send_keys("重复")
        click(phone, By.ID, "log-submit")
        assert "请勿重复登记" in phone.find_element(By.CSS_SELECTOR, ".flash").text

        # Tapping the pupil's card chooses it for the form; the volunteer sees its own total and certificate.
        click(phone, By.CSS_SELECTOR, f".pupil-card[data-pupil='{rows[0][F.PUPIL_NAME]}']")
        assert "pairing=" in phone.current_url
        chosen = phone.find_element(By.CSS_SELECTOR, "#log-pairing option:checked").text
        assert rows[0][F.PUPIL_NAME] in chosen
        assert phone.find_element(By.ID, "my-sessions").text == "1" and phone.find_element(By.ID, "my-hours").text == "1.0"
        click(phone, By.ID, "my-certificate")
        assert rows[0][F.VOL_NAME] in phone.page_source and "志愿服务" in phone.page_source
        screenshot(phone, "11-7-volunteer-certificate-375")
        # A past week opens.
        phone.get(server + "/tutoring")
        if phone.find_elements(By.ID, "prev-week"):
            click(phone, By.ID, "prev-week")
            assert "week=" in phone.current_url and phone.find_elements(By.CSS_SELECTOR, ".pupil-card")
    finally:
        phone.quit()
