"""Hostile numbers on every route (issue 10 §1.1): no request may answer 5xx or take the server down.

How it works
- The route list comes from the binary itself (`liangbang routes`), so a route added later is walked too.
- A data directory of its own is filled with `liangbang demo-data` (200 pupils, 4 weeks, 100 activities) and served
  by a server of this module only, so a crash here cannot break the other e2e modules.
- Callers: the province admin, a staff user of the university with the most pairings, a staff user of a city
  (territory views), a volunteer activated with its code, and nobody (public routes). Each has a bearer token for
  /api and a cookie session (with its CSRF token) for pages. Three threads walk at once.
- Path parameters get real ids (campaign 2022, the university, its pairings, sessions, activities, submissions,
  pending uploads, a volunteer key); numeric ones (`:year`) also get every extreme value.
- Query: `campaign` and `page` are varied one at a time over a sane baseline (campaign=2022); the other
  numeric-looking names (per, year, minutes, week, limit, copyFrom, minimum) together; dates (week, from, to) get
  9999-12-31 and friends; imports and exports also get dryRun / fullId.
- Writes: JSON bodies under /api/v1 and url-encoded or multipart forms (with the CSRF token) for pages, one numeric
  field at a time (campaign, year, copyFrom, minutes, peopleCovered, quotas[].minimum, minimums[] …), as JSON numbers
  where JSON allows them (1e309, 9223372036854775808 …) and as strings; uploads carry the extremes in their cells.
  Routes this file does not know get every numeric name at once. The bodies fail a late rule on purpose (an
  unknown category, 0 minutes …), so the walk stores next to nothing.
- When the connection drops while another request was in flight, the request is replayed alone (the other
  caller waits), so a crash is pinned on the request that causes it; it is recorded with the runtime's trap
  message and our source frames, the server is restarted on the same data, and the walk goes on. After every route `GET /healthz` must answer 200. After a write that a hostile value got
  through, a few aggregate reads (completeness, compliance, campaign) run as canaries.
- Every request that answered ≥ 500, dropped the connection or timed out is listed at the end, by route.
Only 127.0.0.1 is contacted.
"""
import contextlib
import resource
import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import urllib.parse
import uuid

import pytest

from conftest import ROOT, first_sign_in, free_port, liangbang_bin

PASSWORD = "Hostile-e2e-2022"
USER_PASSWORD = "Walker-pass-2022"
CAMPAIGN = "2022"
TIMEOUT = 30

# The values every numeric input gets. Query strings and forms send the text; JSON sends the literal.
VALUES = ["-1", "0", "2147483648", "9223372036854775807", "9223372036854775808", "92233720368547759",
          "-9223372036854775808", "1e309", "", "abc"]
JSON_VALUES = ["-1", "0", "2147483648", "9223372036854775807", "9223372036854775808", "92233720368547759",
               "-9223372036854775808", "1e309", "1.5", '""', '"abc"', '"9223372036854775808"']
# What a caller that a guard refuses (401/403) still gets: the guard must refuse before anything is parsed.
GUARDED = ["9223372036854775807", "92233720368547759", "1e309"]
DATES = ["9999-12-31", "0001-01-01", "2022-02-30"]

SINGLE_QUERY = ["campaign", "page"]        # read as numbers by the app: each on its own
GROUP_QUERY = ["per", "year", "minutes", "week", "limit", "copyFrom", "minimum"]   # the rest: all at once
DATE_QUERY = ["week", "from", "to"]
BOOL_QUERY = ["dryRun", "fullId"]          # imports and exports only
GENERIC_NUMERIC = ["campaign", "year", "page", "per", "minutes", "minimum", "copyFrom", "peopleCovered", "limit"]

ANSI = re.compile(r"\x1b\[[0-9;]*m")
CSRF = re.compile(r'name="_csrf" value="([^"]+)"')
HOLE = "__HOSTILE__"
NIL_ID = str(uuid.UUID(int=0))


# ----------------------------------------------------------------------------------------------------- server

class Gate:
    """Readers (ordinary requests, several callers at once) and one writer (a replay after a lost connection, a
    restart): a crash is pinned on the request that repeats it alone."""

    def __init__(self):
        self.cond = threading.Condition()
        self.readers = 0
        self.writer = False
        self.waiting = 0
        self.losses = 0          # connections lost so far
        self.suspect = False     # a connection was lost and the server has not been seen alive since

    @contextlib.contextmanager
    def shared(self):
        with self.cond:
            while self.writer or self.waiting:
                self.cond.wait()
            self.readers += 1
        try:
            yield
        finally:
            with self.cond:
                self.readers -= 1
                self.cond.notify_all()

    @contextlib.contextmanager
    def exclusive(self):
        with self.cond:
            self.waiting += 1
            while self.writer or self.readers:
                self.cond.wait()
            self.waiting -= 1
            self.writer = True
        try:
            yield
        finally:
            with self.cond:
                self.writer = False
                self.cond.notify_all()


class LiveServer:
    """`liangbang serve` on the module's data directory; restarted (same directory) when it dies."""

    def __init__(self, data, env):
        self.data, self.env = data, env
        self.port = free_port()
        self.proc = None
        self.log_path = os.path.join(data, "server.log")
        self.log_offset = 0
        self.restarts = 0
        self.gate = Gate()

    def start(self):
        log = open(self.log_path, "a")
        self.log_offset = os.path.getsize(self.log_path)
        for attempt in range(2):
            self.proc = subprocess.Popen([liangbang_bin(), "serve", "--hostname", "127.0.0.1", "--port", str(self.port)],
                                         cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)
            deadline = time.time() + 60
            while time.time() < deadline and self.proc.poll() is None:
                if self.health() == 200:
                    log.close()
                    return
                time.sleep(0.1)
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
            self.port = free_port()   # the old port may still be held: try another once
        log.close()
        pytest.fail("server did not start:\n" + self.log_tail(4000))

    def health(self, timeout=TIMEOUT):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
            conn.request("GET", "/healthz")
            status = conn.getresponse().status
            conn.close()
            return status
        except (OSError, http.client.HTTPException):
            return 0

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def wait_exit(self, seconds):
        try:
            self.proc.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            pass

    def crash_lines(self):
        """What the runtime printed when the process died: the trap message and the crashed thread's frames (as
        offsets into the binary, symbolised once at the end: the runtime's own symbolication takes ~20 s)."""
        try:
            with open(self.log_path, "rb") as f:
                f.seek(self.log_offset)
                text = ANSI.sub("", f.read().decode("utf-8", "replace"))
        except OSError:
            return {"message": "", "offsets": []}
        message = [l.strip() for l in text.splitlines() if re.search(r"Fatal error|runtime failure", l)] or \
                  [re.sub(r"\s*at 0x[0-9a-f]+", "", l.strip("* \n")) for l in text.splitlines() if "Program crashed" in l]
        name = re.escape(os.path.basename(liangbang_bin()))
        base = re.search(rf"^(0x[0-9a-f]+)\S0x[0-9a-f]+ \S+ {name} ", text, re.M)
        offsets = []
        if base:
            start = int(base.group(1), 16)
            for kind, addr in re.findall(r"^\s*\d+ (\[ra\]|\[async\]|) *(0x[0-9a-f]+)\s*$", text, re.M):
                a = int(addr, 16) - start
                if 0 < a < 1 << 32:
                    offsets.append(a - 1 if kind == "[ra]" else a)
        return {"message": " | ".join(dict.fromkeys(message))[:400], "offsets": offsets[:12]}

    def log_tail(self, n):
        try:
            return open(self.log_path, encoding="utf-8", errors="replace").read()[-n:]
        except OSError:
            return ""

    def restart(self):
        """Only under `gate.exclusive()`."""
        if self.alive():
            self.proc.kill()
        if self.proc is not None:
            self.proc.wait(timeout=30)
        self.restarts += 1
        self.start()
        self.gate.suspect = False

    def stop(self):
        if self.alive():
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


