"""The runner's state at the start of a week, and the facts rules read from it."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from planner.engine.limits import engine_number
from planner.planning.context import PlanContext, alternate_day_runs
from planner.planning.sessions import max_spaced_runs
from planner.rules.vocabulary import Spacing
from planner.units import to_miles

RECENT_WEEKS = 4  # "previous four weeks" for the weekly peak; 28 days for the longest run
DEFAULT_RUNS_PER_WEEK = 3  # a profile that runs but gives no longest run: the usual return-to-run frequency


@dataclass(frozen=True, slots=True)
class RunnerState:
    """Where the runner stands when week ``week`` begins."""

    week: int
    daily_life_pain: int
    walk_minutes: int
    red_flags: int
    running_pain: int  # worst pain during running last week
    next_morning_pain: int
    recent_miles: tuple[float, ...]  # weekly volumes, oldest first, at most RECENT_WEEKS
    recent_long: tuple[float, ...]  # longest run of each of those weeks
    history_miles: tuple[float, ...]  # the same weeks as lived, never restarted (down weeks are judged on it)
    rising_weeks: int
    runs_last_week: int
    spacing_last_week: Spacing
    weeks_since_cutback: int  # after the 10-mile gate; 0 before it
    walk_run_stage: int
    walk_run_weeks: int
    walk_run_sessions: int  # pain-free sessions at the current stage
    running_weeks: int  # weeks of this plan with any running
    continuous_weeks: int  # weeks of this plan with continuous running
    previous_running_pain: int  # running pain the week before last
    heavy_weeks: int
    block: int
    block_weeks_done: int
    block_complete: bool  # the block's deload week is done: the next week starts the next block
    novice_weeks_left: int  # lighter first weeks for a runner new to heavy lifting
    hop_stage: int
    hop_weeks: int
    hop_readiness_done: bool
    warmup_weeks: int
    race_build_weeks: int
    quality_weeks: int  # weeks that held a quality session
    quality_kinds: frozenset[str]  # kinds of quality session done so far
    peak_miles: float  # the highest weekly volume of the plan so far (recovery weeks are cut from it)
    morning_stiffness: int  # minutes; the profile's week only (a projected week is done symptom-free)
    long_runs_near_need: int  # race-block weeks whose long run came near the race's need
    taper_weeks: int  # taper weeks done before the race week
    red_flag_names: tuple[str, ...]  # the red flags reported (the profile's, then a check-in's)
    pain_answered: bool  # last week's pain questions were answered (a projected week: yes)
    weeks_off: int  # lived weeks in a row without any running, after running had started
    observed: bool  # last week was lived: a check-in recorded it, or its dates passed without one
    checked_in: bool  # last week has a check-in
    missed_sessions: int  # planned runs last week's check-in says were missed
    over_plan: bool  # last week's check-in ran more than prescribed (volume or longest run)
    hops_painful: bool  # last week's hop work was not pain-free
    cleared: bool  # a clinician's clearance was recorded in a check-in
    awaiting_clearance: bool  # a red flag or pain over the referral threshold was logged, and no clearance since
    daily_pain_weeks: int  # lived weeks in a row with daily-life pain, ending last week
    not_pain_free_weeks: int  # lived weeks in a row that ran but were not pain-free, ending last week
    passed_before: frozenset[str]

    @property
    def last_miles(self) -> float:
        """Last week's running volume."""
        return self.recent_miles[-1] if self.recent_miles else 0.0

    @property
    def last_long(self) -> float:
        """Last week's longest run."""
        return self.recent_long[-1] if self.recent_long else 0.0

    @property
    def longest_recent(self) -> float:
        """The longest run of the previous four weeks."""
        return max(self.recent_long, default=0.0)

    @property
    def peak_recent(self) -> float:
        """The highest weekly volume of the previous four weeks."""
        return max(self.recent_miles, default=0.0)


def _strength_start(ctx: PlanContext) -> tuple[int, int, int]:
    """(heavy weeks, block, weeks done in it) from the profile.

    Heavy training of at least the minimum sessions a week counts, and fills the
    block table in order.
    """
    now = ctx.profile.current.strength
    if now.heavy_sessions_per_week < ctx.p("strength_min_heavy_sessions") or now.weeks_heavy == 0:
        return 0, 0, 0
    remaining, block = now.weeks_heavy, 1
    while remaining >= ctx.strength_row(block).weeks:
        remaining -= ctx.strength_row(block).weeks
        block += 1
    return now.weeks_heavy, block, remaining


