"""Issue 11 §8 in Chromium: every page accessible (GB/T 37668, i.e. WCAG 2.1 AA). A server of this module's own runs
on `liangbang demo-data` (pairings, tutoring sessions, activities, submissions); through the API the province adds
a university clerk, a county clerk and a city viewer, and the clerk issues activation codes in the browser, one of
which a volunteer activates on a phone. Each of the five then walks every page it can reach — the nav, and every
same-origin link on the pages it finds (GET only; no sign-out, no downloads) — at 1366×900 and at 390×844, and
axe-core must find no serious or critical violation on any of them. Pages reached only by a form (an import's
preview, the sign-in and activation pages, a Chinese 404) are opened on purpose."""
import os
import re
import shutil
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request

import pytest
from selenium.webdriver.common.by import By

import a11y
import roster_fixtures as F
from conftest import ROOT, first_sign_in, free_port, liangbang_bin, make_driver, screenshot
from test_browser_foundation import click, login, wait_url
from test_browser_forms_keep_typed import api

PASSWORD = "Axe-admin-2022"
USER_PASSWORD = "Accessible-2022"
CAMPAIGN = "2022"
WIDTHS = [(1366, 900), (390, 844)]
PAGES_PER_USER = 150          # a walk that finds more than this is cut (and says so)
SAMPLES_PER_SHAPE = {1366: 2, 390: 1}   # /orgs/<id>, /completeness?orgId=… : two of each on a desk, one on a phone

# Links never followed: what ends the session, what downloads a file.
SKIP_PATH = re.compile(r"/logout$|\.(xlsx|csv|svg|docx|zip|ico)$|/export$|/template|/volunteers/hours$", re.I)
SKIP_QUERY = re.compile(r"(^|&)format=", re.I)
# What each walk must have reached (so that a broken nav cannot pass by checking nothing).
MUST_SEE = {"团省委管理员": ["/orgs", "/users", "/campaigns", "/audit", "/completeness", "/roster", "/compliance"],
            "高校团委工作人员": ["/roster", "/volunteers", "/tutoring", "/activities", "/compliance"],
            "县级团委工作人员": ["/activities", "/completeness", "/compliance"],
            "地市团委查看者": ["/activities", "/completeness", "/compliance"],
            "志愿者": ["/tutoring"]}


