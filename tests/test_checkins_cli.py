"""``rtr checkin`` as a runner uses it: flags, prompts in a terminal, verdicts, corrections."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from planner.checkins.log import read_log
from planner.cli import app
from planner.cli.common import ExitCode
from planner.cli.schema import SchemaName, json_schema
from tests.conftest import EXAMPLES

runner = CliRunner()
PAINS = ["--running-pain", "1", "--morning-pain", "0", "--daily-pain", "0"]


@pytest.fixture
def flare(tmp_path: Path) -> Path:
    for name in ("knee-flare-up.yaml", "knee-flare-up.checkins.jsonl"):
        shutil.copy(EXAMPLES / name, tmp_path / name)
    return tmp_path / "knee-flare-up.yaml"


def _log(profile: Path) -> Path:
    return profile.with_name("knee-flare-up.checkins.jsonl")


def test_a_check_in_is_written_and_answered_with_a_verdict_and_next_week(flare: Path):
    result = runner.invoke(app, ["checkin", str(flare), "--today", "2026-11-29", "--as-prescribed", *PAINS])
    assert result.exit_code == 0, result.stderr
    assert "Week 5 recorded in" in result.stdout
    assert "Verdict for week 5: ADVANCE - base-rebuild" in result.stdout
    assert "Week 6 - from Mon 30 Nov" in result.stdout  # next week's prescription follows
    last = read_log(_log(flare)).events[-1].event
    assert (last.week, last.running_pain, last.next_morning_pain, last.daily_life_pain) == (5, 1, 0, 0)
    plan = json.loads(runner.invoke(app, ["plan", str(flare), "--today", "2026-11-26", "-f", "json"]).stdout)
    prescribed = [s["day"] for s in plan["weeks"][4]["running"]["sessions"] if s["kind"] == "easy"]
    assert [r.day for r in last.runs] == prescribed  # week 5 as it was prescribed


def test_the_same_check_in_twice_writes_nothing_new(flare: Path):
    args = ["checkin", str(flare), "--today", "2026-11-29", "--as-prescribed", *PAINS]
    runner.invoke(app, args)
    before = _log(flare).read_bytes()
    again = runner.invoke(app, args)
    assert again.exit_code == 0
    assert "already has this check-in" in again.stdout
    assert _log(flare).read_bytes() == before


def test_a_correction_supersedes_the_weeks_check_in_and_the_log_keeps_both(flare: Path):
    first = runner.invoke(app, ["checkin", str(flare), "--today", "2026-11-29", "--as-prescribed", *PAINS])
    assert first.exit_code == 0
    old_id = read_log(_log(flare)).events[-1].event.id
    pains = ["--running-pain", "4", "--morning-pain", "2", "--daily-pain", "0"]
    fix = runner.invoke(
        app, ["checkin", str(flare), "--today", "2026-11-29", "--run", "thu:2.4", "--missed", "sun", *pains]
    )
    assert fix.exit_code == 0, fix.stderr
    assert f"replacing {old_id}" in fix.stdout
    assert "Verdict for week 5: STEP BACK - pain-over-allowance" in fix.stdout
    events = [x.event for x in read_log(_log(flare)).events]
    assert [e.id for e in events].count(old_id) == 1
    assert events[-1].supersedes == old_id
    plan = json.loads(runner.invoke(app, ["plan", str(flare), "--today", "2026-11-30", "-f", "json"]).stdout)
    assert plan["weeks"][4]["logged"]["running_pain"] == 4
    assert plan["weeks"][4]["logged"]["replaced"] == [old_id]


def test_without_a_terminal_a_missing_pain_answer_is_an_error_and_nothing_is_written(flare: Path):
    before = _log(flare).read_bytes()
    result = runner.invoke(app, ["checkin", str(flare), "--today", "2026-11-29", "--run", "thu:2.4"])
    assert result.exit_code == ExitCode.BAD_INPUT
    for flag in ("--running-pain", "--morning-pain", "--daily-pain"):
        assert flag in result.stderr
    assert "--no-pain-answers" in result.stderr  # the hint
    assert _log(flare).read_bytes() == before


def test_unanswered_pain_can_be_recorded_and_is_not_pain_free(flare: Path):
    result = runner.invoke(
        app, ["checkin", str(flare), "--today", "2026-11-29", "--as-prescribed", "--no-pain-answers"]
    )
    assert result.exit_code == 0, result.stderr
    assert "Verdict for week 5: HOLD - pain-unanswered-hold" in result.stdout
    last = read_log(_log(flare)).events[-1].event
    assert last.running_pain is None
    assert last.daily_life_pain is None


def test_in_a_terminal_what_is_missing_is_asked_for(flare: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr("planner.cli.checkin.interactive", lambda: True)
    answers = "as planned\n11\n1\n0\n0\n"  # 11 is not a pain score: asked again
    result = runner.invoke(app, ["checkin", str(flare), "--today", "2026-11-29"], input=answers)
    assert result.exit_code == 0, result.stderr
    assert "Worst pain while running (0-10)" in result.stdout
    assert "A pain score is a whole number from 0" in result.stdout
    last = read_log(_log(flare)).events[-1].event
    assert (last.running_pain, last.next_morning_pain, last.daily_life_pain) == (1, 0, 0)
    assert last.runs


def test_a_dry_run_shows_the_verdict_and_writes_nothing(flare: Path):
    before = _log(flare).read_bytes()
    result = runner.invoke(
        app, ["checkin", str(flare), "--today", "2026-11-29", "--as-prescribed", *PAINS, "--dry-run"]
    )
    assert result.exit_code == 0, result.stderr
    assert "Dry run" in result.stdout
    assert "Verdict for week 5" in result.stdout
    assert _log(flare).read_bytes() == before


def test_a_red_flag_is_a_referral_until_a_clearance_is_recorded(flare: Path):
    flag = ["checkin", str(flare), "--today", "2026-11-29", "--as-prescribed", *PAINS, "--red-flag", "night_pain"]
    result = runner.invoke(app, flag)
    assert "Verdict for week 5: SEE A CLINICIAN - red-flags-refer" in result.stdout
    quiet = runner.invoke(app, ["checkin", str(flare), "--today", "2026-12-06", "--daily-pain", "0"])
    assert "SEE A CLINICIAN - awaiting-clearance-refer" in quiet.stdout
    cleared = runner.invoke(app, ["checkin", str(flare), "--today", "2026-12-13", "--daily-pain", "0", "--cleared"])
    assert cleared.exit_code == 0, cleared.stderr
    assert "SEE A CLINICIAN" not in cleared.stdout


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--run", "tue:fast"], "is not a run"),
        (["--run", "tue:5km"], "the profile in mi"),
        (["--run", "blursday:5"], "is not a day"),
        (["--hops", "three"], "is not STAGE:SETS"),
        (["--red-flag", "sore"], "red_flags"),
        (["--running-pain", "12"], "less than or equal to 10"),
    ],
)
def test_bad_flags_are_refused_with_a_reason(flare: Path, args: list[str], says: str):
    before = _log(flare).read_bytes()
    pains = PAINS[2:] if args[0] == "--running-pain" else PAINS
    result = runner.invoke(app, ["checkin", str(flare), "--today", "2026-11-29", *pains, *args])
    assert result.exit_code == ExitCode.BAD_INPUT, result.stdout
    assert says in result.stderr
    assert "Traceback" not in result.stderr
    assert _log(flare).read_bytes() == before


def test_every_line_of_the_example_log_fits_the_published_schema():
    schema = json_schema(SchemaName.CHECKINS)
    lines = (EXAMPLES / "knee-flare-up.checkins.jsonl").read_text(encoding="utf-8").splitlines()
    assert lines
    for line in lines:
        jsonschema.validate(json.loads(line), schema)
    out = runner.invoke(app, ["schema", "checkins"])
    assert out.exit_code == 0
    assert json.loads(out.stdout)["title"] == "rtr.checkins/v1"


def test_the_log_can_never_be_the_profile(flare: Path):
    before = flare.read_bytes()
    args = ["checkin", str(flare), "--today", "2026-11-26", "--week", "4", "--daily-pain", "0"]
    result = runner.invoke(app, [*args, "--log", str(flare), "--skip-bad-lines"])
    assert result.exit_code == ExitCode.BAD_INPUT
    assert "is an input file" in result.stderr
    assert flare.read_bytes() == before


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--week", "6", "--no-pain-answers"], "after today"),
        (["--week", "4", "--daily-pain", "6", "--supersedes", "typo-id"], "no check-in 'typo-id'"),
        (["--week", "4", "--daily-pain", "0", "--hops-painful"], "needs the work done"),
        (["--no-pain-answers", "--run", "tue:30min@" + "9" * 5000], "is not a run"),
        (["--no-pain-answers", "--hops", "9" * 5000 + ":3"], "is not STAGE:SETS"),
    ],
)
def test_a_check_in_that_cannot_count_is_refused_before_anything_is_written(flare: Path, args: list[str], says: str):
    before = _log(flare).read_bytes()
    result = runner.invoke(app, ["checkin", str(flare), "--today", "2026-11-26", *args])
    assert result.exit_code == ExitCode.BAD_INPUT, result.stdout
    assert says in result.stderr
    assert _log(flare).read_bytes() == before


def test_a_plan_never_overwrites_the_default_log_when_another_is_given(flare: Path):
    other = flare.with_name("other.checkins.jsonl")
    shutil.copy(_log(flare), other)
    before = _log(flare).read_bytes()
    args = ["plan", str(flare), "--today", "2026-11-26", "--log", str(other), "-o", str(_log(flare))]
    assert runner.invoke(app, args).exit_code == ExitCode.BAD_INPUT
    assert _log(flare).read_bytes() == before


def test_ending_the_questions_stops_with_130_and_writes_nothing(flare: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr("planner.cli.checkin.interactive", lambda: True)
    before = _log(flare).read_bytes()
    result = runner.invoke(app, ["checkin", str(flare), "--today", "2026-11-29"], input="")  # Ctrl-D at once
    assert result.exit_code == 130
    assert "nothing was written" in result.stderr
    assert _log(flare).read_bytes() == before


def test_a_build_the_run_days_keep_flat_is_a_hold_not_an_advance(tmp_path: Path):
    text = (EXAMPLES / "half-marathon-16wk.yaml").read_text(encoding="utf-8")
    profile = tmp_path / "two.yaml"
    profile.write_text(text.replace("run_days: [tue, thu, sat, sun]", "run_days: [sat, sun]"), encoding="utf-8")
    pains = ["--running-pain", "0", "--morning-pain", "0", "--daily-pain", "0"]
    result = runner.invoke(app, ["checkin", str(profile), "--today", "2027-01-10", "--as-prescribed", *pains])
    assert result.exit_code == 0, result.stderr
    assert "Verdict for week 1: HOLD" in result.stdout  # week 2 is the same 3.6 mi: nothing grows
