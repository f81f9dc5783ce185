"""The load run's people: 50 staff on the staff pages, and customers' mail over real SMTP.

Run by `python -m bench.load` (which prepares the plan this reads from $LOAD_PLAN); alone:

    LOAD_PLAN=plan.json locust -f bench/load/locustfile.py --headless -u 55 -r 55 -t 60s \
        --host http://127.0.0.1:PORT

Staff (FastHttpUser, signed in with a session made beforehand) click every 1-3 s: My cases,
the queue, a case page, a reply on one of their cases, a take from the queue. Mail users
(`fixed_count` of them, one message a second each) send new messages from 50 senders.
A take refused because someone of a higher tier (or the deadline) took the case between
the queue being read and the click is the product answering right (409 with its sentence):
it is counted as "take refused (race)", apart from errors.
"""

import itertools
import json
import os
import random
import re
import smtplib
import time
from email.message import EmailMessage
from email.utils import make_msgid

from locust import User, between, constant_pacing, events, task
from locust.contrib.fasthttp import FastHttpUser
from requests.cookies import create_cookie

PLAN = json.loads(open(os.environ["LOAD_PLAN"]).read())  # noqa: SIM115 - read once at import
REF = re.compile(r'href="/cases/(RD-\d+)/"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
RACE = ("cannot take it from above", "is already yours")
REPLY = "Thank you for your patience. I have checked your booking and I am dealing with it."
staff_logins = itertools.cycle(sorted(PLAN["sessions"].items()))
mail_numbers = itertools.count()


class Staff(FastHttpUser):
    wait_time = between(1, 3)

    def on_start(self):
        username, session = next(staff_logins)
        self.username = username
        host = "127.0.0.1"
        self.client.cookiejar.set_cookie(create_cookie("sessionid", session, domain=host))
        self.mine: list[str] = []
        self.queued: list[str] = []
        self.csrf = ""
        self.my_cases()

    def page(self, path: str, name: str) -> str:
        with self.client.get(path, name=name, catch_response=True) as response:
            text = response.text or ""
            if response.status_code != 200 or "<html" not in text:
                response.failure(f"{response.status_code} for {path}")
                return ""
            found = CSRF.search(text)
            if found:
                self.csrf = found.group(1)
            return text

    @task(3)
    def my_cases(self):
        self.mine = REF.findall(self.page("/", "my cases"))

    @task(2)
    def queue(self):
        self.queued = REF.findall(self.page("/queue/", "queue"))

    @task(4)
    def case_page(self):
        refs = self.mine + self.queued or PLAN["refs"]
        self.page(f"/cases/{random.choice(refs)}/", "case page")

    @task(1)
    def reply(self):
        if not self.mine:
            return self.my_cases()
        ref = random.choice(self.mine)
        form = {"csrfmiddlewaretoken": self.csrf, "reply-body": REPLY}
        self.post(f"/cases/{ref}/reply/", form, "reply")

    @task(1)
    def take(self):
        self.queue()
        if not self.queued:
            return
        ref = random.choice(self.queued)
        form = {"csrfmiddlewaretoken": self.csrf, "from": "queue"}
        self.post(f"/cases/{ref}/take/", form, "take")

    def post(self, path: str, form: dict, name: str) -> None:
        headers = {"HX-Request": "true", "X-CSRFToken": self.csrf}
        started = time.perf_counter()
        with self.client.post(
            path, data=form, headers=headers, name=name, catch_response=True
        ) as response:
            text = response.text or ""
            if response.status_code == 200:
                return
            if name == "take" and response.status_code == 409 and any(w in text for w in RACE):
                response.success()
                events.request.fire(
                    request_type="POST",
                    name="take refused (race)",
                    response_time=(time.perf_counter() - started) * 1000,
                    response_length=len(text),
                    exception=None,
                    context={},
                )
                return
            response.failure(f"{response.status_code} for {path}: {text[:200]!r}")


class Mail(User):
    """One message a second each; `fixed_count` of them make the rate (5 → 5 messages/s)."""

    fixed_count = PLAN["mail_users"]
    wait_time = constant_pacing(1)

    @task
    def send(self):
        number = next(mail_numbers)
        sender = number % PLAN["senders"]
        mail = EmailMessage()
        mail["From"] = f"Customer {sender} <customer.{sender}@senders.example>"
        mail["To"] = PLAN["support"]
        mail["Subject"] = f"Question {number}: my ticket from platform {number % 12}"
        mail["Message-ID"] = make_msgid(domain="senders.example")
        mail.set_content(f"Hello,\n\nMessage {number}: the machine kept my card.\n\nThanks")
        started = time.perf_counter()
        error = None
        try:
            with smtplib.SMTP("127.0.0.1", PLAN["smtp_port"], timeout=30) as client:
                client.send_message(mail)
        except (OSError, smtplib.SMTPException) as problem:
            error = problem
        events.request.fire(
            request_type="SMTP",
            name="mail in (new case)",
            response_time=(time.perf_counter() - started) * 1000,
            response_length=len(bytes(mail)),
            exception=error,
            context={},
        )