def _walk_run_start(ctx: PlanContext, weekly_miles: float, pain_free: bool) -> tuple[int, int, int]:
    """(stage, weeks at it, pain-free sessions at it): a stated stage, else continuous if running, else none.

    A stated stage counts as done when the runner's current week is pain-free.
    """
    stated = ctx.profile.current.walk_run_stage
    last = len(ctx.walk_run_rows)
    if stated is not None and stated > 0:
        return stated, 1, ctx.walk_run_sessions_needed(stated) if pain_free else 0
    if weekly_miles > 0:
        return last, 1, ctx.walk_run_sessions_needed(last)  # already running continuously
    return 0, 0, 0


def is_pain_free(ctx: PlanContext, running: int, next_morning: int, daily_life: int) -> bool:
    """A week counts as pain-free: every pain answer at most the ruleset's pain_free_max."""
    most = ctx.p("pain_free_max")
    return running <= most and next_morning <= most and daily_life <= most


def initial_state(ctx: PlanContext) -> RunnerState:
    """The state at the start of week 1, from the profile."""
    cur = ctx.profile.current
    units = ctx.profile.units
    weekly = to_miles(cur.weekly_miles, units)
    longest = to_miles(cur.longest_run_miles, units)
    heavy, block, done = _strength_start(ctx)
    pain_free = is_pain_free(ctx, cur.running_pain, cur.next_morning_pain, cur.daily_life_pain)
    stage, stage_weeks, stage_sessions = _walk_run_start(ctx, weekly, pain_free)
    ready_row = ctx.hop_row(ctx.readiness_hop_stage)
    novice = ctx.ruleset.spec.tables.strength_blocks.novice.weeks if heavy == 0 else 0
    hop_ready = ready_row is not None and ready_row.seconds <= 30 and cur.hops.single_leg_30s_sets >= ready_row.sets
    hop_stage = max(cur.hops.stage, ctx.readiness_hop_stage) if hop_ready else cur.hops.stage
    if cur.runs_per_week is not None:
        runs = cur.runs_per_week
    elif weekly > 0:
        # Not stated: as many runs as the volume needs at the longest run given, else the usual three.
        needed = math.ceil(weekly / longest - 1e-9) if longest > 0 else DEFAULT_RUNS_PER_WEEK
        runs = max(1, min(needed, len(ctx.run_days)))
    else:
        runs = 0
    return RunnerState(
        week=1,
        daily_life_pain=cur.daily_life_pain,
        walk_minutes=cur.pain_free_walk_minutes,
        red_flags=len(cur.red_flags),
        red_flag_names=tuple(cur.red_flags),
        running_pain=cur.running_pain,
        next_morning_pain=cur.next_morning_pain,
        recent_miles=(weekly,),
        recent_long=(max(longest, 0.0),),
        history_miles=(weekly,),
        rising_weeks=0,
        runs_last_week=runs,
        # Unknown before the plan: assume spaced runs, so a run is only added once the
        # plan itself has spread them (one change at a time from the first week).
        spacing_last_week=Spacing.ALTERNATE_DAYS,
        weeks_since_cutback=0,
        walk_run_stage=stage,
        walk_run_weeks=stage_weeks,
        walk_run_sessions=stage_sessions,
        running_weeks=0,
        continuous_weeks=0,
        previous_running_pain=cur.running_pain,  # no earlier week is known: no trend
        heavy_weeks=heavy,
        block=block,
        block_weeks_done=done,
        block_complete=False,
        novice_weeks_left=novice,
        hop_stage=hop_stage,
        hop_weeks=1 if hop_stage > 0 else 0,
        hop_readiness_done=hop_ready,
        warmup_weeks=cur.fitted_warmup_weeks,
        race_build_weeks=0,
        quality_weeks=0,
        quality_kinds=frozenset(),
        peak_miles=0.0,  # the plan's own weeks set it: recovery is cut from the training peak
        morning_stiffness=ctx.profile.screening.morning_stiffness_minutes,
        long_runs_near_need=0,
        taper_weeks=0,
        pain_answered=True,
        weeks_off=0,
        observed=False,
        checked_in=False,
        missed_sessions=0,
        over_plan=False,
        hops_painful=False,
        cleared=False,
        # A red flag or pain over the referral threshold before week 1 waits for a clearance too.
        awaiting_clearance=bool(cur.red_flags)
        or cur.running_pain > ctx.pain.refer_during
        or cur.next_morning_pain > ctx.pain.refer_next_morning
        or cur.daily_life_pain > ctx.ruleset.params.get("red_flag_pain", 10.0),
        daily_pain_weeks=0,
        not_pain_free_weeks=0,
        passed_before=frozenset(),
    )


