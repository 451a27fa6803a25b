"""Reading the files people give the planner, with one way of failing."""

from __future__ import annotations

from pathlib import Path

from planner.diagnostics import Diagnostic, Span, display_path
from planner.errors import InputError


def read_user_file(path: Path, what: str, error: type[InputError] = InputError) -> tuple[str, str]:
    """``(shown path, text)`` of a UTF-8 file, or ``error`` naming the file and the cause."""
    shown = display_path(path)
    try:
        return shown, path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as cause:
        raise error(
            f"cannot read {what} {shown}",
            [Diagnostic("file-unreadable", f"cannot read the file: {cause}", Span(shown, 1, 1))],
        ) from cause