# ----------------------------------------------------------------------------------------------------- client

class Result:
    def __init__(self, status, body=b"", headers=None, note=""):
        self.status, self.body, self.headers, self.note = status, body, headers or {}, note
        self.crash = None       # set when this request, replayed alone, took the server down
        self.first_status = status

    def json(self):
        return json.loads(self.body.decode("utf-8"))

    def text(self):
        return self.body.decode("utf-8", "replace")


class Client:
    """One caller: a bearer token for /api, a cookie jar (+ CSRF token) for pages, a keep-alive connection."""

    def __init__(self, server, name, username=None, password=None, home_unit=None):
        self.server, self.name, self.username, self.password = server, name, username, password
        self.home_unit = home_unit
        self.token = None
        self.cookies = {}
        self.csrf = None
        self.conn = None
        self.conn_port = None
        self.role = None
        self.pending = {}

    # -- transport
    def _drop(self):
        if self.conn is not None:
            self.conn.close()
        self.conn = None

    def _send(self, method, target, body, headers):
        """One exchange; None when the connection was lost."""
        try:
            if self.conn is None or self.conn_port != self.server.port:
                self._drop()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=TIMEOUT)
                self.conn_port = self.server.port
            self.conn.request(method, target, body=body, headers=headers)
            resp = self.conn.getresponse()
            data = resp.read()
        except socket.timeout:
            self._drop()
            return Result(-1, note=f"no answer within {TIMEOUT}s")
        except (OSError, http.client.HTTPException):
            self._drop()
            return None
        headers_out = {k.lower(): v for k, v in resp.getheaders()}
        self._keep_cookies(resp.msg.get_all("Set-Cookie") or [])
        if headers_out.get("connection", "").lower() == "close":
            self._drop()
        return Result(resp.status, data, headers_out)

    def raw(self, method, target, body=None, headers=None):
        """One request, no redirects. Status 0: the connection was lost again when the request was replayed alone;
        `crash` is set when the server died of it (it is then restarted)."""
        api = target.startswith("/api/")
        h = {"Accept": "application/json" if api else "text/html,application/xhtml+xml,*/*;q=0.8",
             "User-Agent": "liangbang-hostile-walker"}
        if api and self.token:
            h["Authorization"] = "Bearer " + self.token
        elif self.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        h.update(headers or {})
        h["Content-Length"] = str(len(body or b""))
        gate = self.server.gate
        with gate.shared():
            with gate.cond:
                losses, suspect = gate.losses, gate.suspect
            r = self._send(method, target, body, h)
            if r is None:
                with gate.cond:
                    # No other request in flight or lost meanwhile, and the server was fine when this one left:
                    # if the server is dead now, this request is what killed it.
                    alone = gate.readers == 1 and gate.losses == losses and not suspect
                    gate.losses += 1
                    gate.suspect = True
        if r is not None:
            return r
        # Lost: an idle connection closed, or a request killed the server. Unless the culprit is certain, the
        # request is replayed alone.
        with gate.exclusive():
            self.server.wait_exit(0.5)
            if self.server.alive() and self.server.health(timeout=5) != 200:
                self.server.wait_exit(10)      # dying (the runtime is still writing its report)
            if not self.server.alive():
                if alone:
                    return self._crashed()
                self.server.restart()
            r = self._send(method, target, body, h)
            if r is not None:
                gate.suspect = False
                return r
            self.server.wait_exit(10)
            if self.server.alive():
                return Result(0, note="connection lost twice, the server still running")
            return self._crashed()

    def _crashed(self):
        """Under `gate.exclusive()`, the server dead of this request: what it printed, and a new server."""
        r = Result(0, note=f"the server process died (exit status {self.server.proc.returncode})")
        r.crash = self.server.crash_lines()
        self.server.restart()
        return r

    def _keep_cookies(self, headers):
        for line in headers:
            pair = line.split(";", 1)[0]
            if "=" not in pair:
                continue
            k, v = pair.split("=", 1)
            k = k.strip()
            if not v or re.search(r"max-age=0|expires=Thu, 01 Jan 1970", line, re.I):
                self.cookies.pop(k, None)
            else:
                self.cookies[k] = v

    def request(self, method, target, body=None, headers=None, follow=lambda location: True):
        """Like a browser: follows same-site redirects (as GET) that `follow` accepts; a redirect target that
        fails is reported with the hop."""
        r = self.raw(method, target, body, headers)
        first, hops = r.status, 0
        while r.status in (301, 302, 303, 307) and hops < 3:
            loc = r.headers.get("location", "")
            if not loc.startswith("/") or not follow(loc):
                break
            hops += 1
            r2 = self.raw("GET", loc)
            if r2.status >= 500 or r2.status <= 0:
                r2.note = f"after {r.status} → GET {loc[:160]}" + (f"; {r2.note}" if r2.note else "")
                r = r2
                break
            r = r2
        r.first_status = first
        return r

    # -- sign in
    def sign_in(self):
        self.cookies.clear()
        self.token = None
        body = json.dumps({"username": self.username, "password": self.password}).encode()
        r = self.raw("POST", "/api/v1/session", body, {"Content-Type": "application/json"})
        assert r.status == 200, f"{self.name}: API sign-in {r.status} {r.text()[:300]}"
        self.token = r.json()["token"]
        self.role = r.json()["user"]["role"]
        login_csrf = self.login_page()
        form = form_text([("username", self.username), ("password", self.password), ("next", "/"), ("_csrf", login_csrf)])
        r = self.raw("POST", "/login", form, {"Content-Type": "application/x-www-form-urlencoded"})
        assert r.status in (302, 303) and "lb_session" in self.cookies, f"{self.name}: page sign-in {r.status}"
        r = self.request("GET", "/")
        m = CSRF.search(r.text())
        assert m, f"{self.name}: no CSRF token on the start page ({r.status})"
        self.csrf = m.group(1)

    def login_page(self):
        """The login form's token (bound to a pre-session cookie that the jar keeps), as a browser gets it."""
        m = CSRF.search(self.raw("GET", "/login").text())
        return m.group(1) if m else ""

    def api(self, method, path, payload=None):
        body = None if payload is None else json.dumps(payload, ensure_ascii=False).encode()
        return self.raw(method, path, body, {"Content-Type": "application/json"} if body is not None else None)


