"""Issue 12, work item 3 in real headless Chromium: 清远's league secretary records two 希望乡村教师 postings at one
school through the page (a 珠三角 county is refused with everything typed kept), then sees the two-month gap
between them drawn red on the school's timeline and listed by county; a register file goes through the upload,
the preview and the commit. Dates are fixed (the 2022 campaign, as of 2023-03-01): no test depends on today."""
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from a11y import assert_accessible
from conftest import screenshot
from roster_fixtures import check_char
from test_browser_activities import set_date
from test_browser_foundation import click, login
from test_browser_practice import setup_secretary


def id_number(first17):
    return first17 + check_char(first17)


def fill_posting(browser, name, sex, idn, county, start, end, subject="数学"):
    for element_id, value in (("dep-name", name), ("dep-id", idn), ("dep-school", "连州市丰阳镇中心小学"), ("dep-subject", subject)):
        field = browser.find_element(By.ID, element_id)
        field.clear()
        field.send_keys(value)
    Select(browser.find_element(By.ID, "dep-sex")).select_by_visible_text(sex)
    county_field = browser.find_element(By.ID, "dep-county")
    county_field.clear()
    county_field.send_keys(county)
    set_date(browser, "dep-start", start)
    set_date(browser, "dep-end", end)


def test_recording_two_postings_shows_the_gap_between_them(server, browser, tmp_path):
    setup_secretary(server, "qy_secretary", "清远市", "Qingyuan-2022")
    login(browser, server, "qy_secretary", "Qingyuan-2022")
    click(browser, By.LINK_TEXT, "希望乡村教师")
    assert_accessible(browser, "deployments-empty")
    click(browser, By.ID, "register-link")
    browser.get(f"{server}/deployments/register?campaign=2022")
    assert_accessible(browser, "deployment-register")

    # A 珠三角 county: refused next to the field, everything typed kept.
    fill_posting(browser, "陈立新", "男", id_number("44010419990101001"), "天河区", "2021-09-01", "2022-08-31")
    click(browser, By.ID, "deployment-save")
    assert "希望乡村教师计划派驻粤东西北地区" in browser.find_element(By.ID, "add-deployment").text
    assert browser.find_element(By.ID, "dep-name").get_attribute("value") == "陈立新"
    assert browser.find_element(By.ID, "dep-school").get_attribute("value") == "连州市丰阳镇中心小学"
    screenshot(browser, "12-3-deployment-refused")

    fill_posting(browser, "陈立新", "男", id_number("44010419990101001"), "清远市连州市", "2021-09-01", "2022-08-31")
    click(browser, By.ID, "deployment-save")
    assert "已登记" in browser.find_element(By.CSS_SELECTOR, ".flash").text
    browser.find_element(By.CSS_SELECTOR, "#add-deployment summary").click()
    fill_posting(browser, "林晓", "女", id_number("44010519980512002"), "连州市", "2022-11-01", "2023-10-31", subject="英语")
    click(browser, By.ID, "deployment-save")
    assert "已登记" in browser.find_element(By.CSS_SELECTOR, ".flash").text
    rows = browser.find_elements(By.CSS_SELECTOR, "#deployment-table tr.deployment-row")
    assert len(rows) == 2 and "440105********" in rows[1].text + rows[0].text

    click(browser, By.ID, "coverage-link")
    browser.get(f"{server}/deployments?campaign=2022&asOf=2023-03-01")
    assert browser.find_element(By.ID, "stat-gaps").text == "1"
    gap = browser.find_element(By.CSS_SELECTOR, "#gap-table tr.gap-row").text
    assert "2022-09-01" in gap and "2022-10-31" in gap and "61" in gap
    timeline = browser.find_element(By.CSS_SELECTOR, '.timeline-row[data-school="连州市丰阳镇中心小学"]')
    red = timeline.find_elements(By.CSS_SELECTOR, "svg rect.gap")
    assert len(red) == 1 and red[0].get_attribute("fill") == "#d93025"
    assert len(timeline.find_elements(By.CSS_SELECTOR, "svg rect.posting")) == 2
    assert "清远市连州市" in browser.find_element(By.ID, "coverage-counties").text
    assert_accessible(browser, "deployments-gap")
    screenshot(browser, "12-3-deployment-gap")

    # Later in the year the second posting is about to end with no relay: listed as due.
    browser.get(f"{server}/deployments?campaign=2022&asOf=2023-09-01")
    assert browser.find_element(By.ID, "stat-relays").text == "1"
    assert "林晓于2023-10-31期满" in browser.find_element(By.ID, "relays").text

    # A register file through the page: upload, preview, commit.
    register = tmp_path / "希望乡村教师派驻登记表.csv"
    register.write_text("志愿者姓名,性别,身份证号,项目类别,派出高校,服务学校,所在县（市、区）,任教学科,开始日期,结束日期\n"
                        f"周可,女,{id_number('44010419970304006')},研究生支教团,华南师范大学,连州市丰阳镇中心小学,连州市,语文,2023-09-01,2024-08-31\n",
                        encoding="utf-8")
    browser.get(f"{server}/deployments/register?campaign=2022")
    browser.find_element(By.ID, "deployment-file").send_keys(str(register))
    click(browser, By.ID, "upload-deployments")
    assert browser.find_element(By.ID, "preview-added").text == "1"
    click(browser, By.ID, "confirm-import")
    assert "导入成功" in browser.find_element(By.CSS_SELECTOR, ".flash").text
    assert len(browser.find_elements(By.CSS_SELECTOR, "#deployment-table tr.deployment-row")) == 3
    # The relay is recorded now: nothing due any more.
    browser.get(f"{server}/deployments?campaign=2022&asOf=2023-09-01")
    assert browser.find_element(By.ID, "stat-relays").text == "0"
