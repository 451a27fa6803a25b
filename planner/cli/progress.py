"""A progress bar for long work, on stderr, only when stderr is a terminal.

Pipes, files, CI logs and tests get nothing from here: the bar is transient (it clears
itself when the work is done) and never reaches stdout, whose bytes stay the same.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn


def stderr_console(no_color: bool = False) -> Console:
    """The console a bar draws on: stderr, as rich sees it (tests replace this to force a terminal)."""
    return Console(file=sys.stderr, no_color=no_color or None, highlight=False, markup=False, emoji=False)


@contextlib.contextmanager
def progress(total: int, what: str, *, no_color: bool = False) -> Iterator[Callable[[], None]]:
    """A bar of ``total`` steps on a terminal (nothing elsewhere); the body calls what it yields after each."""
    console = stderr_console(no_color)
    if not console.is_terminal or total <= 1:
        yield lambda: None
        return
    bar = Progress(
        TextColumn(what),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
    )
    with bar:
        task = bar.add_task(what, total=total)
        yield lambda: bar.advance(task)
