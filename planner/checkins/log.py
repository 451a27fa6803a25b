"""The check-in log on disk: JSON Lines, read whole, appended one durable line at a time.

Appends never rewrite the file. One ``write`` carries one whole line; the line is
flushed and ``fsync``-ed before the entry is acknowledged, under an advisory lock
(``flock``) so two writers appending at once both land, one after the other. A crash
mid-write can leave only the last line torn; reading reports it (with every other
bad line) by line and column, and ``skip_bad_lines`` reads the rest without touching
the file.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from planner.diagnostics import Diagnostic, Severity, SourceText, Span
from planner.errors import InputError
from planner.models.checkin import CheckinEvent

LOG_SUFFIX = ".checkins.jsonl"
MAX_LOG_BYTES = 8 * 1024 * 1024  # years of weekly check-ins are a few hundred kB
MAX_LINE_BYTES = 16 * 1024
MAX_NESTING = 8  # a check-in nests three levels; anything deeper is not one
MAX_PROBLEMS = 200  # reported in full; beyond that, counted (a wrong file can have millions of bad lines)


def default_log_path(profile: Path) -> Path:
    """``<profile>.checkins.jsonl`` beside the profile: ``runner.yaml`` -> ``runner.checkins.jsonl``."""
    stem = profile.stem if profile.suffix else profile.name
    return profile.with_name(stem + LOG_SUFFIX)


@dataclass(frozen=True, slots=True)
class LogLine:
    """An event and the line it was read from."""

    event: CheckinEvent
    line: int


@dataclass(frozen=True, slots=True)
class ReadLog:
    """What a log holds: its events in file order, and every problem found (each with its line)."""

    path: str
    events: tuple[LogLine, ...]
    problems: tuple[Diagnostic, ...]
    source: SourceText

    @property
    def torn_last_line(self) -> bool:
        """The file does not end with a newline: a write was cut off (or the file was hand-edited)."""
        return bool(self.source.text) and not self.source.text.endswith("\n")


def _depth(value: object, limit: int) -> int:
    stack: list[tuple[object, int]] = [(value, 1)]
    deepest = 0
    while stack:
        item, level = stack.pop()
        deepest = max(deepest, level)
        if level > limit:
            return level
        if isinstance(item, dict):
            stack.extend((v, level + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, level + 1) for v in item)
    return deepest


def _column_of(text: str, loc: tuple[int | str, ...]) -> int:
    """The column of the key a problem is about (its last named key), else 1."""
    for part in reversed(loc):
        if isinstance(part, str):
            at = text.find(json.dumps(part))
            if at >= 0:
                return at + 1
    return 1


def _field(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(p) for p in loc) or "(the line)"


class _RepeatedKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _no_repeated_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
    out: dict[str, object] = {}
    for key, value in pairs:
        if key in out:
            raise _RepeatedKey(key)
        out[key] = value
    return out


def parse_line(text: str, path: str, number: int) -> tuple[CheckinEvent | None, list[Diagnostic]]:
    """One line of the log: the event, or why it is not one."""
    span = Span(path, number, 1)
    if len(text.encode("utf-8", "surrogatepass")) > MAX_LINE_BYTES:
        return None, [
            Diagnostic(
                "checkin-line-too-long",
                f"line {number} is longer than {MAX_LINE_BYTES // 1024} kB",
                span,
                hint="a check-in is one short JSON object a line; was another file appended?",
            )
        ]
    try:
        data = json.loads(text, object_pairs_hook=_no_repeated_keys)
    except _RepeatedKey as error:
        return None, [
            Diagnostic(
                "checkin-repeated-key",
                f"the key {error.key!r} appears twice: which one counts is ambiguous",
                Span(path, number, _column_of(text, (error.key,))),
                hint="keep one of them",
            )
        ]
    except json.JSONDecodeError as error:
        return None, [
            Diagnostic(
                "checkin-not-json",
                f"not a JSON object: {error.msg}",
                Span(path, number, error.colno),
                hint="each line is one JSON object; a line cut off by a crash is reported here, never dropped",
            )
        ]
    except (ValueError, RecursionError) as error:  # a number of thousands of digits, or absurd nesting
        return None, [Diagnostic("checkin-not-json", f"not a usable JSON object: {error}", span)]
    if not isinstance(data, dict):
        return None, [
            Diagnostic("checkin-not-an-object", "a check-in line is a JSON object", span, hint='{"schema": ...}')
        ]
    if _depth(data, MAX_NESTING) > MAX_NESTING:
        return None, [Diagnostic("checkin-too-deep", f"nested more than {MAX_NESTING} levels", span)]
    try:
        return CheckinEvent.model_validate(data), []
    except ValidationError as error:
        found = []
        for e in error.errors(include_url=False):
            loc = tuple(e["loc"])
            found.append(
                Diagnostic(
                    "checkin-field",
                    f"{_field(loc)}: {e['msg']}",
                    Span(path, number, _column_of(text, loc)),
                    subject=f"field {_field(loc)}",
                    hint="see `rtr schema checkins` for every field",
                )
            )
        return None, found


def _read_bytes(path: Path) -> bytes | None:
    """The log's bytes (None: no log yet), refusing what is not a regular file of a sane size."""
    shown = str(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise InputError(f"cannot read the check-in log {path}: {error.strerror or error}") from error
    if not stat.S_ISREG(info.st_mode):
        raise InputError(
            f"the check-in log {path} is not a regular file",
            [Diagnostic("checkin-log-not-a-file", f"{path} is a folder, FIFO or device", Span(shown, 1, 1))],
        )
    if info.st_size > MAX_LOG_BYTES:
        raise InputError(
            f"the check-in log {path} is too large",
            [
                Diagnostic(
                    "checkin-log-too-large",
                    f"{info.st_size} bytes; a check-in log holds at most {MAX_LOG_BYTES // (1024 * 1024)} MB",
                    Span(shown, 1, 1),
                    hint="is this the right file?",
                )
            ],
        )
    try:
        return path.read_bytes()[: MAX_LOG_BYTES + 1]
    except OSError as error:
        raise InputError(f"cannot read the check-in log {path}: {error.strerror or error}") from error


def read_log(path: Path) -> ReadLog:
    """Read and check the whole log. A missing file is an empty log."""
    shown = str(path)
    raw = _read_bytes(path)
    if raw is None:
        return ReadLog(shown, (), (), SourceText(shown, ""))
    text = raw.decode("utf-8", errors="replace")
    source = SourceText(shown, text)
    events: list[LogLine] = []
    problems: list[Diagnostic] = []
    lines = raw.split(b"\n")
    skipped = 0
    torn = bool(raw) and not raw.endswith(b"\n")
    if not torn:
        lines.pop()  # the empty string after the final newline
    for number, chunk in enumerate(lines, start=1):
        try:
            line = chunk.decode("utf-8")
        except UnicodeDecodeError as error:
            problems.append(
                Diagnostic(
                    "checkin-not-utf8",
                    "the line is not valid UTF-8",
                    Span(shown, number, error.start + 1),
                    hint="save the log as UTF-8",
                )
            )
            continue
        if not line.strip():
            continue  # a blank line holds nothing
        event, found = parse_line(line, shown, number)
        if torn and number == len(lines) and found:
            found = [
                Diagnostic(
                    "checkin-torn-line",
                    "the last line is cut off: a write was interrupted before it ended",
                    Span(shown, number, 1),
                    hint="that entry was never acknowledged; record it again with `rtr checkin`, "
                    "or read the rest with --skip-bad-lines",
                )
            ]
        if event is not None:
            events.append(LogLine(event, number))
        if len(problems) < MAX_PROBLEMS:
            problems.extend(found)
        elif found:
            skipped += 1
    if skipped:
        problems.append(
            Diagnostic(
                "checkin-more-bad-lines",
                f"{skipped} more bad line(s) not shown",
                Span(shown, len(lines), 1),
                hint="is this the right file?",
            )
        )
    problems.extend(_duplicate_ids(events, shown))
    problems.extend(_dangling(events, shown))
    return ReadLog(shown, tuple(events), tuple(problems), source)


def _duplicate_ids(events: list[LogLine], path: str) -> Iterator[Diagnostic]:
    """The same id with different content: a conflict the fold resolves, said out loud."""
    first: dict[str, LogLine] = {}
    for item in events:
        seen = first.setdefault(item.event.id, item)
        if seen is not item and seen.event != item.event:
            yield Diagnostic(
                "checkin-id-conflict",
                f"id {item.event.id!r} was used on line {seen.line} for a different check-in",
                Span(path, item.line, 1),
                severity=Severity.WARNING,
                hint="give a correction its own id and `supersedes` the old one; "
                "of two events with one id the later-dated (then the larger) one counts",
            )


def _dangling(events: list[LogLine], path: str) -> Iterator[Diagnostic]:
    """Corrections that name no event, and events superseded both ways: said, since they change what counts."""
    ids = {item.event.id for item in events}
    names = {item.event.id: item.event.supersedes for item in events}
    for item in events:
        target = item.event.supersedes
        if target is not None and target not in ids:
            yield Diagnostic(
                "checkin-supersedes-unknown",
                f"supersedes {target!r}, which is not in the log: nothing is replaced",
                Span(path, item.line, 1),
                severity=Severity.WARNING,
                hint="correct the id, or record the correction again with `rtr checkin`",
            )
        elif target is not None and names.get(target) == item.event.id:
            yield Diagnostic(
                "checkin-supersede-cycle",
                f"{item.event.id!r} and {target!r} supersede each other: neither counts",
                Span(path, item.line, 1),
                severity=Severity.WARNING,
                hint="remove one of the two supersedes",
            )


def checked_events(log: ReadLog, *, skip_bad_lines: bool) -> tuple[CheckinEvent, ...]:
    """The log's events, or an InputError naming every bad line (unless they are to be skipped)."""
    errors = [d for d in log.problems if d.severity is Severity.ERROR]
    if errors and not skip_bad_lines:
        raise InputError(
            f"the check-in log {log.path} has {len(errors)} bad line(s); nothing was changed",
            [*errors, *(d for d in log.problems if d.severity is not Severity.ERROR)],
            {log.path: log.source},
        )
    return tuple(item.event for item in log.events)


@contextlib.contextmanager
def _locked_append(path: Path) -> Iterator[int]:
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    created = not os.path.lexists(path)
    try:
        fd = os.open(path, flags, 0o666)
    except OSError as error:
        raise InputError(
            f"cannot write the check-in log {path}: {error.strerror or error}",
            [
                Diagnostic(
                    "checkin-log-unwritable",
                    f"{path}: {error.strerror or error}",
                    Span(str(path), 1, 1),
                    hint="the log must be a regular, writable file (not a symbolic link) in an existing folder",
                )
            ],
        ) from error
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise InputError(f"the check-in log {path} is not a regular file")
        fcntl.flock(fd, fcntl.LOCK_EX)  # released when the descriptor closes
        yield fd
        if created:  # the new directory entry must survive a crash too
            dir_fd = os.open(path.absolute().parent, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
    finally:
        os.close(fd)


def _write_all(fd: int, data: bytes) -> None:
    # O_APPEND writes of a few hundred bytes to a local file are whole; loop anyway for a short write.
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def append_event(path: Path, event: CheckinEvent, *, after_torn_line: bool = False) -> None:
    """Append one event as one line, durably, under the log's lock.

    With ``after_torn_line`` a file whose last line was cut off gets a newline first, so
    the new entry stands on its own line and the torn one stays, still reported.
    """
    line = (event.canonical() + "\n").encode("utf-8")
    with _locked_append(path) as fd:
        size = os.fstat(fd).st_size
        if size + len(line) + 1 > MAX_LOG_BYTES:
            raise InputError(
                f"the check-in log {path} is full; nothing was written",
                [
                    Diagnostic(
                        "checkin-log-too-large",
                        f"one more line would take it past {MAX_LOG_BYTES // (1024 * 1024)} MB",
                        Span(str(path), 1, 1),
                        hint="start a new log with --log (keep this one for the record)",
                    )
                ],
            )
        prefix = b""
        if size:
            with open(path, "rb") as fh:  # under the lock: no writer can be mid-line now
                fh.seek(size - 1)
                if fh.read(1) != b"\n":
                    if not after_torn_line:
                        raise InputError(
                            f"the check-in log {path} ends with a cut-off line; nothing was written",
                            [
                                Diagnostic(
                                    "checkin-torn-line",
                                    "the last line is cut off: a write was interrupted before it ended",
                                    Span(str(path), 1, 1),
                                    hint="add --skip-bad-lines to append after it (the cut-off line is kept "
                                    "and reported), or fix the line by hand",
                                )
                            ],
                        )
                    prefix = b"\n"
        _write_all(fd, prefix + line)
        os.fsync(fd)
