"""``rtr init`` through a real terminal (pexpect), as a newcomer uses it, then ``rtr plan`` on what it wrote."""

from __future__ import annotations

import json
from pathlib import Path

import pexpect
from typer.testing import CliRunner

from planner.cli import app
from planner.cli.common import ExitCode
from tests.conftest import TODAY
from tests.pty_session import finish, spawn_rtr

runner = CliRunner()


def _spawn(*args: str) -> pexpect.spawn:
    return spawn_rtr("init", *args, "--today", TODAY.isoformat(), columns=250)


def _answer(child: pexpect.spawn, question: str, answer: str) -> None:
    child.expect_exact(question)
    child.expect_exact(": ")  # the end of the prompt, after any [default]
    child.sendline(answer)


def _newcomer(child: pexpect.spawn) -> None:
    """A runner after shin pain, answering as the design's worked example, with two slips to be re-asked."""
    _answer(child, "Your first name", "Sam")
    _answer(child, "Units: mi or km", "")  # the default, mi
    _answer(child, "Which injury are you coming back from", "medial tibial stress")
    _answer(child, "Has a clinician cleared you to run", "")  # yes
    _answer(child, "walk briskly without pain", "30")
    _answer(child, "Worst pain in daily life", "0")
    _answer(child, "How far do you run a week now", "0")
    _answer(child, "Heavy strength sessions a week now", "0")
    _answer(child, "Which stage can you do without pain", "1")
    _answer(child, "Sets of 30-second single-leg hops", "0")
    _answer(child, "Yours (separate with spaces)", "ankle_dorsiflexion hip_abductor_strength")
    _answer(child, "Weeks you have done a warm-up", "0")
    _answer(child, "video analysis of your running form", "no")
    _answer(child, "before the injury", "18")
    _answer(child, "Days you can run", "Tue thursday SAT sunday")
    _answer(child, "Day for the long run", "sundy")  # a wrong day name: asked again, with the nearest day
    child.expect_exact("did you mean 'sun'?")
    _answer(child, "Day for the long run", "Sunday")
    _answer(child, "Days you can lift", "mon wed fri")
    _answer(child, "Start date of week 1", "2027-01-05")  # a Tuesday: asked again
    child.expect_exact("is a Tuesday; week 1 starts on a Monday")
    _answer(child, "Start date of week 1", "")  # the default: the Monday after today
    _answer(child, "Goal race", "10k")
    _answer(child, "Race date", "2027-02-30")  # not a date: asked again
    child.expect_exact("is not a date")
    _answer(child, "Race date", "2027-05-23")


def test_init_then_plan_works_as_a_newcomer_would_use_it(tmp_path: Path):
    target = tmp_path / "profile.yaml"
    child = _spawn(str(target))
    _newcomer(child)
    code, rest = finish(child)
    assert code == ExitCode.OK, rest
    assert f"Next: rtr plan {target}" in rest
    text = target.read_text(encoding="utf-8")
    assert "long_run_day: sun" in text
    assert "- thu" in text  # day names kept in the short form, whatever was typed
    assert "start_date: 2026-11-30" in text
    planned = runner.invoke(app, ["plan", str(target), "-f", "json", "--today", TODAY.isoformat()])
    assert planned.exit_code == 0, planned.stderr
    plan = json.loads(planned.stdout)
    assert plan["runner"]["name"] == "Sam"
    assert plan["ruleset"]["id"] == "medial-tibial-stress"
    assert plan["race_date"] == "2027-05-23"
    assert plan["status"] == "ready"
    assert plan["availability"]["run_days"] == ["tue", "thu", "sat", "sun"]


def test_an_existing_file_is_replaced_only_after_a_yes(tmp_path: Path):
    target = tmp_path / "profile.yaml"
    target.write_text("# mine: keep me\n", encoding="utf-8")
    before = target.read_bytes()
    child = _spawn(str(target))
    _answer(child, "already exists. Replace it", "")  # the default is no
    code, rest = finish(child)
    assert code == ExitCode.OK
    assert "nothing was written" in rest
    assert target.read_bytes() == before
    child = _spawn(str(target))
    _answer(child, "already exists. Replace it", "yes")
    _newcomer(child)
    code, rest = finish(child)
    assert code == ExitCode.OK, rest
    assert target.read_text(encoding="utf-8").count("schema: rtr.profile/v1") == 1


def test_ctrl_c_exits_130_and_writes_nothing(tmp_path: Path):
    target = tmp_path / "profile.yaml"
    child = _spawn(str(target))
    _answer(child, "Your first name", "Sam")
    _answer(child, "Units: mi or km", "km")
    child.expect_exact("Which injury")
    child.sendintr()
    code, _ = finish(child)
    assert code == 130
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []  # no temporary file left either


def test_end_of_input_exits_130_and_writes_nothing(tmp_path: Path):
    target = tmp_path / "profile.yaml"
    child = _spawn(str(target))
    child.expect_exact("Your first name")
    child.sendeof()
    code, _ = finish(child)
    assert code == 130
    assert not target.exists()


def test_without_a_terminal_it_is_bad_input(tmp_path: Path):
    result = runner.invoke(app, ["init", str(tmp_path / "p.yaml")])
    assert result.exit_code == ExitCode.BAD_INPUT
    assert "asks its questions in a terminal" in result.stderr
    assert not (tmp_path / "p.yaml").exists()
