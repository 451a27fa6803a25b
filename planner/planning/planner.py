"""Make a plan: drive the week loop through an evaluator, then judge the outcome.

The core is pure: no clock, no files, no printing. "Today" is an argument.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from planner.checkins.fold import FoldedWeek
from planner.engine.base import Evaluator, WeekInput
from planner.models.plan import (
    NOMINAL_ASSUMPTION,
    AlternativeRace,
    BadDay,
    Baseline,
    PainAnchor,
    PainGuide,
    Plan,
    PlanAvailability,
    RacePlan,
    RulesetRef,
    RunnerSummary,
    Week,
)
from planner.models.profile import Profile
from planner.planning.context import PlanContext, build_context, without_race
from planner.planning.observed import done_from_log, logged_week, observed_weeks
from planner.planning.state import RunnerState, facts, initial_state
from planner.planning.transition import transition
from planner.planning.week import WeekBuilder
from planner.planning.wording import Wording
from planner.rules.compiler import CompiledRuleset
from planner.rules.vocabulary import Urgency

SEARCH_MARGIN_WEEKS = 3  # the earliest-date search starts this much before the projected long-run week
# An open-ended plan whose running, hops, phase and criteria have not changed for this many weeks
# cannot progress on the runner's days: it stops there instead of repeating to the horizon.
STUCK_WEEKS = 8


class PlanStepper:
    """The planner side of the week loop: facts in, closed weeks out."""

    def __init__(self, ctx: PlanContext, *, until_ready: bool = False, trial: bool = False) -> None:
        self.ctx = ctx
        self.until_ready = until_ready  # stop at the first week readiness holds (the earliest-date search)
        self.trial = trial  # a trial race date: stop as soon as the race cannot fit (see _cannot_fit)
        self.builder = WeekBuilder(ctx)
        self.state: RunnerState = initial_state(ctx)
        self.facts = facts(ctx, self.state)
        self.weeks: list[Week] = []
        self.warnings: list[str] = []  # plan-level, in the order first raised
        self.week_facts: list[Mapping[str, Any]] = []  # what each week was planned from (for explain)
        self.week_fired: list[tuple[frozenset[str], frozenset[str]]] = []  # (rules fired, gates passed)
        self.stop_reason = ""
        self.horizon = int(ctx.p("horizon_weeks"))
        self.readiness_gate = ctx.ruleset.spec.readiness.gate
        self.recovery_weeks = len(ctx.ruleset.spec.tables.race_week.recovery)

    def first_week(self) -> WeekInput:
        """Facts of week 1."""
        return WeekInput(1, self.facts, self.state.passed_before)

    def close_week(self, fired: frozenset[str], passed: frozenset[str]) -> WeekInput | None:
        """Build the week the rules decided; the next week's facts, or None when done.

        A lived week keeps its prescription and goes through the same transition as a
        projected one, fed by what its check-in recorded instead of the nominal assumption.
        """
        prev = self.weeks[-1] if self.weeks else None
        lived = self.ctx.observed.get(self.state.week)
        if lived is None:
            outcome = self.builder.build(self.state, self.facts, fired, passed, prev)
            week, next_state, warnings = outcome.week, outcome.next_state, outcome.warnings
        else:
            p = self.builder.prescribe(self.state, self.facts, fired, passed, prev)
            done = done_from_log(self.ctx, self.state, p, lived)
            week = p.week.model_copy(update={"observed": True, "logged": logged_week(self.ctx, lived, done)})
            next_state = transition(self.ctx, self.state, p, done, self.builder.sticky)
            # A referral that ends the plan says nothing else; one the runner lived past keeps its warnings.
            warnings = p.warnings
        self.weeks.append(week)
        self.warnings.extend(w for w in warnings if w not in self.warnings)
        self.week_facts.append(self.facts)
        self.week_fired.append((fired, passed))
        # The lived weeks are all shown, whatever happened in them, and the week after them (the one
        # ahead of the runner); the projection stops as usual from there.
        reason = self._stop(week, passed)
        if week.week <= self.ctx.lived_through and reason not in ("ready", "horizon"):
            reason = ""  # the earliest-date search may stop at readiness; a plan shows every lived week
        if reason:
            self.stop_reason = reason
            return None
        self.state = next_state
        self.facts = facts(self.ctx, self.state)
        return WeekInput(self.state.week, self.facts, self.state.passed_before)

    def _stop(self, week: Week, passed: frozenset[str]) -> str:
        if week.referral:
            return "referral"
        if self.trial and self._cannot_fit(week):
            return "cannot_fit"
        if self.until_ready and self.readiness_gate in passed:
            need = self.ctx.race_long_need
            if need <= 0 or max(self.state.longest_recent, week.running.long_run_miles) >= need - 1e-9:
                return "ready"
        if self.ctx.race_week is not None and week.week >= self.ctx.race_week + self.recovery_weeks:
            return "race"  # the race week and the recovery weeks after it
        if (
            not self.until_ready
            and self.ctx.race_week is None
            and self.readiness_gate in passed
            and self.facts["load.target_reached"]
        ):
            return "goal"
        if week.week >= self.horizon:
            return "horizon"
        if self.ctx.race_week is None and self.readiness_gate not in passed and self._stuck():
            return "stuck"
        return ""

    def _cannot_fit(self, week: Week) -> bool:
        """Whether this week already decides that the trial's race does not fit (:func:`_race_ready` False).

        Readiness must come by the block's latest start, and the long run must reach the race's
        need in the four weeks before the taper: once either week is past without it, the
        weeks after cannot change the verdict, so a trial date is given up there.
        """
        race, race_week = self.ctx.race, self.ctx.race_week
        if race is None or race_week is None:
            return False
        latest_start = race_week - race.taper_weeks - race.build_weeks + 1
        if week.week == latest_start and _ready_week(self.weeks, self.readiness_gate) is None:
            return True
        first_taper = race_week - race.taper_weeks + 1
        return (
            week.week == first_taper - 1
            and _longest_before_taper(self.ctx, self.weeks) < self.ctx.race_long_need - 1e-9
        )

    def _stuck(self) -> bool:
        if len(self.weeks) < STUCK_WEEKS:
            return False
        recent = self.weeks[-STUCK_WEEKS:]
        shape = {
            (w.running.weekly_miles, len(w.running.sessions), w.plyometrics.stage, w.phase, str(w.criteria))
            for w in recent
        }
        return len(shape) == 1


def run_weeks(ctx: PlanContext, evaluator: Evaluator, *, until_ready: bool = False, trial: bool = False) -> PlanStepper:
    """Forward-chain the whole plan (or up to readiness, or while a trial race can fit); the stepper holds the weeks."""
    stepper = PlanStepper(ctx, until_ready=until_ready, trial=trial)
    evaluator.run(ctx.ruleset, stepper)
    return stepper


def _ready_week(weeks: list[Week], readiness_gate: str) -> int | None:
    for w in weeks:
        if any(g.id == readiness_gate and g.passed for g in w.gates):
            return w.week
    return None


def _longest_before_taper(ctx: PlanContext, weeks: list[Week]) -> float:
    """The longest run of the four weeks before the taper of the plan's race (0 when the plan has none)."""
    if ctx.race is None or ctx.race_week is None:
        return 0.0
    first_taper = ctx.race_week - ctx.race.taper_weeks + 1
    window = [w for w in weeks if first_taper - 4 <= w.week < first_taper]
    return max((w.running.long_run_miles for w in window), default=0.0)


