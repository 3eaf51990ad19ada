"""Issue 13, work item 7 in real headless Chromium: the province's league office registers a venture on the page and
imports two from an xlsx (preview, commit), sets up a 创青春 contest (a refused criteria table comes back as typed),
enters the ventures and names five judges. A judge from 乐昌 signs in: the 乐昌 venture is marked for recusal and
has no score form; the judge scores the others on the page. With the other judges' scores sent through the API, the
organiser sees the ranking (trimmed mean, each judge's scores, who has not finished), selects one entry and
publishes the list, which a unit reads and downloads. The 2022 campaign's dates are fixed: no step depends on today."""
import urllib.request

import openpyxl
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from a11y import assert_accessible
from conftest import screenshot
from test_browser_activities import api
from test_browser_foundation import click, login, page_gone
from test_browser_practice import setup_secretary

JUDGES = [("judge_gd", "广东省"), ("judge_qy", "清远市"), ("judge_sg", "韶关市"), ("judge_lc", "乐昌市"), ("judge_scnu", "华南师范大学")]
PASSWORD = "Judge-score-2022"


def token(server, username, password):
    _, session = api(server, "/api/v1/session", {"username": username, "password": password})
    return session["token"]


def test_judges_score_and_the_organiser_publishes_the_ranking(server, browser, tmp_path):
    setup_secretary(server, "gd_contests", "广东省", "Gd-contests-2022")
    for username, org in JUDGES:
        setup_secretary(server, username, org, PASSWORD)
    login(browser, server, "gd_contests", "Gd-contests-2022")
    click(browser, By.LINK_TEXT, "创青春")
    browser.get(f"{server}/contests?campaign=2022")
    assert_accessible(browser, "contests-empty")

    browser.find_element(By.ID, "venture-name").send_keys("乐昌香芋合作社")
    browser.find_element(By.ID, "venture-leader").send_keys("黄晓明")
    browser.find_element(By.ID, "venture-phone").send_keys("13812345678")
    Select(browser.find_element(By.ID, "venture-county")).select_by_visible_text("乐昌市")
    Select(browser.find_element(By.ID, "venture-sector")).select_by_visible_text("种植")
    browser.find_element(By.ID, "venture-founded").send_keys("2020-05")
    click(browser, By.ID, "venture-save")
    assert "已登记创业项目" in browser.find_element(By.CSS_SELECTOR, ".flash").text

    path = tmp_path / "涉农创业项目登记表.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["2022年涉农创业项目登记表"])
    ws.append(["项目名称", "负责人", "负责人手机号", "所在县（市、区）", "所属领域", "成立时间", "带动就业人数"])
    ws.append(["连州菜心基地", "李四", "13912345678", "连州市", "种植", "2019-03", 30])
    ws.append(["连州水晶梨电商", "王五", "13712345678", "清远市连州市", "电商", "2021年6月", "8人"])
    wb.save(path)
    browser.find_element(By.ID, "venture-file").send_keys(str(path))
    click(browser, By.ID, "upload-ventures")
    assert browser.find_element(By.ID, "preview-added").text == "2"
    click(browser, By.ID, "confirm-import")
    assert "导入成功" in browser.find_element(By.CSS_SELECTOR, ".flash").text
    table = browser.find_element(By.ID, "venture-table").text
    assert "连州菜心基地" in table and "139****5678" in table and "13912345678" not in browser.page_source

    # Weights adding up to 90: refused, the table comes back as typed with the message.
    assert browser.find_element(By.ID, "add-contest").get_attribute("open") is not None  # no contest yet: the form is open
    browser.find_element(By.ID, "contest-name").send_keys("2022年创青春涉农创业大赛省级赛")
    Select(browser.find_element(By.ID, "contest-level")).select_by_visible_text("省级")
    weight = browser.find_element(By.ID, "criterion-weight-3")
    weight.clear()
    weight.send_keys("20")
    click(browser, By.ID, "contest-save")
    assert "现为90" in browser.find_element(By.ID, "error-criterionName1").text
    assert browser.find_element(By.ID, "contest-name").get_attribute("value") == "2022年创青春涉农创业大赛省级赛"
    weight = browser.find_element(By.ID, "criterion-weight-3")
    assert weight.get_attribute("value") == "20"
    weight.clear()
    weight.send_keys("30")
    click(browser, By.ID, "contest-save")
    assert "已创建评审" in browser.find_element(By.CSS_SELECTOR, ".flash").text
    click(browser, By.LINK_TEXT, "2022年创青春涉农创业大赛省级赛")
    contest_url = browser.current_url.split("?")[0]
    contest_id = contest_url.rsplit("/", 1)[1]
    for _ in range(3):
        click(browser, By.ID, "entry-save")
    for username, _ in JUDGES:
        select = Select(browser.find_element(By.ID, "judge-user"))
        select.select_by_visible_text(next(o.text for o in select.options if f"（{username}）" in o.text))
        click(browser, By.ID, "judge-save")
    assert browser.find_elements(By.XPATH, "//h2[contains(., '3个项目，评委5人')]")
    assert all(f"（{username}）" in browser.find_element(By.ID, "judge-list").text for username, _ in JUDGES)
    assert_accessible(browser, "contest-organiser")
    click(browser, By.ID, "logout")

    # The 乐昌 judge: recused from the 乐昌 venture, scores the other two on the page.
    login(browser, server, "judge_lc", PASSWORD)
    browser.get(contest_url)
    sheets = {s.get_attribute("data-entry"): s for s in browser.find_elements(By.CSS_SELECTOR, ".score-sheet")}
    assert set(sheets) == {"乐昌香芋合作社", "连州菜心基地", "连州水晶梨电商"}
    assert "需回避" in sheets["乐昌香芋合作社"].text and not sheets["乐昌香芋合作社"].find_elements(By.TAG_NAME, "form")
    assert not browser.find_elements(By.ID, "ranking-table")
    for name, marks in [("连州菜心基地", ["90", "80", "70"]), ("连州水晶梨电商", ["80", "80", "80"])]:
        sheet = next(s for s in browser.find_elements(By.CSS_SELECTOR, ".score-sheet") if s.get_attribute("data-entry") == name)
        for field, mark in zip(sheet.find_elements(By.CSS_SELECTOR, "input[type=number]"), marks):
            field.send_keys(mark)
        old = browser.find_element(By.TAG_NAME, "html")
        sheet.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        WebDriverWait(browser, 15).until(page_gone(old))
        assert "已提交评分" in browser.find_element(By.CSS_SELECTOR, ".flash").text
    sheet = next(s for s in browser.find_elements(By.CSS_SELECTOR, ".score-sheet") if s.get_attribute("data-entry") == "连州菜心基地")
    assert "已评分" in sheet.text and sheet.find_element(By.CSS_SELECTOR, "input[type=number]").get_attribute("value") == "90"
    assert_accessible(browser, "contest-judge")
    screenshot(browser, "13-7-judge")
    click(browser, By.ID, "logout")

    # The four other judges through the API (the hand-worked table's entries A and B).
    _, entries = api(server, f"/api/v1/contests/{contest_id}/entries", token=token(server, "judge_gd", PASSWORD))
    ids = {e["ventureName"]: e["entryId"] for e in entries["items"]}
    a = {"judge_gd": (80, 80, 80), "judge_qy": (100, 100, 100), "judge_sg": (60, 70, 80), "judge_scnu": (85, 75, 95)}
    b = {"judge_gd": (90, 90, 90), "judge_qy": (70, 70, 70), "judge_sg": (85, 85, 85), "judge_scnu": (75, 80, 85)}
    for username, _ in JUDGES:
        if username == "judge_lc":
            continue
        judge = token(server, username, PASSWORD)
        for name, marks in [("连州菜心基地", a[username]), ("连州水晶梨电商", b[username])]:
            status, body = api(server, f"/api/v1/contests/{contest_id}/scores",
                               {"entryId": ids[name], "scores": dict(zip(["创新性", "带动性", "可行性"], marks))}, judge)
            assert status == 201, body
    status, body = api(server, f"/api/v1/contests/{contest_id}/scores",
                       {"entryId": ids["乐昌香芋合作社"], "scores": {"创新性": 90, "带动性": 90, "可行性": 90}}, token(server, "judge_lc", PASSWORD))
    assert status == 403 and "回避" in body["message"]

    login(browser, server, "gd_contests", "Gd-contests-2022")
    browser.get(contest_url)
    rows = browser.find_elements(By.CSS_SELECTOR, "#ranking-table tr.ranking-row")
    assert [r.get_attribute("data-venture") for r in rows] == ["连州菜心基地", "连州水晶梨电商", "乐昌香芋合作社"]
    assert [r.find_element(By.CSS_SELECTOR, "td.score").text for r in rows[:2]] == ["82.0", "81.5"]
    assert "5/5" in rows[0].text and "未评完" in rows[2].text
    rows[0].find_element(By.CSS_SELECTOR, "input[type=checkbox]").click()
    old = browser.find_element(By.TAG_NAME, "html")
    browser.find_element(By.ID, "select-save").click()
    browser.switch_to.alert.accept()  # "确定公布勾选的项目为入选名单？"
    WebDriverWait(browser, 15).until(page_gone(old))
    assert "已公布入选名单：1个项目" in browser.find_element(By.CSS_SELECTOR, ".flash").text
    screenshot(browser, "13-7-ranking")
    click(browser, By.ID, "selected-link")
    assert [li.text for li in browser.find_elements(By.CSS_SELECTOR, "#selected-list li")] == ["连州菜心基地"]
    assert_accessible(browser, "contest-selected")
    href = browser.find_element(By.ID, "selected-export").get_attribute("href")
    cookie = "; ".join(f"{c['name']}={c['value']}" for c in browser.get_cookies())
    with urllib.request.urlopen(urllib.request.Request(href, headers={"Cookie": cookie})) as response:
        assert response.status == 200 and response.read()[:2] == b"PK"
