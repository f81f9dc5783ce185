"""One round of each page before the measured minute, as one staff member.

A process pays once for what it builds on first use: templates, URL patterns, and the tone
check's rules (~2 CPU-s at the first reply, relaydesk.replies.tone_rules.loaded). Under
`relaydesk serve` that compile holds the interpreter's lock, so every request thread waits
with it. The load run measures the steady state after this round; docs/operations.md ("Load
run") gives the first reply's cost apart.
"""

import re
import time
import urllib.parse
import urllib.request
from http.cookiejar import Cookie, CookieJar

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REF = re.compile(r'href="/cases/(RD-\d+)/"')


def _cookie(name: str, value: str) -> Cookie:
    return Cookie(
        0, name, value, None, False, "127.0.0.1", True, False, "/", True, False,
        None, False, None, None, {},
    )  # fmt: skip


def warm_up(base: str, session: str, rounds: int = 4) -> float:
    """GET My cases, the queue and a case page, POST a reply; returns the seconds it took."""
    jar = CookieJar()
    jar.set_cookie(_cookie("sessionid", session))
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    started = time.perf_counter()
    for _ in range(rounds):
        mine = opener.open(f"{base}/", timeout=300).read().decode()
        opener.open(f"{base}/queue/", timeout=300).read()
        ref = REF.findall(mine)[0]
        page = opener.open(f"{base}/cases/{ref}/", timeout=300).read().decode()
        form = {
            "csrfmiddlewaretoken": CSRF.findall(page)[0],
            "reply-body": "Thank you for waiting: I am looking into it now.",
        }
        opener.open(
            f"{base}/cases/{ref}/reply/", data=urllib.parse.urlencode(form).encode(), timeout=300
        ).read()
    return time.perf_counter() - started