def _race_ready(ctx: PlanContext, weeks: list[Week]) -> bool:
    """Whether the race fits: readiness in time for the whole block, the long run built, taper, race.

    The rules place the race only after a full race-specific block, a long run that
    reached the race's need and the taper.
    """
    ready_week = _ready_week(weeks, ctx.ruleset.spec.readiness.gate)
    if ctx.race is None or ctx.race_week is None or ready_week is None or not weeks:
        return False
    latest_start = ctx.race_week - ctx.race.taper_weeks - ctx.race.build_weeks + 1
    race_week = next((w for w in weeks if w.week == ctx.race_week), None)
    has_race = race_week is not None and any(s.kind == "race" for s in race_week.running.sessions)
    long_ok = _longest_before_taper(ctx, weeks) >= ctx.race_long_need - 1e-9
    return ready_week <= latest_start and has_race and long_ok


def _earliest_race_week(ctx: PlanContext, evaluator: Evaluator) -> tuple[int, PlanStepper] | PlanStepper | None:
    """The first race week (same weekday) whose plan comes out ready, with that plan.

    No gate is compressed to get there. When readiness or the long run never comes, the
    projection that showed it (the whole horizon, without a race) is returned instead.
    """
    if ctx.race is None or ctx.goal_week is None:
        return None
    horizon = int(ctx.p("horizon_weeks"))
    # A projection without the race date, its long run still growing toward the race's need,
    # tells when readiness and the long run come; the search starts from there (a little
    # before, since the race block's own rhythm can differ by a week or two).
    open_ended = replace(ctx, race_week=None)  # the runner's own race week keeps its "not advised" note
    probe = run_weeks(open_ended, evaluator, until_ready=True)
    if probe.stop_reason != "ready":
        return probe  # readiness or the long run never comes within the horizon
    ready = _ready_week(probe.weeks, ctx.ruleset.spec.readiness.gate)
    if ready is None:
        return None
    long_ready = probe.weeks[-1].week
    first = max(
        ctx.goal_week + 1,
        ready + ctx.race.build_weeks + ctx.race.taper_weeks - 1,
        long_ready + ctx.race.taper_weeks - 1 - SEARCH_MARGIN_WEEKS,
    )
    for week in range(first, horizon + 1):
        trial = replace(ctx, race_week=week)
        stepper = run_weeks(trial, evaluator, trial=True)
        if stepper.stop_reason != "cannot_fit" and _race_ready(trial, stepper.weeks):
            return week, stepper
    return None


