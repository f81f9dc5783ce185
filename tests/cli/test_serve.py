"""`relaydesk serve`: the two-command quick start really works, and an empty install explains."""

import http.cookiejar
import re
import signal
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from tests.cli.processes import REPO, clean_env, free_port, relaydesk_command, run

DEMO_CASES = "150"  # enough for every state; the full 2,000 are the default


def test_serve_without_a_company_explains_the_two_ways_to_start(tmp_path):
    result = run(["serve", "--port", str(free_port())], tmp_path)

    assert result.returncode != 0
    assert "relaydesk init FILE" in result.stderr
    assert "relaydesk serve --demo" in result.stderr
    assert "Serving" not in result.stdout


class Browser:
    """A person with a browser: cookies kept, forms posted with their CSRF token."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path: str) -> tuple[int, str, str]:
        with self.opener.open(self.base + path, timeout=30) as response:
            return response.status, response.geturl(), response.read().decode()

    def post(self, path: str, fields: dict) -> tuple[int, str, str]:
        data = urllib.parse.urlencode(fields).encode()
        request = urllib.request.Request(  # noqa: S310 - our own server on loopback
            self.base + path, data=data, method="POST"
        )
        with self.opener.open(request, timeout=30) as response:
            return response.status, response.geturl(), response.read().decode()

    def log_in(self, username: str, password: str) -> str:
        _, _, page = self.get("/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        _, url, page = self.post(
            "/login/",
            {"csrfmiddlewaretoken": token, "username": username, "password": password},
        )
        assert not url.endswith("/login/"), "the login was refused"
        return page


def wait_until_serving(process: subprocess.Popen, base: str, limit: float = 300) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read()
            pytest.fail(f"relaydesk serve exited with {process.returncode}:\n{output}")
        try:
            with urllib.request.urlopen(base + "/login/", timeout=5):  # noqa: S310 - loopback
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)  # waiting for a real server process to come up, not for time
    pytest.fail(f"relaydesk serve did not answer at {base} within {limit} s")


ATTACHMENT_LIMIT = 100_000


def status_of_oversized_post(port: int) -> int:
    """Announce a /contact body far over what a form with files may carry, send none of it:
    the server must refuse it from the headers, before reading (or buffering) anything."""
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.putrequest("POST", "/contact")
        connection.putheader("Content-Type", "multipart/form-data; boundary=x")
        connection.putheader("Content-Length", str(50 * ATTACHMENT_LIMIT))
        connection.endheaders()
        return connection.getresponse().status
    finally:
        connection.close()


def test_the_quick_start_serves_the_demo_and_frontline_sees_their_cases(tmp_path):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [*relaydesk_command(), "serve", "--demo", "--port", str(port)],
        cwd=REPO,
        env=clean_env(
            tmp_path,
            RELAYDESK_DEMO_CASES=DEMO_CASES,
            RELAYDESK_MAIL_MAX_ATTACHMENT_BYTES=str(ATTACHMENT_LIMIT),
        ),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_until_serving(process, base)
        assert status_of_oversized_post(port) == 413
        browser = Browser(base)

        page = browser.log_in("frontline", "demo")

        assert "My cases" in page
        refs = set(re.findall(r"RD-\d+", page))
        assert refs, "My cases lists no case for frontline"
        status, _, css = browser.get("/static/admin/css/base.css")
        assert status == 200 and css  # static files come through whitenoise
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            output, _ = process.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            raise
    assert process.returncode == 0, output
    assert "Built the demo: 150 cases" in output
    assert "frontline   / demo" in output
    assert "Relaydesk stopped." in output


def test_serve_refuses_a_port_that_is_taken(tmp_path):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        home = tmp_path
        init = run(["init", str(REPO / "examples" / "demo-company.toml")], home)
        assert init.returncode == 0, init.stderr

        result = run(["serve", "--no-worker", "--port", str(port)], home)

    assert result.returncode != 0
    assert f"Cannot listen on 127.0.0.1:{port}" in result.stderr
