"""The runner's state at the start of a week, and the facts rules read from it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from planner.planning.context import PlanContext
from planner.units import to_miles

RECENT_WEEKS = 4  # "previous four weeks" for the weekly peak; 28 days for the longest run


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
    rising_weeks: int
    walk_run_stage: int
    walk_run_weeks: int
    running_weeks: int  # weeks of this plan with any running
    previous_running_pain: int  # running pain the week before last
    heavy_weeks: int
    block: int
    block_weeks_done: int
    hop_stage: int
    hop_weeks: int
    hop_readiness_done: bool
    warmup_weeks: int
    race_build_weeks: int
    taper_weeks: int  # taper weeks done before the race week
    passed_before: frozenset[str]

    @property
    def last_miles(self) -> float:
        """Last week's running volume."""
        return self.recent_miles[-1] if self.recent_miles else 0.0

    @property
    def last_long(self) -> float:
        """Last week's longest run."""
        return self.recent_long[-1] if self.recent_long else 0.0


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


def _walk_run_start(ctx: PlanContext, weekly_miles: float) -> tuple[int, int]:
    """(stage, weeks at it): a stated stage, else continuous if running, else none."""
    stated = ctx.profile.current.walk_run_stage
    last = len(ctx.walk_run_rows)
    if stated is not None and stated > 0:
        return stated, 1
    if weekly_miles > 0:
        return last, ctx.walk_run_row(last).min_weeks  # already running continuously
    return 0, 0


def initial_state(ctx: PlanContext) -> RunnerState:
    """The state at the start of week 1, from the profile."""
    cur = ctx.profile.current
    units = ctx.profile.units
    weekly = to_miles(cur.weekly_miles, units)
    longest = to_miles(cur.longest_run_miles, units)
    heavy, block, done = _strength_start(ctx)
    stage, stage_weeks = _walk_run_start(ctx, weekly)
    ready_row = ctx.hop_row(ctx.readiness_hop_stage)
    hop_ready = ready_row is not None and ready_row.seconds <= 30 and cur.hops.single_leg_30s_sets >= ready_row.sets
    hop_stage = max(cur.hops.stage, ctx.readiness_hop_stage) if hop_ready else cur.hops.stage
    return RunnerState(
        week=1,
        daily_life_pain=cur.daily_life_pain,
        walk_minutes=cur.pain_free_walk_minutes,
        red_flags=len(cur.red_flags),
        running_pain=cur.running_pain,
        next_morning_pain=cur.next_morning_pain,
        recent_miles=(weekly,),
        recent_long=(max(longest, 0.0),),
        rising_weeks=0,
        walk_run_stage=stage,
        walk_run_weeks=stage_weeks,
        running_weeks=0,
        previous_running_pain=cur.running_pain,  # no earlier week is known: no trend
        heavy_weeks=heavy,
        block=block,
        block_weeks_done=done,
        hop_stage=hop_stage,
        hop_weeks=1 if hop_stage > 0 else 0,
        hop_readiness_done=hop_ready,
        warmup_weeks=cur.fitted_warmup_weeks,
        race_build_weeks=0,
        taper_weeks=0,
        passed_before=frozenset(),
    )


def walk_run_complete(ctx: PlanContext, s: RunnerState) -> bool:
    """The last (continuous) walk-run stage has been held its minimum weeks."""
    last = len(ctx.walk_run_rows)
    return s.walk_run_stage == last and s.walk_run_weeks >= ctx.walk_run_row(last).min_weeks


def walk_run_stage_done(ctx: PlanContext, s: RunnerState) -> bool:
    """The current walk-run stage has been held its minimum weeks (stage 0: yes)."""
    if s.walk_run_stage == 0:
        return True
    return s.walk_run_weeks >= ctx.walk_run_row(s.walk_run_stage).min_weeks


def hop_stage_done(ctx: PlanContext, s: RunnerState) -> bool:
    """The current hop stage has been held its minimum weeks (stage 0: yes)."""
    row = ctx.hop_row(s.hop_stage)
    return row is None or s.hop_weeks >= row.min_weeks


def facts(ctx: PlanContext, s: RunnerState) -> dict[str, Any]:
    """Every fact of the vocabulary for the start of this week."""
    race = ctx.race
    weeks_to_race = (ctx.race_week - s.week + 1) if ctx.race_week is not None else 0
    has_race = race is not None and weeks_to_race >= 1
    readiness_stage = ctx.readiness_hop_stage
    next_row = ctx.hop_row(s.hop_stage + 1)
    pain_ok = s.running_pain <= ctx.allowed_during and s.next_morning_pain <= ctx.allowed_next_morning
    return {
        "week": s.week,
        "injury.kind": ctx.profile.injury.kind,
        "injury.high_risk_site": ctx.high_risk_site,
        "injury.cleared_to_run": ctx.profile.injury.cleared_to_run,
        "red_flags.count": s.red_flags,
        "pain.daily_life": s.daily_life_pain,
        "pain.allowed_during": ctx.allowed_during,
        "pain.allowed_next_morning": ctx.allowed_next_morning,
        "walk.pain_free_minutes": s.walk_minutes,
        "last_week.miles": s.last_miles,
        "last_week.long_run_miles": s.last_long,
        "last_week.running_pain": s.running_pain,
        "last_week.next_morning_pain": s.next_morning_pain,
        "last_week.pain_ok": pain_ok,
        "last_week.pain_worsening": s.running_pain > s.previous_running_pain,
        "load.peak_4wk_miles": max(s.recent_miles, default=0.0),
        "load.longest_run_30d_miles": max(s.recent_long, default=0.0),
        "load.rising_weeks": s.rising_weeks,
        "load.target_miles": ctx.target_miles,
        "load.target_reached": s.last_miles >= ctx.target_miles - 1e-9,
        "running.weeks_done": s.running_weeks,
        "walk_run.stage": s.walk_run_stage,
        "walk_run.weeks_at_stage": s.walk_run_weeks,
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
        "race_build.weeks_done": s.race_build_weeks,
        "race_build.complete": race is not None and s.race_build_weeks >= race.build_weeks,
        "race.taper_complete": race is not None and s.taper_weeks >= race.taper_weeks - 1,
        "gait_analysis_done": ctx.profile.current.gait_analysis_done,
    }