def _shorter_races(ctx: PlanContext, evaluator: Evaluator) -> list[AlternativeRace]:
    """The longest shorter race on the runner's own date that every gate allows (at most one)."""
    if ctx.race is None or ctx.goal_week is None or ctx.profile.goal.race_date is None:
        return []
    rows = ctx.ruleset.spec.tables.races.rows
    shorter = [r for r in rows if r.miles < ctx.race.miles]
    pace = ctx.p("easy_pace_min_per_mile")
    for row in sorted(shorter, key=lambda r: -r.miles):
        trial = replace(ctx, race=row, race_long_need=row.long_run_need(pace))
        stepper = run_weeks(trial, evaluator, trial=True)
        if stepper.stop_reason != "cannot_fit" and _race_ready(trial, stepper.weeks):
            return [AlternativeRace(race=row.race, race_date=ctx.profile.goal.race_date)]
    return []


def baseline(ctx: PlanContext) -> Baseline:
    """The week-0 state the plan starts from, recorded in the plan for validation."""
    s = initial_state(ctx)
    cur = ctx.profile.current
    return Baseline(
        weekly_miles=s.last_miles,
        longest_run_miles=s.last_long,
        running_pain=s.running_pain,
        next_morning_pain=s.next_morning_pain,
        daily_life_pain=s.daily_life_pain,
        pain_allowed_during=ctx.allowed_during,
        pain_allowed_next_morning=ctx.allowed_next_morning,
        pain_refer_during=ctx.pain.refer_during,
        pain_refer_next_morning=ctx.pain.refer_next_morning,
        runs_per_week=s.runs_last_week,
        walk_run_stage=s.walk_run_stage,
        heavy_weeks=s.heavy_weeks,
        strength_block=s.block,
        strength_block_weeks_done=s.block_weeks_done,
        hop_stage=s.hop_stage,
        hop_readiness_done=s.hop_readiness_done,
        warmup_weeks=s.warmup_weeks,
        red_flags=list(cur.red_flags),
        cleared_to_run=ctx.profile.injury.cleared_to_run,
    )


