"""Every example profile gives a plan a physical therapist would recognise.

Each example has its own test of what its plan must show; all of them are also
checked against the invariants, the JSON Schema, and the reference evaluator.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from functools import cache
from pathlib import Path

import jsonschema
import pytest

import planner
from planner.cli.schema import SchemaName, json_schema
from planner.models.plan import Plan, Week
from planner.planning.context import build_context
from planner.planning.planner import run_weeks
from planner.rules.compiler import CompiledRuleset
from planner.validation import validate_plan
from tests.conftest import EXAMPLES, TODAY

ALL = sorted(EXAMPLES.glob("*.yaml"))


@cache
def plan_of(name: str) -> Plan:
    ruleset = planner.ruleset_named()
    profile = planner.load_profile(EXAMPLES / name, ruleset, TODAY).profile
    return planner.make_plan(profile, ruleset, today=TODAY)


def running_weeks(plan: Plan) -> list[float]:
    return [w.running.weekly_miles for w in plan.weeks]


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.stem)
def test_example_plan_keeps_every_invariant(path: Path, default_ruleset: CompiledRuleset):
    assert validate_plan(plan_of(path.name), default_ruleset) == []


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.stem)
def test_example_plan_json_validates_against_the_published_schema(path: Path):
    document = plan_of(path.name).model_dump(mode="json", by_alias=True)
    jsonschema.validate(document, json_schema(SchemaName.PLAN))
    assert Plan.model_validate_json(plan_of(path.name).to_json()) == plan_of(path.name)


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.stem)
def test_engine_and_reference_agree_and_plans_are_deterministic(path: Path, default_ruleset: CompiledRuleset):
    profile = planner.load_profile(path, default_ruleset, TODAY).profile
    reference = planner.make_plan(profile, default_ruleset, today=TODAY, evaluator=planner.ReferenceEvaluator())
    assert plan_of(path.name).to_json() == reference.to_json()
    assert planner.make_plan(profile, default_ruleset, today=TODAY).to_json() == plan_of(path.name).to_json()


def race_week(plan: Plan) -> Week:
    """The week that holds the race (recovery weeks follow it)."""
    return next(w for w in plan.weeks if any(s.kind == "race" for s in w.running.sessions))


def test_shin_pain_runner_walks_before_running_and_is_ready_for_the_10k():
    plan = plan_of("shin-pain-10k.yaml")
    assert plan.status == "ready"
    first = plan.weeks[0]
    assert first.phase == "walk_run"
    assert {s.kind for s in first.running.sessions} == {"walk_run", "cross_train"}  # cross-training on free days
    free = set(plan.availability.run_days) - {s.day for s in first.running.sessions if s.kind == "walk_run"}
    assert {s.day for s in first.running.sessions if s.kind == "cross_train"} <= free
    assert first.running.spacing == "alternate_days"
    volumes = running_weeks(plan)
    gate_week = next(w.week for w in plan.weeks if w.running.weekly_miles >= 10)
    assert all(v <= 10 for v in volumes[:gate_week])  # nothing above 10 mi until a 10-mile week is done
    assert plan.ready_week is not None
    assert plan.ready_week > gate_week
    specific = [w.week for w in plan.weeks if w.running.intensity]
    assert specific
    assert min(specific) >= plan.ready_week
    raced = race_week(plan)
    assert raced.phase == "race"
    assert [s.kind for s in raced.running.sessions][-1] == "race"
    assert [w.phase for w in plan.weeks[raced.week - 2 :]] == ["taper", "race", "recovery", "recovery"]
    after = plan.weeks[raced.week :]
    assert not any(w.running.intensity or w.plyometrics.stage for w in after)  # recovery: easy running only


def test_runner_at_ten_miles_goes_straight_to_load_progression_and_the_half():
    plan = plan_of("half-marathon-16wk.yaml")
    assert plan.status == "ready"
    assert plan.weeks[0].phase == "load_progression"
    assert plan.weeks[0].running.weekly_miles == pytest.approx(13.2)  # 12 mi + 10%
    assert plan.ready_week is not None
    assert plan.ready_week <= 16 - 2 - 8 + 1
    race = race_week(plan).running.sessions[-1]
    assert (race.kind, race.miles, race.date) == ("race", 13.1, plan.race_date)
    assert any(w.running.mode == "cutback" for w in plan.weeks)


def test_marathon_eight_weeks_away_is_at_risk_and_no_gate_bends(default_ruleset: CompiledRuleset):
    plan = plan_of("marathon-8wk-at-risk.yaml")
    assert plan.status == "race_at_risk"
    assert plan.race_date is not None
    assert plan.earliest_feasible_race_date is not None
    assert plan.earliest_feasible_race_date > plan.race_date
    # The plan does not stop at the old date: it carries on to the earliest feasible one, race and all.
    assert plan.planned_race_date == plan.earliest_feasible_race_date
    race = race_week(plan).running.sessions[-1]
    assert (race.kind, race.date) == ("race", plan.earliest_feasible_race_date)
    goal_week = (plan.race_date - plan.start_date).days // 7 + 1
    assert any("not advised" in n for n in plan.weeks[goal_week - 1].notes)
    assert plan.race is not None
    assert plan.race.longest_run_before_taper_miles >= plan.race.long_run_need_miles
    assert plan.race.cap_exception  # the marathon outruns every training run, and the plan says why
    # The earliest date is exact: a plan for that race is ready, one a week earlier is not.
    profile = planner.load_profile(EXAMPLES / "marathon-8wk-at-risk.yaml", default_ruleset, TODAY).profile
    for shift, status in ((timedelta(0), "ready"), (timedelta(weeks=-1), "race_at_risk")):
        goal = profile.goal.model_copy(update={"race_date": plan.earliest_feasible_race_date + shift})
        moved = planner.make_plan(profile.model_copy(update={"goal": goal}), default_ruleset, today=TODAY)
        assert moved.status == status


def test_no_race_runner_in_km_builds_to_the_pre_injury_volume():
    plan = plan_of("no-race-km.yaml")
    assert plan.status == "ready"
    assert plan.units == "km"
    assert plan.runner.target_weekly_miles == pytest.approx(21.7)
    assert max(running_weeks(plan)) >= plan.runner.target_weekly_miles
    assert plan.weeks[-1].criteria.model_dump() == dict.fromkeys(plan.weeks[-1].criteria.model_dump(), True)


@pytest.mark.parametrize(
    ("name", "rule"),
    [("red-flags-referral.yaml", "red-flags-refer"), ("navicular-bsi-not-cleared.yaml", "clearance-refer")],
)
def test_red_flags_and_missing_clearance_refer_without_running(name: str, rule: str):
    plan = plan_of(name)
    assert plan.status == "referral"
    assert len(plan.weeks) == 1
    week = plan.weeks[0]
    assert week.running.sessions == []
    assert week.plyometrics.stage == 0
    assert week.strength.sessions == 0
    assert week.referral
    assert rule in week.rules_fired


def test_pre_run_walking_builds_to_thirty_minutes_before_the_first_run():
    plan = plan_of("pre-run-walking.yaml")
    pre = [w for w in plan.weeks if w.phase == "pre_run"]
    assert [w.walking_minutes for w in pre] == [20, 25, 30]  # 15 min now, 5 more a week
    assert all({s.kind for s in w.running.sessions} <= {"walk", "cross_train"} for w in pre)
    assert all(any(s.kind == "walk" for s in w.running.sessions) for w in pre)
    assert any("Daily-life pain is 2/10" in n for n in pre[0].notes)
    assert plan.weeks[len(pre)].phase == "walk_run"
    assert plan.status == "ready"


def test_the_open_ended_projection_finds_readiness_without_a_race(default_ruleset: CompiledRuleset):
    profile = planner.load_profile(EXAMPLES / "shin-pain-10k.yaml", default_ruleset, TODAY).profile
    ctx = build_context(profile, default_ruleset, TODAY)
    weeks = run_weeks(replace(ctx, race=None, race_week=None), planner.ReferenceEvaluator()).weeks
    assert any(g.id == "readiness" and g.passed for g in weeks[-1].gates)
