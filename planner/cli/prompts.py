"""Questions asked in a terminal (``rtr checkin``, ``rtr readiness``, ``rtr init``).

Ctrl-C or the end of input stops the command with exit 130 and nothing written; an
answer that does not fit is asked again with the reason.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, TypeVar

import typer

from planner.cli.common import echo

T = TypeVar("T")
INTERRUPTED = 130


def interactive() -> bool:
    """Whether to ask for what is missing (stdin and stdout are a terminal)."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def prompt(question: str, default: str | None, kind: type = str) -> Any:
    """A question in the terminal; Ctrl-C or end of input stops with exit 130 and writes nothing."""
    try:
        return (
            typer.prompt(question, default=default, type=kind)
            if default is not None
            else typer.prompt(question, type=kind)
        )
    except typer.Abort:
        echo("rtr: interrupted; nothing was written", err=True)
        raise typer.Exit(INTERRUPTED) from None


def ask_yes_no(question: str, default: bool | None = None) -> bool:
    """``yes``/``no`` (or y, n, true, false), in any case; anything else is asked again."""
    shown = None if default is None else ("yes" if default else "no")
    while True:
        answer = str(prompt(f"{question} (yes/no)", shown)).strip().lower()
        if answer in ("y", "yes", "true"):
            return True
        if answer in ("n", "no", "false"):
            return False
        echo("Please answer yes or no.")


def ask_until(question: str, default: str | None, parse: Callable[[str], T]) -> T:
    """Ask until ``parse`` accepts the answer; a ``ValueError`` it raises is the reason shown."""
    while True:
        answer = str(prompt(question, default))
        try:
            return parse(answer.strip())
        except ValueError as error:
            echo(f"  {error}")