def _race_plan(ctx: PlanContext, weeks: list[Week]) -> RacePlan | None:
    row = ctx.race
    if row is None:
        return None
    return RacePlan(
        race=row.race,
        miles=row.miles,
        build_weeks=row.build_weeks,
        taper_weeks=row.taper_weeks,
        peak_weekly_miles=row.peak_weekly_miles,
        long_run_need_miles=ctx.race_long_need,
        longest_run_before_taper_miles=_longest_before_taper(ctx, weeks),
        cap_exception=row.cap_exception.note if row.cap_exception is not None else None,
    )


def _pain_guide(ruleset: CompiledRuleset) -> PainGuide:
    table = ruleset.spec.tables.pain_guide
    return PainGuide(
        scale=[PainAnchor(score=a.score, means=a.means) for a in table.scale],
        bad_days=[BadDay(when=b.when, do=b.do) for b in table.bad_days],
    )


def _referral_reason(week: Week) -> str:
    urgency = min((r.urgency for r in week.referrals), key=lambda u: u.rank, default=Urgency.ROUTINE)
    when = {Urgency.SAME_DAY: "today", Urgency.WITHIN_24H: "within 24 hours", Urgency.ROUTINE: "before any running"}
    return f"See a clinician {when[urgency]}: " + " ".join(week.referral)


def _lived_assumption(ctx: PlanContext) -> list[str]:
    if not ctx.lived_through:
        return []
    last = ctx.lived_through
    weeks = "Week 1 is" if last == 1 else f"Weeks 1-{last} are"
    return [
        f"{weeks} as the check-ins recorded them: a week whose dates passed without a check-in counts as not "
        "done, and an unanswered pain question never counts as pain-free."
    ]


