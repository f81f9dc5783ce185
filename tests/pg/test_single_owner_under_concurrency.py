"""The single-owner invariant when people act at the same moment (PostgreSQL row locks).

Each thread has its own database connection (Django's connections are per thread) and closes
it at the end; a Barrier releases them together so the actions really overlap.
"""

import threading

import pytest
from django.contrib.auth.models import User
from django.db import connections

from relaydesk.cases import actions
from relaydesk.cases.errors import DomainError
from relaydesk.cases.models import Case, Event, EventKind
from tests.factories import make_case, make_staff

pytestmark = [pytest.mark.pg, pytest.mark.django_db(transaction=True)]

THREADS = 16


def run_together(jobs):
    """Run the callables at once; return what each returned or raised, in order."""
    barrier = threading.Barrier(len(jobs))
    outcomes: list = [None] * len(jobs)

    def runner(index, job):
        try:
            barrier.wait(timeout=30)
            outcomes[index] = job()
        except Exception as error:  # noqa: BLE001 - the outcome is what the test asserts on
            outcomes[index] = error
        finally:
            connections.close_all()  # this thread's connections only

    threads = [threading.Thread(target=runner, args=pair) for pair in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread hung"
    return outcomes


def taker(case_pk, user_pk):
    def job():
        acting = User.objects.select_related("staff__tier").get(pk=user_pk)
        return actions.take(Case.objects.get(pk=case_pk), acting=acting)

    return job


def assert_one_unbroken_chain(case, *, first_owner):
    """Each ownership event starts where the previous one ended, and the last ends at the owner."""
    owner = first_owner.pk
    events = list(
        Event.objects.filter(case=case, kind__in=[EventKind.TAKEN, EventKind.PASSED]).order_by("id")
    )
    for event in events:
        assert event.from_owner_id == owner, f"event {event.pk} starts from a stale owner"
        owner = event.to_owner_id
    case.refresh_from_db()
    assert case.owner_id == owner
    return events


def test_sixteen_people_taking_one_case_at_once_leave_one_unbroken_chain(cast):
    takers = [
        make_staff(f"taker{number}", cast.tiers["specialist"]).user for number in range(THREADS)
    ]
    case = make_case(category=cast.billing, acting=cast.fran)

    outcomes = run_together([taker(case.pk, user.pk) for user in takers])

    assert [o for o in outcomes if isinstance(o, Exception)] == []
    events = assert_one_unbroken_chain(case, first_owner=cast.fran)
    assert len(events) == THREADS  # no lost update: every take is in the history
    assert {event.to_owner_id for event in events} == {user.pk for user in takers}
    assert case.tier == cast.tiers["specialist"]
    assert case.owner_id == events[-1].to_owner_id


def test_takers_from_mixed_tiers_are_refused_cleanly_once_the_case_climbs_above_them(cast):
    tiers = ["frontline", "specialist", "expert", "manager"]
    takers = [
        make_staff(f"taker{number}", cast.tiers[tiers[number % 4]]).user
        for number in range(THREADS)
    ]
    case = make_case(category=cast.billing, acting=cast.fran)

    outcomes = run_together([taker(case.pk, user.pk) for user in takers])

    refused = [o for o in outcomes if isinstance(o, Exception)]
    assert all(isinstance(error, DomainError) for error in refused), refused
    assert all("cannot take it from above" in error.message for error in refused)
    events = assert_one_unbroken_chain(case, first_owner=cast.fran)
    assert len(events) + len(refused) == THREADS
    winners = {user.pk for user, o in zip(takers, outcomes, strict=True) if isinstance(o, Case)}
    assert {event.to_owner_id for event in events} == winners
    for event in events:  # nobody ever took it from above their tier
        assert event.to_tier.rank >= event.from_tier.rank


def test_pass_racing_solve_has_exactly_one_winner_and_a_consistent_case(cast):
    rounds = 25
    tally = {"passed": 0, "solved": 0}
    for number in range(rounds):
        case = make_case(category=cast.billing, acting=cast.fran, subject=f"Race {number}")

        def pass_up(case_pk=case.pk):
            acting = User.objects.get(pk=cast.fran.pk)
            return actions.pass_case(
                Case.objects.get(pk=case_pk),
                acting=acting,
                to_user=User.objects.get(pk=cast.sam.pk),
                reason="needs_expertise",
                note="Over to you.",
            )

        def solve(case_pk=case.pk):
            acting = User.objects.get(pk=cast.fran.pk)
            return actions.solve(
                Case.objects.get(pk=case_pk),
                acting=acting,
                resolution="Refunded.",
                one_off_reason="Once.",
            )

        passed, solved = run_together([pass_up, solve])

        winners = [o for o in (passed, solved) if isinstance(o, Case)]
        losers = [o for o in (passed, solved) if isinstance(o, Exception)]
        assert len(winners) == 1 and len(losers) == 1, (passed, solved)
        assert isinstance(losers[0], DomainError), losers[0]
        case.refresh_from_db()
        kinds = list(case.events.values_list("kind", flat=True))
        if isinstance(passed, Case):
            tally["passed"] += 1
            assert solved.message == (
                f"Only the owner can solve {case.ref}; it is owned by Sam Special."
            )
            assert (case.status, case.owner) == ("open", cast.sam)
            assert case.solved_at is None and case.solved_by is None
            assert kinds.count(EventKind.PASSED) == 1 and EventKind.SOLVED not in kinds
        else:
            tally["solved"] += 1
            assert passed.message == f"{case.ref} is solved; it cannot be passed."
            assert (case.status, case.owner, case.solved_by) == ("solved", cast.fran, cast.fran)
            assert kinds.count(EventKind.SOLVED) == 1 and EventKind.PASSED not in kinds
        assert_one_unbroken_chain(case, first_owner=cast.fran)
    print(f"pass won {tally['passed']}, solve won {tally['solved']} of {rounds} rounds")
    assert sum(tally.values()) == rounds
