"""Group commit on SQLite: writers that arrive together share one transaction and one commit,
and each still gets exactly its own outcome.

The batches are made deterministic: the first writer's work waits on a gate until the others
have queued behind it, then the test opens the gate. Each writer is a thread with its own
connection to the test database (a file in WAL mode, as in production).
"""

import contextlib
import threading
import time
from datetime import UTC, datetime

import pytest
from django.db import DatabaseError, IntegrityError, connection, connections, transaction

from relaydesk import group_commit
from relaydesk.cases import actions
from relaydesk.cases.acknowledgement import _context as acknowledgement_context
from relaydesk.cases.acknowledgement import ack_context
from relaydesk.cases.errors import DomainError
from relaydesk.cases.models import Case, Customer, Event, EventKind
from relaydesk.org.models import Category
from relaydesk.timekeeping import now, pinned
from tests.factories import make_case, make_customer, make_staff

pytestmark = pytest.mark.django_db(transaction=True)
sqlite_only = pytest.mark.sqlite


class Writer:
    """One thread calling grouped(work) (or `call`); records where the work ran and what came
    back."""

    def __init__(self, name: str, work=None, around=contextlib.nullcontext, call=None):
        self.name = name
        self.call = call or group_commit.grouped
        self.around = around  # what the writer's thread is inside when it calls grouped
        self.work = work or (lambda: Customer.objects.create(name=name, created_at=now()).pk)
        self.ran_in: int | None = None
        self.outer_block = None
        self.saw: list[str] = []
        self.outcome = None
        self.thread = threading.Thread(target=self._run, daemon=True)  # a hang fails, not blocks

    def _job(self):
        self.ran_in = threading.get_ident()
        self.outer_block = connection.atomic_blocks[0] if connection.atomic_blocks else None
        self.saw = sorted(Customer.objects.values_list("name", flat=True))
        return self.work()

    def _run(self):
        try:
            with self.around():
                self.outcome = self.call(self._job)
        except BaseException as error:  # noqa: BLE001 - the outcome is what the tests assert on
            self.outcome = error
        finally:
            connections.close_all()  # this thread's connection only

    def start(self) -> "Writer":
        self.thread.start()
        return self


def queued(count: int) -> None:
    """Wait (at most 10 s) until `count` writers wait behind the one whose work is held."""
    queue = group_commit._queue_for("default")
    deadline = time.monotonic() + 10
    while len(queue.waiting) < count:
        assert time.monotonic() < deadline, f"only {len(queue.waiting)} writers queued"
        time.sleep(0.002)


class Gate:
    """Holds the leading writer's work until the others have queued behind it."""

    def __init__(self, work):
        self.work = work
        self.entered = threading.Event()
        self.opened = threading.Event()

    def held(self):
        self.entered.set()
        assert self.opened.wait(10), "the test never opened the gate"
        return self.work()

    def lead(self, name: str) -> "Writer":
        """Start the writer that leads and wait until its work holds the transaction."""
        writer = Writer(name, self.held).start()
        assert self.entered.wait(10), f"{name} never started its work"
        return writer


def finish(*writers: Writer) -> None:
    for writer in writers:
        writer.thread.join(20)
        assert not writer.thread.is_alive(), f"{writer.name} never finished"


def customer_named(name: str):
    return lambda: Customer.objects.create(name=name, created_at=now()).pk


def queue_behind(*writers: Writer) -> list[Writer]:
    """Start the writers one after another, each queued before the next starts."""
    for number, writer in enumerate(writers, start=1):
        writer.start()
        queued(number)
    return list(writers)


def behind_a_held_writer(*writers: Writer, first: str = "first") -> tuple[Writer, list[Writer]]:
    """Run `first` alone with its transaction held until `writers` have queued behind it in
    order, then let all of them finish: they make the next batch(es)."""
    gate = Gate(customer_named(first))
    leader = gate.lead(first)
    queued_writers = queue_behind(*writers)
    gate.opened.set()
    finish(leader, *queued_writers)
    return leader, queued_writers


@sqlite_only
def test_writers_arriving_together_share_one_transaction_in_arrival_order():
    first, batch = behind_a_held_writer(Writer("second"), Writer("third"), Writer("fourth"))

    assert first.ran_in == first.thread.ident
    assert {w.ran_in for w in batch} == {batch[0].thread.ident}  # run by their leader
    assert len({id(w.outer_block) for w in batch}) == 1  # in one outer transaction
    assert batch[0].outer_block is not None and first.outer_block is not batch[0].outer_block
    assert batch[2].saw == ["first", "second", "third"]  # as if run one after another
    ids = {w.name: w.outcome for w in (first, *batch)}
    assert dict(Customer.objects.values_list("name", "pk")) == ids  # each its own row, committed


