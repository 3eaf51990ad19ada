"""Issue 13, work item 5 in real headless Chromium: a university league secretary adds a cadre, registers a graduate
from a low-income family (the category chosen, then never shown), records two recommended positions on the
graduate's page and moves one to 已入职; the cadre's chase list and the summary follow. A refused form keeps what
was typed. The 2022 campaign's dates are fixed: no step depends on today."""
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from a11y import assert_accessible
from conftest import screenshot
from test_browser_activities import set_date
from test_browser_foundation import click, login, page_gone
from test_browser_practice import setup_secretary

GRADUATE_ID = "44188220010203001X"


def valid_id(first17: str) -> str:
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return first17 + "10X98765432"[sum(int(c) * w for c, w in zip(first17, weights)) % 11]


def add_job(browser, employer, position, city, date):
    browser.find_element(By.ID, "job-employer").send_keys(employer)
    browser.find_element(By.ID, "job-position").send_keys(position)
    browser.find_element(By.ID, "job-city").send_keys(city)
    set_date(browser, "job-date", date)
    click(browser, By.ID, "job-save")


def test_a_cadre_recommends_two_positions_and_one_is_hired(server, browser):
    setup_secretary(server, "scnu_employment", "华南师范大学", "Scnu-jobs-2022")
    login(browser, server, "scnu_employment", "Scnu-jobs-2022")
    click(browser, By.LINK_TEXT, "就业帮扶")
    browser.get(f"{server}/employment?campaign=2022")
    assert_accessible(browser, "employment-empty")

    browser.find_element(By.ID, "cadre-name").send_keys("李明")
    browser.find_element(By.ID, "cadre-position").send_keys("校团委副书记")
    click(browser, By.ID, "cadre-save")
    assert "已添加团干部" in browser.find_element(By.CSS_SELECTOR, ".flash").text
    row = browser.find_element(By.CSS_SELECTOR, "#cadre-table tr.cadre-row")
    assert "还需结对3名毕业生" in row.text

    # A wrong ID number comes back with everything typed and the message at the field.
    Select(browser.find_element(By.ID, "graduate-cadre")).select_by_index(1)
    browser.find_element(By.ID, "graduate-name").send_keys("陈小红")
    browser.find_element(By.ID, "graduate-id").send_keys("441882200102030010")
    browser.find_element(By.ID, "graduate-major").send_keys("会计学")
    Select(browser.find_element(By.ID, "graduate-hardship")).select_by_visible_text("脱贫户")
    click(browser, By.ID, "graduate-save")
    assert browser.find_element(By.ID, "error-idNumber").text
    assert browser.find_element(By.ID, "graduate-name").get_attribute("value") == "陈小红"
    assert browser.find_element(By.ID, "graduate-major").get_attribute("value") == "会计学"
    assert Select(browser.find_element(By.ID, "graduate-hardship")).first_selected_option.text == "脱贫户"
    field = browser.find_element(By.ID, "graduate-id")
    field.clear()
    field.send_keys(valid_id("44188220010203001"))
    click(browser, By.ID, "graduate-save")
    assert "已登记毕业生" in browser.find_element(By.CSS_SELECTOR, ".flash").text
    graduate_row = browser.find_element(By.CSS_SELECTOR, "#graduate-table tr.graduate-row")
    assert "不足2个" in graduate_row.text and "脱贫" not in graduate_row.text
    assert valid_id("44188220010203001") not in browser.page_source
    assert_accessible(browser, "employment")

    click(browser, By.LINK_TEXT, "陈小红")
    assert "敏感信息，已隐藏" in browser.find_element(By.ID, "graduate-hardship-shown").text
    add_job(browser, "清远某农业科技有限公司", "会计", "清远", "2023-02-10")
    assert "已记录岗位推荐" in browser.find_element(By.CSS_SELECTOR, ".flash").text
    add_job(browser, "英德某电商公司", "运营专员", "英德", "2023-02-12")
    assert "达标" in browser.find_element(By.ID, "graduate-jobs-count").text
    job = next(r for r in browser.find_elements(By.CSS_SELECTOR, "#job-table tr.job-row") if "英德某电商公司" in r.text)
    Select(job.find_element(By.CSS_SELECTOR, "select[name=outcome]")).select_by_visible_text("已入职")
    date = job.find_element(By.CSS_SELECTOR, "input[name=on]")
    browser.execute_script("arguments[0].value = '2023-03-01'", date)
    old = browser.find_element(By.TAG_NAME, "html")
    job.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(browser, 15).until(page_gone(old))   # the next page, not the last one's message
    assert "已入职" in browser.find_element(By.CSS_SELECTOR, ".flash").text
    job = next(r for r in browser.find_elements(By.CSS_SELECTOR, "#job-table tr.job-row") if "英德某电商公司" in r.text)
    assert job.find_element(By.CSS_SELECTOR, "td.outcome").text == "已入职"
    assert "已入职 2023-03-01" in job.text
    assert_accessible(browser, "employment-graduate")
    screenshot(browser, "13-5-graduate")

    click(browser, By.LINK_TEXT, "就业帮扶")
    browser.get(f"{server}/employment?campaign=2022")
    assert "1人 / 1人" in browser.find_element(By.ID, "sum-hired").text
    assert "1人（100%）" in browser.find_element(By.ID, "sum-two-jobs").text
    assert "还需结对2名毕业生" in browser.find_element(By.CSS_SELECTOR, "#cadre-table tr.cadre-row").text
    screenshot(browser, "13-5-employment-board")
