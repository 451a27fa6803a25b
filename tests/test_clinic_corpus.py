"""The clinic corpus: runners a sports clinic sees, with what a physical therapist expects of each plan.

``tests/clinic/profiles/`` holds the runners (high-risk bone sites, one or two run days,
masters marathoners, kilometres, pain at each tissue's thresholds, never lifted, huge
targets ...); ``tests/clinic/*.cases.yaml`` states, per ruleset, what their plans must show
(``EXPECTATIONS.md`` has the PT's reasoning). Every plan must also keep every invariant.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import planner
from planner.cases import Expect, check_expectations, read_cases, run_case
from planner.rules.loader import resolve_ruleset_path
from planner.validation import validate_plan
from tests.conftest import CLINIC, TODAY

CASES = [(path, case) for path in sorted(CLINIC.glob("*.cases.yaml")) for case in read_cases(path)[0].cases]


def test_the_corpus_covers_every_profile_and_has_at_least_twenty():
    profiles = sorted(p.name for p in (CLINIC / "profiles").glob("*.yaml"))
    covered = sorted({Path(case.profile).name for _, case in CASES if case.profile})
    assert len(profiles) >= 20
    assert covered == profiles


@pytest.mark.parametrize(("path", "case"), CASES, ids=[c.name.split(":")[0] for _, c in CASES])
def test_a_clinic_runner_gets_the_plan_a_pt_expects(path: Path, case: object):
    cases, _ = read_cases(path)
    ruleset = planner.load_ruleset(resolve_ruleset_path(cases.ruleset))
    result = run_case(case, cases, path.parent, ruleset, planner.make_plan)  # type: ignore[arg-type]
    assert result.failures == []
    assert result.plan is not None
    assert [v.as_dict() for v in validate_plan(result.plan, ruleset)] == []


def test_the_corpus_picks_the_injurys_own_ruleset():
    for path, case in CASES:
        assert case.profile is not None
        plan = planner.plan_for_file(path.parent / case.profile, today=TODAY)
        assert plan.ruleset.id == read_cases(path)[0].ruleset, case.name


def test_the_new_expectations_fail_when_the_plan_breaks_them():
    # A clinic plan checked against expectations it does not meet: each key reports it.
    ruleset = planner.ruleset_named("bone-stress-injury")
    plan = planner.plan_for_file(CLINIC / "profiles" / "01-femoral-neck-bsi-cleared-half.yaml", today=TODAY)
    expect = Expect.model_validate(
        {
            "no_single_leg_hops_before": 30,
            "no_intensity_before": 40,
            "longest_run_at_most": 5,
            "long_run_before_taper": {"min": 20},
            "most_runs_per_week": 2,
            "runs_per_week": {1: 5},
            "cutback_within": 0,
            "warnings": ["no such warning"],
            "no_warnings": True,
            "referral_urgency": "same_day",
            "red_flags_named": ["limp"],
            "planned_race_date": "2027-01-03",
            "no_running_before": 5,
        }
    )
    failures = check_expectations(plan, expect, ruleset)
    assert len(failures) == 13, failures
    # Saturday and Sunday runs once the gate has passed, in the half-marathon example:
    half = planner.plan_for_file(
        Path(__file__).resolve().parents[1] / "examples" / "half-marathon-16wk.yaml", today=TODAY
    )
    [failure] = check_expectations(
        half, Expect.model_validate({"no_back_to_back_before": 30}), planner.ruleset_named("patellofemoral-pain")
    )
    assert failure.startswith("runs on consecutive days in week ")
