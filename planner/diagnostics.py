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


def render_text(diagnostics: Sequence[Diagnostic], sources: dict[str, SourceText]) -> str:
    """Render diagnostics compiler-style, quoting the source line with a caret."""
    out: list[str] = []
    for d in sorted(diagnostics, key=sort_key):
        where = f"{d.span}: " if d.span else ""
        out.append(f"{where}{d.severity.value}[{d.code}]: {d.message}")
        src = sources.get(d.span.path) if d.span else None
        text = src.line(d.span.line) if (src and d.span) else None
        if d.span and text is not None:
            gutter = f"{d.span.line:>5} | "
            out.append(f"{gutter}{text}")
            carets = "^" * max(1, min(d.span.length, max(1, len(text) - d.span.column + 1)))
            out.append(" " * (len(gutter) - 2) + "| " + " " * (d.span.column - 1) + carets)
        if d.subject:
            out.append(f"      in {d.subject}")
        if d.hint:
            out.append(f"      hint: {d.hint}")
    return "\n".join(out)


def render_json(diagnostics: Sequence[Diagnostic]) -> str:
    """Render diagnostics as a JSON array (stable order)."""
    return json.dumps([d.as_dict() for d in sorted(diagnostics, key=sort_key)], indent=2)


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    """Whether any diagnostic is an error."""
    return any(d.severity is Severity.ERROR for d in diagnostics)


def display_path(path: Path | str) -> str:
    """A path as it should appear in messages: relative to the cwd when possible."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(p)
