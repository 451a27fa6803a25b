"""Make a plan: drive the week loop through an evaluator, then judge the outcome.

The core is pure: no clock, no files, no printing. "Today" is an argument.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from planner.engine.base import Evaluator, WeekInput
from planner.models.plan import (
    NOMINAL_ASSUMPTION,
    Baseline,
    Plan,
    PlanAvailability,
    RulesetRef,
    RunnerSummary,
    Week,
)
from planner.models.profile import Profile
from planner.planning.context import PlanContext, build_context
from planner.planning.state import RunnerState, facts, initial_state
from planner.planning.week import WeekBuilder
from planner.rules.compiler import CompiledRuleset


class PlanStepper:
    """The planner side of the week loop: facts in, closed weeks out."""

    def __init__(self, ctx: PlanContext) -> None:
        self.ctx = ctx
        self.builder = WeekBuilder(ctx)
        self.state: RunnerState = initial_state(ctx)
        self.facts = facts(ctx, self.state)
        self.weeks: list[Week] = []
        self.week_facts: list[Mapping[str, Any]] = []  # what each week was planned from (for explain)
        self.week_fired: list[tuple[frozenset[str], frozenset[str]]] = []  # (rules fired, gates passed)
        self.stop_reason = ""
        self.horizon = int(ctx.p("horizon_weeks"))
        self.readiness_gate = ctx.ruleset.spec.readiness.gate

    def first_week(self) -> WeekInput:
        """Facts of week 1."""
        return WeekInput(1, self.facts, self.state.passed_before)

    def close_week(self, fired: frozenset[str], passed: frozenset[str]) -> WeekInput | None:
        """Build the week the rules decided; the next week's facts, or None when done."""
        prev = self.weeks[-1] if self.weeks else None
        week, nxt = self.builder.build(self.state, self.facts, fired, passed, prev)
        self.weeks.append(week)
        self.week_facts.append(self.facts)
        self.week_fired.append((fired, passed))
        reason = self._stop(week, passed)
        if reason:
            self.stop_reason = reason
            return None
        self.state = nxt
        self.facts = facts(self.ctx, nxt)
        return WeekInput(nxt.week, self.facts, nxt.passed_before)

    def _stop(self, week: Week, passed: frozenset[str]) -> str:
        if week.referral:
            return "referral"
        if self.ctx.race_week is not None and week.week >= self.ctx.race_week:
            return "race"
        if self.ctx.race_week is None and self.readiness_gate in passed and self.facts["load.target_reached"]:
            return "goal"
        if week.week >= self.horizon:
            return "horizon"
        return ""


def run_weeks(ctx: PlanContext, evaluator: Evaluator) -> PlanStepper:
    """Forward-chain the whole plan; the stepper holds the weeks."""
    stepper = PlanStepper(ctx)
    evaluator.run(ctx.ruleset, stepper)
    return stepper


def _ready_week(weeks: list[Week], readiness_gate: str) -> int | None:
    for w in weeks:
        if any(g.id == readiness_gate and g.passed for g in w.gates):
            return w.week
    return None


def _race_ready(ctx: PlanContext, weeks: list[Week]) -> bool:
    """Whether the race fits: readiness in time for the whole block and taper, and the race in the plan.

    The rules place the race only after a full race-specific block.
    """
    ready_week = _ready_week(weeks, ctx.ruleset.spec.readiness.gate)
    if ctx.race is None or ctx.race_week is None or ready_week is None or not weeks:
        return False
    latest_start = ctx.race_week - ctx.race.taper_weeks - ctx.race.build_weeks + 1
    last = weeks[-1]
    has_race = last.week == ctx.race_week and any(s.kind == "race" for s in last.running.sessions)
    return ready_week <= latest_start and has_race


