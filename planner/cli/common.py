"""What every command shares: exit codes, formats, error reporting, safe writes."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator
from datetime import date
from enum import IntEnum, StrEnum
from pathlib import Path

import typer

from planner.diagnostics import Diagnostic, SourceText, Span, render_json, render_text
from planner.errors import EngineError, InputError


class ExitCode(IntEnum):
    """Documented exit codes (README "Exit codes")."""

    OK = 0  # success, including a plan whose status is race_at_risk or referral
    FINDINGS = 1  # a checking command found problems (violations, failed cases)
    BAD_INPUT = 2  # a file or argument from the user is unusable; nothing was written
    INTERNAL = 3  # the engine failed or the planner has a bug


class DiagnosticFormat(StrEnum):
    """How diagnostics are printed."""

    TEXT = "text"
    JSON = "json"


def print_diagnostics(
    diagnostics: tuple[Diagnostic, ...] | list[Diagnostic],
    sources: dict[str, SourceText],
    fmt: DiagnosticFormat = DiagnosticFormat.TEXT,
) -> None:
    """Diagnostics to stderr."""
    text = render_json(diagnostics) if fmt is DiagnosticFormat.JSON else render_text(diagnostics, sources)
    if text:
        print(text, file=sys.stderr)


@contextlib.contextmanager
def reported_errors(fmt: DiagnosticFormat = DiagnosticFormat.TEXT) -> Iterator[None]:
    """Turn planner errors into messages on stderr and documented exit codes."""
    try:
        yield
    except InputError as error:
        print(f"rtr: {error.summary}", file=sys.stderr)
        print_diagnostics(error.diagnostics, error.sources, fmt)
        raise typer.Exit(ExitCode.BAD_INPUT) from None
    except EngineError as error:
        print(f"rtr: engine error: {error}", file=sys.stderr)
        raise typer.Exit(ExitCode.INTERNAL) from None


def write_atomically(path: Path, text: str, *, protect: tuple[Path, ...] = ()) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename.

    A failure never leaves a half-written file, and an input file is never overwritten.
    """
    target = path.resolve()
    for p in protect:
        if p.exists() and p.resolve() == target:
            raise InputError(
                f"refusing to overwrite the input file {path}",
                [
                    Diagnostic(
                        "output-is-input",
                        f"-o {path} would overwrite an input file",
                        Span(str(path), 1, 1),
                        hint="write the output to another file",
                    )
                ],
            )
    directory = target.parent
    if not directory.is_dir():
        raise InputError(f"cannot write {path}: the folder {directory} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def emit(text: str, output: Path | None, *, protect: tuple[Path, ...] = ()) -> None:
    """Print to stdout, or write to ``output`` safely."""
    if output is None:
        sys.stdout.write(text)
        return
    try:
        write_atomically(output, text, protect=protect)
    except OSError as error:
        raise InputError(f"cannot write {output}: {error.strerror or error}") from error


def parse_today(value: str | None) -> date:
    """``--today``: an ISO date, or the system date (only the CLI reads the clock)."""
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date in YYYY-MM-DD form", param_hint="--today") from None
