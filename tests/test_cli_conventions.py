"""CLI conventions (issue 11, part 6): what a user of any command-line tool expects of rtr.

Day names in any case, ``-`` for standard input and output, files created with the
user's umask, ``-h``, shell completion, help that names what each option takes,
warnings that are shown, YAML 1.1 words treated one way, the wrong kind of file named
as such, short windows of long lines, and schemas an editor can find.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

from planner.cli import app
from planner.cli.common import ExitCode
from tests.conftest import EXAMPLES

runner = CliRunner()
TODAY = ["--today", "2026-11-26"]
PROFILE = EXAMPLES / "shin-pain-10k.yaml"
PROFILE_TEXT = PROFILE.read_text(encoding="utf-8")
RTR = Path(sys.executable).with_name("rtr")  # the installed console script, as a user runs it


def rtr(*args: str, input: str | bytes | None = None):
    result = runner.invoke(app, list(args), input=input)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.stderr
    return result


def run(*args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    """The console script in a subprocess: for what only a real process shows (umask, stdin, completion)."""
    kwargs.setdefault("capture_output", True)
    kwargs.setdefault("text", True)
    return subprocess.run([str(RTR), *args], timeout=300, check=False, **kwargs)  # type: ignore[call-overload, no-any-return]


def commands() -> list[list[str]]:
    """Every command path of the CLI: [], ["plan"], ["rules"], ["rules", "check"], ..."""
    found: list[list[str]] = []

    def walk(command: object, path: list[str]) -> None:
        found.append(path)
        for name, sub in getattr(command, "commands", {}).items():  # a group (typer vendors click)
            walk(sub, [*path, name])

    walk(typer.main.get_command(app), [])
    return found


# ----------------------------------------------------------------------------- 4. -h
@pytest.mark.parametrize("path", commands(), ids=lambda p: " ".join(p) or "rtr")
def test_dash_h_is_help_on_every_command(path: list[str]):
    short, long = rtr(*path, "-h"), rtr(*path, "--help")
    assert short.exit_code == long.exit_code == ExitCode.OK, short.stderr
    assert "Usage: rtr" in short.stdout
    assert short.stdout == long.stdout


def test_every_command_is_reached_by_the_help_walk():
    names = {" ".join(p) for p in commands()}
    assert {"plan", "checkin", "validate", "explain", "schema", "rules check", "rules diff"} <= names


# ----------------------------------------------------------------------------- 5. shell completion
def test_show_completion_prints_a_bash_script_for_rtr():
    env = {**os.environ, "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"}  # the shell is given, not guessed
    done = run("--show-completion", "bash", env=env)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert "complete -o default -F _rtr_completion rtr" in done.stdout
    assert "_RTR_COMPLETE=complete_bash" in done.stdout


def test_the_completion_protocol_completes_command_and_option_names():
    env = {**os.environ, "_RTR_COMPLETE": "complete_bash", "COMP_WORDS": "rtr pl", "COMP_CWORD": "1"}
    done = run(env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["plan"]
    env |= {"COMP_WORDS": "rtr plan --to", "COMP_CWORD": "2"}
    assert run(env=env).stdout.split() == ["--today"]


# ----------------------------------------------------------------------------- 6. metavars
def _help(path: list[str]) -> str:
    result = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    return result.stdout


def _row(help_text: str, option: str) -> str:
    rows = [line for line in help_text.splitlines() if line.startswith("│")]  # the options table, not the example
    return next(line for line in rows if re.search(rf"\s{re.escape(option)}\s", line))


@pytest.mark.parametrize("path", commands(), ids=lambda p: " ".join(p) or "rtr")
def test_help_names_what_each_option_takes_never_a_bare_type(path: list[str]):
    text = _help(path)
    for vague in ("<str>", "<path>", "<bool>", "list[str]", "list[Path]", " TEXT ", "INTEGER"):
        assert vague not in text, (path, vague)


@pytest.mark.parametrize(
    ("path", "option", "metavar"),
    [
        (["plan"], "--today", "DATE"),
        (["plan"], "--output", "FILE"),
        (["plan"], "--log", "FILE"),
        (["plan"], "--ruleset", "RULESET"),
        (["explain"], "--week", "WEEK"),
        (["explain"], "--today", "DATE"),
        (["checkin"], "--week", "WEEK"),
        (["checkin"], "--run", "DAY:DISTANCE"),
        (["checkin"], "--missed", "DAY"),
        (["validate"], "--profile", "PROFILE"),
        (["validate"], "--today", "DATE"),
        (["schema"], "--output", "FILE"),
        (["rules", "diff"], "--today", "DATE"),
        (["rules", "diff"], "--profiles", "DIR"),
    ],
)
def test_an_option_shows_its_metavar(path: list[str], option: str, metavar: str):
    assert f" {metavar} " in _row(_help(path), option)


@pytest.mark.parametrize(
    ("path", "usage"),
    [
        (["plan"], "{PROFILE}"),
        (["explain"], "{PROFILE}"),
        (["checkin"], "{PROFILE}"),
        (["validate"], "{PLAN}"),
        (["rules", "show"], "{RULESET}"),
        (["rules", "check"], "{PATH}..."),
    ],
)
def test_arguments_are_named_in_the_usage_line(path: list[str], usage: str):
    first = next(line for line in _help(path).splitlines() if "Usage:" in line)
    assert first.rstrip().endswith(usage)
