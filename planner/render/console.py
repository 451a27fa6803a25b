"""Rich renderables to text: the width, and colour only for a terminal that wants it.

Everything that reaches a file, a pipe or a test is plain text of a fixed width (no ANSI
codes, the same bytes every time): the console is told its width and its colours and reads
nothing from the environment itself. Only :func:`terminal_settings` looks at the terminal,
``NO_COLOR`` and ``COLUMNS``, and the CLI passes what it decides.
"""

from __future__ import annotations

import functools
import io
import os
import shutil
from collections.abc import Iterable, Mapping
from typing import IO, Any

from rich import box
from rich.cells import cell_len
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from planner.diagnostics import safe_text
from planner.models.plan import Plan
from planner.render import PLAIN_WIDTH  # a file or a pipe: wide enough for the tables, narrow enough to read

MIN_WIDTH = 40  # below this the tables cannot hold their longest words


def console(width: int, color: bool, file: IO[str] | None = None) -> Console:
    """A console of exactly ``width`` cells, with colours or with none, deaf to the environment."""
    return Console(
        file=file if file is not None else io.StringIO(),
        width=max(width, MIN_WIDTH),
        force_terminal=color,
        color_system="standard" if color else None,
        no_color=not color,
        highlight=False,
        markup=False,
        emoji=False,
        soft_wrap=False,
        legacy_windows=False,
        force_jupyter=False,
        force_interactive=False,
        _environ={},
    )


def to_text(parts: Iterable[RenderableType], width: int = PLAIN_WIDTH, color: bool = False) -> str:
    """The renderables one after the other, as text; plain text has no trailing blanks."""
    out = console(width, color)
    out.print(Group(*parts))  # one print: the same text as one print per part, a fifth faster
    assert isinstance(out.file, io.StringIO)
    text = out.file.getvalue()
    if color:
        return text
    return "".join(line.rstrip() + "\n" for line in text.splitlines())


def no_color_wanted(environ: Mapping[str, str] | None = None) -> bool:
    """``NO_COLOR`` set to anything but the empty string (https://no-color.org)."""
    return bool((environ if environ is not None else os.environ).get("NO_COLOR"))


def plain_width(environ: Mapping[str, str] | None = None) -> int:
    """The width of plain output: ``COLUMNS`` when it is a number, else :data:`PLAIN_WIDTH`."""
    value = (environ if environ is not None else os.environ).get("COLUMNS", "")
    return max(int(value), MIN_WIDTH) if value.isdigit() and int(value) > 0 else PLAIN_WIDTH


def terminal_settings(stream: IO[str], no_color: bool = False) -> tuple[int, bool]:
    """(width, colour) for output to ``stream``: the terminal's own, or plain text of a fixed width."""
    try:
        tty = stream.isatty()
    except (AttributeError, ValueError):  # closed, or not a real file
        tty = False
    if not tty:
        return plain_width(), False
    width = shutil.get_terminal_size((PLAIN_WIDTH, 24)).columns
    return max(width, MIN_WIDTH), not (no_color or no_color_wanted())


def fitted_table(
    headers: list[str],
    rows: list[list[str]],
    width: int,
    *,
    right: tuple[int, ...] = (),
    no_wrap: tuple[int, ...] = (),
) -> Table:
    """A table of at most ``width`` cells whose columns are never narrower than their longest word.

    Rich shrinks the widest columns first when a table is too wide, even below a word's
    length, and then breaks the word. Here each column gets its longest word, and the room
    left is shared out by how much more each column would take to hold its longest cell.
    """
    cells = [headers, *rows]
    columns = range(len(headers))
    longest = [max(cell_len(row[i]) for row in cells) for i in columns]
    words = [max((cell_len(word) for row in cells for word in row[i].split()), default=1) for i in columns]
    # A column kept on one line still lets its header wrap ("Long run" over "6.7 mi").
    whole = [max([cell_len(row[i]) for row in rows] + [cell_len(w) for w in headers[i].split()]) for i in columns]
    least = [whole[i] if i in no_wrap else words[i] for i in columns]
    widths = _share(least, longest, width - _overhead(len(headers)))
    table = _bare_table()
    for i, head in enumerate(headers):
        table.add_column(Text(head), width=widths[i], justify="right" if i in right else "left", overflow="fold")
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))
    return table


def _bare_table() -> Table:
    return Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False, show_edge=False, padding=(0, 1))


@functools.cache
def _overhead(columns: int) -> int:
    """The cells a table of ``columns`` columns takes beyond its columns' widths (padding, separators).

    Measured, not assumed: rich releases differ in how they pad the edge columns.
    """
    table = _bare_table()
    for _ in range(columns):
        table.add_column(width=1)
    table.add_row(*("x" * columns))
    out = console(1000, False)
    out.print(table)
    assert isinstance(out.file, io.StringIO)
    return max(cell_len(line) for line in out.file.getvalue().splitlines()) - columns


def _share(least: list[int], most: list[int], room: int) -> list[int]:
    """Widths between ``least`` and ``most`` that add up to ``room`` where they can (the largest remainders win)."""
    if sum(most) <= room:
        return most
    spare = room - sum(least)
    if spare <= 0:
        return least  # a terminal too narrow for the longest words: rich folds them
    wants = [m - lo for lo, m in zip(least, most, strict=True)]
    total = sum(wants)
    shares = [spare * w / total for w in wants]
    widths = [lo + int(s) for lo, s in zip(least, shares, strict=True)]
    left = room - sum(widths)
    for i in sorted(range(len(widths)), key=lambda i: (int(shares[i]) - shares[i], i))[:left]:
        widths[i] += 1
    return widths


def _escaped(value: Any) -> Any:
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, list):
        return [_escaped(v) for v in value]
    if isinstance(value, dict):
        return {k: _escaped(v) for k, v in value.items()}
    return value


def escaped_plan(plan: Plan) -> Plan:
    """The plan with control characters in every text shown as escapes.

    Colours are escape sequences, so coloured output cannot be escaped after it is made:
    the user's text (names, a ruleset's words) is escaped before the colours go in.
    """
    return Plan.model_validate(_escaped(plan.model_dump(mode="json", by_alias=True)))