def walk_run_complete(ctx: PlanContext, s: RunnerState) -> bool:
    """The last (continuous) walk-run stage has had its pain-free sessions."""
    last = len(ctx.walk_run_rows)
    return s.walk_run_stage == last and s.walk_run_sessions >= ctx.walk_run_sessions_needed(last)


def walk_run_stage_done(ctx: PlanContext, s: RunnerState) -> bool:
    """The current walk-run stage has had its pain-free sessions (stage 0: yes)."""
    if s.walk_run_stage == 0:
        return True
    return s.walk_run_sessions >= ctx.walk_run_sessions_needed(s.walk_run_stage)


def hop_stage_done(ctx: PlanContext, s: RunnerState) -> bool:
    """The current hop stage has been held its minimum weeks (stage 0: yes)."""
    row = ctx.hop_row(s.hop_stage)
    return row is None or s.hop_weeks >= row.min_weeks


def can_add_run(ctx: PlanContext, s: RunnerState) -> bool:
    """Last week's runs were fewer than the days, the ruleset and last week's spacing allow."""
    room = min(ctx.max_runs, max_spaced_runs(ctx.run_days, s.spacing_last_week.rest_days))
    shortest = ctx.p("min_run_minutes") / ctx.p("easy_pace_min_per_mile")
    if s.runs_last_week < 1:
        return False
    equal_runs = s.last_long <= s.last_miles / s.runs_last_week + 0.1
    # With one more run: equal runs share the week; otherwise the other runs share what the long run leaves.
    each = s.last_miles / (s.runs_last_week + 1) if equal_runs else (s.last_miles - s.last_long) / s.runs_last_week
    return s.runs_last_week < room and each >= shortest - 1e-9


