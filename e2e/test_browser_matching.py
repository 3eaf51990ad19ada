"""Issue 15 in real headless Chromium: a university league teacher opens 智能结对 from the roster, uploads a
county's pupils list and the university's volunteers list (real .xlsx files), reads why each pair was made and why
one pupil is left, locks a pair, runs again (the lock holds), accepts, confirms the roster import's preview and sees
the pairs on the roster. A list with a pupil outside 附件1 is refused row by row first. Synthetic people only."""
import openpyxl
from selenium.webdriver.common.by import By

from a11y import assert_accessible
from conftest import screenshot
from test_browser_employment import valid_id
from test_browser_foundation import click, login
from test_browser_practice import setup_secretary

PUPILS = [
    # 姓名, 性别, first 17 of the ID, 年级, 学校, 县, 科目, 方言, 时间
    ("林小雨", "女", "44512220100315122", "五年级", "饶平县黄冈镇中心小学", "饶平县", "数学、英语", "潮汕话", "周六上午"),
    ("黄子轩", "男", "44512220110412131", "四年级", "饶平县黄冈镇中心小学", "饶平县", "数学", "普通话", "周六上午、周三晚"),
    ("陈思远", "男", "44512220090101141", "六年级", "饶平县钱东镇中心小学", "饶平县", "化学", "普通话", "周六上午"),
]
VOLUNTEERS = [
    ("周文博", "男", "44010420010101451", "数学与应用数学", "数学、英语", "潮汕话", "周六上午", 1),
    ("吴静怡", "女", "44010420020202462", "英语", "英语", "普通话", "周六上午", 1),
]


def write_lists(tmp_path, county_of_first="饶平县"):
    pupils = openpyxl.Workbook()
    sheet = pupils.active
    sheet.append(["姓名", "性别", "身份证号", "年级", "在读学校", "所在县（市、区）", "需要辅导科目", "方言", "可辅导时间"])
    for i, (name, sex, first17, grade, school, county, subjects, dialect, slots) in enumerate(PUPILS):
        sheet.append([name, sex, valid_id(first17), grade, school, county_of_first if i == 0 else county, subjects, dialect, slots])
    pupils_path = tmp_path / "待结对学生名单.xlsx"
    pupils.save(pupils_path)
    volunteers = openpyxl.Workbook()
    sheet = volunteers.active
    sheet.append(["姓名", "性别", "身份证号", "专业", "可辅导科目", "方言", "可辅导时间", "最多结对人数"])
    for name, sex, first17, major, subjects, dialect, slots, capacity in VOLUNTEERS:
        sheet.append([name, sex, valid_id(first17), major, subjects, dialect, slots, capacity])
    volunteers_path = tmp_path / "志愿者名单.xlsx"
    volunteers.save(volunteers_path)
    return str(pupils_path), str(volunteers_path)


def upload(browser, pupils_path, volunteers_path):
    browser.find_element(By.ID, "pupils-file").send_keys(pupils_path)
    browser.find_element(By.ID, "volunteers-file").send_keys(volunteers_path)
    click(browser, By.ID, "run-matching")


def test_a_teacher_matches_locks_reruns_and_accepts_into_the_roster(server, browser, tmp_path):
    setup_secretary(server, "hs_matching", "韩山师范学院", "Hs-matching-2022")
    login(browser, server, "hs_matching", "Hs-matching-2022")
    browser.get(f"{server}/roster?campaign=2022")
    click(browser, By.ID, "open-matching")
    assert "规则与权重" in browser.page_source
    assert_accessible(browser, "matching-upload")

    # A pupil of a county that 附件1 gives to another university: refused, with the row and what to do.
    bad_pupils, volunteers = write_lists(tmp_path, county_of_first="化州市")
    upload(browser, bad_pupils, volunteers)
    errors = browser.find_element(By.ID, "pupil-errors").text
    assert "第2行" in errors and "附件1" in errors, errors
    assert "未生成配对方案" in browser.find_element(By.ID, "matching-error").text

    pupils, volunteers = write_lists(tmp_path)
    upload(browser, pupils, volunteers)
    assert browser.find_element(By.ID, "stat-matched").text == "2"
    assert browser.find_element(By.ID, "stat-maximum").text == "2"
    pairs = browser.find_element(By.ID, "proposal-pairs").text
    # The maximum: 林小雨 gets 吴静怡 (英语) so that 黄子轩 can have 周文博, the only one for 数学.
    assert "林小雨" in pairs and "黄子轩" in pairs
    assert "科目：数学 ✓" in pairs and "共同时间：周六上午" in pairs
    unmatched = browser.find_element(By.ID, "proposal-unmatched").text
    assert "陈思远" in unmatched and "没有志愿者能辅导其需要的科目（化学）" in unmatched
    screenshot(browser, "15-matching-proposal")
    assert_accessible(browser, "matching-proposal")

    # Lock 黄子轩 ↔ 周文博 and run again: the lock holds and says so.
    row = browser.find_element(By.CSS_SELECTOR, "#proposal-pairs tr[data-pair='3-2']")
    row.find_element(By.CSS_SELECTOR, "input[name='lock[]']").click()
    click(browser, By.ID, "rerun")
    assert "已重新计算" in browser.find_element(By.CSS_SELECTOR, ".flash").text
    locked_row = browser.find_element(By.CSS_SELECTOR, "#proposal-pairs tr[data-pair='3-2']")
    assert "已锁定" in locked_row.text
    assert locked_row.find_element(By.CSS_SELECTOR, "input[name='lock[]']").is_selected()

    # Accept: the proposal becomes 附件2 and goes through the roster import's preview.
    click(browser, By.ID, "accept-proposal")
    assert "/roster/import/" in browser.current_url
    assert browser.find_element(By.ID, "preview-added").text == "2"
    click(browser, By.ID, "confirm-import")
    browser.get(f"{server}/roster?campaign=2022")
    roster = browser.find_element(By.ID, "pairings").text
    assert "黄子轩" in roster and "周文博" in roster and "林小雨" in roster and "吴静怡" in roster
    assert valid_id(PUPILS[0][2]) not in browser.page_source  # masked on the roster
    screenshot(browser, "15-matching-roster")