# ----------------------------------------------------------------------------------------------------- bodies

def json_text(template, value_literal):
    """`template` with the string HOLE replaced by a raw JSON literal (so 1e309 and 2**63 can be sent)."""
    return json.dumps(template, ensure_ascii=False).replace(json.dumps(HOLE), value_literal).encode()


def set_path(obj, path, value):
    """A copy of `obj` with the field at `path` (keys and list indexes) set to `value`."""
    obj = json.loads(json.dumps(obj))
    cur = obj
    for key in path[:-1]:
        cur = cur[key]
    cur[path[-1]] = value
    return obj


def form_text(pairs):
    return urllib.parse.urlencode(pairs).encode()


def multipart(fields, files):
    boundary = "----hostile" + uuid.uuid4().hex
    out = []
    for k, v in fields:
        out.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode())
    for k, (filename, data, ctype) in files.items():
        out.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"; filename="{filename}"\r\n'
                   f"Content-Type: {ctype}\r\n\r\n".encode() + data + b"\r\n")
    out.append(f"--{boundary}--\r\n".encode())
    return b"".join(out), f"multipart/form-data; boundary={boundary}"


# Uploads whose numeric cells carry the value; each has a sure error (an unknown category, an invalid ID number),
# so nothing is ever stored.
def roster_csv(v):
    return ("序号,学生姓名,性别,身份证号,学籍号,在读学校,年级班级,所在县（市、区）,结对志愿者,结对志愿者身份证号,开始日期\n"
            f"{v},测试,男,{v},{v},测试小学,{v},乐昌市,测试志愿者,{v},{v}\n").encode("utf-8")


def activity_csv(v):
    return ("序号,主办单位,联合开展单位,开展时间,活动类别,活动主题,活动概况和特色亮点（不超过100字）,覆盖人数,报道链接,重点宣传项目\n"
            f"{v},测试单位,,{v},不是类别,测试活动,测试,{v},,{v}\n").encode("utf-8")


def sessions_csv(v):
    return ("学生身份证号,志愿者身份证号,日期,开始时间,时长（分钟）,辅导内容,辅导方式,备注\n"
            f"{v},{v},{v},{v},{v},数学辅导,线上视频,\n").encode("utf-8")


def accounts_csv(v):
    return ("单位名称或代码,用户名,姓名,角色,手机号\n"
            f"{v},walker_{v},测试,不是角色,{v}\n").encode("utf-8")


def deployments_csv(v):
    return ("志愿者姓名,性别,身份证号,项目类别,派出高校,服务学校,所在县（市、区）,任教学科,开始日期,结束日期\n"
            f"测试,男,{v},不是项目,,测试小学,{v},数学,{v},{v}\n").encode("utf-8")


def teams_csv(v):
    return ("团队名称,灯塔实践团队,负责人,目的地县（市、区）,开始日期,结束日期,主题类别,团队人数\n"
            f"测试团队,{v},测试,{v},{v},{v},不是主题,{v}\n").encode("utf-8")


def members_csv(v):
    return ("姓名,学号,学校\n" f"测试,{v},\n").encode("utf-8")


def pairs_csv(v):
    return ("青年文明号集体,所属行业（系统）,结对高校\n" f"测试集体{v},测试,不是高校{v}\n").encode("utf-8")


def return_home_csv(v):
    return ("姓名,身份证号,就读高校,家乡县（市、区）,实践单位,开始日期,结束日期,实践时长（小时）\n"
            f"测试,{v},,{v},测试单位,{v},{v},{v}\n").encode("utf-8")


def graduates_csv(v):
    return ("姓名,身份证号,专业,预计毕业时间,家庭困难类别,帮扶团干部\n" f"测试,{v},法学,{v},不是类别,不是团干部{v}\n").encode("utf-8")


def sign_in_csv(v):
    return ("姓名,性别,身份证号,手机号,所在县（市、区）,类别\n" f"测试,{v},{v},{v},{v},不是类别\n").encode("utf-8")


def ventures_csv(v):
    return ("项目名称,负责人,负责人手机号,所在县（市、区）,所属领域,成立时间,带动就业人数\n" f"测试项目{v},测试,{v},{v},不是领域,{v},{v}\n").encode("utf-8")


def health_checks_csv(v):
    return ("姓名,身份证号,身高（厘米）,体重（千克）,左眼视力,右眼视力,检查发现,监护人同意,同意日期\n"
            f"测试,{v},{v},{v},{v},{v},无,{v},{v}\n").encode("utf-8")


def camp_participants_csv(v):
    return ("姓名,身份证号,身份,监护人同意,同意日期\n" f"测试,{v},{v},{v},{v}\n").encode("utf-8")


def shares_csv(v):
    return ("单位,三下乡实践团队,三下乡参与学生,百校百号结对,重点县返家乡学生\n" f"不是单位{v},{v},{v},{v},{v}\n").encode("utf-8")


UPLOADS = {"roster": roster_csv, "activities": activity_csv, "tutoring": sessions_csv, "deployments": deployments_csv,
           "practice-teams": teams_csv, "members": members_csv, "practice-members": members_csv, "civility-pairs": pairs_csv,
           "return-home": return_home_csv, "targets": shares_csv, "graduates": graduates_csv, "employment": graduates_csv,
           "attendance": sign_in_csv, "ventures": ventures_csv, "health-checks": health_checks_csv, "checks": health_checks_csv,
           "camp-participants": camp_participants_csv, "participants": camp_participants_csv,
           "pairings": roster_csv, "sessions": sessions_csv, "users": accounts_csv}


def upload_for(method, route):
    """The upload maker of an import route (POST …/import), else None."""
    if method != "POST" or not route.endswith("/import"):
        return None
    return UPLOADS.get(route.split("/")[-2])


# ----------------------------------------------------------------------------------------------------- ids

class Ids:
    """Real ids to put into paths, found through the admin's API (and the volunteers page)."""

    def __init__(self):
        self.used = set()
        self.lock = threading.Lock()

    def victim(self, pool):
        """An id no other destructive request has taken."""
        with self.lock:
            for x in pool:
                if x not in self.used:
                    self.used.add(x)
                    return x
        return pool[0] if pool else NIL_ID