@pytest.fixture(scope="module")
def world():
    """A server of this module's own on demo data: {"base", "people": {who: (username, password)}, "university",
    "county"} (the university with the most pairings, and a county where its pupils live)."""
    data = tempfile.mkdtemp(prefix="liangbang-a11y-")
    env = dict(os.environ, LIANGBANG_DATA_DIR=data, LIANGBANG_HOME=str(ROOT), LIANGBANG_ADMIN_PASSWORD=PASSWORD,
               LIANGBANG_BCRYPT_COST="4", LOG_LEVEL="warning")
    env.pop("DATABASE_URL", None)
    env.pop("LIANGBANG_PG_SCHEMA", None)
    p = subprocess.run([liangbang_bin(), "demo-data", "--campaign", CAMPAIGN, "--pupils", "120", "--weeks", "4",
                        "--activities", "80"], cwd=ROOT, env=env, capture_output=True, timeout=600)
    assert p.returncode == 0, f"demo-data exited {p.returncode}: {p.stderr.decode('utf-8', 'replace')[-2000:]}"
    port = free_port()
    log = open(os.path.join(data, "server.log"), "w")
    proc = subprocess.Popen([liangbang_bin(), "serve", "--hostname", "127.0.0.1", "--port", str(port)],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while True:
        try:
            status = urllib.request.urlopen(base + "/healthz", timeout=2).status
        except OSError:
            status = 0
        if status == 200 or proc.poll() is not None or time.time() > deadline:
            break
        time.sleep(0.2)
    try:
        assert status == 200, "server did not start:\n" + open(os.path.join(data, "server.log")).read()[-3000:]
        yield make_people(base)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()
        shutil.rmtree(data, ignore_errors=True)


def make_people(base):
    _, session = api(base, "POST", "/api/v1/session", body={"username": "admin", "password": PASSWORD})
    admin = session["token"]
    _, orgs = api(base, "GET", "/api/v1/orgs", admin)
    orgs = orgs["items"] if isinstance(orgs, dict) else orgs
    by_id = {o["id"]: o for o in orgs}
    _, pairings = api(base, "GET", f"/api/v1/pairings?campaign={CAMPAIGN}", admin)
    pairings = pairings["items"] if isinstance(pairings, dict) else pairings
    counts = {}
    for p in pairings:
        counts[p["universityId"]] = counts.get(p["universityId"], 0) + 1
    university = max(counts, key=counts.get)
    county_name = next(p["pupil"]["county"] for p in pairings if p["universityId"] == university)
    county = next(o for o in orgs if o["kind"] == "county" and o["name"] == county_name)
    city = by_id[county["parentId"]]
    people = {"团省委管理员": ("admin", PASSWORD)}
    for label, username, org, role in (("高校团委工作人员", "a11y_univ", university, "staff"),
                                       ("县级团委工作人员", "a11y_county", county["id"], "staff"),
                                       ("地市团委查看者", "a11y_city", city["id"], "viewer")):
        status, body = api(base, "POST", "/api/v1/users", admin, {"username": username, "password": "Initial-2022a",
                                                                  "orgId": org, "role": role})
        assert status == 201, (username, status, body)
        first_sign_in(base, username, "Initial-2022a", USER_PASSWORD)
        people[label] = (username, USER_PASSWORD)
    status, body = api(base, "POST", "/api/v1/users", admin, {"username": "a11y_spare", "password": "Initial-2022a",
                                                              "orgId": university, "role": "viewer"})
    assert status == 201, body
    return {"base": base, "people": people, "university": by_id[university]["name"], "county": county_name}


def shape(url):
    """What makes two URLs the same page: the path with ids blanked and the names of the query parameters."""
    u = urllib.parse.urlsplit(url)
    path = re.sub(r"/[0-9a-fA-F-]{36}(?=/|$)", "/{id}", u.path)
    path = re.sub(r"/[0-9a-f]{16,}(?=/|$)", "/{key}", path)
    # The table component's own links (sort, direction, page, search) show the same page in another order.
    keys = sorted({k for k, _ in urllib.parse.parse_qsl(u.query, keep_blank_values=True)} - {"sort", "dir", "page", "q"})
    return path, tuple(keys)


def same_origin_links(driver, base):
    # getAttribute, resolved: an SVG link's .href (the province map's tiles) is an object, not a string.
    hrefs = driver.execute_script(
        "return Array.from(document.querySelectorAll('a[href]'), a => new URL(a.getAttribute('href'), location.href).href)")
    out = []
    for href in hrefs:
        href = href.split("#", 1)[0]
        u = urllib.parse.urlsplit(href)
        if not href.startswith(base + "/") or SKIP_PATH.search(u.path) or SKIP_QUERY.search(u.query):
            continue
        out.append(href)
    return out


def walk(driver, base, start_paths, who, width):
    """Visits every page reachable from `start_paths` (breadth first, one or two URLs per page shape) and returns
    ([visited urls], [failure lines])."""
    queue = [base + p for p in start_paths]
    seen_urls, per_shape, visited, failures = set(), {}, [], []
    while queue and len(visited) < PAGES_PER_USER:
        url = queue.pop(0)
        if url in seen_urls:
            continue
        seen_urls.add(url)
        key = shape(url)
        if per_shape.get(key, 0) >= SAMPLES_PER_SHAPE[width]:
            continue
        per_shape[key] = per_shape.get(key, 0) + 1
        driver.get(url)
        if driver.current_url != url:           # redirected (a volunteer's / is its tutoring page)
            if driver.current_url in seen_urls:
                continue
            seen_urls.add(driver.current_url)
        visited.append(driver.current_url)
        failures += check(driver, f"{who}, {width} px")
        queue += [u for u in same_origin_links(driver, base) if u not in seen_urls]
    left = {shape(u) for u in queue if u not in seen_urls and per_shape.get(shape(u), 0) < SAMPLES_PER_SHAPE[width]}
    if left:
        failures.append(f"{who}, {width} px: walk cut at {PAGES_PER_USER} pages, {len(left)} kinds of page not seen")
    return visited, failures


def check(driver, who):
    """axe-core on the current page: [] or one failure text."""
    found = a11y.violations(driver)
    return [a11y.describe(f"{who}, {driver.current_url}", found)] if found else []


def activate_volunteer(base, clerk):
    """The clerk issues activation codes on the volunteers page; a volunteer activates its account on a phone with
    one of them (the activation page is checked on the way). Returns (username, password)."""
    desk = make_driver(1366, 900)
    try:
        login(desk, base, *clerk)
        desk.get(base + f"/volunteers?campaign={CAMPAIGN}")
        click(desk, By.ID, "issue-codes")
        code = desk.find_elements(By.CSS_SELECTOR, "#volunteer-list .code")[0].text.strip()
    finally:
        desk.quit()
    phone = make_driver(390, 844)
    try:
        phone.get(base + "/activate")
        a11y.assert_accessible(phone, "activation, 390 px")
        phone.find_element(By.ID, "code").send_keys(code)
        phone.find_element(By.ID, "act-username").send_keys("a11y_volunteer")
        phone.find_element(By.ID, "act-password").send_keys(USER_PASSWORD)
        phone.find_element(By.ID, "act-confirm").send_keys(USER_PASSWORD)
        click(phone, By.ID, "activate")
        wait_url(phone, "/tutoring")
    finally:
        phone.quit()
    return "a11y_volunteer", USER_PASSWORD


# ------------------------------------------------------------------------------------------ pages behind a form

def write_files(folder, world, width):
    """The uploads the clerks send: one with mistakes and one without, for each import."""
    s = F.Synth(800 + width)
    good = s.pair(F.CODE_BY_NAME[world["county"]])
    bad = dict(good, **{F.PUPIL_ID: F.with_wrong_check(good[F.PUPIL_ID])})
    header = ",".join(F.COLUMNS) + "\n"
    files = {
        "roster-bad": header + ",".join(bad[c] for c in F.COLUMNS) + "\n",
        "roster-good": header + ",".join(good[c] for c in F.COLUMNS) + "\n",
        "activities-bad": "序号,主办单位,联合开展单位,开展时间,活动类别,活动主题,活动概况和特色亮点（不超过100字）,覆盖人数,报道链接,重点宣传项目\n"
                          f"1,{world['university']},,2022-07-15,不是类别,暑期课堂,到乡村小学开展暑期课堂,120,www.example.com,是\n",
        "sessions-bad": "学生身份证号,志愿者身份证号,日期,开始时间,时长（分钟）,辅导内容,辅导方式,备注\n"
                        f"{bad[F.PUPIL_ID]},{good[F.VOL_ID]},2022-07-18,19:30,0,数学辅导,线上视频,\n",
        "accounts-bad": f"单位名称或代码,用户名,姓名,角色,手机号\n{world['university']},a11y_bulk_{width},测试,不是角色,\n",
        "accounts-good": f"单位名称或代码,用户名,姓名,角色,手机号\n{world['university']},a11y_bulk_{width},梁小明,查看者,\n",
    }
    paths = {}
    for name, text in files.items():
        paths[name] = str(folder / f"{name}-{width}.csv")
        with open(paths[name], "w", encoding="utf-8") as f:
            f.write(text)
    return paths


def upload(driver, page_url, field, button, path, opener=None):
    driver.get(page_url)
    if opener:
        driver.find_element(By.CSS_SELECTOR, opener).click()
    driver.find_element(By.ID, field).send_keys(path)
    click(driver, By.ID, button)


def behind_forms(driver, base, who, files, world):
    """Pages only a form reaches, for each kind of user; yields a name once each is on screen."""
    year = f"?campaign={CAMPAIGN}"
    if who == "团省委管理员":
        driver.get(base + "/no-such-page")
        driver.find_element(By.ID, "error-message")
        yield "中文404页"
        upload(driver, base + "/users", "accounts-file", "upload-accounts", files["accounts-bad"], "#import-accounts summary")
        driver.find_element(By.ID, "import-errors")
        yield "批量创建账户：错误"
        upload(driver, base + "/users", "accounts-file", "upload-accounts", files["accounts-good"], "#import-accounts summary")
        driver.find_element(By.ID, "import-ok")
        yield "批量创建账户：预览"
        click(driver, By.ID, "confirm-import")
        driver.find_element(By.ID, "initial-passwords")
        yield "初始密码表"
        driver.get(base + "/users?q=a11y_spare")
        driver.execute_script("window.confirm = () => true;")
        click(driver, By.CSS_SELECTOR, "#user-list tr[data-username=a11y_spare] button.reset-password")
        driver.find_element(By.ID, "temporary-password")
        yield "重置密码"
        driver.get(base + "/roster" + year)
        click(driver, By.LINK_TEXT, world["university"])
        click(driver, By.CSS_SELECTOR, "form[action$='/reveal'] button")
        driver.find_element(By.ID, "revealed-pupil")
        yield "完整身份证号"
    elif who == "高校团委工作人员":
        upload(driver, base + "/roster" + year, "roster-file", "upload-roster", files["roster-bad"])
        driver.find_element(By.ID, "import-errors")
        yield "结对名单导入：错误"
        driver.find_element(By.ID, "reupload-file").send_keys(files["roster-good"])
        click(driver, By.ID, "reupload")
        driver.find_element(By.ID, "import-ok")
        yield "结对名单导入：预览"
        upload(driver, base + "/activities" + year, "activity-file", "upload-activities", files["activities-bad"])
        driver.find_element(By.ID, "import-errors")
        yield "活动汇总表导入：错误"
        upload(driver, base + "/tutoring" + year, "sessions-file", "upload-sessions", files["sessions-bad"])
        driver.find_element(By.ID, "session-import-errors")
        yield "支教记录导入：错误"
        driver.get(base + "/activities" + year)
        driver.execute_script("document.getElementById('add-activity').open = true;")
        driver.find_element(By.ID, "activity-title").send_keys("暑期课堂")
        driver.execute_script("document.getElementById('activity-start').value = '2022-07-15';")
        driver.find_element(By.ID, "activity-links").send_keys("www.example.com/news")
        click(driver, By.ID, "activity-save")
        driver.find_element(By.ID, "error-reportLinksText")
        yield "活动表单：被退回"
    elif who == "志愿者":
        driver.get(base + "/tutoring")
        # The demo campaign's tutoring period is over on any real date now: the page says so instead of the form.
        if driver.find_elements(By.ID, "period-closed"):
            yield "登记辅导：辅导期已结束"
            driver.get(base + "/tutoring/certificate")
            yield "本人志愿服务证明"
            return
        driver.find_element(By.ID, "log-content").send_keys("数学作业答疑")
        driver.execute_script("document.getElementById('log-date').value = '2022-06-01';")
        click(driver, By.ID, "log-submit")
        driver.find_element(By.ID, "form-error")
        yield "登记辅导：被退回"


def signed_out_pages(driver, base):
    driver.get(base + "/login")
    yield "登录"
    driver.find_element(By.ID, "username").send_keys("nobody")
    driver.find_element(By.ID, "password").send_keys("wrong-password")
    click(driver, By.ID, "login")
    driver.find_element(By.CSS_SELECTOR, "p.error")
    yield "登录：密码错误"
    driver.get(base + "/activate")
    yield "激活志愿者账户"
    driver.find_element(By.ID, "code").send_keys("XXXX-XXXX")
    driver.find_element(By.ID, "act-username").send_keys("nobody")
    driver.find_element(By.ID, "act-password").send_keys(USER_PASSWORD)
    driver.find_element(By.ID, "act-confirm").send_keys(USER_PASSWORD)
    click(driver, By.ID, "activate")
    driver.find_element(By.ID, "activate-error")
    yield "激活：激活码错误"


# ------------------------------------------------------------------------------------------------------- test

def test_every_page_passes_axe_core_for_five_kinds_of_user(world, tmp_path):
    base, people = world["base"], dict(world["people"])
    people["志愿者"] = activate_volunteer(base, people["高校团委工作人员"])
    started = time.time()
    failures, pages = [], {}
    for width, height in WIDTHS:
        files = write_files(tmp_path, world, width)
        driver = make_driver(width, height)
        try:
            for name in signed_out_pages(driver, base):
                failures += check(driver, f"未登录, {width} px, {name}")
            for who, (username, password) in people.items():
                driver.delete_all_cookies()
                login(driver, base, username, password)
                if width < 600:                  # the folded menu, opened
                    driver.find_element(By.CSS_SELECTOR, ".menu-toggle").click()
                    failures += check(driver, f"{who}, {width} px, 菜单")
                visited, found = walk(driver, base, ["/"], who, width)
                failures += found
                for name in behind_forms(driver, base, who, files, world):
                    visited.append(name)
                    failures += check(driver, f"{who}, {width} px, {name}")
                pages[(who, width)] = len(visited)
                paths = {urllib.parse.urlsplit(u).path for u in visited}
                missing = [p for p in MUST_SEE[who] if p not in paths]
                assert not missing, f"{who}, {width} px: the walk never reached {missing}; it saw {sorted(paths)}"
                if who == "高校团委工作人员" and width > 600:   # the rows that were too pale (缺监护人同意)
                    driver.get(base + f"/roster?campaign={CAMPAIGN}&consent=missing")
                    driver.execute_script("document.getElementById('pairings').scrollIntoView();")
                    screenshot(driver, "11-a11y-roster-consent-1366")
                if who == "团省委管理员" and width < 600:     # the organisation filter, labelled
                    driver.get(base + "/orgs")
                    screenshot(driver, "11-a11y-orgs-390")
        finally:
            driver.quit()
    seconds = time.time() - started
    print(f"\naxe-core: {sum(pages.values())} pages in {seconds:.0f}s — "
          + ", ".join(f"{who} {w}px {n}" for (who, w), n in pages.items()))
    assert not failures, "axe-core found serious or critical violations:\n" + "\n".join(failures)
