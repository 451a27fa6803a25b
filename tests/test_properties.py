"""Properties of every plan, for generated runners under every shipped ruleset.

The ruleset is part of each example (drawn from all shipped rulesets, the default
first so failures shrink toward it), so each property gets its full number of
examples across the rulesets: run with ``--hypothesis-profile=ci`` for 150, ``thorough`` for 1,000.
"""

from __future__ import annotations

from hypothesis import given, note, settings
from hypothesis import strategies as st

import planner
from planner.models.plan import Plan
from planner.profiles import profile_problems
from planner.rules.compiler import CompiledRuleset
from planner.rules.loader import DEFAULT_RULESET, shipped_ruleset_paths
from planner.testing.strategies import TODAY, profiles, ruleset_variants
from planner.validation import validate_plan

RULESETS = {p.stem: planner.load_ruleset(p) for p in shipped_ruleset_paths()}
ORDER = sorted(RULESETS, key=lambda name: (name != DEFAULT_RULESET, name))
shipped_rulesets = st.sampled_from(ORDER).map(RULESETS.__getitem__)


def _plan(profile: planner.Profile, ruleset: CompiledRuleset, evaluator: str = "durable") -> Plan:
    return planner.make_plan(profile, ruleset, today=TODAY, evaluator=planner.evaluator_named(evaluator))


def test_every_shipped_ruleset_is_drawn():
    assert len(ORDER) == len(list(shipped_ruleset_paths())) >= 1
    assert ORDER[0] == DEFAULT_RULESET


@given(data=st.data())
def test_generated_plans_keep_every_invariant(data: st.DataObject):
    ruleset = data.draw(shipped_rulesets, label="ruleset")
    profile = data.draw(profiles(ruleset), label="profile")
    assert profile_problems(profile, ruleset, TODAY) == []  # the strategy only makes valid runners
    plan = _plan(profile, ruleset)
    note(f"status={plan.status} weeks={len(plan.weeks)} volumes={[w.running.weekly_miles for w in plan.weeks]}")
    violations = validate_plan(plan, ruleset)
    assert [v.as_dict() for v in violations] == []
    assert Plan.model_validate_json(plan.to_json()) == plan  # JSON round trip


@given(data=st.data())
def test_engine_and_reference_make_the_same_plan_every_time(data: st.DataObject):
    ruleset = data.draw(shipped_rulesets, label="ruleset")
    profile = data.draw(profiles(ruleset), label="profile")
    first = _plan(profile, ruleset).to_json()
    assert _plan(profile, ruleset, "reference").to_json() == first  # differential: two evaluators
    assert _plan(profile, ruleset).to_json() == first  # deterministic: same inputs, same bytes


# A variant compiles a ruleset and plans on both evaluators: half the profile's examples.
@settings(max_examples=max(20, settings.default.max_examples // 2))
@given(data=st.data())
def test_ruleset_variants_keep_their_own_invariants_on_both_evaluators(data: st.DataObject):
    base = data.draw(shipped_rulesets, label="base ruleset")
    variant = data.draw(ruleset_variants(base), label="ruleset")
    changed = {k: p.value for k, p in variant.spec.parameters.items() if p != base.spec.parameters[k]}
    note(f"changed parameters: {changed}")
    profile = data.draw(profiles(variant), label="profile")
    plan = _plan(profile, variant)
    assert [v.as_dict() for v in validate_plan(plan, variant)] == []
    assert _plan(profile, variant, "reference").to_json() == plan.to_json()