@sqlite_only
def test_a_refused_writer_is_rolled_back_alone_and_gets_its_own_error():
    def refuse():
        Customer.objects.create(name="refused", created_at=now())
        raise DomainError("RD-1 is solved; reopen it first.")

    first, batch = behind_a_held_writer(Writer("second"), Writer("refused", refuse), Writer("last"))

    second, refused, last = batch
    assert isinstance(refused.outcome, DomainError)
    assert refused.outcome.message == "RD-1 is solved; reopen it first."
    assert refused.ran_in == second.thread.ident  # it was in the batch, and only it failed
    assert sorted(Customer.objects.values_list("name", flat=True)) == ["first", "last", "second"]
    assert all(isinstance(w.outcome, int) for w in (first, second, last))


@sqlite_only
def test_when_the_shared_commit_fails_every_writer_in_it_gets_the_error_and_nothing_stays():
    def dangling_reference():
        # Foreign keys on SQLite are checked at COMMIT (DEFERRABLE INITIALLY DEFERRED), so
        # this event of a case that does not exist makes the shared commit itself fail.
        Event.objects.create(case_id=987_654_321, kind=EventKind.NOTE, at=now())

    first, batch = behind_a_held_writer(
        Writer("second"), Writer("breaker", dangling_reference), Writer("last")
    )

    assert isinstance(first.outcome, int)  # its own commit, before the failing one
    for writer in batch:
        assert isinstance(writer.outcome, IntegrityError), writer.outcome
    assert list(Customer.objects.values_list("name", flat=True)) == ["first"]
    assert not Event.objects.exists()


@sqlite_only
def test_an_interruption_in_a_writers_work_is_raised_in_that_writers_thread_only():
    def interrupted():
        Customer.objects.create(name="interrupted", created_at=now())
        raise SystemExit("stopped")

    first, batch = behind_a_held_writer(
        Writer("second"), Writer("interrupted", interrupted), Writer("last")
    )

    second, stopped, last = batch
    assert stopped.ran_in == second.thread.ident  # run by the leader of its batch
    assert isinstance(stopped.outcome, SystemExit), stopped.outcome
    for writer in (second, last):  # the batch stopped: nothing of it stayed
        assert isinstance(writer.outcome, DatabaseError), writer.outcome
        assert not isinstance(writer.outcome, IntegrityError)
    assert list(Customer.objects.values_list("name", flat=True)) == ["first"]
    assert not group_commit._queue_for("default").leading


@sqlite_only
def test_a_writers_pinned_time_and_acknowledgement_context_travel_with_its_work():
    moment = datetime(2026, 3, 4, 5, 6, tzinfo=UTC)

    @contextlib.contextmanager
    def pinned_and_automatic():
        with pinned(moment), ack_context(suppress="an out-of-office reply"):
            yield

    def what_the_work_sees():
        return now(), acknowledgement_context.get().suppress

    follower = Writer("follower", what_the_work_sees, around=pinned_and_automatic)
    _, (second, follower) = behind_a_held_writer(Writer("second"), follower)

    assert follower.ran_in == second.thread.ident  # run by the batch's leader, in its context
    assert follower.outcome == (moment, "an out-of-office reply")
    assert moment not in Customer.objects.values_list("created_at", flat=True)  # not the others'
    assert acknowledgement_context.get() is None  # nor this thread's


@sqlite_only
def test_the_lead_passes_to_the_first_writer_left_waiting(monkeypatch):
    monkeypatch.setattr(group_commit, "MAX_BATCH", 2)
    first, queued = behind_a_held_writer(*(Writer(f"w{n}") for n in range(1, 6)), first="w0")
    writers = [first, *queued]

    ran_in = [w.ran_in for w in writers]
    own = [w.thread.ident for w in writers]
    assert ran_in == [own[0], own[1], own[1], own[3], own[3], own[5]]
    assert Customer.objects.count() == 6
    assert not group_commit._queue_for("default").leading  # the last batch let the lead go


@sqlite_only
def test_a_writer_interrupted_as_it_is_handed_the_lead_hands_it_on(monkeypatch):
    quitting = threading.local()

    class InterruptedOnWaking(threading.Event):
        """Ctrl-C reaching the quitter's thread just as it wakes up to lead."""

        def wait(self, timeout=None):
            woke = super().wait(timeout)
            if getattr(quitting, "now", False):
                raise KeyboardInterrupt
            return woke

    def quit_on_waking():
        quitting.now = True
        return contextlib.nullcontext()

    monkeypatch.setattr(group_commit.threading, "Event", InterruptedOnWaking)
    quitter = Writer("quitter", around=quit_on_waking)
    _, (quitter, third) = behind_a_held_writer(quitter, Writer("third"))

    assert isinstance(quitter.outcome, KeyboardInterrupt)
    assert quitter.ran_in is None  # its work never ran
    assert third.ran_in == third.thread.ident  # the lead went on to the next writer
    assert sorted(Customer.objects.values_list("name", flat=True)) == ["first", "third"]
    assert not group_commit._queue_for("default").leading


