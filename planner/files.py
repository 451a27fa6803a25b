"""Reading the files people give the planner, with one way of failing.

Every input is read exactly once (a pipe such as ``/dev/stdin`` cannot be read twice),
with a size limit (a ``/dev/zero`` never ends), as UTF-8. ``-`` is standard input,
named ``<stdin>`` in messages, under the same limit. Files the planner finds by
itself, from a name written *inside* another file (a parent ruleset, a plan's ruleset),
must be regular files: a FIFO there would wait forever.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

from planner.diagnostics import STDIN_NAME, Diagnostic, Span, display_path, is_stdin
from planner.errors import InputError

# Input limits (README "Input limits"). Real files are far smaller: a 52-week plan is
# about 150 kB, the default ruleset 60 kB, a profile 1 kB.
MAX_INPUT_BYTES = {"profile": 1_000_000, "ruleset": 2_000_000, "cases": 2_000_000, "plan": 4_000_000}
DEFAULT_MAX_BYTES = 2_000_000


def _unreadable(error: type[InputError], what: str, shown: str, message: str, hint: str) -> InputError:
    return error(
        f"cannot read {what} {shown}",
        [Diagnostic("file-unreadable", message, Span(shown, 1, 1), hint=hint)],
    )


def read_user_file(
    path: Path, what: str, error: type[InputError] = InputError, *, regular_only: bool = False
) -> tuple[str, str]:
    """``(shown path, text)`` of a UTF-8 file, or ``error`` naming the file and the cause.

    ``regular_only`` refuses anything but a regular file (for names found inside files).
    """
    shown = display_path(path)
    limit = MAX_INPUT_BYTES.get(what, DEFAULT_MAX_BYTES)
    if is_stdin(path) and not regular_only:  # a name inside a file is never standard input
        return STDIN_NAME, _decoded(_read_stdin(error, what, limit), error, what, STDIN_NAME)
    try:
        info = os.stat(path)
        if stat.S_ISDIR(info.st_mode):
            raise _unreadable(error, what, shown, f"{shown} is a folder, not a file", f"give the {what} file itself")
        if regular_only and not stat.S_ISREG(info.st_mode):
            raise _unreadable(error, what, shown, f"{shown} is not a regular file", f"give a {what} file")
        if stat.S_ISREG(info.st_mode) and info.st_size > limit:
            raise _too_large(error, what, shown, limit)
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)  # one read: a pipe gives its content once
    except InputError:
        raise
    except OSError as cause:
        raise _unreadable(
            error, what, shown, f"cannot read the file: {cause.strerror or cause}", "check the path and permissions"
        ) from cause
    if len(data) > limit:
        raise _too_large(error, what, shown, limit)
    return shown, _decoded(data, error, what, shown)


def _read_stdin(error: type[InputError], what: str, limit: int) -> bytes:
    """At most ``limit`` + 1 bytes of standard input: enough to know it is too large, never more."""
    try:
        data = sys.stdin.buffer.read(limit + 1)
    except (OSError, AttributeError, ValueError) as cause:  # closed (`<&-`), or a text-only stream
        raise _unreadable(
            error,
            what,
            STDIN_NAME,
            f"cannot read standard input: {cause}",
            f"pipe the {what} into rtr, or name its file",
        ) from cause
    if len(data) > limit:
        raise _too_large(error, what, STDIN_NAME, limit)
    return data


def _decoded(data: bytes, error: type[InputError], what: str, shown: str) -> str:
    """UTF-8 text, or ``error`` naming the line and column of the first byte that is not."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as cause:
        line = data[: cause.start].count(b"\n") + 1
        column = cause.start - (data.rfind(b"\n", 0, cause.start) + 1) + 1
        raise error(
            f"cannot read {what} {shown}",
            [
                Diagnostic(
                    "file-unreadable",
                    "the file is not UTF-8 text",
                    Span(shown, line, column),
                    hint="save the file as UTF-8 (plain text)",
                )
            ],
        ) from cause


def _too_large(error: type[InputError], what: str, shown: str, limit: int) -> InputError:
    return _unreadable(
        error,
        what,
        shown,
        f"the file is larger than {limit // 1_000_000} MB, the limit for a {what}",
        f"a {what} is far smaller; check that this is the right file",
    )