def find_ids(admin):
    ids = Ids()
    orgs = admin.api("GET", "/api/v1/orgs").json()["items"]
    ids.orgs = {o["id"]: o for o in orgs}
    pairings = admin.api("GET", f"/api/v1/pairings?campaign={CAMPAIGN}").json()["items"]
    assert pairings, "demo-data made no pairings"
    by_univ = {}
    for p in pairings:
        by_univ.setdefault(p["universityId"], []).append(p)
    ids.university = max(by_univ, key=lambda u: len(by_univ[u]))
    ids.pairing_rows = by_univ[ids.university]
    ids.pairing = ids.pairing_rows[0]["id"]
    # Victims of deletes come from the end of the list, far from the pairings used for everything else.
    ids.victim_pairings = [p["id"] for p in reversed(ids.pairing_rows[3:])]
    ids.county_name = ids.pairing_rows[0]["pupil"]["county"]
    counties = [o for o in orgs if o["kind"] == "county" and o["name"] == ids.county_name]
    ids.county = counties[0]["id"] if counties else next(o["id"] for o in orgs if o["kind"] == "county")
    ids.city = ids.orgs[ids.county]["parentId"]

    def sessions_of(pid):
        r = admin.api("GET", f"/api/v1/sessions?pairingId={pid}")
        return [s["id"] for s in r.json()["items"]] if r.status == 200 else []
    own = sessions_of(ids.pairing)
    ids.victim_sessions = [s for p in ids.pairing_rows[1:3] for s in sessions_of(p["id"])]
    ids.session = own[0] if own else (ids.victim_sessions.pop() if ids.victim_sessions else NIL_ID)

    assignments = admin.api("GET", f"/api/v1/campaigns/{CAMPAIGN}/assignments").json()["items"]
    assigned = [a for a in assignments if a.get("universityId")]
    ids.assign_county = assigned[0]["countyId"]
    ids.assign_university = assigned[0]["universityId"]
    ids.campaign_detail = admin.api("GET", f"/api/v1/campaigns/{CAMPAIGN}").json()

    # Activities per unit, and an activity submission that can still be returned.
    items = admin.api("GET", f"/api/v1/completeness?campaign={CAMPAIGN}").json()["items"]
    with_acts = [i["orgId"] for i in items if i["activities"] > 1 and i["kind"] != "province"]
    ids.activities = {}
    for unit in [ids.university, ids.city] + with_acts[:6]:
        r = admin.api("GET", f"/api/v1/activities?campaign={CAMPAIGN}&orgId={unit}")
        if r.status == 200 and r.json()["items"]:
            ids.activities[unit] = [a["id"] for a in r.json()["items"]]
    assert ids.activities, "demo-data made no activities"
    ids.activity_submission = None
    for unit in [i["orgId"] for i in items if i["submitted"]["plan"] or i["submitted"]["update"]][:10]:
        r = admin.api("GET", f"/api/v1/activity-submissions?campaign={CAMPAIGN}&orgId={unit}")
        subs = [s for s in r.json()["items"] if s["status"] == "submitted"] if r.status == 200 else []
        if subs:
            ids.activity_submission = subs[0]["id"]
            break
    if ids.activity_submission is None:
        r = admin.api("POST", "/api/v1/activity-submissions",
                      {"campaign": 2022, "orgId": next(iter(ids.activities)), "stage": "plan"})
        assert r.status == 201, r.text()
        ids.activity_submission = r.json()["id"]
    r = admin.api("POST", "/api/v1/roster-submissions", {"campaign": 2022, "orgId": ids.university})
    assert r.status == 201, f"roster submission: {r.status} {r.text()[:300]}"
    ids.roster_submission = r.json()["id"]

    # Activation codes (and the keys of volunteers' certificates) from the volunteers page.
    r = admin.request("POST", "/volunteers/codes", form_text([("_csrf", admin.csrf), ("campaign", CAMPAIGN),
                                                              ("orgId", ids.university)]),
                      {"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status == 200, f"issuing activation codes: {r.status}"
    page = admin.request("GET", f"/volunteers?campaign={CAMPAIGN}&orgId={ids.university}").text()
    ids.volunteer_keys = re.findall(r'href="/volunteers/([^/"]+)/certificate', page)
    ids.codes = re.findall(r'<tr><td>([^<]*)</td><td class="id">(?:(?!</tr>).)*?<span class="id code">([^<]+)</span>',
                           page, re.S)
    return ids


def make_pending(client, kind):
    """A pending upload of this caller (previews and commits are the uploader's only); None when refused."""
    if client.role not in ("admin", "staff"):
        return None
    body, ctype = multipart([("_csrf", client.csrf), ("campaign", CAMPAIGN), ("orgId", client.home_unit),
                             ("mode", "merge")], {"file": ("hostile.csv", UPLOADS[kind]("1"), "text/csv")})
    r = client.raw("POST", f"/{kind}/import", body, {"Content-Type": ctype})
    m = re.match(rf"/{kind}/import/([0-9a-fA-F-]{{36}})", r.headers.get("location", ""))
    return m.group(1) if m else None


# ----------------------------------------------------------------------------------------------------- routes

def list_routes(env):
    p = subprocess.run([liangbang_bin(), "routes"], cwd=ROOT, env=env, capture_output=True, timeout=300)
    out = ANSI.sub("", p.stdout.decode("utf-8", "replace"))
    assert p.returncode == 0, f"`liangbang routes` exited {p.returncode}: {p.stderr.decode()[-2000:]}"
    routes = []
    for line in out.splitlines():
        m = re.match(r"^\|\s*([A-Z]+)\s*\|\s*(\S+)\s*\|", line)
        if m:
            routes.append((m.group(1), m.group(2)))
    return list(dict.fromkeys(routes))


SESSION_ENDERS = {("POST", "/logout"), ("DELETE", "/api/v1/session")}


def is_destructive(method, route):
    return method == "DELETE" or route.endswith("/delete")


def route_order(route):
    """Reads first, then writes, then deletes, then what ends the caller's session."""
    method, path = route
    if route in SESSION_ENDERS:
        return 3
    if is_destructive(method, path):
        return 2
    return 0 if method in ("GET", "HEAD") else 1


def fill_path(route, client, ids, destructive):
    """The route with real ids; returns (path, indexes of numeric segments)."""
    parts = route.strip("/").split("/") if route != "/" else []
    out, numeric = [], []
    for i, seg in enumerate(parts):
        if seg in ("*", "**"):
            out.append("hostile")
        elif not seg.startswith(":"):
            out.append(seg)
        else:
            name = seg[1:]
            if name == "year":
                out.append(CAMPAIGN)
                numeric.append(i)
            elif name == "orgID":
                out.append(client.home_unit)
            elif name == "countyID":
                out.append(ids.assign_county)
            elif name == "pairingID":
                out.append(ids.victim(ids.victim_pairings) if destructive else ids.pairing)
            elif name == "sessionID":
                out.append(ids.victim(ids.victim_sessions) if destructive else ids.session)
            elif name == "activityID":
                pool = ids.activities.get(client.home_unit) or next(iter(ids.activities.values()))
                out.append(ids.victim(list(reversed(pool[1:]))) if destructive else pool[0])
            elif name == "submissionID":
                out.append(ids.roster_submission if "roster" in route else ids.activity_submission)
            elif name == "importID":
                kind = parts[0]
                if kind not in client.pending:
                    client.pending[kind] = make_pending(client, kind)
                out.append(client.pending[kind] or NIL_ID)
            elif name == "volunteerKey":
                out.append(ids.volunteer_keys[0] if ids.volunteer_keys else "0" * 16)
            else:   # a parameter this file does not know: an id that exists nowhere, and the extremes
                out.append(NIL_ID)
                numeric.append(i)
    return "/" + "/".join(out), numeric


# Bodies of the writes this file knows: (base builder, [numeric fields]). The base is sane but fails a late rule
# where the route would store something, so the walk does not fill the database.
def pairing_fields(ids, client):
    return {"campaign": 2022, "orgId": ids.university, "pupilName": "压力测试", "sex": "男", "pupilId": "440000000000000000",
            "studentNo": "G1", "school": "测试小学", "gradeClass": "三年级1班", "county": ids.county_name,
            "volunteerName": "测试志愿者", "volunteerId": "440000000000000001"}


def activity_fields(ids, client):
    return {"campaign": 2022, "orgId": client.home_unit, "title": "压力测试活动", "category": "不是类别",
            "workItem": "cloud-tutoring", "startDate": "2022-07-15", "endDate": "2022-07-16", "coHosts": "",
            "summary": "测试", "peopleCovered": 100, "reportLinks": [], "keyPublicity": False, "demonstration": False,
            "status": "held"}


def session_fields(ids, client):
    return {"pairingId": ids.pairing, "date": "2022-07-18", "startTime": "19:30", "minutes": 0,
            "content": "数学辅导", "mode": "online-video", "note": ""}


def quotas(ids):
    return [{k: q[k] for k in ("orgKind", "metric", "minimum", "wording")} for q in ids.campaign_detail["quotas"]]


JSON_BODIES = {
    ("POST", "/api/v1/campaigns"): (lambda i, c: {"year": 2101, "copyFrom": 2022}, [["year"], ["copyFrom"]]),
    ("PATCH", "/api/v1/campaigns/:year"): (lambda i, c: {"quotas": quotas(i)}, [["quotas", 0, "minimum"]]),
    ("PUT", "/api/v1/campaigns/:year/assignments/:countyID"): (lambda i, c: {"universityId": i.assign_university}, []),
    ("POST", "/api/v1/orgs"): (lambda i, c: {"name": "x", "kind": "town", "parentId": i.county}, []),
    ("POST", "/api/v1/users"): (lambda i, c: {"username": "x", "password": "short", "orgId": i.university,
                                              "role": "staff"}, []),
    ("POST", "/api/v1/session"): (lambda i, c: {"username": "hostile-nobody", "password": "Wrong-password-1"}, []),
    ("POST", "/api/v1/pairings"): (pairing_fields, [["campaign"]]),
    ("PATCH", "/api/v1/pairings/:pairingID"): (pairing_fields, [["campaign"]]),
    ("POST", "/api/v1/roster-submissions"): (lambda i, c: {"campaign": 2022, "orgId": i.university}, [["campaign"]]),
    ("POST", "/api/v1/roster-submissions/:submissionID/return"): (lambda i, c: {"reason": ""}, []),
    ("POST", "/api/v1/sessions"): (session_fields, [["minutes"]]),
    ("PATCH", "/api/v1/sessions/:sessionID"): (session_fields, [["minutes"]]),
    ("POST", "/api/v1/activities"): (activity_fields, [["campaign"], ["peopleCovered"], ["keyPublicity"], ["demonstration"]]),
    ("PATCH", "/api/v1/activities/:activityID"): (activity_fields, [["campaign"], ["peopleCovered"], ["keyPublicity"]]),
    ("POST", "/api/v1/activity-submissions"): (lambda i, c: {"campaign": 2022, "orgId": c.home_unit, "stage": "none"},
                                               [["campaign"]]),
    ("POST", "/api/v1/activity-submissions/:submissionID/return"): (lambda i, c: {"reason": ""}, []),
}


def pairing_form(i, c):
    f = pairing_fields(i, c)
    f.pop("campaign")
    return [("campaign", CAMPAIGN)] + list(f.items()) + [("consent", "yes")]


def activity_form(i, c):
    f = activity_fields(i, c)
    for k in ("campaign", "reportLinks", "keyPublicity", "demonstration"):
        f.pop(k)
    return [("campaign", CAMPAIGN)] + list(f.items()) + [("reportLinksText", ""), ("keyPublicity", "on")]


def quota_form(i, c):
    q = quotas(i)
    return [("minimums[]", str(x["minimum"])) for x in q] + [("wordings[]", x["wording"]) for x in q]


FORM_BODIES = {
    ("POST", "/campaigns"): (lambda i, c: [("year", "2101")], ["year"]),
    ("POST", "/campaigns/:year/quotas"): (quota_form, ["minimums[]#0", "minimums[]#1"]),
    ("POST", "/roster/pairings"): (pairing_form, ["campaign"]),
    ("POST", "/roster/pairings/:pairingID"): (pairing_form, ["campaign"]),
    ("POST", "/roster/pairings/:pairingID/delete"): (lambda i, c: [("campaign", CAMPAIGN), ("orgId", i.university)],
                                                     ["campaign"]),
    ("POST", "/roster/pairings/:pairingID/reveal"): (lambda i, c: [("campaign", CAMPAIGN)], ["campaign"]),
    ("POST", "/roster/submit"): (lambda i, c: [("campaign", CAMPAIGN), ("orgId", i.university)], ["campaign"]),
    ("POST", "/roster/submissions/:submissionID/review"): (lambda i, c: [("action", "return"), ("reason", ""),
                                                                          ("campaign", CAMPAIGN)], ["campaign"]),
    ("POST", "/tutoring/sessions"): (lambda i, c: [(k, str(v)) for k, v in session_fields(i, c).items()], ["minutes"]),
    ("POST", "/volunteers/codes"): (lambda i, c: [("campaign", CAMPAIGN), ("orgId", i.university)], ["campaign"]),
    ("POST", "/activities"): (activity_form, ["campaign", "peopleCovered", "keyPublicity"]),
    ("POST", "/activities/:activityID"): (activity_form, ["campaign", "peopleCovered"]),
    ("POST", "/activities/:activityID/delete"): (lambda i, c: [("campaign", CAMPAIGN), ("orgId", c.home_unit)],
                                                 ["campaign"]),
    ("POST", "/activities/submit"): (lambda i, c: [("campaign", CAMPAIGN), ("orgId", c.home_unit), ("stage", "none")],
                                     ["campaign"]),
    ("POST", "/activity-submissions/:submissionID/return"): (lambda i, c: [("reason", ""), ("campaign", CAMPAIGN)],
                                                             ["campaign"]),
    ("POST", "/completeness/chase"): (lambda i, c: [("campaign", CAMPAIGN), ("orgId", i.county)], ["campaign"]),
    ("POST", "/orgs/:orgID/children"): (lambda i, c: [("name", "x"), ("kind", "town")], []),
    ("POST", "/orgs/:orgID/users"): (lambda i, c: [("username", "x"), ("password", "short"), ("role", "staff")], []),
    ("POST", "/account/password"): (lambda i, c: [("current", "Wrong-password-1"), ("new", "x"), ("confirm", "y")], []),
    ("POST", "/login"): (lambda i, c: [("username", "hostile-nobody"), ("password", "Wrong-password-1")], []),
    ("POST", "/activate"): (lambda i, c: [("code", "x"), ("username", "x"), ("password", "x"), ("confirm", "x")], []),
}
# Multipart page forms: their own numeric fields (the uploaded file's cells are varied for every import).
MULTIPART_FIELDS = {"/roster/import": ["campaign"], "/activities/import": ["campaign"], "/tutoring/import": ["campaign"]}


# ----------------------------------------------------------------------------------------------------- walk

class Walk:
    """Shared by the walking threads: the failures, the counters."""

    def __init__(self, server, ids):
        self.server, self.ids = server, ids
        self.failures = []
        self.requests = 0
        self.timings = {}
        self.lock = threading.Lock()
        self.canaried = set()
        self.started = time.time()

    def record(self, failure):
        with self.lock:
            self.failures.append(failure)

    def healthz(self, after):
        with self.server.gate.shared():
            status = self.server.health()
        if status == 200:
            return
        with self.server.gate.exclusive():
            status = self.server.health()
            if status != 200:
                dead = not self.server.alive()
                self.record(dict(who="-", method="GET", route="/healthz", target="/healthz", where="after", param=after,
                                 value="", status=status, body="", note="the health check failed" + (
                                     " (the server process had exited)" if dead else ""),
                                 crash=self.server.crash_lines() if dead else None))
                self.server.restart()


class Walker:
    """One thread: walks every route as each of its callers."""

    def __init__(self, walk, canary):
        self.walk, self.canary = walk, canary
        self.ids, self.server = walk.ids, walk.server

    def check(self, client, method, route, target, where, param, value, r):
        with self.walk.lock:
            self.walk.requests += 1
        if r.status >= 500 or r.status <= 0:
            body = "" if r.status <= 0 else re.sub(r"\s+", " ", r.text())[:160]
            self.walk.record(dict(who=client.name, method=method, route=route, target=target[:200], where=where,
                                  param=param, value=value, status=r.status, body=body, note=r.note, crash=r.crash))
        return r

    # -- one route, one caller
    def walk_route(self, client, method, route):
        destructive = is_destructive(method, route)
        target, numeric_segments = fill_path(route, client, self.ids, destructive)
        api = target.startswith("/api/")
        make_upload = upload_for(method, route)
        query0 = [("campaign", CAMPAIGN)]
        if make_upload:
            query0 += [("orgId", client.home_unit), ("dryRun", "true")]
        send = self.sender(client, method, route, api, make_upload)

        base = send(target, query0, None, "")
        self.check(client, method, route, target, "baseline", "", "", base)
        refused = base.status in (401, 403) or (base.status in (302, 303)
                                                and base.headers.get("location", "").startswith("/login"))
        values = GUARDED if refused else VALUES
        accepted = False

        def go(where, param, value, path, query, body=None):
            nonlocal accepted
            r = send(path, query, body, value)
            self.check(client, method, route, path + ("?" + urllib.parse.urlencode(query) if query else ""),
                       where, param, value, r)
            accepted |= 200 <= r.first_status < 300

        parts = target.split("/")
        for i in numeric_segments:          # numeric path parameters
            for v in values:
                p = parts[:]
                p[i + 1] = urllib.parse.quote(v, safe="") or "%20"
                go("path", route.split("/")[i + 1], v, "/".join(p), query0)
        # Query: `campaign` (and `page` on reads) one at a time over the baseline, every other name at once.
        single = SINGLE_QUERY if method in ("GET", "HEAD") else SINGLE_QUERY[:1]
        group = GROUP_QUERY + [n for n in SINGLE_QUERY if n not in single]
        for name in single:
            for v in values:
                go("query", name, v, target, [(k, x) for k, x in query0 if k != name] + [(name, v)])
        for v in values:
            go("query", "+".join(group), v, target, [(k, x) for k, x in query0 if k not in group] + [(n, v) for n in group])
        if not refused and method in ("GET", "HEAD"):
            for d in DATES:
                go("query", "+".join(DATE_QUERY), d, target, query0 + [(n, d) for n in DATE_QUERY])
        for name in [n for n in BOOL_QUERY if (n == "dryRun" and make_upload) or (n == "fullId" and api and "export" in route)]:
            for v in values:
                go("query", name, v, target, [(k, x) for k, x in query0 if k != name] + [(name, v)])
        if method not in ("GET", "HEAD"):
            self.walk_body(client, method, route, target, query0, values, go, make_upload)
        return accepted

    def walk_body(self, client, method, route, target, query0, values, go, make_upload):
        key = (method, route)
        if make_upload:
            for v in values:
                for name in ([] if target.startswith("/api/") else MULTIPART_FIELDS.get(route, ["campaign"])):
                    go("form", name, v, target, query0, ("multipart", [(name, v)], make_upload("1")))
                go("file cells", "(序号、日期、数字列)", v, target, query0, ("multipart", [], make_upload(v)))
        elif target.startswith("/api/"):
            build, fields = JSON_BODIES.get(key, (lambda i, c: {}, []))
            base = build(self.ids, client)
            if not fields:   # a route without numbers (or one this file does not know): every numeric name at once
                base = dict(base, **{n: HOLE for n in GENERIC_NUMERIC})
                fields = [None]
            for field in fields:
                tmpl = base if field is None else set_path(base, field, HOLE)
                for lit in (JSON_VALUES if values is VALUES else GUARDED):
                    go("json", ".".join(map(str, field or ["*"])), lit, target, query0, ("json", json_text(tmpl, lit)))
        else:
            build, fields = FORM_BODIES.get(key, (lambda i, c: [], []))
            base = build(self.ids, client)
            for v in values:
                if not fields:
                    go("form", "*", v, target, query0, ("form", base + [(n, v) for n in GENERIC_NUMERIC]))
                for name in fields:
                    if "#" in name:      # the n-th of a repeated field (minimums[]#1)
                        field, nth = name.split("#")
                        idx = [n for n, (k, _) in enumerate(base) if k == field][int(nth)]
                        pairs = base[:idx] + [(field, v)] + base[idx + 1:]
                    else:
                        pairs = [(k, x) for k, x in base if k != name] + [(name, v)]
                    go("form", name, v, target, query0, ("form", pairs))

    def sender(self, client, method, route, api, make_upload):
        def send(target, query, body, value):
            url = target + ("?" + urllib.parse.urlencode(query) if query else "")
            if body is None and method not in ("GET", "HEAD", "DELETE"):
                if make_upload:
                    body = ("multipart", [], make_upload("1"))
                else:
                    body = ("json", b"{}") if api else ("form", [])
            headers, data = {}, None
            if body is not None:
                if body[0] == "json":
                    data, headers["Content-Type"] = body[1], "application/json"
                elif body[0] == "form":
                    pairs = ([] if api else [("_csrf", client.csrf or "")]) + list(body[1])
                    data, headers["Content-Type"] = form_text(pairs), "application/x-www-form-urlencoded"
                else:   # multipart: the page form's hidden fields (not for the API), then the varied ones
                    varied = dict(body[1])
                    fields = [] if api else [("_csrf", client.csrf or ""), ("campaign", CAMPAIGN),
                                             ("orgId", client.home_unit), ("mode", "merge")]
                    fields = [(k, x) for k, x in fields if k not in varied] + list(body[1])
                    data, headers["Content-Type"] = multipart(fields, {"file": ("hostile.csv", body[2], "text/csv")})
            # A form's redirect is followed when it carries the hostile value on, and always after an upload (the
            # preview checks the file): the page a browser would open next.
            marker = urllib.parse.quote(value, safe="") if len(value) > 2 else None
            r = client.request(method, url, data, headers,
                               follow=lambda loc: (body is not None and body[0] == "multipart")
                               or (marker is not None and (marker in loc or value in loc)))
            if route in SESSION_ENDERS and client.username:
                client.sign_in()     # the walk ended this caller's session: sign in again
            return r
        return send

    # -- after a write
    def canaries(self, method, route):
        u = self.ids.university
        paths = [f"/api/v1/completeness?campaign={CAMPAIGN}", f"/api/v1/compliance?campaign={CAMPAIGN}",
                 f"/api/v1/campaigns/{CAMPAIGN}", f"/api/v1/activities?campaign={CAMPAIGN}&orgId={u}",
                 f"/completeness?campaign={CAMPAIGN}"]
        if "pairing" in route or "roster" in route:
            paths.append(f"/roster?campaign={CAMPAIGN}&orgId={u}")
        for path in paths:
            r = self.canary.request("GET", path)
            if r.status >= 500 or r.status <= 0:
                r.note = f"a read after {method} {route}: what the write stored breaks it" + (f"; {r.note}" if r.note else "")
            self.check(self.canary, "GET", path.split("?")[0], path, "canary", f"after {method} {route}", "", r)

    def restore(self, route):
        """Puts back what a write may have changed that later routes rely on."""
        if "campaigns/:year" in route:
            d = self.ids.campaign_detail
            self.canary.api("PATCH", f"/api/v1/campaigns/{CAMPAIGN}",
                            {"calendar": d["calendar"], "tutoringPeriod": d["tutoringPeriod"], "quotas": quotas(self.ids)})
        if route in ("/api/v1/activities", "/activities"):   # anything the walk managed to add
            for unit in self.ids.activities:
                r = self.canary.api("GET", f"/api/v1/activities?campaign={CAMPAIGN}&orgId={unit}")
                for a in (r.json()["items"] if r.status == 200 else []):
                    if a["title"] == "压力测试活动":
                        self.canary.api("DELETE", f"/api/v1/activities/{a['id']}")

    def run(self, routes, clients):
        ordered = sorted(routes, key=route_order)
        for client in clients:
            print(f"  [{time.time() - self.walk.started:5.0f}s] walking as {client.name} "
                  f"({self.walk.requests} requests so far)", flush=True)
            for method, route in ordered:
                t0 = time.time()
                accepted = self.walk_route(client, method, route)
                if method not in ("GET", "HEAD") and route not in SESSION_ENDERS:
                    self.restore(route)
                    first_form = not route.startswith("/api/") and route not in self.walk.canaried
                    if accepted or (first_form and client.role in ("admin", "staff")):
                        self.walk.canaried.add(route)
                        self.canaries(method, route)
                self.walk.healthz(f"{client.name}: {method} {route}")
                with self.walk.lock:
                    self.walk.timings[(method, route)] = self.walk.timings.get((method, route), 0) + time.time() - t0
        print(f"  [{time.time() - self.walk.started:5.0f}s] done: {', '.join(c.name for c in clients)}", flush=True)


# ----------------------------------------------------------------------------------------------------- report

def symbolise(offsets):
    """Offsets into the binary → (trap, "File.swift:line function" of our sources), in one llvm-symbolizer run."""
    tool = shutil.which("llvm-symbolizer") or "/opt/swift/usr/bin/llvm-symbolizer"
    demangler = shutil.which("swift-demangle") or "/opt/swift/usr/bin/swift-demangle"
    if not offsets or not os.path.exists(tool):
        return {}
    try:
        out = subprocess.run([tool, "--obj=" + liangbang_bin(), "--functions=linkage"] + [hex(o) for o in offsets],
                             capture_output=True, timeout=120).stdout
        if os.path.exists(demangler):
            out = subprocess.run([demangler, "--simplified"], input=out, capture_output=True, timeout=60).stdout
    except (OSError, subprocess.TimeoutExpired):
        return {}
    found = {}
    for o, block in zip(offsets, out.decode("utf-8", "replace").strip().split("\n\n")):
        lines = block.splitlines()
        trap, where = None, None
        for name, loc in zip(lines[0::2], lines[1::2]):
            if name.startswith("Swift runtime failure"):
                trap = trap or name.strip()
            m = re.search(r"/Sources/((?:App|LiangbangCore|Spreadsheet)/\S+?\.swift):(\d+)", loc)
            if m and where is None:
                name = re.sub(r"^((static |implicit )?closure #\d+ (\(.*?\) )?in )+", "", name.strip())
                name = re.sub(r"\(.*", "", re.sub(r"^(merged |partial apply for |\(\d+\) await resume partial function "
                                                   r"for |static )+", "", name))
                where = f"{m.group(1).split('/')[-1]}:{m.group(2)} {name[:60]}"
        found[o] = (trap, where)
    return found


def report(failures, walk, routes, seconds):
    where_from = symbolise(sorted({o for f in failures if f["crash"] for o in f["crash"]["offsets"]}))

    def crash_text(crash):
        if not crash:
            return ""
        known = [where_from[o] for o in crash["offsets"] if o in where_from]
        traps = [t for t, _ in known if t]
        frames = list(dict.fromkeys(w for _, w in known if w))[:3]
        message = crash["message"] if "Fatal error" in crash["message"] or not traps else traps[0]
        return "; ".join(x for x in [message, "at " + " ← ".join(frames) if frames else ""] if x)

    crashes = sum(1 for f in failures if f["crash"])
    lines = [f"{len(failures)} hostile request(s) answered ≥ 500, lost the connection or timed out; {crashes} of them "
             f"took the server down (restarted {walk.server.restarts} time(s)). Walked {len(routes)} routes, "
             f"{walk.requests} requests in {seconds:.0f}s.", ""]
    groups = {}
    for f in failures:
        groups.setdefault((f["method"], f["route"]), []).append(f)
    for (method, route), fs in groups.items():
        lines.append(f"■ {method} {route}")
        by_param = {}
        for f in fs:
            note = re.sub(r"[0-9A-Fa-f]{8}-[0-9A-Fa-f-]{27}", "…", f["note"])
            by_param.setdefault((f["where"], f["param"], f["status"], note, crash_text(f["crash"])), []).append(f)
        for (where, param, status, note, crash), items in by_param.items():
            vals = ", ".join(dict.fromkeys(repr(i["value"]) for i in items))
            who = ", ".join(dict.fromkeys(i["who"] for i in items))
            what = {0: "CRASH" if crash else "connection lost", -1: "TIMEOUT"}.get(status, f"HTTP {status}")
            lines.append(f"    {where} {param} = {vals}  →  {what}   [as {who}]")
            upload = " with an uploaded CSV whose numeric and date cells hold the value" if where == "file cells" else ""
            lines.append(f"        e.g. {items[0]['target']}{upload}")
            if note and (not crash or note.startswith("after")):
                lines.append(f"        {note.split('; the server process died')[0] if crash else note}")
            if crash:
                lines.append(f"        {crash}")
            if items[0]["body"]:
                lines.append(f"        body: {items[0]['body']}")
    slow = sorted(walk.timings.items(), key=lambda kv: -kv[1])[:5]
    lines += ["", "slowest routes (all callers): " + ", ".join(f"{m} {r} {t:.0f}s" for (m, r), t in slow)]
    return "\n".join(lines)


# ----------------------------------------------------------------------------------------------------- tests

@pytest.fixture(scope="module")
def hostile():
    data = tempfile.mkdtemp(prefix="liangbang-hostile-")
    env = dict(os.environ, LIANGBANG_DATA_DIR=data, LIANGBANG_HOME=os.environ.get("LIANGBANG_HOME", str(ROOT)),
               LIANGBANG_ADMIN_PASSWORD=PASSWORD, LIANGBANG_BCRYPT_COST="4", LOG_LEVEL="warning",
               LIANGBANG_MAX_FAILED_LOGINS="1000",
               # Crash reports without the runtime's symbolication (~20 s a crash on a debug build): raw frames
               # that `symbolise` turns into file:line once, at the end.
               SWIFT_BACKTRACE="enable=yes,interactive=no,symbolicate=off,threads=crashed,registers=none,"
                               "images=mentioned,limit=24,top=0")
    env.pop("DATABASE_URL", None)
    env.pop("LIANGBANG_PG_SCHEMA", None)
    routes = list_routes(env)
    p = subprocess.run([liangbang_bin(), "demo-data", "--campaign", CAMPAIGN, "--pupils", "200", "--weeks", "4",
                        "--activities", "100"], cwd=ROOT, env=env, capture_output=True, timeout=600)
    assert p.returncode == 0, f"demo-data exited {p.returncode}: {p.stderr.decode('utf-8', 'replace')[-2000:]}"
    server = LiveServer(data, env)
    server.start()
    try:
        yield server, routes
    finally:
        server.stop()
        shutil.rmtree(data, ignore_errors=True)


def make_callers(server, ids, admin):
    """Lists of callers, one per walking thread (three keep both cores of the server busy)."""
    for username, org in (("walker-staff", ids.university), ("walker-city", ids.city)):
        r = admin.api("POST", "/api/v1/users", {"username": username, "password": USER_PASSWORD + "-initial", "orgId": org,
                                                "role": "staff"})
        assert r.status == 201, f"creating {username}: {r.status} {r.text()[:300]}"
        first_sign_in(f"http://127.0.0.1:{server.port}", username, USER_PASSWORD + "-initial", USER_PASSWORD)
    staff = Client(server, "高校工作人员", "walker-staff", USER_PASSWORD, ids.university)
    city = Client(server, "地市工作人员", "walker-city", USER_PASSWORD, ids.city)
    staff.sign_in()
    city.sign_in()
    nobody = Client(server, "未登录", home_unit=ids.university)
    nobody.csrf = nobody.login_page()
    callers = [[admin], [staff], [city]]
    # The volunteer of the pairing used everywhere, activated with its code (another one's when names differ).
    codes = sorted(ids.codes, key=lambda c: c[0] != ids.pairing_rows[0]["volunteer"]["name"])
    if codes:
        vol = Client(server, "志愿者", "walker-vol", USER_PASSWORD, ids.university)
        form = form_text([("code", codes[0][1]), ("username", "walker-vol"), ("password", USER_PASSWORD),
                          ("confirm", USER_PASSWORD)])
        r = vol.raw("POST", "/activate", form, {"Content-Type": "application/x-www-form-urlencoded"})
        assert r.status in (302, 303), f"activating a volunteer: {r.status} {r.text()[:300]}"
        vol.sign_in()
        callers[2].append(vol)
    callers[1].append(nobody)
    return callers


def cpu_seconds(server, since=0.0):
    """CPU time of this process, of the servers that have exited and of the running one (how long the walk
    would take on an idle machine, whatever else is running)."""
    own, gone = os.times(), resource.getrusage(resource.RUSAGE_CHILDREN)
    total = own.user + own.system + gone.ru_utime + gone.ru_stime
    try:
        fields = open(f"/proc/{server.proc.pid}/stat").read().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        pass
    return total - since


def test_routes_are_listed(hostile):
    _, routes = hostile
    paths = {r for _, r in routes}
    assert len(routes) > 50 and "/roster" in paths and "/api/v1/audit" in paths, routes


def test_extreme_numbers_never_crash_the_server(hostile):
    server, routes = hostile
    started = time.time()
    cpu0 = cpu_seconds(server)
    admin = Client(server, "团省委管理员", "admin", PASSWORD)
    admin.sign_in()
    ids = find_ids(admin)
    admin.home_unit = ids.university
    callers = make_callers(server, ids, admin)
    walk = Walk(server, ids)
    errors = []

    def thread_main(clients):
        try:
            canary = Client(server, "团省委管理员（检查）", "admin", PASSWORD, ids.university)
            canary.sign_in()
            Walker(walk, canary).run(routes, clients)
        except BaseException as e:   # noqa: BLE001 - handed to the main thread
            errors.append(e)

    threads = [threading.Thread(target=thread_main, args=(c,), daemon=True) for c in callers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    seconds = time.time() - started
    slow = sorted(walk.timings.items(), key=lambda kv: -kv[1])[:12]
    print(f"\nhostile walk: {len(routes)} routes, {sum(map(len, callers))} callers, {walk.requests} requests, "
          f"{seconds:.0f}s ({cpu_seconds(server, cpu0):.0f} CPU-s), {server.restarts} restart(s); slowest: "
          + ", ".join(f"{m} {r} {t:.0f}s" for (m, r), t in slow))
    assert not walk.failures, report(walk.failures, walk, routes, seconds)
