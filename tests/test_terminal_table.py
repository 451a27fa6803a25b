"""The default ``rtr plan`` output: a rich table that fits the terminal, colour only on a terminal.

And the progress bar of long work (``rules test``, ``rules diff --generated``): on stderr,
only when stderr is a terminal.
"""

from __future__ import annotations

import io
import os
import pty
import re
import subprocess
import sys
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.console import Console
from typer.testing import CliRunner

import planner
import planner.cli.progress as progress_module
from planner.cli import app
from planner.models.plan import Plan
from planner.render import render
from planner.render.console import terminal_settings
from tests.conftest import EXAMPLES, ROOT, TODAY

runner = CliRunner()
PROFILES = sorted(EXAMPLES.glob("*.yaml"))
ANSI = re.compile(r"\x1b\[[0-9;]*m")
RULE = set("─━-")  # a table's header rule is drawn, not written


@cache
def plan_of(path: Path) -> Plan:
    return planner.plan_for_file(path, today=TODAY)


def words(text: str) -> Counter[str]:
    return Counter(w for w in text.split() if not set(w) <= RULE)


def cli_text(path: Path, *args: str, env: dict[str, str] | None = None) -> str:
    result = runner.invoke(app, ["plan", str(path), "--today", TODAY.isoformat(), *args], env=env)
    assert result.exit_code == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("path", PROFILES, ids=lambda p: p.stem)
def test_every_example_fits_80_columns_without_breaking_a_word(path: Path):
    out = cli_text(path, env={"COLUMNS": "80"})
    widest = max(cell_len(line) for line in out.splitlines())
    assert widest <= 80, [line for line in out.splitlines() if cell_len(line) > 80][:3]
    # The same words as the view laid out with room for every line: wrapping split none.
    content = render(plan_of(path), "text", width=5000)
    assert max(cell_len(line) for line in content.splitlines()) > 80  # the check below has wrapping to judge
    assert words(out) == words(content)


@pytest.mark.parametrize("width", [80, 100, 132])
def test_the_width_is_the_one_given_and_lines_use_it(width: int):
    out = render(plan_of(EXAMPLES / "shin-pain-10k.yaml"), "text", width=width)
    widths = [cell_len(line) for line in out.splitlines()]
    assert max(widths) <= width
    assert max(widths) >= width - 10  # laid out to the width, not to some narrower fixed one


def test_a_pipe_gets_plain_text_100_columns_wide_the_same_every_time():
    path = EXAMPLES / "half-marathon-16wk.yaml"
    out = cli_text(path, env={"COLUMNS": ""})
    assert "\x1b" not in out
    assert 90 < max(cell_len(line) for line in out.splitlines()) <= 100
    assert out == cli_text(path, env={"COLUMNS": ""})
    assert all(line == line.rstrip() for line in out.splitlines())  # no padding at line ends


def test_the_runners_view_keeps_everything_it_says():
    plan = plan_of(EXAMPLES / "shin-pain-10k.yaml")
    flat = " ".join(render(plan, "text", width=80).split())

    def has(text: str) -> bool:
        return " ".join(text.split()) in flat

    assert plan.pain_guide is not None
    assert all(has(a.means) for a in plan.pain_guide.scale)
    assert all(has(b.do) for b in plan.pain_guide.bad_days)
    for w in plan.weeks:
        assert has(f"Week {w.week} - from")
        assert all(has(s.description) for s in w.running.sessions)
        assert all(has(e.name) for e in w.strength.exercises)
        assert all(has(d) for d in w.warmup)
        assert all(has(g.runner_text) for g in w.gates if not g.passed and g.runner_text)
    assert has("4 x 3-5 - heavy") or has("3 x 6-8")  # sets x reps - load
    assert has(plan.disclaimer)


