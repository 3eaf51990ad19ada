"""Issue 11 §5 and §6 in Chromium: long lists page, search by code and sort at a desk and on a phone; the completeness
board keeps its unit column in view; taking a 附件1 county that has pairings away from its university asks again."""
import re
import uuid

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

import roster_fixtures as F
from a11y import assert_accessible
from conftest import ADMIN_PASSWORD, first_sign_in, make_driver, screenshot
from test_browser_foundation import click, login
from test_browser_forms_keep_typed import api


def pager(driver):
    return driver.find_element(By.CSS_SELECTOR, "nav.pager").text


def test_long_lists_page_search_and_sort(server):
    for width, height in ((1366, 900), (390, 844)):
        d = make_driver(width, height)
        try:
            login(d, server, "admin", ADMIN_PASSWORD)
            d.get(server + "/orgs")
            total = int(re.search(r"共 (\d+) 条", pager(d)).group(1))
            assert total > 100 and "第 1/" in pager(d)
            click(d, By.LINK_TEXT, "下一页")
            assert "第 2/" in pager(d) and len(d.find_elements(By.CSS_SELECTOR, "#org-tree tbody tr")) == 50
            # Sorted by code, then the other way round.
            d.get(server + "/orgs")
            click(d, By.CSS_SELECTOR, 'a.sort[data-sort="code"]')
            click(d, By.CSS_SELECTOR, 'a.sort[data-sort="code"]')
            codes = [r.find_elements(By.TAG_NAME, "td")[2].text for r in d.find_elements(By.CSS_SELECTOR, "#org-tree tbody tr")]
            numeric = [c for c in codes if c]
            assert numeric and numeric == sorted(numeric, reverse=True), codes
            header = d.find_element(By.CSS_SELECTOR, 'a.sort[data-sort="code"]').find_element(By.XPATH, "..")
            assert header.get_attribute("aria-sort") == "descending"
            # Searched by code as an office writes it.
            box = d.find_element(By.CSS_SELECTOR, ".table-search input[name=q]")
            box.send_keys("440281")
            click(d, By.CSS_SELECTOR, ".table-search button")
            assert [r.find_element(By.TAG_NAME, "a").text for r in d.find_elements(By.CSS_SELECTOR, "#org-tree tbody tr")] == ["乐昌市"]
            assert "共 1 条" in pager(d)
            assert_accessible(d, f"orgs searched, {width} px")
            # The completeness board keeps the unit column in view while it scrolls sideways.
            d.get(server + "/completeness?campaign=2022")
            cell = d.find_element(By.CSS_SELECTOR, "#completeness-table tbody td:first-child")
            assert d.execute_script("return getComputedStyle(arguments[0]).position", cell) == "sticky"
            assert d.find_element(By.CSS_SELECTOR, ".board-wrap").rect["width"] <= width
            if width >= 1366:   # at a desk the whole board fits, 缺项 included: nothing to scroll sideways
                assert d.execute_script("const e = document.querySelector('.board-wrap'); return e.scrollWidth <= e.clientWidth")
            assert d.find_elements(By.CSS_SELECTOR, "#completeness-table td.missing .chip")
            screenshot(d, f"11-5-completeness-board-{width}")
            assert_accessible(d, f"completeness board, {width} px")
        finally:
            d.quit()


def test_taking_a_county_with_pairings_away_from_its_university_asks_again(server, tmp_path):
    _, session = api(server, "POST", "/api/v1/session", body={"username": "admin", "password": ADMIN_PASSWORD})
    admin = session["token"]
    _, rows = api(server, "GET", "/api/v1/campaigns/2022/assignments", admin)
    rows = rows["items"] if isinstance(rows, dict) else rows
    busy = {"韶关学院", "惠州学院", "广东第二师范学院"}
    row = next(r for r in rows if r.get("universityId") and r.get("university") not in busy and r["county"] in F.CODE_BY_NAME)
    status, _ = api(server, "POST", "/api/v1/users", admin, {"username": "tables_staff", "password": "Initial-2022a",
                                                             "orgId": row["universityId"], "role": "staff"})
    assert status == 201
    first_sign_in(server, "tables_staff", "Initial-2022a", "Tables-2022a")
    _, staff = api(server, "POST", "/api/v1/session", body={"username": "tables_staff", "password": "Tables-2022a"})
    s = F.Synth(501)
    lines = [s.pair(F.CODE_BY_NAME[row["county"]]) for _ in range(3)]
    columns = [F.PUPIL_NAME, F.SEX, F.PUPIL_ID, F.STUDENT_NO, F.SCHOOL, F.GRADE, F.COUNTY, F.VOL_NAME, F.VOL_ID]
    text = "序号," + ",".join(columns) + "\r\n" + "".join(f"{i + 1}," + ",".join(l[c] for c in columns) + "\r\n" for i, l in enumerate(lines))
    boundary = "----e2e" + uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"roster.csv\"\r\n"
            f"Content-Type: text/csv\r\n\r\n").encode() + text.encode() + f"\r\n--{boundary}--\r\n".encode()
    status, report = api(server, "POST", "/api/v1/pairings/import?campaign=2022", staff["token"], raw=body,
                         content_type="multipart/form-data; boundary=" + boundary)
    assert status == 200 and report["added"] == 3, report

    d = make_driver(1366, 900)
    try:
        login(d, server, "admin", ADMIN_PASSWORD)
        assert d.find_element(By.LINK_TEXT, "附件1对接")
        d.get(server + "/campaigns/2022/assignments")
        Select(d.find_element(By.NAME, f"county.{row['countyId']}")).select_by_value("")
        click(d, By.ID, "save-assignments")
        warning = d.find_element(By.ID, "assignment-confirm").text
        assert f"{row['county']}已有{row['university']}的3条结对" in warning, warning
        # Nothing was saved; the choice is still as made.
        assert Select(d.find_element(By.NAME, f"county.{row['countyId']}")).first_selected_option.get_attribute("value") == ""
        screenshot(d, "11-6-assignment-asks-again")
        assert_accessible(d, "assignments asking again")
        d.find_element(By.ID, "confirm-unassign").click()
        click(d, By.ID, "save-assignments")
        assert "已保存" in d.find_element(By.CSS_SELECTOR, ".flash").text
    finally:
        d.quit()
    _, after = api(server, "GET", "/api/v1/campaigns/2022/assignments", admin)
    after = after["items"] if isinstance(after, dict) else after
    assert next(r for r in after if r["countyId"] == row["countyId"]).get("universityId") is None
