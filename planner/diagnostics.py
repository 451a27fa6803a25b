"""Compiler-style diagnostics for files that people write.

A diagnostic names the file, line and column, a stable code, the rule or field it
is about, and a hint. They render as::

    rulesets/x.yaml:12:9: error[unknown-fact]: unknown fact 'last_week.mile'
       12 |       - last_week.mile >= 10
          |         ^^^^^^^^^^^^^^
       in rule 'load-progression'
       hint: did you mean 'last_week.miles'?
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path


class Severity(StrEnum):
    """How bad a diagnostic is; only errors make a file unusable."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Span:
    """A place in a source file; line and column are 1-based."""

    path: str
    line: int
    column: int
    length: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem found in a file."""

    code: str
    message: str
    span: Span | None
    severity: Severity = Severity.ERROR
    subject: str | None = None  # "rule 'x'", "field current.weekly_miles", ...
    hint: str | None = None

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready mapping of this diagnostic."""
        return {
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "file": self.span.path if self.span else None,
            "line": self.span.line if self.span else None,
            "column": self.span.column if self.span else None,
            "subject": self.subject,
            "hint": self.hint,
        }


@dataclass
class SourceText:
    """The text of a file, kept so diagnostics can quote the offending line."""

    path: str
    text: str
    _lines: list[str] = field(init=False)

    def __post_init__(self) -> None:
        self._lines = self.text.splitlines()

    def line(self, number: int) -> str | None:
        """The 1-based line ``number``, or None when it does not exist."""
        if 1 <= number <= len(self._lines):
            return self._lines[number - 1]
        return None


def suggest(word: str, options: Iterable[str]) -> str | None:
    """A did-you-mean suggestion for ``word`` among ``options``, or None."""
    matches = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return matches[0] if matches else None


def did_you_mean(word: str, options: Iterable[str], *, what: str = "allowed") -> str:
    """A hint sentence: a close match if there is one, else the allowed values."""
    opts = sorted(set(options))
    close = suggest(word, opts)
    if close is not None:
        return f"did you mean {close!r}?"
    shown = ", ".join(opts[:12]) + (", ..." if len(opts) > 12 else "")
    return f"{what}: {shown}"


def sort_key(d: Diagnostic) -> tuple[str, int, int, str]:
    """Order diagnostics by file position so output reads top to bottom."""
    if d.span is None:
        return ("", 0, 0, d.code)
    return (d.span.path, d.span.line, d.span.column, d.code)


MAX_SHOWN_DIAGNOSTICS = 50  # the rest are counted, not printed
LINE_WINDOW = 100  # characters of a long quoted line shown around the column
ELLIPSIS = "\u2026"  # marks where a windowed line goes on
MAX_MESSAGE = 300  # characters of a message or hint (they may quote user text)
# C0/C1 controls, and the bidirectional overrides that can make a line read in another order.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def safe_text(text: str) -> str:
    """Text with control characters shown as escapes, so a file cannot drive the terminal."""
    return _CONTROL.sub(
        lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256 else f"\\u{ord(m.group()):04x}", text
    )


def _clip(text: str, limit: int = MAX_MESSAGE) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _window(text: str, column: int, length: int) -> tuple[str, int, int]:
    """A window of a long line around ``column``: (text, column in it, caret length).

    At most :data:`LINE_WINDOW` characters of the line, a third of them before the
    column, with ``…`` where the line goes on: a minified JSON plan is one line of tens
    of kilobytes, and the place that matters is a few characters of it.
    """
    if len(text) <= LINE_WINDOW:
        return text, column, length
    start = max(0, min(column - 1 - LINE_WINDOW // 3, len(text) - LINE_WINDOW))
    end = min(len(text), start + LINE_WINDOW)
    prefix = ELLIPSIS if start > 0 else ""
    suffix = ELLIPSIS if end < len(text) else ""
    carets = max(1, min(length, LINE_WINDOW // 2, end - (column - 1)))  # a span may cover most of the line
    return prefix + text[start:end] + suffix, column - start + len(prefix), carets


def render_text(diagnostics: Sequence[Diagnostic], sources: dict[str, SourceText]) -> str:
    """Render diagnostics compiler-style, quoting the source line with a caret.

    Long lines are shown as a window around the column, messages are capped, and after
    :data:`MAX_SHOWN_DIAGNOSTICS` the rest are counted; control characters are escaped.
    """
    out: list[str] = []
    ordered = sorted(diagnostics, key=sort_key)
    for d in ordered[:MAX_SHOWN_DIAGNOSTICS]:
        where = f"{d.span}: " if d.span else ""
        out.append(f"{where}{d.severity.value}[{d.code}]: {_clip(d.message)}")
        src = sources.get(d.span.path) if d.span else None
        text = src.line(d.span.line) if (src and d.span) else None
        if d.span and text is not None:
            shown, column, length = _window(text.expandtabs(1), d.span.column, d.span.length)
            gutter = f"{d.span.line:>5} | "
            out.append(f"{gutter}{safe_text(shown)}")
            carets = "^" * max(1, min(length, max(1, len(shown) - column + 1)))
            out.append(" " * (len(gutter) - 2) + "| " + " " * (column - 1) + carets)
        if d.subject:
            out.append(f"      in {_clip(d.subject, 120)}")
        if d.hint:
            out.append(f"      hint: {_clip(d.hint)}")
    if len(ordered) > MAX_SHOWN_DIAGNOSTICS:
        out.append(f"... and {len(ordered) - MAX_SHOWN_DIAGNOSTICS} more (use --format json for all)")
    return safe_text("\n".join(out))


def render_json(diagnostics: Sequence[Diagnostic]) -> str:
    """Render diagnostics as a JSON array (stable order)."""
    return json.dumps([d.as_dict() for d in sorted(diagnostics, key=sort_key)], indent=2)


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    """Whether any diagnostic is an error."""
    return any(d.severity is Severity.ERROR for d in diagnostics)


STDIN = "-"  # the conventional name of standard input (and output, for -o)
STDIN_NAME = "<stdin>"  # how standard input is named in messages


def is_stdin(path: Path | str | None) -> bool:
    """Whether a path given on the command line means standard input (or, for -o, output)."""
    return path is not None and str(path) == STDIN


def display_path(path: Path | str) -> str:
    """A path as it should appear in messages: relative to the cwd when possible; ``-`` is ``<stdin>``."""
    if is_stdin(path):
        return STDIN_NAME
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError, RuntimeError):  # outside the cwd, or a symbolic link loop
        return str(p)
