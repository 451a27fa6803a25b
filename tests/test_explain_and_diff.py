"""rtr explain and rtr rules diff: why rules fired, and what an edit changes for runners."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import planner
from planner.cli import app
from planner.diff import diff_rulesets, first_difference
from planner.explain import explain
from tests.conftest import EXAMPLES, RULESETS, TODAY

runner = CliRunner()
SHIN = str(EXAMPLES / "shin-pain-10k.yaml")


def test_explain_shows_the_facts_a_rule_matched_and_its_evidence(default_ruleset: planner.CompiledRuleset):
    profile = planner.load_profile(EXAMPLES / "shin-pain-10k.yaml", default_ruleset, TODAY).profile
    [week9] = explain(profile, default_ruleset, today=TODAY, evaluator=planner.ReferenceEvaluator(), weeks=[9])
    by_id = {e.id: e for e in week9.items}
    gate = by_id["ten-mile-gate"]
    assert gate.fired
    assert gate.matched == [
        "last_week.miles = 10 (>= 10 $gate_weekly_miles)",
        "last_week.runs = 3 (>= 3 $gate_min_runs)",
        "last_week.pain_free = true (== true)",
        "running.weeks_off = 0 (== 0)",
    ]
    rule = by_id["load-progression"]
    assert (rule.source, rule.grade) == ("buist-2008", "weak")
    assert "Buist" in rule.cite
    assert "gate ten-mile-gate passed" in rule.matched
    assert "phase = load_progression (won)" in rule.decisions
    pre_run = by_id["pre-run-walking"]
    assert "phase = pre_run (overruled by load-progression, priority 40)" in pre_run.decisions


def test_explain_a_gate_that_did_not_pass_names_the_failing_value(default_ruleset: planner.CompiledRuleset):
    profile = planner.load_profile(EXAMPLES / "shin-pain-10k.yaml", default_ruleset, TODAY).profile
    [week8] = explain(profile, default_ruleset, today=TODAY, evaluator=planner.ReferenceEvaluator(), weeks=[8])
    gate = next(e for e in week8.items if e.id == "ten-mile-gate")
    assert not gate.fired
    assert gate.failed == ["last_week.miles = 9.6, needs >= 10 ($gate_weekly_miles)"]
    readiness = next(e for e in week8.items if e.id == "readiness")
    assert readiness.failed == ["needs gate ten-mile-gate"]


def test_explain_one_rule_in_every_week_says_why_not():
    result = runner.invoke(
        app, ["explain", SHIN, "-r", "return-to-run", "--rule", "race-build", "--today", "2026-11-26"]
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout.count("rule race-build: did not fire") == 14  # 12 before the block, 2 recovery weeks
    # fired in the 6 race-build weeks and in the 2 taper weeks, where the taper rules overrule it
    assert result.stdout.count("rule race-build: fired") == 8
    assert "decided: phase = race_build (overruled by taper, priority 20)" in result.stdout
    assert "because: race.in_build_window = false, needs == true" in result.stdout
    data = json.loads(runner.invoke(app, ["explain", SHIN, "--week", "13", "-f", "json"]).stdout)
    assert [w["week"] for w in data] == [13]
    assert runner.invoke(app, ["explain", SHIN, "--rule", "no-such-rule"]).exit_code == 2


def _edited(tmp_path: Path, old: str, new: str) -> Path:
    text = (RULESETS / "return-to-run.yaml").read_text()
    assert text.count(old) == 1
    path = tmp_path / "edited.yaml"
    path.write_text(text.replace(old, new).replace("version: 1.0.0", "version: 1.1.0", 1))
    return path


def test_diff_of_a_ruleset_with_itself_changes_nothing(default_ruleset: planner.CompiledRuleset):
    runners = [
        (p.name, planner.load_profile(p, default_ruleset, TODAY).profile) for p in sorted(EXAMPLES.glob("*.yaml"))
    ]
    report = diff_rulesets(
        default_ruleset, default_ruleset, runners, today=TODAY, evaluator=planner.ReferenceEvaluator()
    )
    assert report.summary() == {
        "runners": len(runners),
        "slower": 0,
        "faster": 0,
        "same": len(runners),
        "changed_status": 0,
        "plans_differ": 0,
        "skipped": 0,
    }


def test_a_higher_gate_makes_runners_slower_and_diff_says_where(tmp_path: Path):
    # A 14-mile gate over three runs needs runs of about 51 minutes before it: the pre-gate ceiling goes with it.
    edited = _edited(tmp_path, "  gate_weekly_miles:\n    value: 10\n", "  gate_weekly_miles:\n    value: 14\n")
    old, new = "  pre_gate_max_run_minutes:\n    value: 40\n", "  pre_gate_max_run_minutes:\n    value: 55\n"
    text = edited.read_text().replace(old, new)
    edited.write_text(text)
    result = runner.invoke(
        app, ["rules", "diff", "return-to-run", str(edited), "--format", "json", "--today", "2026-11-26"]
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["summary"]["slower"] >= 3
    assert data["summary"]["faster"] == 0
    shin = next(r for r in data["runners"] if r["runner"] == "shin-pain-10k.yaml")
    assert shin["verdict"] == "slower"
    assert shin["new_ready_week"] > shin["old_ready_week"]
    text = runner.invoke(app, ["rules", "diff", "return-to-run", str(edited), "--today", "2026-11-26"]).stdout
    assert f"Summary: {len(list(EXAMPLES.glob('*.yaml')))} runners |" in text


def test_diff_with_generated_runners_is_reproducible():
    args = [
        "rules",
        "diff",
        "return-to-run",
        "return-to-run",
        "--generated",
        "5",
        "--profiles",
        str(EXAMPLES),
        "-f",
        "json",
    ]
    first, second = runner.invoke(app, args), runner.invoke(app, args)
    assert first.exit_code == 0, first.stderr
    assert first.stdout == second.stdout
    assert json.loads(first.stdout)["summary"]["runners"] == len(list(EXAMPLES.glob("*.yaml"))) + 5


def test_first_difference_names_the_week_and_the_fields(default_ruleset: planner.CompiledRuleset):
    profile = planner.load_profile(EXAMPLES / "shin-pain-10k.yaml", default_ruleset, TODAY).profile
    a = planner.make_plan(profile, default_ruleset, today=TODAY)
    b = a.model_copy(deep=True)
    b.weeks[4].running.weekly_miles = 99.0
    b.weeks[4].phase = "other"
    assert first_difference(a, b) == (5, ["phase walk_run -> other", "running.weekly_miles 6.6 -> 99"])


@pytest.mark.parametrize("missing", ["no/such/dir"])
def test_diff_needs_runners(missing: str):
    result = runner.invoke(app, ["rules", "diff", "return-to-run", "return-to-run", "--profiles", missing])
    assert result.exit_code == 2
