"""What every command shares: exit codes, formats, error reporting, safe writes."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
import tempfile
from collections.abc import Iterator
from datetime import date
from enum import IntEnum, StrEnum
from pathlib import Path
from typing import Any, NoReturn

import typer
import typer.core

from planner.diagnostics import Diagnostic, SourceText, Span, is_stdin, render_json, render_text, safe_text
from planner.errors import EngineError, EngineUnavailable, InputError


class ExitCode(IntEnum):
    """Documented exit codes (README "Exit codes")."""

    OK = 0  # success, including a plan whose status is race_at_risk or referral
    FINDINGS = 1  # a checking command found problems (violations, failed cases)
    BAD_INPUT = 2  # a file or argument from the user is unusable; nothing was written
    INTERNAL = 3  # the engine failed or the planner has a bug
    OUTPUT = 4  # standard output could not be written (closed, full, a pipe whose reader stopped)


# Errors writing standard output: the disk, the pipe or the terminal, not rtr.
_OUTPUT_ERRNOS = frozenset({errno.EPIPE, errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EBADF})


def is_output_error(error: OSError) -> bool:
    """An error of the place output goes, not of rtr."""
    return error.errno in _OUTPUT_ERRNOS


def output_failed(error: OSError) -> NoReturn:
    """Say why the output could not be written (not for a reader that stopped early) and exit 4."""
    if not isinstance(error, BrokenPipeError):  # `rtr plan ... | head` needs no message
        print(f"rtr: cannot write the output: {error.strerror or error}", file=sys.stderr)
    with contextlib.suppress(OSError):  # nothing more can reach it: stop Python flushing it again at exit
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    sys.exit(ExitCode.OUTPUT)


def _no_type(ctx: object) -> None:
    return None


def _named_not_typed(params: list[Any]) -> list[Any]:
    """Help shows an argument by its name (PROFILE, PLAN) and a flag by itself.

    typer would add a type after each (``PROFILE <path>``, ``--dry-run <bool>``), which reads
    as if a flag took a value and says ``<str>`` where the name already says what to give.
    """
    for param in params:
        named = isinstance(param, typer.core.TyperArgument) and param.metavar
        if named or getattr(param, "is_flag", False):
            vars(param)["display_type_rich"] = _no_type  # on this parameter only, not on typer's class
    return params


class Command(typer.core.TyperCommand):
    """Every ``rtr`` command: its help names arguments and flags without a type."""

    def get_params(self, ctx: Any) -> list[Any]:
        """The command's parameters, shown as :func:`_named_not_typed` says."""
        return _named_not_typed(super().get_params(ctx))


class Group(typer.core.TyperGroup):
    """``rtr`` and ``rtr rules``: the same help conventions as :class:`Command`."""

    def get_params(self, ctx: Any) -> list[Any]:
        """The group's parameters, shown as :func:`_named_not_typed` says."""
        return _named_not_typed(super().get_params(ctx))


class DiagnosticFormat(StrEnum):
    """How diagnostics are printed."""

    TEXT = "text"
    JSON = "json"


def echo(text: str, *, nl: bool = True, err: bool = False) -> None:
    """``typer.echo`` with control characters escaped: files and profiles cannot drive the terminal."""
    typer.echo(safe_text(text), nl=nl, err=err)


def print_diagnostics(
    diagnostics: tuple[Diagnostic, ...] | list[Diagnostic],
    sources: dict[str, SourceText],
    fmt: DiagnosticFormat = DiagnosticFormat.TEXT,
) -> None:
    """Diagnostics to stderr."""
    text = render_json(diagnostics) if fmt is DiagnosticFormat.JSON else render_text(diagnostics, sources)
    if text:
        print(text, file=sys.stderr)


# ``--no-cache``: the same words on every command that plans.
NO_CACHE_HELP = "Decide every week in the engine and compile rulesets afresh (no cache; the plans are the same)."


@contextlib.contextmanager
def caches(enabled: bool) -> Iterator[None]:
    """With ``enabled`` False, no cache for the command's duration (``RTR_NO_CACHE=1``, which workers inherit).

    The week decisions and the compiled rulesets are cached for speed only; turning them off
    shows they change nothing (and times the engine deciding every week).
    """
    if enabled or os.environ.get("RTR_NO_CACHE"):
        yield
        return
    os.environ["RTR_NO_CACHE"] = "1"
    try:
        yield
    finally:
        del os.environ["RTR_NO_CACHE"]