def _earliest_race_date(ctx: PlanContext, evaluator: Evaluator) -> date | None:
    """The first race date (same weekday) whose plan comes out ready.

    No gate is compressed to get there; None when no date fits within the horizon.
    """
    race_date = ctx.profile.goal.race_date
    if ctx.race is None or ctx.race_week is None or race_date is None:
        return None
    horizon = int(ctx.p("horizon_weeks"))
    # A plan without the race tells when readiness comes; start the search there.
    open_ended = replace(ctx, race_week=None, race=None)
    ready = _ready_week(run_weeks(open_ended, evaluator).weeks, ctx.ruleset.spec.readiness.gate)
    if ready is None:
        return None
    first = max(ctx.race_week + 1, ready + ctx.race.build_weeks + ctx.race.taper_weeks - 1)
    for week in range(first, horizon + 1):
        trial = replace(ctx, race_week=week)
        if _race_ready(trial, run_weeks(trial, evaluator).weeks):
            return race_date + timedelta(weeks=week - ctx.race_week)
    return None


def baseline(ctx: PlanContext) -> Baseline:
    """The week-0 state the plan starts from, recorded in the plan for validation."""
    s = initial_state(ctx)
    cur = ctx.profile.current
    return Baseline(
        weekly_miles=s.last_miles,
        longest_run_miles=s.last_long,
        running_pain=s.running_pain,
        next_morning_pain=s.next_morning_pain,
        pain_allowed_during=ctx.allowed_during,
        pain_allowed_next_morning=ctx.allowed_next_morning,
        heavy_weeks=s.heavy_weeks,
        strength_block=s.block,
        strength_block_weeks_done=s.block_weeks_done,
        hop_stage=s.hop_stage,
        hop_readiness_done=s.hop_readiness_done,
        warmup_weeks=s.warmup_weeks,
        red_flags=list(cur.red_flags),
        cleared_to_run=ctx.profile.injury.cleared_to_run,
    )


def make_plan(profile: Profile, ruleset: CompiledRuleset, *, today: date, evaluator: Evaluator) -> Plan:
    """Project a runner's return to running, week by week, under a ruleset."""
    ctx = build_context(profile, ruleset, today)
    stepper = run_weeks(ctx, evaluator)
    weeks = stepper.weeks
    gate = ruleset.spec.readiness.gate
    ready_week = _ready_week(weeks, gate)
    earliest: date | None = None
    if stepper.stop_reason == "referral":
        status, reason = "referral", "A clinician must see the runner first: " + " ".join(weeks[-1].referral)
    elif ctx.race is not None:
        if _race_ready(ctx, weeks):
            status, reason = (
                "ready",
                f"Every gate is met in time for the {profile.goal.race} on {profile.goal.race_date}.",
            )
        else:
            status = "race_at_risk"
            earliest = _earliest_race_date(ctx, evaluator)
            when = earliest.isoformat() if earliest else "no date within the planning horizon"
            reason = (
                f"The gates cannot all be met with a full {ctx.race.build_weeks}-week race-specific block and "
                f"{ctx.race.taper_weeks}-week taper before {profile.goal.race_date}; the plan does not compress "
                f"them. Earliest feasible race date: {when}."
            )
    elif stepper.stop_reason == "goal":
        status = "ready"
        reason = f"Every readiness criterion holds and the weekly target of {ctx.target_miles:g} mi is reached."
    else:
        status = "not_ready_by_horizon"
        reason = f"Readiness and the weekly target are not both reached within {len(weeks)} weeks."
    recommendations = []
    if not profile.current.gait_analysis_done:
        recommendations.append("Have a video analysis of your running form done by a running specialist.")
    return Plan(
        status=status,
        status_reason=reason,
        ruleset=RulesetRef(id=ruleset.spec.id, version=ruleset.spec.version, sha256=ruleset.sha256),
        runner=RunnerSummary(
            name=profile.runner.name,
            injury=profile.injury.kind,
            race=profile.goal.race,
            target_weekly_miles=ctx.target_miles,
        ),
        units=profile.units,
        start_date=ctx.start_date,
        race_date=profile.goal.race_date,
        ready_week=ready_week,
        earliest_feasible_race_date=earliest,
        baseline=baseline(ctx),
        availability=PlanAvailability(
            run_days=list(profile.availability.run_days),
            long_run_day=profile.availability.long_run_day,
            strength_days=list(profile.availability.strength_days),
        ),
        assumptions=[
            NOMINAL_ASSUMPTION,
            f"Miles are estimated at an easy pace of {ctx.p('easy_pace_min_per_mile'):g} min/mi.",
        ],
        recommendations=recommendations,
        weeks=weeks,
    )
