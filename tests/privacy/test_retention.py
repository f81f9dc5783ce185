"""RELAYDESK_RETAIN_CLOSED_DAYS (rule 15): the worker erases customers whose cases all closed
long ago, and nobody else."""

import os
import subprocess
import sys
from datetime import timedelta

import pytest
import time_machine

from relaydesk.cases import actions
from relaydesk.cases.models import Customer, Event
from relaydesk.clock.worker import STEPS, run_due_work
from relaydesk.privacy import retention
from relaydesk.timekeeping import now
from tests import factories

START = now().replace(year=2026, month=3, day=2, hour=9, minute=0, second=0, microsecond=0)


@pytest.fixture(autouse=True)
def fresh_look():
    retention.next_look.clear()
    yield
    retention.next_look.clear()


def _closed_case(cast, customer):
    case = factories.make_case(category=cast.billing, acting=cast.fran, customer=customer)
    actions.solve(case, acting=cast.fran, resolution="Done.", one_off_reason="One-off.")
    return actions.close(case, acting=None, why="Test.")


@pytest.fixture
def customers(cast):
    with time_machine.travel(START, tick=False):
        old = factories.make_customer(name="Olga Old", email="olga@example.com")
        _closed_case(cast, old)
        open_too = factories.make_customer(name="Otto Open", email="otto@example.com")
        _closed_case(cast, open_too)
        factories.make_case(category=cast.billing, acting=cast.fran, customer=open_too)
    with time_machine.travel(START + timedelta(days=50), tick=False):
        recent = factories.make_customer(name="Rita Recent", email="rita@example.com")
        _closed_case(cast, recent)
    return {"old": old, "open": open_too, "recent": recent}


def test_retention_is_a_worker_step(cast):
    assert ("retention", retention.handle_one_retention_batch) in STEPS


def test_off_by_default_nobody_is_erased(cast, customers, settings):
    assert settings.RETAIN_CLOSED_DAYS == 0
    with time_machine.travel(START + timedelta(days=400), tick=False):
        assert retention.handle_one_retention_batch() is False
    assert not Customer.objects.filter(name="Erased customer").exists()


def test_only_customers_whose_cases_all_closed_long_ago_are_erased(cast, customers, settings):
    settings.RETAIN_CLOSED_DAYS = 30
    with time_machine.travel(START + timedelta(days=60), tick=False):
        done = run_due_work()
    assert done["retention"] == 1
    names = dict(Customer.objects.values_list("email", "name"))
    assert names == {
        "": "Erased customer",  # Olga: her one case closed 60 days ago
        "otto@example.com": "Otto Open",  # a case still open
        "rita@example.com": "Rita Recent",  # closed 10 days ago
    }
    erased = Event.objects.filter(reason="customer_erased").get()
    assert erased.actor is None and "RELAYDESK_RETAIN_CLOSED_DAYS" in erased.body


def test_the_step_looks_once_an_hour_and_erases_each_customer_once(cast, customers, settings):
    settings.RETAIN_CLOSED_DAYS = 30
    moment = START + timedelta(days=60)
    with time_machine.travel(moment, tick=False):
        assert retention.handle_one_retention_batch() is True
        assert retention.handle_one_retention_batch() is False  # nothing more due: an hour's rest
    with time_machine.travel(moment + timedelta(days=45), tick=False):
        assert retention.handle_one_retention_batch() is True  # Rita's turn now
        assert retention.handle_one_retention_batch() is False
    assert Event.objects.filter(reason="customer_erased").count() == 2


def test_a_bad_setting_is_refused(tmp_path):
    env = {**os.environ, "RELAYDESK_HOME": str(tmp_path), "RELAYDESK_RETAIN_CLOSED_DAYS": "-1"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    run = subprocess.run(
        [sys.executable, "-c", "import relaydesk.settings"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode != 0
    assert "RELAYDESK_RETAIN_CLOSED_DAYS must be 0 (off) or more" in run.stderr
