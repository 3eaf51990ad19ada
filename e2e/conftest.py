"""Shared fixtures for the end-to-end tests: a real liangbang server and headless Chromium."""
import json
import os
import pathlib
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "test-output" / "screenshots"
ADMIN_PASSWORD = "Admin-e2e-2022"
SERVER_LOG = {}  # "path" → the running server's log file, for tests that read it


def today() -> "datetime.date":
    """The server's today, in Asia/Shanghai as the server counts days (from 16:00 UTC it is already tomorrow there).
    E2E_FAKETIME ("2027-03-15 10:00:00", 18:00 in Shanghai) runs the server at another date (Debian faketime),
    so the suite proves it passes on any day of the year."""
    import datetime
    fake = os.environ.get("E2E_FAKETIME")
    if fake:
        return datetime.date.fromisoformat(fake[:10])
    return datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=8))).date()


def server_command(*args) -> list:
    """`liangbang <args>`, under faketime when E2E_FAKETIME is set."""
    fake = os.environ.get("E2E_FAKETIME")
    return (["faketime", fake] if fake else []) + [liangbang_bin(), *args]


def liangbang_bin() -> str:
    path = os.environ.get("LIANGBANG_BIN")
    if not path:
        pytest.fail("LIANGBANG_BIN is not set: run the suite through scripts/test")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class FakeRobot:
    """A 企业微信 / 钉钉 group robot on 127.0.0.1: records every post, answers `{"errcode":0}`."""

    def __init__(self):
        import http.server
        import threading
        received = self.received = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                received.append({"path": self.path, "body": json.loads(self.rfile.read(length) or b"{}")})
                answer = b'{"errcode":0,"errmsg":"ok"}'
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.host = f"127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def wecom_url(self, key):
        return f"http://{self.host}/cgi-bin/webhook/send?key={key}"


@pytest.fixture(scope="session")
def robot():
    fake = FakeRobot()
    yield fake
    fake.httpd.shutdown()


@pytest.fixture(scope="session")
def server(robot):
    """Starts `liangbang serve` on a fresh data directory (SQLite) and yields its base URL."""
    data = tempfile.mkdtemp(prefix="liangbang-e2e-")
    port = free_port()
    env = dict(os.environ, LIANGBANG_DATA_DIR=data, LIANGBANG_ADMIN_PASSWORD=ADMIN_PASSWORD, LIANGBANG_BCRYPT_COST="6",
               LIANGBANG_ROBOT_TEST_HOSTS=robot.host)
    env.pop("DATABASE_URL", None)
    log_path = os.path.join(data, "server.log")
    SERVER_LOG["path"] = log_path
    log = open(log_path, "w")
    proc = subprocess.Popen(server_command("serve", "--hostname", "127.0.0.1", "--port", str(port)),
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while True:
        try:
            if urllib.request.urlopen(base + "/healthz", timeout=2).status == 200:
                break
        except OSError:
            pass
        if proc.poll() is not None or time.time() > deadline:
            log.close()
            pytest.fail("server did not start:\n" + open(os.path.join(data, "server.log")).read())
        time.sleep(0.2)
    yield base
    proc.terminate()
    proc.wait(timeout=10)
    log.close()
    shutil.rmtree(data, ignore_errors=True)


def make_driver(width=1280, height=900):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--lang=zh-CN",
                f"--window-size={width},{height}"):
        options.add_argument(arg)
    if width < 600:
        # Desktop Chrome will not make a window narrower than ~500 px: emulate the phone's viewport instead.
        options.add_experimental_option("mobileEmulation", {"deviceMetrics": {"width": width, "height": height, "pixelRatio": 2}})
    service = Service(executable_path=shutil.which("chromedriver") or "/usr/bin/chromedriver")
    driver = webdriver.Chrome(service=service, options=options)
    driver.implicitly_wait(5)
    return driver


@pytest.fixture
def browser():
    driver = make_driver()
    yield driver
    driver.quit()


def screenshot(driver, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(SCREENSHOTS / f"{name}.png"))


def run_cli(data, *args):
    """Runs `liangbang <args>` on the data directory `data` (SQLite), as an office's clerk would from a shell."""
    env = dict(os.environ, LIANGBANG_DATA_DIR=str(data), LIANGBANG_HOME=str(ROOT),
               LIANGBANG_ADMIN_PASSWORD="x-Admin-2022", LIANGBANG_BCRYPT_COST="4")
    env.pop("DATABASE_URL", None)
    return subprocess.run([liangbang_bin(), *args], cwd=ROOT, env=env, capture_output=True, timeout=300)


def import_report(p, expect=None):
    """The `… import --json` report of a finished run: (exit code, report or None, process). Exit codes other
    than 0 and 1 print no report; a run that does must print exactly one JSON object with the usual keys."""
    out = p.stdout.decode("utf-8", "replace")
    if expect is not None:
        err = p.stderr.decode("utf-8", "replace")
        assert p.returncode == expect, f"exit {p.returncode}, expected {expect}\nstdout: {out[:3000]}\nstderr: {err[:1500]}"
    if p.returncode not in (0, 1):
        return p.returncode, None, p
    try:
        report = json.loads(out)
    except ValueError:
        pytest.fail(f"--json must print exactly one JSON object on stdout, got: {out!r}")
    assert set(report) >= {"stored", "added", "updated", "removed", "errors", "warnings"}, report
    return p.returncode, report, p


def first_sign_in(server: str, username: str, initial: str, final: str) -> None:
    """An account an admin made must change its initial password first (issue 11 §2): sign in with `initial` and
    set `final` through the API, as a new user's first visit does."""
    import urllib.request
    def call(path, body, token=None):
        req = urllib.request.Request(server + path, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json", **({"Authorization": "Bearer " + token} if token else {})})
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, json.loads(r.read() or b"null")
    _, session = call("/api/v1/session", {"username": username, "password": initial})
    status, _ = call("/api/v1/me/password", {"currentPassword": initial, "newPassword": final}, session["token"])
    assert status == 204
