"""Browser tests: pytest-playwright's fixtures driving Debian's Chromium, headless.

One approach only: pytest-playwright's `page`, with its launch arguments overridden here.
Never `playwright install`; Chromium comes from `apt-get install -y chromium`.
"""

from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.exists():
        pytest.skip("install Chromium: apt-get install -y chromium")
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "headless": True,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session", autouse=True)
def tone_check_compiled():
    """As a server does when it starts (relaydesk.replies.warm): the live server runs in this
    process, and a first reply that compiled the tone check (about 3 CPU-seconds) outwaited
    the browser's expectations on a busy machine."""
    from relaydesk.replies.warm import warm_up

    warm_up()


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1280, "height": 900}}


@pytest.fixture
def sign_in(page, live_server):
    """sign_in(username) signs the page in through the login form, as a person would."""

    def go(username: str, password: str = "pw"):
        page.context.clear_cookies()
        page.goto(f"{live_server.url}/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{live_server.url}/")
        return page

    return go


@pytest.fixture
def shoot(page, tmp_path):
    """shoot(name) saves a full-page screenshot under the test's tmp dir and returns its path."""

    def take(name: str) -> Path:
        path = tmp_path / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 0
        return path

    return take