def facts(ctx: PlanContext, s: RunnerState) -> dict[str, Any]:
    """Every fact of the vocabulary for the start of this week."""
    race = ctx.race
    weeks_to_race = (ctx.race_week - s.week + 1) if ctx.race_week is not None else 0
    has_race = race is not None and weeks_to_race >= 1
    readiness_stage = ctx.readiness_hop_stage
    next_row = ctx.hop_row(s.hop_stage + 1)
    pain = ctx.pain
    # Unanswered pain is held as 0 with pain_answered false: never pain-free, but not over the allowance.
    pain_ok = s.running_pain <= pain.during and s.next_morning_pain <= pain.next_morning
    need = ctx.race_long_need
    screen = ctx.profile.screening
    after_race = s.week - ctx.race_week if ctx.race_week is not None and s.week > ctx.race_week else 0
    values: dict[str, Any] = {
        "week": s.week,
        "runner.age": ctx.profile.age or 0,
        "runner.sex": ctx.profile.sex or "other",
        "screen.energy_flags": sum((screen.missed_periods, screen.recent_weight_loss, screen.restricted_eating)),
        "screen.previous_bone_stress": screen.previous_bone_stress_injuries,
        "screen.morning_stiffness_minutes": s.morning_stiffness,
        "race.weeks_after_race": after_race,
        "availability.run_days": len(ctx.run_days),
        "availability.alternate_day_runs": alternate_day_runs(ctx.run_days),
        "injury.kind": ctx.profile.injury.kind,
        "injury.high_risk_site": ctx.high_risk_site,
        "injury.cleared_to_run": ctx.profile.injury.cleared_to_run or s.cleared,
        "red_flags.count": s.red_flags,
        "pain.daily_life": s.daily_life_pain,
        "pain.allowed_during": pain.during,
        "pain.allowed_next_morning": pain.next_morning,
        "pain.refer_during": pain.refer_during,
        "pain.refer_next_morning": pain.refer_next_morning,
        "walk.pain_free_minutes": s.walk_minutes,
        "last_week.miles": s.last_miles,
        "last_week.long_run_miles": s.last_long,
        "last_week.running_pain": s.running_pain,
        "last_week.next_morning_pain": s.next_morning_pain,
        "last_week.pain_ok": pain_ok,
        "last_week.pain_worsening": s.running_pain > s.previous_running_pain,
        "last_week.pain_free": s.pain_answered
        and is_pain_free(ctx, s.running_pain, s.next_morning_pain, s.daily_life_pain),
        "last_week.pain_refers": s.running_pain > pain.refer_during or s.next_morning_pain > pain.refer_next_morning,
        "last_week.runs": s.runs_last_week,
        "last_week.observed": s.observed,
        "last_week.checked_in": s.checked_in,
        "last_week.pain_answered": s.pain_answered,
        "last_week.worse_next_morning": s.pain_answered and s.next_morning_pain > s.running_pain,
        "last_week.missed_sessions": s.missed_sessions,
        "last_week.over_plan": s.over_plan,
        "last_week.hops_painful": s.hops_painful,
        "running.weeks_off": s.weeks_off,
        "clearance.awaiting": s.awaiting_clearance,
        "pain.daily_life_weeks": s.daily_pain_weeks,
        "last_week.not_pain_free_weeks": s.not_pain_free_weeks,
        "load.peak_4wk_miles": s.peak_recent,
        "load.longest_run_30d_miles": s.longest_recent,
        "load.rising_weeks": s.rising_weeks,
        "load.weeks_since_cutback": s.weeks_since_cutback,
        "load.target_miles": ctx.target_miles,
        "load.target_reached": s.last_miles >= ctx.target_miles - 1e-9,
        "load.holdable_miles": ctx.holdable_miles,
        "load.target_holdable": ctx.requested_target_miles <= ctx.holdable_miles + 1e-9,
        "running.weeks_done": s.running_weeks,
        "running.continuous_weeks": s.continuous_weeks,
        "running.can_add_run": can_add_run(ctx, s),
        "walk_run.stage": s.walk_run_stage,
        "walk_run.weeks_at_stage": s.walk_run_weeks,
        "walk_run.sessions_at_stage": s.walk_run_sessions,
        "walk_run.stage_done": walk_run_stage_done(ctx, s),
        "walk_run.complete": walk_run_complete(ctx, s),
        "strength.heavy_weeks": s.heavy_weeks,
        "strength.block": s.block,
        "strength.block_week": s.block_weeks_done,
        "hops.stage": s.hop_stage,
        "hops.weeks_at_stage": s.hop_weeks,
        "hops.stage_done": hop_stage_done(ctx, s),
        "hops.next_single_leg": bool(next_row and next_row.single_leg),
        "hops.at_readiness_stage": s.hop_stage >= readiness_stage,
        "hops.readiness_done": s.hop_readiness_done,
        "hops.last_stage": s.hop_stage == len(ctx.hop_rows),
        "warmup.weeks": s.warmup_weeks,
        "warmup.deficit_count": len(ctx.profile.current.deficits),
        "race.has_race": has_race,
        "race.distance": ctx.profile.goal.race,
        "race.weeks_to_race": max(weeks_to_race, 0),
        "race.in_build_window": has_race and race is not None and weeks_to_race <= race.build_weeks + race.taper_weeks,
        "race.in_taper_window": has_race and race is not None and weeks_to_race <= race.taper_weeks,
        "race.is_race_week": has_race and weeks_to_race == 1,
        "race.is_goal_week": ctx.goal_week == s.week,
        "race.moved": ctx.race_week != ctx.goal_week,
        "race.long_run_need_miles": need,
        "race.long_run_ready": race is not None
        and need > 0
        and s.longest_recent >= need - 1e-9
        and s.long_runs_near_need >= race.long_runs_at_need,
        "race_build.weeks_done": s.race_build_weeks,
        "race_build.complete": race is not None and s.race_build_weeks >= race.build_weeks,
        "race.taper_complete": race is not None and s.taper_weeks >= race.taper_weeks - 1,
        "gait_analysis_done": ctx.profile.current.gait_analysis_done,
    }
    # Both evaluators see the same numbers, each one the engine's number format can take.
    return {k: engine_number(v) if isinstance(v, float) else v for k, v in values.items()}
