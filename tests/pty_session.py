"""``rtr`` on a real pseudo-terminal, as a person at a keyboard runs it (pexpect)."""

from __future__ import annotations

import os
import sys

import pexpect

from tests.conftest import ROOT, default_sigint


def spawn_rtr(*args: str, columns: int) -> pexpect.spawn:
    """``python -m planner.cli ARGS`` on a pty: no colour, a dumb terminal ``columns`` wide, Ctrl-C live."""
    env = {**os.environ, "NO_COLOR": "1", "TERM": "dumb", "COLUMNS": str(columns)}
    return pexpect.spawn(
        sys.executable,
        ["-m", "planner.cli", *args],
        cwd=str(ROOT),
        env=env,
        encoding="utf-8",
        timeout=60,
        preexec_fn=default_sigint,
    )


def finish(child: pexpect.spawn) -> tuple[int, str]:
    """The child's exit status (it must exit, not die of a signal) and what it printed last."""
    rest = child.read()
    child.close()
    assert child.exitstatus is not None, child.signalstatus
    return child.exitstatus, rest