def test_inside_a_transaction_the_work_joins_it_in_the_callers_thread():
    with transaction.atomic():
        writer_thread = group_commit.grouped(threading.get_ident)
        group_commit.grouped(customer_named("inside"))
        transaction.set_rollback(True)

    assert writer_thread == threading.get_ident()
    assert not Customer.objects.exists()


@sqlite_only
def test_cases_opened_at_once_from_eight_threads_are_each_whole_and_their_own(cast):
    customers = [make_customer(f"Customer {n}", f"c{n}@example.com") for n in range(8)]
    barrier = threading.Barrier(8)
    opened: dict[int, object] = {}

    def open_for(number):
        try:
            barrier.wait(10)
            opened[number] = actions.open_case(
                customer=Customer.objects.get(pk=customers[number].pk),
                category=Category.objects.get(pk=cast.billing.pk),
                subject=f"Problem {number}",
                details={"invoice": f"INV-{number}"},
                channel="email",
            )
        except Exception as error:  # noqa: BLE001 - asserted below
            opened[number] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=open_for, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    for number, case in opened.items():
        assert isinstance(case, Case), case
        stored = Case.objects.get(pk=case.pk)
        assert (stored.subject, stored.customer_id) == (f"Problem {number}", customers[number].pk)
        kinds = sorted(stored.events.values_list("kind", flat=True))
        assert kinds == sorted([EventKind.OPENED, EventKind.ACKNOWLEDGED])
    assert len(opened) == 8
    assert len({case.ref for case in opened.values()}) == 8
    owners = Case.objects.values_list("owner__username", flat=True)
    assert sorted(owners) == sorted(["fran"] * 4 + ["fiona"] * 4)  # least loaded, in order


@sqlite_only
def test_staff_acting_at_once_each_get_their_own_outcome(cast):
    """Staff actions go through group commit too: six people take six cases at once while a
    seventh tries to take a case that is solved."""
    takers = [make_staff(f"taker{n}", cast.tiers["specialist"]).user for n in range(7)]
    cases = [make_case(category=cast.billing, acting=cast.fran) for _ in range(7)]
    actions.solve(cases[6], acting=cast.fran, resolution="Refunded.", one_off_reason="Typo.")
    barrier = threading.Barrier(7)
    outcomes: dict[int, object] = {}

    def take(number):
        try:
            barrier.wait(10)
            outcomes[number] = actions.take(
                Case.objects.get(pk=cases[number].pk), acting=takers[number]
            )
        except Exception as error:  # noqa: BLE001 - asserted below
            outcomes[number] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=take, args=(n,), daemon=True) for n in range(7)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    for number in range(6):
        assert isinstance(outcomes[number], Case), outcomes[number]
        case = Case.objects.get(pk=cases[number].pk)
        assert case.owner == takers[number]
        taken = case.events.get(kind=EventKind.TAKEN)
        assert (taken.from_owner, taken.to_owner) == (cast.fran, takers[number])
    assert isinstance(outcomes[6], DomainError) and "reopen it first" in outcomes[6].message
    assert Case.objects.get(pk=cases[6].pk).owner == cast.fran


@pytest.mark.pg
def test_on_postgresql_each_writer_commits_alone_in_its_own_thread():
    gate = Gate(customer_named("first"))
    first = gate.lead("first")
    second = Writer("second").start()
    second.thread.join(20)  # not queued behind the first: PostgreSQL writes concurrently
    assert second.ran_in == second.thread.ident
    assert second.outer_block is not None
    gate.opened.set()
    finish(first)
    assert first.ran_in == first.thread.ident
    assert sorted(Customer.objects.values_list("name", flat=True)) == ["first", "second"]


@sqlite_only
def test_exclusive_work_runs_alone_between_the_batches_queued_around_it():
    alone = Writer("alone", call=group_commit.exclusive)
    first, (second, alone, third, fourth) = behind_a_held_writer(
        Writer("second"), alone, Writer("third"), Writer("fourth")
    )

    assert second.ran_in == second.thread.ident  # the batch ends before the exclusive work
    assert alone.ran_in == alone.thread.ident  # on its own thread
    assert alone.outer_block is None  # in no transaction
    assert alone.saw == ["first", "second"]
    assert third.ran_in == fourth.ran_in == third.thread.ident  # the writers after it: a batch
    assert third.saw == ["alone", "first", "second"]
    assert Customer.objects.count() == 5


@sqlite_only
def test_writers_arriving_during_exclusive_work_wait_for_it():
    gate = Gate(customer_named("alone"))
    alone = Writer("alone", gate.held, call=group_commit.exclusive).start()
    assert gate.entered.wait(10)
    later = queue_behind(Writer("later"))[0]

    assert later.outcome is None and later.ran_in is None  # still waiting its turn
    gate.opened.set()
    finish(alone, later)
    assert later.saw == ["alone"]
    assert isinstance(later.outcome, int)