def make_plan(
    profile: Profile,
    ruleset: CompiledRuleset,
    *,
    today: date,
    evaluator: Evaluator,
    checkins: Mapping[int, FoldedWeek] | None = None,
) -> Plan:
    """Project a runner's return to running, week by week, under a ruleset.

    With ``checkins`` (a folded log; empty for a log with no entries yet) every week
    that has a check-in or whose dates have passed is observed: it shows what was logged,
    and the projection continues from the real state.
    """
    ctx = build_context(profile, ruleset, today)
    if checkins is not None:
        ctx = replace(ctx, observed=observed_weeks(checkins, ctx.start_date, today, int(ctx.p("horizon_weeks"))))
    say = Wording(ruleset, profile.units).distance
    stepper = run_weeks(ctx, evaluator)
    gate = ruleset.spec.readiness.gate
    earliest: date | None = None
    planned: date | None = profile.goal.race_date if ctx.race is not None else None
    alternatives: list[AlternativeRace] = []
    if stepper.stop_reason == "referral":
        status, reason, planned = "referral", _referral_reason(stepper.weeks[-1]), None
    elif ctx.race is not None:
        if _race_ready(ctx, stepper.weeks):
            status, reason = (
                "ready",
                f"Every gate is met in time for the {profile.goal.race} on {profile.goal.race_date}.",
            )
        else:
            status = "race_at_risk"
            row, need_miles = ctx.race, ctx.race_long_need
            searched = _earliest_race_week(ctx, evaluator)
            found = searched if isinstance(searched, tuple) else None
            # A shorter race that fits on the runner's own date is offered too.
            alternatives = _shorter_races(ctx, evaluator)
            goal_week, goal_date = ctx.goal_week, profile.goal.race_date
            if found is not None and goal_week is not None and goal_date is not None:
                week, stepper = found
                ctx = replace(ctx, race_week=week)
                earliest = planned = goal_date + timedelta(weeks=week - goal_week)
                then = f"This plan carries on to {earliest.isoformat()}, the earliest date every gate allows."
            else:
                # No date fits: show the road back without a race date, as far as the gates go
                # (the search's own projection when it ran the whole horizon).
                if isinstance(searched, PlanStepper):
                    ctx, stepper = searched.ctx, searched
                else:
                    ctx = without_race(ctx)
                    stepper = run_weeks(ctx, evaluator)
                planned = None
                then = "No race date within the planning horizon fits every gate; the plan shows the build without one."
            reason = (
                f"The gates cannot all be met for the {profile.goal.race} on {profile.goal.race_date}: it needs "
                f"every readiness criterion, {row.long_runs_at_need} long run(s) near {say(need_miles)} with one in "
                "the four weeks before the taper, "
                f"and a full {row.build_weeks}-week race-specific block and {row.taper_weeks}-week taper first; "
                f"the plan does not compress them. {then}"
            )
            if alternatives:
                reason += f" A {alternatives[0].race} on that date fits every gate."
    elif stepper.stop_reason == "stuck":
        status = "not_ready_by_horizon"
        reason = (
            f"The plan cannot progress past week {len(stepper.weeks) - STUCK_WEEKS + 1} on these run days: nothing "
            "changes after it, so it stops there."
        )
    elif stepper.stop_reason == "goal" and ctx.target_miles >= ctx.requested_target_miles - 1e-9:
        status = "ready"
        reason = f"Every readiness criterion holds and the weekly target of {say(ctx.target_miles)} is reached."
    elif stepper.stop_reason == "goal":
        status = "not_ready_by_horizon"
        reason = (
            f"Every readiness criterion holds and the plan reaches {say(ctx.target_miles)} a week, the most the run "
            f"days hold; the target of {say(ctx.requested_target_miles)} needs more run days (see the warnings)."
        )
    else:
        status = "not_ready_by_horizon"
        reason = f"Readiness and the weekly target are not both reached within {len(stepper.weeks)} weeks."
    weeks = stepper.weeks
    if stepper.warnings and status != "referral" and "see the warnings" not in reason:
        reason += " See the warnings."
    recommendations = []
    if not profile.current.gait_analysis_done and status != "referral":  # a referral says nothing else
        recommendations.append("Have a video analysis of your running form done by a running specialist.")
    return Plan(
        status=status,
        status_reason=reason,
        ruleset=RulesetRef(id=ruleset.spec.id, version=ruleset.spec.version, sha256=ruleset.sha256),
        runner=RunnerSummary(
            name=profile.runner.name,
            injury=profile.injury.kind,
            injury_site=profile.injury.site,
            high_risk_site=ctx.high_risk_site,
            age=profile.age,
            race=profile.goal.race,
            target_weekly_miles=ctx.target_miles,
            requested_target_weekly_miles=ctx.requested_target_miles,
        ),
        units=profile.units,
        start_date=ctx.start_date,
        race_date=profile.goal.race_date,
        planned_race_date=planned,
        ready_week=_ready_week(weeks, gate),
        earliest_feasible_race_date=earliest,
        race=_race_plan(ctx, weeks) if planned is not None else None,
        alternatives=alternatives,
        warnings=list(stepper.warnings),
        pain_guide=_pain_guide(ruleset),
        phase_labels={p.id: p.label or p.title for p in ruleset.spec.phases},
        baseline=baseline(ctx),
        availability=PlanAvailability(
            run_days=list(profile.availability.run_days),
            long_run_day=profile.availability.long_run_day,
            strength_days=list(profile.availability.strength_days),
            cross_train_days=list(profile.availability.cross_train_days),
        ),
        assumptions=[
            *_lived_assumption(ctx),
            NOMINAL_ASSUMPTION,
            f"Distances are estimated from minutes at an easy pace of "
            f"{Wording(ruleset, profile.units).pace(ctx.p('easy_pace_min_per_mile'))}.",
        ],
        recommendations=recommendations,
        weeks=weeks,
    )
