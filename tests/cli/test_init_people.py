"""`relaydesk init FILE` run again as people change: a tier changed in the file is a dated
promotion; `active = false` lets someone go (their open cases passed on first); `true` takes
them back."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.management import CommandError

from relaydesk.api.tokens import create_token
from relaydesk.cases.models import Case, EventKind, Status
from relaydesk.org.models import Category, Staff
from tests.cli.test_init import GOOD, init, snapshot, write
from tests.factories import make_case

pytestmark = pytest.mark.django_db

FIRST_RUN = datetime(2026, 9, 1, 7, 0, tzinfo=UTC)
PROMOTION_DAY = datetime(2026, 10, 5, 8, 30, tzinfo=UTC)
FIONA = """
[[staff]]
username = "fiona"
name = "Fiona Front"
tier = "frontline"
"""
WITH_FIONA = GOOD.replace("[[categories]]", FIONA + "\n[[categories]]", 1)
FRAN = 'username = "fran"\n'


def fran_gone(text: str = WITH_FIONA) -> str:
    return text.replace(FRAN, FRAN + "active = false\n")


def open_cases_of_fran(count: int) -> list[Case]:
    fran = User.objects.get(username="fran")
    billing = Category.objects.get(slug="billing")
    return [make_case(category=billing, acting=fran) for _ in range(count)]


def test_a_tier_changed_in_the_file_is_a_promotion_dated_in_the_tier_history(tmp_path):
    with time_machine.travel(FIRST_RUN, tick=False):
        init(write(tmp_path, GOOD))
    promoted = GOOD.replace('tier = "frontline"\nlead = "mia"', 'tier = "manager"\nlead = "mia"')

    with time_machine.travel(PROMOTION_DAY, tick=False):
        output = init(write(tmp_path, promoted))

    fran = Staff.objects.get(user__username="fran")
    assert list(fran.tier_history.values_list("tier__slug", "since")) == [
        ("frontline", FIRST_RUN),
        ("manager", PROMOTION_DAY),
    ]
    assert "updated 1 staff" in output


def test_active_false_in_the_file_passes_the_open_cases_on_then_lets_the_person_go(tmp_path):
    init(write(tmp_path, WITH_FIONA))
    cases = open_cases_of_fran(3)

    output = init(write(tmp_path, fran_gone()))

    fran = Staff.objects.select_related("user").get(user__username="fran")
    assert (fran.active, fran.on_duty, fran.user.is_active) == (False, False, False)
    fiona = User.objects.get(username="fiona")
    for case in cases:
        case.refresh_from_db()
        assert case.owner == fiona
        event = case.events.get(kind=EventKind.PASSED)
        assert (event.actor, event.reason, event.data["by"]) == (None, "shift_change", None)
    assert fiona.notifications.count() == 3
    assert "passed on 3 open case(s) of people who left" in output


def test_the_file_that_let_someone_go_changes_nothing_when_run_again(tmp_path):
    init(write(tmp_path, WITH_FIONA))
    open_cases_of_fran(1)
    path = write(tmp_path, fran_gone())
    init(path)
    before = snapshot()

    assert "Nothing to change" in init(path)
    assert snapshot() == before
    assert not Staff.objects.get(user__username="fran").on_duty


def test_a_leaver_whose_case_nobody_can_take_stops_the_file_and_nothing_changes(tmp_path):
    init(write(tmp_path, GOOD))  # fran is the only frontline person
    [case] = open_cases_of_fran(1)
    everyone_off = (
        fran_gone(GOOD)
        .replace('tier = "manager"\n', 'tier = "manager"\non_duty = false\n')
        .replace('tier = "executive"\n', 'tier = "executive"\non_duty = false\n')
    )
    before = snapshot()

    with pytest.raises(CommandError) as refused:
        init(write(tmp_path, everyone_off))

    assert str(refused.value) == (
        f"Nobody at Frontline or above is on duty with the skills for Billing, so {case.ref} "
        "cannot pass on from Fran Okafor. Put someone on duty, then let them go again. "
        "Nothing was changed."
    )
    assert snapshot() == before
    assert Staff.objects.get(user__username="mia").on_duty
    assert Staff.objects.get(user__username="fran").active
    assert Case.objects.get(pk=case.pk).owner.username == "fran"


def test_a_leavers_api_tokens_are_revoked(tmp_path):
    init(write(tmp_path, WITH_FIONA))
    token, _ = create_token(User.objects.get(username="fran"))

    init(write(tmp_path, fran_gone()))

    token.refresh_from_db()
    assert token.is_revoked


def test_active_true_again_takes_the_person_back_on_duty_as_the_file_says(tmp_path):
    init(write(tmp_path, WITH_FIONA))
    init(write(tmp_path, fran_gone()))

    output = init(write(tmp_path, WITH_FIONA))

    fran = Staff.objects.select_related("user").get(user__username="fran")
    assert (fran.active, fran.on_duty, fran.user.is_active) == (True, True, True)
    assert "updated 1 staff" in output
    assert not Case.objects.filter(owner=fran.user, status=Status.OPEN).exists()
