"""``rtr plan-batch``: many profiles on worker processes, the same bytes as one at a time."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planner.batch import WorkerDied, run_all
from planner.cli import app
from planner.cli.common import ExitCode
from tests.conftest import EXAMPLES, ROOT

TODAY = ("--today", "2026-11-26")
runner = CliRunner()
BAD = "schema: rtr.profile/v1\nrunner: {name: Bo}\nunits: mi\ninjury: {kind: shin_splints, cleared_to_run: true}\n"


def rtr(*args: str):
    return runner.invoke(app, list(args))


def _scaled(factor: object, n: int) -> int:
    assert isinstance(factor, int)
    return factor * n * n


@pytest.fixture
def clinic(tmp_path: Path) -> Path:
    """The examples (with the knee runner's check-in log) and one broken profile."""
    folder = tmp_path / "clinic"
    folder.mkdir()
    for f in EXAMPLES.iterdir():
        if f.suffix in (".yaml", ".jsonl"):
            shutil.copy(f, folder / f.name)
    (folder / "broken.yaml").write_text(BAD)
    return folder


def test_results_come_back_in_task_order_on_workers():
    assert run_all(_scaled, list(range(100)), shared=3, jobs=2) == [3 * n * n for n in range(100)]
    seen: list[int] = []
    assert run_all(_scaled, [3, 1, 2], shared=1, jobs=1, advance=lambda: seen.append(1)) == [9, 1, 4]
    assert len(seen) == 3


def test_two_workers_write_what_one_at_a_time_writes(clinic: Path, tmp_path: Path):
    one, two = tmp_path / "one", tmp_path / "new" / "two"  # a missing folder is made
    first = rtr("plan-batch", str(clinic), "-o", str(one), "--jobs", "1", *TODAY)
    second = rtr("plan-batch", str(clinic), "-o", str(two), "--jobs", "2", *TODAY)
    assert first.exit_code == second.exit_code == ExitCode.BAD_INPUT  # the broken profile
    names = sorted(p.name for p in one.iterdir())
    assert names == sorted(p.name for p in two.iterdir())
    assert len(names) == len(list(EXAMPLES.glob("*.yaml")))  # every good profile planned
    for name in names:
        assert (one / name).read_bytes() == (two / name).read_bytes(), name
        # ... and the same as `rtr plan` of that profile alone, check-in log included.
        alone = rtr("plan", str(clinic / name.replace(".json", ".yaml")), "-f", "json", *TODAY)
        assert (one / name).read_text() == alone.stdout, name
    assert "on 1 worker(s)" in first.stdout
    assert "on 2 worker(s)" in second.stdout


def test_a_bad_profile_is_reported_at_its_line_and_the_rest_are_planned(clinic: Path, tmp_path: Path):
    out = tmp_path / "plans"
    out.mkdir()
    result = rtr("plan-batch", str(clinic / "*.yaml"), "-o", str(out), "-j", "2", *TODAY)
    assert result.exit_code == ExitCode.BAD_INPUT
    assert f"{clinic / 'broken.yaml'}:4:16: error[invalid-choice]" in result.stderr
    assert "not planned (above)          1" in result.stdout
    assert "ready" in result.stdout
    assert not (out / "broken.json").exists()
    assert (out / "shin-pain-10k.json").exists()


def test_markdown_batches_carry_the_evidence(clinic: Path, tmp_path: Path):
    out = tmp_path / "md"
    out.mkdir()
    result = rtr("plan-batch", str(clinic / "shin-pain-10k.yaml"), "-o", str(out), "-f", "markdown", *TODAY)
    assert result.exit_code == ExitCode.OK, result.stderr
    alone = rtr("plan", str(clinic / "shin-pain-10k.yaml"), "-f", "markdown", *TODAY).stdout
    assert (out / "shin-pain-10k.md").read_text() == alone
    assert "## Where the rules come from" in alone


def test_two_profiles_that_would_write_one_file_are_refused_before_any_plan(tmp_path: Path):
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    out.mkdir()
    shutil.copy(EXAMPLES / "shin-pain-10k.yaml", folder / "sam.yaml")
    shutil.copy(EXAMPLES / "shin-pain-10k.yaml", folder / "sam.yml")
    result = rtr("plan-batch", str(folder), "-o", str(out), *TODAY)
    assert result.exit_code == ExitCode.BAD_INPUT
    assert "error[output-clash]" in result.stderr
    assert list(out.iterdir()) == []


def test_a_file_that_only_quotes_rtr_s_schema_is_not_taken_for_rtr_s_plan(tmp_path: Path):
    out = tmp_path / "plans"
    out.mkdir()
    mine = out / "shin-pain-10k.json"
    mine.write_text('{"schema": "rtr.plan/v1"} is how my notes begin, and they are mine\n', encoding="utf-8")
    result = rtr("plan-batch", str(EXAMPLES / "shin-pain-10k.yaml"), "-o", str(out), *TODAY)
    assert result.exit_code == ExitCode.BAD_INPUT
    assert "error[output-exists]" in result.stderr
    assert mine.read_text(encoding="utf-8").startswith('{"schema": "rtr.plan/v1"} is how my notes begin')
    again = rtr("plan-batch", str(EXAMPLES / "shin-pain-10k.yaml"), "-o", str(tmp_path / "fresh"), *TODAY)
    assert again.exit_code == 0  # and a plan rtr wrote is replaced on a re-run
    assert rtr("plan-batch", str(EXAMPLES / "shin-pain-10k.yaml"), "-o", str(tmp_path / "fresh"), *TODAY).exit_code == 0


def test_a_plan_never_replaces_its_own_profile(tmp_path: Path):
    profile = tmp_path / "sam.json"
    profile.write_text((EXAMPLES / "shin-pain-10k.yaml").read_text())  # YAML is JSON's superset here
    before = profile.read_bytes()
    result = rtr("plan-batch", str(profile), "-o", str(tmp_path), *TODAY)
    assert result.exit_code == ExitCode.BAD_INPUT
    assert "error[output-is-input]" in result.stderr
    assert profile.read_bytes() == before


@pytest.mark.parametrize(
    ("args", "code"),
    [(("nothing-here/*.yaml",), "no-profiles"), ((str(EXAMPLES),), "output-unwritable")],
    ids=["no-profiles", "no-outdir"],
)
def test_nothing_to_plan_or_nowhere_to_write_is_bad_input(tmp_path: Path, args: tuple[str, ...], code: str):
    outdir = tmp_path / "a-file" if code == "output-unwritable" else tmp_path
    outdir.touch()
    result = rtr("plan-batch", *args, "-o", str(outdir), *TODAY)
    assert result.exit_code == ExitCode.BAD_INPUT
    assert f"error[{code}]" in result.stderr


def test_rules_diff_on_workers_gives_the_same_report():
    args = ("rules", "diff", "return-to-run", "medial-tibial-stress", "--generated", "12", "-f", "json", *TODAY)
    one, two = rtr(*args, "--jobs", "1"), rtr(*args, "--jobs", "2")
    assert one.exit_code == two.exit_code == ExitCode.OK, one.stderr
    assert one.stdout == two.stdout
    assert '"runners"' in one.stdout


def test_rules_test_on_workers_prints_the_same_lines():
    one, two = (
        rtr("rules", "test", "return-to-run", "--jobs", "1"),
        rtr("rules", "test", "return-to-run", "--jobs", "2"),
    )
    assert one.exit_code == two.exit_code == ExitCode.OK, one.stdout
    assert one.stdout == two.stdout
    assert one.stdout.count("PASS  return-to-run:") >= 5


# ----------------------------------------------------------------------------- hostile inputs (adversarial review)
def _die(_: object, n: int) -> int:
    if n == 5:
        os._exit(9)  # what a worker killed by the kernel looks like to the pool
    return n


def test_a_worker_that_dies_is_an_engine_error_not_a_traceback():
    with pytest.raises(WorkerDied, match="a worker process died"):
        run_all(_die, list(range(40)), jobs=2)


def test_the_ruleset_file_is_never_overwritten(tmp_path: Path):
    folder = tmp_path / "rs"
    folder.mkdir()
    shutil.copy(EXAMPLES / "shin-pain-10k.yaml", folder / "r.yaml")
    ruleset = folder / "r.json"
    ruleset.write_text(json.dumps(__import__("yaml").safe_load((ROOT / "rulesets" / "return-to-run.yaml").read_text())))
    before = ruleset.read_bytes()
    result = rtr("plan-batch", str(folder / "r.yaml"), "-o", str(folder), "--ruleset", str(ruleset), *TODAY)
    assert result.exit_code == ExitCode.BAD_INPUT, result.stdout
    assert "error[output-is-input]" in result.stderr
    assert ruleset.read_bytes() == before


def test_a_file_that_is_not_a_plan_rtr_wrote_is_left_alone(tmp_path: Path):
    folder = tmp_path / "s"
    folder.mkdir()
    shutil.copy(EXAMPLES / "shin-pain-10k.yaml", folder / "a.yaml")
    other = folder / "a.json"
    other.write_text('{"my": "notes"}')
    result = rtr("plan-batch", str(folder / "*.yaml"), "-o", str(folder), *TODAY)
    assert result.exit_code == ExitCode.BAD_INPUT
    assert "error[output-exists]" in result.stderr
    assert other.read_text() == '{"my": "notes"}'
    # A plan rtr wrote is replaced by a re-run, and a folder used as input and -o plans again.
    other.unlink()
    assert rtr("plan-batch", str(folder), "-o", str(folder), *TODAY).exit_code == ExitCode.OK
    again = rtr("plan-batch", str(folder), "-o", str(folder), *TODAY)
    assert again.exit_code == ExitCode.OK, again.stderr
    assert "1 profile(s)" in again.stdout


def test_a_fifo_a_loop_and_stdin_are_reported_without_hanging(tmp_path: Path):
    fifo, loop = tmp_path / "p.yaml", tmp_path / "loop.yaml"
    os.mkfifo(fifo)
    loop.symlink_to(loop)
    shutil.copy(EXAMPLES / "shin-pain-10k.yaml", tmp_path / "sam.yaml")
    out = tmp_path / "out"
    args = [sys.executable, "-m", "planner.cli", "plan-batch", str(fifo), str(loop), "-", str(tmp_path / "sam.yaml")]
    run = subprocess.run([*args, "-o", str(out), *TODAY, "-j", "2"], capture_output=True, text=True, timeout=60)
    assert run.returncode == ExitCode.BAD_INPUT, run.stderr
    assert "Traceback" not in run.stderr
    assert run.stderr.count("error[file-unreadable]") == 3
    assert (out / "sam.json").exists()


def test_the_same_file_spelled_two_ways_is_planned_once(tmp_path: Path):
    folder = tmp_path / "d"
    folder.mkdir()
    shutil.copy(EXAMPLES / "shin-pain-10k.yaml", folder / "a.yaml")
    result = rtr("plan-batch", str(folder), str(folder / ".." / "d" / "a.yaml"), "-o", str(tmp_path / "o"), *TODAY)
    assert result.exit_code == ExitCode.OK, result.stderr
    assert "1 profile(s)" in result.stdout
