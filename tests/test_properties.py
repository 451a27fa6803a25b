"""Properties of every plan for generated runners, under every shipped ruleset.

Run with ``--hypothesis-profile=ci`` for the full 300 examples per property.
"""

from __future__ import annotations

import pytest
from hypothesis import given, note
from hypothesis import strategies as st

import planner
from planner.models.plan import Plan
from planner.profiles import profile_problems
from planner.rules.compiler import CompiledRuleset
from planner.rules.loader import shipped_ruleset_paths
from planner.testing.strategies import TODAY, profiles, ruleset_variants
from planner.validation import validate_plan

RULESETS = {p.stem: planner.load_ruleset(p) for p in shipped_ruleset_paths()}


def _plan(profile: planner.Profile, ruleset: CompiledRuleset, evaluator: str = "durable") -> Plan:
    return planner.make_plan(profile, ruleset, today=TODAY, evaluator=planner.evaluator_named(evaluator))


@pytest.mark.parametrize("ruleset_id", sorted(RULESETS))
@given(data=st.data())
def test_generated_plans_keep_every_invariant(ruleset_id: str, data: st.DataObject):
    ruleset = RULESETS[ruleset_id]
    profile = data.draw(profiles(ruleset), label="profile")
    assert profile_problems(profile, ruleset, TODAY) == []  # the strategy only makes valid runners
    plan = _plan(profile, ruleset)
    note(f"status={plan.status} weeks={len(plan.weeks)} volumes={[w.running.weekly_miles for w in plan.weeks]}")
    violations = validate_plan(plan, ruleset)
    assert [v.as_dict() for v in violations] == []
    assert Plan.model_validate_json(plan.to_json()) == plan  # JSON round trip


@pytest.mark.parametrize("ruleset_id", sorted(RULESETS))
@given(data=st.data())
def test_engine_and_reference_make_the_same_plan_every_time(ruleset_id: str, data: st.DataObject):
    ruleset = RULESETS[ruleset_id]
    profile = data.draw(profiles(ruleset), label="profile")
    first = _plan(profile, ruleset).to_json()
    assert _plan(profile, ruleset, "reference").to_json() == first  # differential: two evaluators
    assert _plan(profile, ruleset).to_json() == first  # deterministic: same inputs, same bytes


@pytest.mark.parametrize("ruleset_id", sorted(RULESETS))
@given(data=st.data())
def test_ruleset_variants_keep_their_own_invariants_on_both_evaluators(ruleset_id: str, data: st.DataObject):
    variant = data.draw(ruleset_variants(RULESETS[ruleset_id]), label="ruleset")
    changed = {k: p.value for k, p in variant.spec.parameters.items() if p != RULESETS[ruleset_id].spec.parameters[k]}
    note(f"changed parameters: {changed}")
    profile = data.draw(profiles(variant), label="profile")
    plan = _plan(profile, variant)
    assert [v.as_dict() for v in validate_plan(plan, variant)] == []
    assert _plan(profile, variant, "reference").to_json() == plan.to_json()
