"""Issue 13, work item 6 in real headless Chromium: a county league secretary registers a 领头雁 class on the page,
uploads the sign-in sheet as the office filled it (a title row, the dates as real date cells in the header, √ and
签到 marks), confirms the preview, and sees the county's training quota turn green on its page and on the
completeness board. The 2022 campaign's dates are fixed: no step depends on today."""
import datetime

import openpyxl
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from a11y import assert_accessible
from conftest import screenshot
from test_browser_activities import set_date
from test_browser_foundation import click, login
from test_browser_practice import setup_secretary


def quota_line(browser, words):
    return next(li for li in browser.find_elements(By.CSS_SELECTOR, "#training-quotas li.training-quota") if words in li.text)


def test_a_sign_in_sheet_turns_the_countys_training_quota_green(server, browser, tmp_path):
    setup_secretary(server, "lianzhou_training", "连州市", "Lianzhou-train-2022")
    login(browser, server, "lianzhou_training", "Lianzhou-train-2022")
    click(browser, By.LINK_TEXT, "培训")
    browser.get(f"{server}/trainings?campaign=2022")
    assert "未达标" in quota_line(browser, "学员不少于40人").text
    assert_accessible(browser, "trainings-empty")

    browser.find_element(By.ID, "training-title").send_keys("连州市乡村振兴领头雁培训班")
    Select(browser.find_element(By.ID, "training-kind")).select_by_value("lingtouyan")
    Select(browser.find_element(By.ID, "training-mode")).select_by_value("offline")
    set_date(browser, "training-start", "2022-07-15")
    set_date(browser, "training-end", "2022-07-16")
    browser.find_element(By.ID, "training-sessions").send_keys("2022-07-15, 2022-07-16")
    click(browser, By.ID, "training-save")
    assert "已登记培训班" in browser.find_element(By.CSS_SELECTOR, ".flash").text
    click(browser, By.LINK_TEXT, "连州市乡村振兴领头雁培训班")
    assert browser.find_element(By.ID, "trainees").text == "0"

    # The sheet as the office keeps it: a title, dates as date cells, marks of both kinds, a phone for some.
    path = tmp_path / "领头雁培训班签到表.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["连州市乡村振兴领头雁培训班签到表"])
    ws.append(["序号", "姓名", "性别", "身份证号", "手机号", "所在县", "类别", datetime.date(2022, 7, 15), datetime.date(2022, 7, 16)])
    for n in range(1, 43):
        ws.append([n, f"学员{n}", "女" if n % 2 else "男", "", f"137{n:08d}", "连州市", "青年村干部" if n % 4 == 0 else "返乡创业青年",
                   "√" if n <= 41 else "", "签到" if n % 2 == 0 else ""])
    wb.save(path)
    browser.find_element(By.ID, "attendance-file").send_keys(str(path))
    click(browser, By.ID, "upload-attendance")
    assert browser.find_element(By.ID, "preview-added").text == "42"
    screenshot(browser, "13-6-sign-in-preview")
    click(browser, By.ID, "confirm-import")
    assert "导入成功" in browser.find_element(By.CSS_SELECTOR, ".flash").text
    # 41 signed on day one (rows 1–41), 21 on day two (the even rows, 42 among them): 62 person-times; all 42
    # people signed at least once (row 42 only on day two).
    assert browser.find_element(By.ID, "person-times").text == "62"
    assert browser.find_element(By.ID, "trainees").text == "42"
    assert "13700000001" not in browser.page_source
    assert_accessible(browser, "training")

    click(browser, By.LINK_TEXT, "培训")
    browser.get(f"{server}/trainings?campaign=2022")
    assert "达标" in quota_line(browser, "学员不少于40人").text and "未达标" not in quota_line(browser, "学员不少于40人").text
    screenshot(browser, "13-6-trainings")
    browser.get(f"{server}/completeness?campaign=2022")
    row = browser.find_element(By.CSS_SELECTOR, "#completeness-table tr[data-org='连州市']")
    assert row.find_element(By.CSS_SELECTOR, "td.training-classes").text == "1"
    assert "培训" not in row.find_element(By.CSS_SELECTOR, "td.missing").text
