"""Issue 14, item 11 in real headless Chromium: a 连州 office registers a summer camp and uploads its participant
list as the office keeps it (a title row, the roles, consents); the preview counts three, the commit shows the
one child under 14 without a guardian's consent as a gap. Then 南粤会亲's 建议配对: a refused families' list is
listed line by line, the suggestion puts the 连州 family with a 连州 child and says why, and accepting it registers
both children. Dates are relative to the server's today."""
import datetime

import openpyxl
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from a11y import assert_accessible
from conftest import screenshot, today
from test_browser_activities import set_date
from test_browser_foundation import click, login
from test_browser_health import setup, valid_id


def test_a_camp_list_is_imported_with_its_consent_gap(server, browser, tmp_path):
    start = today() + datetime.timedelta(days=10)
    year = today().year
    setup(server, year)
    login(browser, server, "lz_health", "Health-lz-2022a")
    click(browser, By.LINK_TEXT, "成长陪伴")
    browser.get(f"{server}/companionship?campaign={year}")
    assert_accessible(browser, "companionship-empty")

    browser.find_element(By.CSS_SELECTOR, "#add-camp summary").click()
    Select(browser.find_element(By.ID, "camp-kind")).select_by_visible_text("夏令营")
    browser.find_element(By.ID, "camp-title").send_keys("连州市留守儿童夏令营")
    browser.find_element(By.ID, "camp-place").send_keys("连州市青少年宫")
    set_date(browser, "camp-start", start.isoformat())
    set_date(browser, "camp-end", (start + datetime.timedelta(days=5)).isoformat())
    click(browser, By.ID, "camp-save")
    assert "已登记营地" in browser.find_element(By.CSS_SELECTOR, ".flash").text
    click(browser, By.LINK_TEXT, "连州市留守儿童夏令营")

    path = tmp_path / "营员名单.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["连州市留守儿童夏令营营员名单"])
    ws.append(["姓名", "身份证号", "身份", "监护人同意", "同意日期"])
    ws.append(["陈小明", valid_id(f"441882{year - 9}0101001"), "营员", "", ""])
    ws.append(["李小红", valid_id(f"441882{year - 10}0101002"), "营员", "是", today().isoformat()])
    ws.append(["王志愿", valid_id(f"441882{year - 21}0101003"), "志愿者", "", ""])
    wb.save(path)
    browser.find_element(By.ID, "participant-file").send_keys(str(path))
    click(browser, By.ID, "upload-participants")
    assert browser.find_element(By.ID, "preview-added").text == "3"
    click(browser, By.ID, "confirm-import")
    assert "导入成功" in browser.find_element(By.CSS_SELECTOR, ".flash").text
    assert "缺监护人同意1人" in browser.find_element(By.ID, "camp-consent-gaps").text
    gap = browser.find_element(By.CSS_SELECTOR, "#participant-table tr.participant-row.gap")
    assert gap.get_attribute("data-name") == "陈小明"
    assert valid_id(f"441882{year - 9}0101001") not in browser.page_source
    assert_accessible(browser, "companion-camp")
    screenshot(browser, "14-11-camp")

    # 南粤会亲 · 建议配对: the camp's two children wait; the families' list is uploaded, first with a mistake.
    browser.get(f"{server}/companionship?campaign={year}")
    click(browser, By.ID, "family-suggest")
    assert "待结对儿童（2名）" in browser.page_source
    families = tmp_path / "爱心家庭名单.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["家庭", "所在县（市、区）", "最多结对儿童数"])
    ws.append(["连州市陈先生家庭", "连州市", "4"])
    ws.append(["广州市黄女士家庭", "广州市天河区", "1"])
    wb.save(families)
    browser.find_element(By.ID, "families-file").send_keys(str(families))
    click(browser, By.ID, "run-family-suggest")
    assert "1至3的整数" in browser.find_element(By.ID, "family-errors").text
    ws["C2"] = 1
    wb.save(families)
    browser.find_element(By.ID, "families-file").send_keys(str(families))
    click(browser, By.ID, "run-family-suggest")
    assert browser.find_element(By.ID, "suggest-pairs").text == "2"
    assert browser.find_element(By.ID, "suggest-same-county").text == "1"
    reasons = browser.find_element(By.ID, "family-pairs").text
    assert "同县：清远市连州市 ✓" in reasons and "跨市：家庭在广州市天河区" in reasons and "连州市的家庭名额已用完" in reasons
    assert valid_id(f"441882{year - 9}0101001") not in browser.page_source
    assert_accessible(browser, "family-suggest")
    screenshot(browser, "15-family-suggest")
    click(browser, By.ID, "accept-family-suggest")
    assert "已按建议登记南粤会亲2对" in browser.find_element(By.CSS_SELECTOR, ".flash").text
    rows = browser.find_elements(By.CSS_SELECTOR, "#table-family tr.match-row")
    assert sorted(r.get_attribute("data-subject") for r in rows) == ["李小红", "陈小明"]
