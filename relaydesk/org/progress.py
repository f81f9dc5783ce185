"""The progress bar of a command's long rebuild (rich, on standard error): a bar of steps done
out of steps in all, shown only on a terminal, so a script reading the output gets none. In
org, the base layer, for the rebuild commands of every domain app."""

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

# Told after each step: steps done, steps in all.
Told = Callable[[int, int], None]


@contextmanager
def progress_bar(label: str) -> Iterator[Told]:
    """A bar named `label` for the block; yields what the work tells its progress to."""
    console = Console(file=sys.stderr)
    with Progress(
        *Progress.get_default_columns()[:1],
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    ) as bar:
        task = bar.add_task(label, total=None)

        def told(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield told
