"""Proof that the invariants bite: broken rulesets and hand-broken plans are caught.

A check that cannot fail is a defect; each invariant here is shown failing on a
plan that breaks it, through `rtr validate`, as a user would run it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

import planner
from planner.cli import app
from planner.cli.common import ExitCode
from planner.plans import read_plan
from planner.validation import INVARIANT_IDS, validate_plan
from planner.yamlsource import parse_text
from tests.broken import apply_edits
from tests.conftest import CLINIC, DATA, EXAMPLES, RULESETS, TODAY

runner = CliRunner()
BROKEN_PLANS = sorted((DATA / "broken_plans").glob("*.json"))
BROKEN_RULESETS: list[dict[str, Any]] = parse_text(
    (DATA / "broken_rulesets.yaml").read_text(encoding="utf-8"), "b"
).data
DEFAULT = parse_text((RULESETS / "return-to-run.yaml").read_text(encoding="utf-8"), "r").data
# A plan that claims "ready" for a race it cannot run also lacks the race week's race.
# A made-up week breaks the weekly cap too: both say the load rose from the lived week.
ALSO_BROKEN: dict[str, set[str]] = {"nothing-made-up--missed-running-made-up": {"weekly-cap"}}


def rtr(*args: str) -> Any:
    return runner.invoke(app, list(args))


def expected_invariant(path: Path) -> str:
    return path.stem.split("--")[0]


def test_every_invariant_is_shown_to_bite():
    by_plans = {expected_invariant(p) for p in BROKEN_PLANS}
    by_rulesets = {case["invariant"] for case in BROKEN_RULESETS}
    assert set(INVARIANT_IDS) <= by_plans
    assert by_rulesets <= set(INVARIANT_IDS)
    assert len(BROKEN_RULESETS) >= 10


@pytest.mark.parametrize("path", BROKEN_PLANS, ids=lambda p: p.stem)
def test_a_hand_broken_plan_is_caught_with_the_right_invariant(path: Path):
    expected = expected_invariant(path)
    plan = read_plan(path)
    result = rtr("validate", str(path))  # against the ruleset the plan names
    assert result.exit_code == ExitCode.FINDINGS
    assert f": {expected}: " in result.stdout
    found = {v.invariant for v in validate_plan(plan, planner.ruleset_named(plan.ruleset.id))}
    assert found == {expected} | ALSO_BROKEN.get(path.stem, set())


def test_the_broken_plans_were_intact_before_the_edit():
    # Each fixture is an example plan broken by hand; unbroken, each of those plans is clean.
    for name, ruleset in (
        ("shin-pain-10k.yaml", None),
        ("half-marathon-16wk.yaml", None),
        ("marathon-8wk-at-risk.yaml", None),
        ("red-flags-referral.yaml", None),
        ("pre-run-walking.yaml", None),
        ("10-achilles-running-pain-5.yaml", "achilles-tendinopathy"),
    ):
        compiled = planner.ruleset_named(ruleset)
        path = EXAMPLES / name if (EXAMPLES / name).exists() else CLINIC / "profiles" / name
        profile = planner.load_profile(path, compiled, TODAY).profile
        assert validate_plan(planner.make_plan(profile, compiled, today=TODAY), compiled) == [], name


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_example_plan_validates_clean(path: Path, tmp_path: Path):
    plan = tmp_path / "plan.json"
    assert rtr("plan", str(path), "-f", "json", "-o", str(plan), "--today", "2026-11-26").exit_code == 0
    result = rtr("validate", str(plan), "--profile", str(path), "--today", "2026-11-26")
    assert result.exit_code == ExitCode.OK, result.stdout
    assert f": no violations of {len(INVARIANT_IDS)} invariants" in result.stdout


def _materialise(case: dict[str, Any], tmp_path: Path) -> tuple[Path, Path]:
    ruleset = tmp_path / "broken.yaml"
    ruleset.write_text(yaml.safe_dump(apply_edits(DEFAULT, case["edits"]), sort_keys=False), encoding="utf-8")
    profile_data = parse_text((EXAMPLES / case["profile"]).read_text(encoding="utf-8"), "p").data
    profile = tmp_path / "profile.yaml"
    profile.write_text(yaml.safe_dump(apply_edits(profile_data, case.get("profile_edits", [])), sort_keys=False))
    return ruleset, profile


@pytest.mark.parametrize("case", BROKEN_RULESETS, ids=lambda c: c["name"])
def test_a_broken_ruleset_makes_plans_that_validate_catches(case: dict[str, Any], tmp_path: Path):
    ruleset, profile = _materialise(case, tmp_path)
    plan = tmp_path / "plan.json"
    made = rtr("plan", str(profile), "--ruleset", str(ruleset), "-f", "json", "-o", str(plan), "--today", "2026-11-26")
    assert made.exit_code == ExitCode.OK, made.stderr  # the ruleset checks cannot see the breakage
    result = rtr("validate", str(plan), "--ruleset", "return-to-run", "-f", "json")
    assert result.exit_code == ExitCode.FINDINGS
    assert case["invariant"] in {v["invariant"] for v in json.loads(result.stdout)["violations"]}
    # Control: the same runner under the intact ruleset breaks nothing.
    control = tmp_path / "control.json"
    assert rtr("plan", str(profile), "-f", "json", "-o", str(control), "--today", "2026-11-26").exit_code == 0
    assert rtr("validate", str(control)).exit_code == ExitCode.OK


def test_an_unreadable_plan_file_is_exit_2_with_a_position(tmp_path: Path):
    bad = tmp_path / "plan.json"
    bad.write_text('{"schema": "rtr.plan/v1",\n "status": "maybe",\n "weeks": [}\n')
    result = rtr("validate", str(bad))
    assert result.exit_code == ExitCode.BAD_INPUT
    assert "plan.json:3:" in result.stderr
    shape = tmp_path / "shape.json"
    shape.write_text('{"schema": "rtr.plan/v1", "status": "maybe"}\n')
    result = rtr("validate", str(shape))
    assert result.exit_code == ExitCode.BAD_INPUT
    assert "shape.json:1:37: error[invalid-choice]" in result.stderr
