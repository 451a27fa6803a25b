"""The check-in log on disk: every bad line reported at its place, nothing lost, nothing rewritten."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planner.checkins.log import append_event, default_log_path, read_log
from planner.cli import app
from planner.cli.common import ExitCode
from planner.testing.crash import event, kill_trials
from tests.conftest import EXAMPLES

runner = CliRunner()
TODAY = "2026-11-26"


@pytest.fixture
def flare(tmp_path: Path) -> Path:
    """A copy of the check-in example: profile and log side by side."""
    for name in ("knee-flare-up.yaml", "knee-flare-up.checkins.jsonl"):
        shutil.copy(EXAMPLES / name, tmp_path / name)
    return tmp_path / "knee-flare-up.yaml"


def test_the_default_log_sits_beside_the_profile():
    assert default_log_path(Path("a/runner.yaml")) == Path("a/runner.checkins.jsonl")
    assert default_log_path(Path("runner")) == Path("runner.checkins.jsonl")


def test_appended_events_read_back_in_order(tmp_path: Path):
    log = tmp_path / "x.checkins.jsonl"
    events = [event(f"e{i}", week=i + 1) for i in range(3)]
    for e in events:
        append_event(log, e)
    read = read_log(log)
    assert [x.event for x in read.events] == events
    assert read.problems == ()
    assert log.read_text(encoding="utf-8").count("\n") == 3


def test_every_bad_line_is_reported_with_its_line_and_column(flare: Path):
    log = flare.with_name("knee-flare-up.checkins.jsonl")
    good = log.read_text(encoding="utf-8")
    first = json.loads(good.splitlines()[0])
    unknown = json.dumps({**first, "id": "u1", "milez": 3})
    too_much_pain = json.dumps({**first, "id": "p1", "running_pain": 11})
    log.write_text(good + "{not json\n" + unknown + "\n" + too_much_pain + "\n", encoding="utf-8")
    before = log.read_bytes()
    result = runner.invoke(app, ["plan", str(flare), "--today", TODAY])
    assert result.exit_code == ExitCode.BAD_INPUT
    err = result.stderr
    assert "3 bad line(s)" in err
    assert f"{log}:4:2: error[checkin-not-json]" in err
    assert f"{log}:5:" in err
    assert "milez" in err
    assert f"{log}:6:" in err
    assert "running_pain" in err
    assert "Traceback" not in err
    assert log.read_bytes() == before  # reading never rewrites


def test_skip_bad_lines_plans_from_the_rest_and_still_reports_them(flare: Path):
    log = flare.with_name("knee-flare-up.checkins.jsonl")
    clean = runner.invoke(app, ["plan", str(flare), "--today", TODAY, "-f", "json"])
    log.write_text(log.read_text(encoding="utf-8") + "garbage\n", encoding="utf-8")
    before = log.read_bytes()
    result = runner.invoke(app, ["plan", str(flare), "--today", TODAY, "-f", "json", "--skip-bad-lines"])
    assert result.exit_code == 0, result.stderr
    assert ":4:1: error[checkin-not-json]" in result.stderr  # reported, not silently dropped
    assert result.stdout == clean.stdout
    assert log.read_bytes() == before


def test_a_torn_last_line_is_reported_and_blocks_appends_until_skipped(flare: Path):
    log = flare.with_name("knee-flare-up.checkins.jsonl")
    torn = log.read_text(encoding="utf-8") + '{"schema": "rtr.checkins/v1", "id": "w5-x", "we'
    log.write_text(torn, encoding="utf-8")
    result = runner.invoke(app, ["plan", str(flare), "--today", TODAY])
    assert result.exit_code == ExitCode.BAD_INPUT
    assert "checkin-torn-line" in result.stderr
    assert "cut off" in result.stderr
    args = ["checkin", str(flare), "--today", "2026-11-29", "--as-prescribed"]
    args += ["--running-pain", "0", "--morning-pain", "0", "--daily-pain", "0"]
    refused = runner.invoke(app, args)
    assert refused.exit_code == ExitCode.BAD_INPUT
    assert log.read_text(encoding="utf-8") == torn  # nothing written
    appended = runner.invoke(app, [*args, "--skip-bad-lines"])
    assert appended.exit_code == 0, appended.stderr
    text = log.read_text(encoding="utf-8")
    assert text.startswith(torn + "\n")  # the torn line is kept, on its own line
    read = read_log(log)
    assert [d.code for d in read.problems] == ["checkin-not-json"]
    assert read.events[-1].event.week == 5


def test_writers_appending_at_once_all_land(tmp_path: Path):
    log = tmp_path / "busy.checkins.jsonl"
    code = "from planner.testing.crash import writer; import sys; writer(sys.argv[1], sys.argv[2], 40)"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    procs = [
        subprocess.Popen([sys.executable, "-c", code, str(log), f"p{i}"], stdout=subprocess.DEVNULL, env=env)
        for i in range(4)
    ]
    assert [p.wait(timeout=120) for p in procs] == [0, 0, 0, 0]
    read = read_log(log)
    assert read.problems == ()
    assert sorted(x.event.id for x in read.events) == sorted(f"p{i}-{n}" for i in range(4) for n in range(40))


def test_a_writer_killed_mid_append_loses_no_acknowledged_entry(tmp_path: Path):
    # The benchmark runs hundreds of these (benchmarks/kill_appends.py); a few here.
    result = kill_trials(tmp_path, 8, seed=7)
    assert result.trials == 8
    assert result.acknowledged > 0
    assert result.lost == 0
    assert result.other_problems == 0


@pytest.mark.parametrize("kind", ["symlink", "directory", "fifo"])
def test_a_log_that_is_not_a_regular_file_is_refused(flare: Path, kind: str):
    log = flare.with_name("knee-flare-up.checkins.jsonl")
    log.unlink()
    target = flare.with_name("elsewhere.jsonl")
    if kind == "symlink":
        target.write_text("", encoding="utf-8")
        log.symlink_to(target)
    elif kind == "directory":
        log.mkdir()
    else:
        os.mkfifo(log)
    args = ["checkin", str(flare), "--today", "2026-11-29", "--run", "tue:2", "--running-pain", "0"]
    result = runner.invoke(app, [*args, "--morning-pain", "0", "--daily-pain", "0"])
    assert result.exit_code == ExitCode.BAD_INPUT, result.stdout
    assert "Traceback" not in result.stderr
    if kind == "symlink":
        assert target.read_text(encoding="utf-8") == ""  # the link's target is never written


def test_a_plan_is_never_written_over_its_log(flare: Path):
    log = flare.with_name("knee-flare-up.checkins.jsonl")
    before = log.read_bytes()
    result = runner.invoke(app, ["plan", str(flare), "--today", TODAY, "-o", str(log)])
    assert result.exit_code == ExitCode.BAD_INPUT
    assert log.read_bytes() == before


def test_a_check_in_for_a_week_that_has_not_started_is_refused(flare: Path):
    log = flare.with_name("knee-flare-up.checkins.jsonl")
    line = json.loads(log.read_text(encoding="utf-8").splitlines()[0])
    with log.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps({**line, "id": "future", "week": 12}) + "\n")
    result = runner.invoke(app, ["plan", str(flare), "--today", TODAY])
    assert result.exit_code == ExitCode.BAD_INPUT
    assert "checkin-future-week" in result.stderr
    assert "week 12 starts on 2027-01-11" in result.stderr


def test_a_log_needs_the_profile_start_date(flare: Path):
    text = flare.read_text(encoding="utf-8").replace("start_date: 2026-10-26\n", "")
    flare.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["plan", str(flare), "--today", TODAY])
    assert result.exit_code == ExitCode.BAD_INPUT
    assert "checkin-needs-start-date" in result.stderr
    assert "start_date" in result.stderr


def test_a_repeated_key_is_an_error_and_a_dangling_correction_is_said(flare: Path):
    log = flare.with_name("knee-flare-up.checkins.jsonl")
    first = log.read_text(encoding="utf-8").splitlines()[0]
    repeated = first[:-1] + ', "red_flags": ["limp"], "red_flags": []}'
    dangling = json.dumps({**json.loads(first), "id": "fix", "supersedes": "nobody"})
    log.write_text(log.read_text(encoding="utf-8") + repeated + "\n" + dangling + "\n", encoding="utf-8")
    read = read_log(log)
    codes = [d.code for d in read.problems]
    assert "checkin-repeated-key" in codes
    assert "checkin-supersedes-unknown" in codes


def test_a_file_of_junk_is_reported_in_part_and_counted(tmp_path: Path):
    log = tmp_path / "junk.checkins.jsonl"
    log.write_text("x\n" * 5000, encoding="utf-8")
    read = read_log(log)
    assert len(read.problems) <= 201
    assert read.problems[-1].code == "checkin-more-bad-lines"
    assert "4800 more bad line(s)" in read.problems[-1].message
