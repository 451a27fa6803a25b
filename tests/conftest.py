"""Shared fixtures and hypothesis profiles.

Select a profile with ``--hypothesis-profile=ci`` (CI) or leave the default
``dev`` (fast, for the edit-test loop). ``ci`` is derandomized: the gate that
decides whether a change lands runs the same examples every time, so it never
fails on a draw no one can reproduce. ``dev`` and ``thorough`` (1,000 examples,
for a ruleset review or a release) draw new examples on every run.
"""

from __future__ import annotations

import os
import signal
import tempfile
from datetime import date
from pathlib import Path

# The suite's own cache of compiled rulesets (planner/rules/diskcache.py), never the user's;
# set before planner is imported, and inherited by the commands the tests start.
os.environ.setdefault("RTR_CACHE_DIR", tempfile.mkdtemp(prefix="rtr-test-cache-"))

import pytest
from hypothesis import HealthCheck, settings

import planner
from planner.rules.compiler import CompiledRuleset

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
RULESETS = ROOT / "rulesets"
DATA = Path(__file__).resolve().parent / "data"
CLINIC = Path(__file__).resolve().parent / "clinic"
TODAY = date(2026, 11, 26)

# Plans are full week-by-week projections (tens of milliseconds each), so no
# per-example deadline; health checks about slow data generation are expected.
settings.register_profile(
    "dev", max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
settings.register_profile(
    "ci",
    max_examples=150,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)
settings.register_profile(
    "thorough",
    max_examples=1000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


@pytest.fixture(scope="session")
def default_ruleset() -> CompiledRuleset:
    """The shipped default ruleset, compiled once."""
    return planner.ruleset_named("return-to-run")


@pytest.fixture
def write(tmp_path: Path):
    """Write a text file under tmp_path and return its path."""

    def _write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return _write


def default_sigint() -> None:
    """For a child on a pseudo-terminal: Ctrl-C delivered as it is to a person at a terminal.

    A shell starts background commands (`cmd &`, as CI does for its parallel runs) with SIGINT
    ignored, the child would inherit that, and Python only turns SIGINT into KeyboardInterrupt
    when it starts with the default disposition.
    """
    signal.signal(signal.SIGINT, signal.SIG_DFL)
