"""The earliest-date search gives up a trial race date as soon as the race cannot fit.

A trial stops at the block's latest start without readiness, or at the end of the long-run
window without the long run. These tests prove the shortcut never changes a verdict: a
trial given up early is one the whole projection also finds not ready.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

import planner
from planner.engine.reference import ReferenceEvaluator
from planner.planning.context import build_context
from planner.planning.planner import _race_ready, run_weeks
from planner.rules.loader import DEFAULT_RULESET, shipped_ruleset_paths
from planner.testing.strategies import TODAY, profiles

RULESET = planner.load_ruleset(next(p for p in shipped_ruleset_paths() if p.stem == DEFAULT_RULESET))
EVALUATOR = ReferenceEvaluator()


@given(profile=profiles(RULESET, red_flags=False), later=st.integers(0, 12))
def test_a_trial_given_up_early_is_not_ready_on_the_whole_projection(profile: planner.Profile, later: int):
    ctx = build_context(profile, RULESET, TODAY)
    if ctx.race is None or ctx.race_week is None:
        return
    trial = replace(ctx, race_week=ctx.race_week + later)
    whole = run_weeks(trial, EVALUATOR)
    shortcut = run_weeks(trial, EVALUATOR, trial=True)
    if shortcut.stop_reason == "cannot_fit":
        assert not _race_ready(trial, whole.weeks)
        assert len(shortcut.weeks) <= len(whole.weeks)
        same = [w.model_dump_json() for w in whole.weeks[: len(shortcut.weeks)]]
        assert [w.model_dump_json() for w in shortcut.weeks] == same  # the same weeks, just fewer of them
    else:
        assert shortcut.stop_reason == whole.stop_reason
        assert _race_ready(trial, shortcut.weeks) == _race_ready(trial, whole.weeks)


def test_the_at_risk_marathon_gives_up_its_early_trial_dates_and_keeps_its_plan():
    """The example whose search tries five dates: the four that fail stop before their race."""
    path = Path(__file__).resolve().parents[1] / "examples" / "marathon-8wk-at-risk.yaml"
    profile = planner.load_profile(path, RULESET, TODAY).profile
    plan = planner.make_plan(profile, RULESET, today=TODAY, evaluator=EVALUATOR)
    assert plan.status == "race_at_risk"
    ctx = build_context(profile, RULESET, TODAY)
    assert plan.race is not None
    found = len(plan.weeks) - len(RULESET.spec.tables.race_week.recovery)  # the week the plan races in
    given_up = []
    for week in range(found - 4, found):
        trial = replace(ctx, race_week=week)
        stepper = run_weeks(trial, EVALUATOR, trial=True)
        given_up.append((stepper.stop_reason, len(stepper.weeks) < week))
    assert given_up == [("cannot_fit", True)] * 4
    assert run_weeks(replace(ctx, race_week=found), EVALUATOR, trial=True).stop_reason == "race"
