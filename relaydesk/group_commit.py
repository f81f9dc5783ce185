"""Group commit: on SQLite, writers that arrive together share one transaction and one commit.

SQLite lets one connection write at a time, and a commit costs what writing three to six
cases costs (bench/open_case.py): every page the transaction touched is appended to the WAL
again. Eight request threads opening cases at once each waited for the write lock, which
SQLite hands out unfairly (a waiting connection sleeps and retries: one call in a hundred
waited 56–241 ms), then paid a commit of their own.

With `grouped(work)`, the first writer to arrive leads: it opens one transaction, runs its own
work and the work of every writer that queued meanwhile, each in a savepoint of its own,
commits once, and wakes them. The next leader is the first writer that queued while that
commit ran, so nobody waits longer than the batch ahead of them. open_case, the staff intake
page and /contact call `grouped`; the staff actions on a case (take, pass, note, solve,
reopen, close) are decorated with `grouping`. `exclusive(work)` takes a turn in the same queue
but runs alone and outside a transaction (the WAL checkpointer's last pages).

For the caller, `grouped(work)` keeps the meaning of `with transaction.atomic(): work()`:
- it returns only after its rows are committed, with work's result, or raises work's
  exception with work's rows rolled back (its savepoint); the others in the batch are not
  affected;
- if the shared commit fails, every caller in the batch gets that error and nothing of theirs
  is written;
- work sees the rows of the works run before it in the batch (as if run one after another);
- a BaseException from a work (an interruption, such as SystemExit) stops the batch: nothing
  of it is written, that work's caller gets it and the others a DatabaseError.

The difference: work may run on the leading thread. It runs there in a copy of its caller's
context, so context variables travel with it (the clock pinned by the demo, the mail intake's
acknowledgement context), but thread-local state other than the database connection does not
(none of the actions uses any); and it must not register `transaction.on_commit` hooks that
raise. Inside a transaction already, on PostgreSQL (which
has concurrent writers and its own group commit), or for a single writer, work runs directly
in `transaction.atomic()`.
"""

import contextvars
import functools
import threading
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction

T = TypeVar("T")
P = ParamSpec("P")

# A batch is bounded so a writer queued behind it waits for at most this many works.
MAX_BATCH = 64


class _Pending:
    __slots__ = ("work", "alone", "context", "done", "result", "error", "leads")

    def __init__(self, work: Callable[[], object], *, alone: bool = False):
        self.work = work
        self.alone = alone  # exclusive(): runs by itself, on its own thread, in no transaction
        self.context = contextvars.copy_context()  # the caller's, to run the work in
        self.done = threading.Event()
        self.result: object = None
        self.error: BaseException | None = None
        self.leads = False  # woken to lead the next batch rather than with an outcome


class _Queue:
    def __init__(self):
        self.lock = threading.Lock()
        self.waiting: list[_Pending] = []
        self.leading = False


_queues: dict[str, _Queue] = {}
_queues_lock = threading.Lock()


def _queue_for(using: str) -> _Queue:
    with _queues_lock:
        return _queues.setdefault(using, _Queue())


def grouped(work: Callable[[], T], *, using: str = DEFAULT_DB_ALIAS) -> T:
    """Run `work` in a transaction, sharing the commit with concurrent writers on SQLite."""
    connection = connections[using]
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        with transaction.atomic(using=using):
            return work()
    return _take_turn(_Pending(work), using)


def exclusive(work: Callable[[], T], *, using: str = DEFAULT_DB_ALIAS) -> T:
    """Run `work` on this thread, outside any transaction, while no grouped writer of this
    process writes to `using`: it waits its turn behind the batches queued before it, and
    the writers arriving meanwhile wait for it. The checkpointer (relaydesk/checkpointer.py)
    copies the last of the WAL this way, so the next writer can start the WAL afresh."""
    return _take_turn(_Pending(work, alone=True), using)


def _take_turn(mine: _Pending, using: str):
    queue = _queue_for(using)
    with queue.lock:
        queue.waiting.append(mine)
        mine.leads = not queue.leading
        queue.leading = True
    if not mine.leads:
        try:
            mine.done.wait()
        except BaseException:  # interrupted while waiting (Ctrl-C in a command's thread)
            _abandon(queue, mine)
            raise
    if mine.leads:  # from the start, or handed the lead by the batch before
        _lead(queue, using)
    if mine.error is not None:
        raise mine.error
    return mine.result  # type: ignore[return-value]


def grouping(action: Callable[P, T]) -> Callable[P, T]:
    """For an action that opens its own transaction: called outside one on SQLite, it runs
    through `grouped` (its own atomic block becomes a savepoint of the batch), so a burst of
    staff actions shares commits and queues here instead of on SQLite's lock."""

    @functools.wraps(action)
    def run(*args: P.args, **kwargs: P.kwargs) -> T:
        connection = connections[DEFAULT_DB_ALIAS]
        if connection.vendor != "sqlite" or connection.in_atomic_block:
            return action(*args, **kwargs)
        return grouped(lambda: action(*args, **kwargs))

    return run


def _abandon(queue: _Queue, mine: _Pending) -> None:
    """A writer stops waiting: its work is not run (unless a batch already holds it), and a
    lead handed to it goes on to the next writer, so nobody is left waiting for it."""
    with queue.lock:
        if mine in queue.waiting:
            queue.waiting.remove(mine)
            if mine.leads:
                _pass_lead(queue)


def _pass_lead(queue: _Queue) -> None:
    """Hand the lead to the first writer waiting, or let it go (queue.lock held)."""
    if queue.waiting:
        queue.waiting[0].leads = True
        queue.waiting[0].done.set()
    else:
        queue.leading = False


def _lead(queue: _Queue, using: str) -> None:
    """Run the waiting works (this thread's own first) in one transaction; pass the lead on.

    An exclusive work is never batched: it runs alone, outside a transaction, when its own
    thread leads, and a batch ends before it."""
    with queue.lock:
        batch = []
        for pending in queue.waiting[:MAX_BATCH]:
            if pending.alone and batch:
                break
            batch.append(pending)
            if pending.alone:
                break
        del queue.waiting[: len(batch)]
    try:
        if batch[0].alone:
            batch[0].result = batch[0].context.run(batch[0].work)
            return
        with transaction.atomic(using=using):
            if len(batch) == 1:  # alone: no savepoint needed, its error rolls back all
                batch[0].result = batch[0].context.run(batch[0].work)
            else:
                for pending in batch:
                    try:
                        with transaction.atomic(using=using):
                            pending.result = pending.context.run(pending.work)
                    except Exception as error:  # the writer's own refusal, raised in its thread
                        pending.error = error
                    except BaseException as error:  # an interruption: it stops the batch
                        pending.error = error  # and is raised in its writer's thread
                        raise
            if transaction.get_rollback(using=using):  # a savepoint could not be rolled back
                raise DatabaseError("The shared transaction was rolled back; nothing was written.")
    except BaseException as error:  # the commit (or this thread) failed: nobody's rows stayed
        shared = error
        if not isinstance(error, Exception):
            shared = DatabaseError("The shared transaction was interrupted; nothing was written.")
        for pending in batch:
            if pending.error is None or len(batch) == 1:
                pending.error, pending.result = shared, None
        if shared is not error and not any(p.error is error for p in batch):
            raise  # not another writer's: this thread's own interruption
    finally:
        with queue.lock:
            _pass_lead(queue)
        for pending in batch:
            pending.leads = False
            pending.done.set()