@contextlib.contextmanager
def reported_errors(fmt: DiagnosticFormat = DiagnosticFormat.TEXT) -> Iterator[None]:
    """Turn planner errors into messages on stderr and documented exit codes."""
    try:
        yield
    except InputError as error:
        print(safe_text(f"rtr: {error.summary}"), file=sys.stderr)
        diagnostics = error.diagnostics or [
            Diagnostic("bad-input", error.summary, None, hint="see `rtr --help` and the README for what is expected")
        ]
        print_diagnostics(diagnostics, error.sources, fmt)
        raise typer.Exit(ExitCode.BAD_INPUT) from None
    except EngineError as error:
        print(safe_text(f"rtr: engine error: {error}"), file=sys.stderr)
        if isinstance(error, EngineUnavailable):
            print(safe_text(f"  hint: {error.hint}"), file=sys.stderr)
        raise typer.Exit(ExitCode.INTERNAL) from None


def _refuse(path: Path, message: str, hint: str, code: str = "output-unwritable") -> InputError:
    return InputError(f"refusing to write {path}", [Diagnostic(code, message, Span(str(path), 1, 1), hint=hint)])


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def write_atomically(path: Path, text: str, *, protect: tuple[Path, ...] = ()) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename.

    A failure never leaves a half-written file; an input file is never overwritten;
    only a new or an existing regular, writable file is replaced (never a FIFO, a device
    or a symbolic link, whose target a rename would not reach); a new file gets the mode
    the user's umask gives, an existing one keeps its own.
    """
    for p in protect:
        if _same_file(path, p) or path.resolve() == p.resolve():
            raise _refuse(
                path, f"-o {path} would overwrite an input file", "write the output to another file", "output-is-input"
            )
    mode: int | None = None
    if os.path.lexists(path):
        info = os.lstat(path)
        if stat.S_ISLNK(info.st_mode):
            raise _refuse(path, f"{path} is a symbolic link", "give the real file, or a new file name")
        if not stat.S_ISREG(info.st_mode):
            raise _refuse(path, f"{path} is not a regular file (a folder, FIFO or device)", "give a file name")
        if not info.st_mode & 0o222 or not os.access(path, os.W_OK):  # mode bits too: root may write anything
            raise _refuse(path, f"{path} is read-only", "make it writable, or write to another file")
        mode = stat.S_IMODE(info.st_mode)
    directory = path.absolute().parent
    if not directory.is_dir():
        raise _refuse(path, f"the folder {directory} does not exist", "create the folder first")
    if mode is None:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def input_files(*given: Path | str | None) -> tuple[Path, ...]:
    """Files an output must never replace: those given, the rulesets they extend, the shipped ones."""
    from planner.rules.loader import CASES_SUFFIX, load_ruleset_cached, shipped_rulesets_dir

    out = [Path(g) for g in given if g is not None and Path(g).exists()]
    for p in list(out):
        if p.suffix in (".yaml", ".yml", ".json") and not p.name.endswith(CASES_SUFFIX):
            with contextlib.suppress(InputError):  # a profile, or a ruleset with errors: itself is enough
                out += [Path(o.path) for o in load_ruleset_cached(p).origins.values()]
    with contextlib.suppress(InputError):
        out += sorted(shipped_rulesets_dir().glob("*.yaml"))
    return tuple(dict.fromkeys(out))


def logs(profile: Path, log: Path | None) -> tuple[Path, ...]:
    """The check-in log a command reads (given, or the default one beside the profile): never an output."""
    from planner.checkins.log import default_log_path

    return (default_log_path(profile), *((log,) if log is not None else ()))


def emit(text: str, output: Path | None, *, protect: tuple[Path, ...] = (), escaped: bool = False) -> None:
    """Print to stdout (also for ``-o -``), or write to ``output`` safely (control characters escaped either way).

    ``escaped``: the renderer escaped the user's text itself, and the controls left are its
    own (a calendar's CRLF line ends, a terminal's colours).
    """
    text = text if escaped else safe_text(text)
    if output is None or is_stdin(output):
        try:
            sys.stdout.write(text)
            sys.stdout.flush()
        except OSError as error:
            if not is_output_error(error):
                raise
            output_failed(error)
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
        when = date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date in YYYY-MM-DD form", param_hint="--today") from None
    if not date(2000, 1, 1) <= when <= date(2196, 12, 31):
        raise typer.BadParameter(f"{value} is outside the years 2000-2196 a plan can hold", param_hint="--today")
    return when
