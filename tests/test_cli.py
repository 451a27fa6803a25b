"""The rtr command line: outputs, exit codes, errors on stderr, files left intact."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planner.cli import app
from planner.cli.common import ExitCode
from tests.conftest import EXAMPLES, RULESETS

runner = CliRunner()
PROFILE = str(EXAMPLES / "shin-pain-10k.yaml")
TODAY = ["--today", "2026-11-26"]


def rtr(*args: str):
    return runner.invoke(app, list(args))


def test_plan_prints_a_week_by_week_schedule():
    result = rtr("plan", PROFILE, *TODAY)
    assert result.exit_code == ExitCode.OK, result.stderr
    out = result.stdout
    assert out.startswith("Your return-to-run plan, Sam\n")
    assert "On track: every step fits before your goal." in out
    assert "Week 1 - from Mon 4 Jan - Walk-run" in out
    assert re.search(r"^  Tue +Walk-run +0\.4 mi +about 30 min +5 x \(1 min run / 5 min walk\)", out, re.M)
    assert "Your pain scale (0-10)" in out
    assert "it does not replace it" in out


def test_the_clinicians_view_keeps_the_engines_detail():
    result = rtr("plan", PROFILE, "--view", "clinician", *TODAY)
    assert result.exit_code == ExitCode.OK, result.stderr
    out = result.stdout
    assert out.startswith("Return-to-run plan for Sam (clinician's view)\n")
    assert "Status: READY" in out
    assert "Week 1 | 2027-01-04 | walk_run" in out
    assert "Tue  walk-run" in out
    assert "Not yet   ten-mile-gate: last_week.miles" in out


def test_plan_json_is_the_contract_and_markdown_is_a_handout():
    data = json.loads(rtr("plan", PROFILE, "--format", "json", *TODAY).stdout)
    assert data["schema"] == "rtr.plan/v1"
    assert {
        "status",
        "ruleset",
        "start_date",
        "race_date",
        "ready_week",
        "earliest_feasible_race_date",
        "weeks",
    } <= set(data)
    week = data["weeks"][0]
    assert {
        "week",
        "start_date",
        "phase",
        "running",
        "strength",
        "plyometrics",
        "warmup",
        "criteria",
        "gates",
        "observed",
        "rules_fired",
    } <= set(week)
    handout = rtr("plan", PROFILE, "-f", "markdown", *TODAY).stdout
    assert handout.startswith("# Your return-to-run plan, Sam")
    # The handout's order: the overview table first, then the weeks, then the checks in plain words.
    headings = [line for line in handout.splitlines() if line.startswith("## ")]
    assert headings[:2] == ["## Overview, week by week", "## Week by week"]
    assert {"## The checks, in plain words", "## Your warm-up", "## Your pain scale and bad days"} <= set(headings)
    assert "1. **Walk briskly for 30 minutes without pain" in handout
    md = rtr("plan", PROFILE, "-f", "markdown", "--view", "clinician", *TODAY).stdout
    assert md.startswith("# Return-to-run plan for Sam (clinician's view)")
    assert "| Day | Session | Distance | Time | What to do |" in md
    assert "- [x] 30 minutes of brisk walking pain-free and no pain in daily life (`ready-to-run`)" in md
    assert (
        "- [ ] A pain-free week of at least 10 miles over at least 3 runs, before any load increase (`ten-mile-gate`)"
        " - not yet:" in md
    )


def test_plan_output_file_is_written_and_inputs_are_protected(tmp_path: Path):
    out = tmp_path / "plan.json"
    result = rtr("plan", PROFILE, "-f", "json", "-o", str(out), *TODAY)
    assert result.exit_code == ExitCode.OK
    assert result.stdout == ""
    assert json.loads(out.read_text())["status"] == "ready"
    assert [p.name for p in tmp_path.iterdir()] == ["plan.json"]  # no temporary file left behind

    profile = tmp_path / "p.yaml"
    profile.write_text(Path(PROFILE).read_text())
    before = profile.read_bytes()
    result = rtr("plan", str(profile), "-o", str(profile), *TODAY)
    assert result.exit_code == ExitCode.BAD_INPUT
    assert "would overwrite an input file" in result.stderr
    assert profile.read_bytes() == before


def test_a_bad_profile_exits_2_with_positions_on_stderr(tmp_path: Path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        Path(PROFILE)
        .read_text()
        .replace("units: mi", "units: miles")
        .replace("daily_life_pain: 0", "daily_life_pain: 12")
    )
    result = rtr("plan", str(bad), *TODAY)
    assert result.exit_code == ExitCode.BAD_INPUT
    assert result.stdout == ""
    err = result.stderr
    lines = bad.read_text().splitlines()
    units = next(i for i, line in enumerate(lines, 1) if line.startswith("units:"))
    pain = next(i for i, line in enumerate(lines, 1) if "daily_life_pain" in line)
    assert f"bad.yaml:{units}:8: error[invalid-choice]" in err
    assert f"bad.yaml:{pain}:20: error[out-of-range]" in err
    assert "Traceback" not in err


def test_a_bad_ruleset_exits_2_with_positions(tmp_path: Path):
    text = (
        (RULESETS / "return-to-run.yaml")
        .read_text()
        .replace(
            "      - pain.daily_life == 0\n      - last_week.pain_free\n    then:\n      - hops: advance",
            "      - pain.daily_lif == 0\n      - last_week.pain_free\n    then:\n      - hops: advance",
        )
    )
    ruleset = tmp_path / "r.yaml"
    ruleset.write_text(text)
    result = rtr("plan", PROFILE, "--ruleset", str(ruleset), *TODAY)
    assert result.exit_code == ExitCode.BAD_INPUT
    assert "error[unknown-fact]: unknown fact 'pain.daily_lif'" in result.stderr
    assert "hint: did you mean 'pain.daily_life'?" in result.stderr


def test_missing_files_and_bad_arguments_are_user_errors():
    assert rtr("plan", "no/such/file.yaml", *TODAY).exit_code == ExitCode.BAD_INPUT
    assert rtr("plan", PROFILE, "--ruleset", "no-such-ruleset", *TODAY).exit_code == ExitCode.BAD_INPUT
    result = rtr("plan", PROFILE, "--today", "yesterday")
    assert result.exit_code == ExitCode.BAD_INPUT
    assert "YYYY-MM-DD" in result.stderr
    assert rtr("plan", PROFILE, "--format", "pdf").exit_code == ExitCode.BAD_INPUT


def test_referral_and_race_at_risk_plans_still_exit_0():
    assert rtr("plan", str(EXAMPLES / "red-flags-referral.yaml"), *TODAY).exit_code == ExitCode.OK
    result = rtr("plan", str(EXAMPLES / "marathon-8wk-at-risk.yaml"), *TODAY)
    assert result.exit_code == ExitCode.OK
    assert "Your race date is too soon to get there safely" in result.stdout
    assert "The earliest race date every step fits before: Sunday 11 July 2027." in result.stdout
    assert "Race day: The marathon is longer than any training run" in result.stdout


def test_rules_list_shows_the_shipped_rulesets():
    result = rtr("rules", "list")
    assert result.exit_code == ExitCode.OK
    default = next(line for line in result.stdout.splitlines() if line.startswith("return-to-run "))
    assert default.split()[:2] == ["return-to-run", "1.0.0"]
    assert default.endswith("[(default)]")
    rows = {row["id"]: row for row in json.loads(rtr("rules", "list", "--format", "json").stdout)}
    assert rows["return-to-run"]["version"] == "1.0.0"


@pytest.mark.parametrize("name", ["profile", "plan"])
def test_schema_prints_a_json_schema(name: str):
    schema = json.loads(rtr("schema", name).stdout)
    assert schema["title"] == f"rtr.{name}/v1"
    assert schema["$schema"].startswith("https://json-schema.org/")


def test_version():
    result = rtr("--version")
    assert result.exit_code == ExitCode.OK
    assert result.stdout.startswith("rtr ")


def test_an_internal_error_is_exit_3_without_a_traceback(monkeypatch: pytest.MonkeyPatch):
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("planted bug")

    monkeypatch.setattr("planner.cli.plan.make_plan", broken)
    monkeypatch.setattr(sys, "argv", ["rtr", "plan", PROFILE])
    from planner.cli import main

    with pytest.raises(SystemExit) as info:
        main()
    assert info.value.code == ExitCode.INTERNAL


def test_the_console_script_runs_as_a_module():
    done = subprocess.run(
        [sys.executable, "-W", "ignore::DeprecationWarning", "-m", "planner", "plan", PROFILE, "-f", "json", *TODAY],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["status"] == "ready"