# ----------------------------------------------------------------------------- colour
def test_colour_only_when_asked_for_and_the_users_text_is_escaped_first():
    plan = plan_of(EXAMPLES / "shin-pain-10k.yaml").model_copy(deep=True)
    plain = render(plan, "text", width=80)
    assert "\x1b" not in plain
    coloured = render(plan, "text", width=80, color=True)
    assert ANSI.search(coloured)
    assert ANSI.sub("", coloured).split() == plain.split()  # the same words, only coloured
    plan.runner.name = "Evil\x1b]0;owned\x07"
    out = render(plan, "text", width=80, color=True)
    assert "\x07" not in out
    assert "\x1b]" not in out
    assert "Evil\\x1b]0;owned\\x07" in out


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_colour_unless_no_color_or_the_flag(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("COLUMNS", "90")
    assert terminal_settings(_Terminal()) == (90, True)
    assert terminal_settings(_Terminal(), no_color=True) == (90, False)
    assert terminal_settings(io.StringIO()) == (90, False)  # a pipe: plain, COLUMNS wide
    monkeypatch.setenv("NO_COLOR", "1")
    assert terminal_settings(_Terminal()) == (90, False)
    monkeypatch.setenv("NO_COLOR", "")  # set but empty: no-color.org says it does not count
    assert terminal_settings(_Terminal()) == (90, True)


def _on_a_pty(*args: str, env: dict[str, str]) -> str:
    """``rtr plan`` with its stdout a real pseudo-terminal; what it wrote there."""
    leader, follower = pty.openpty()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "planner", "plan", *args],
            stdout=follower,
            stderr=subprocess.PIPE,
            cwd=ROOT,
            env={**{k: v for k, v in os.environ.items() if k != "NO_COLOR"}, **env},
            timeout=120,
            check=False,
        )
        os.close(follower)
        follower = -1
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal closed: all read
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        if follower >= 0:
            os.close(follower)
        os.close(leader)
    assert done.returncode == 0, done.stderr
    return b"".join(chunks).decode("utf-8")


@pytest.mark.parametrize(
    ("env", "flag", "coloured"),
    [({}, [], True), ({"NO_COLOR": "1"}, [], False), ({}, ["--no-color"], False)],
    ids=["terminal", "NO_COLOR", "--no-color"],
)
def test_a_real_terminal(env: dict[str, str], flag: list[str], coloured: bool):
    args = [str(EXAMPLES / "red-flags-referral.yaml"), "--today", TODAY.isoformat(), *flag]
    out = _on_a_pty(*args, env={"COLUMNS": "80", "TERM": "xterm", **env})
    assert bool(ANSI.search(out)) is coloured
    assert "Your return-to-run plan, Alex" in out
    assert max(cell_len(ANSI.sub("", line)) for line in out.splitlines()) <= 80


# ----------------------------------------------------------------------------- progress bars
@pytest.fixture
def forced_terminal(monkeypatch: pytest.MonkeyPatch) -> io.StringIO:
    """stderr as a terminal for the progress bar; what the bar drew."""
    drawn = io.StringIO()

    def console(no_color: bool = False) -> Console:
        return Console(file=drawn, force_terminal=True, width=80, no_color=no_color)

    monkeypatch.setattr(progress_module, "stderr_console", console)
    return drawn


def test_rules_test_prints_nothing_extra_when_stderr_is_not_a_terminal():
    result = runner.invoke(app, ["rules", "test", "return-to-run"])
    assert result.exit_code == 0, result.stdout
    assert result.stderr == ""
    assert "\x1b" not in result.stdout


def test_rules_test_shows_a_bar_on_a_terminal(forced_terminal: io.StringIO):
    plain = runner.invoke(app, ["rules", "test", "return-to-run"]).stdout
    result = runner.invoke(app, ["rules", "test", "return-to-run"])
    assert result.exit_code == 0, result.stdout
    drawn = forced_terminal.getvalue()
    total = len(re.findall(r"^(PASS|FAIL)", result.stdout, re.M))
    assert total > 1
    assert "cases" in drawn
    assert f"/{total}" in drawn  # "3/12": done of all
    assert result.stdout == plain  # the bar never reaches stdout


def test_rules_diff_generated_shows_a_bar_on_a_terminal_and_nothing_elsewhere(forced_terminal: io.StringIO):
    args = ["rules", "diff", "return-to-run", "return-to-run", "--generated", "3", "--today", TODAY.isoformat()]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.stderr
    drawn = forced_terminal.getvalue()
    assert "runners" in drawn
    assert "/11" in drawn  # the 8 examples and 3 generated runners
    assert "\x1b" not in result.stdout


def test_rules_diff_without_a_terminal_draws_no_bar():
    args = ["rules", "diff", "return-to-run", "return-to-run", "--generated", "2", "--today", TODAY.isoformat()]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""


def test_no_color_takes_the_colour_out_of_the_bar(forced_terminal: io.StringIO):
    runner.invoke(app, ["rules", "test", "return-to-run", "--no-color"])
    drawn = forced_terminal.getvalue()
    assert "cases" in drawn
    assert not re.search(r"\x1b\[[0-9;]*3[0-9]m|\x1b\[38;", drawn)  # no foreground colour codes
