"""The state transition: from the state a week started in and what the week *did*, the next state.

A projected week and an observed week go through the same transition. What differs
is the :class:`WeekDone` it is fed: for a projected week, the prescription done as
written and pain-free (the nominal assumption, :func:`as_prescribed`); for an observed
week, what the check-in recorded (:mod:`planner.planning.observed`). Decisions stay
with the rules: the transition only keeps the books (volumes, stages, counts), and
the rules read the result as next week's facts.
"""

from __future__ import annotations

from dataclasses import dataclass

from planner.loads import is_down_week, restarts_load
from planner.models.plan import Week
from planner.planning.context import PlanContext
from planner.planning.state import RECENT_WEEKS, RunnerState, is_pain_free
from planner.planning.training import StrengthState
from planner.rules.vocabulary import RUNNING_KINDS, RunningMode, SessionKind, Spacing


@dataclass(frozen=True, slots=True)
class Prescribed:
    """A week as the rules prescribed it, and the books it keeps when done as written."""

    week: Week
    warnings: tuple[str, ...]
    passed: frozenset[str]  # gates passed this week
    referral: bool
    mode: RunningMode
    spacing: Spacing
    walk_run: tuple[int, int, int]  # (stage, weeks at it, pain-free sessions at it) after the week
    strength: StrengthState
    hops: tuple[int, int, bool]  # (stage, weeks at it, readiness test done) after the week
    warmup: bool
    walk_minutes: int
    quality: SessionKind | None
    race: bool
    in_block: bool  # a race-block week: faster running, or the block's cutback
    frequency: int | None = None  # the runs the books count when rest after a race left some out


@dataclass(frozen=True, slots=True)
class WeekDone:
    """What a week did. ``None`` pain means the question was not answered (never 0/10)."""

    volume: float
    longest: float
    runs: int
    continuous: bool
    walk_run: tuple[int, int, int]
    strength: StrengthState
    hops: tuple[int, int, bool]
    warmup: bool
    walk_minutes: int
    quality: SessionKind | None
    running_pain: int | None
    next_morning_pain: int | None
    daily_life_pain: int | None
    morning_stiffness: int
    red_flags: tuple[str, ...]
    cleared: bool
    # Only an observed week sets these.
    observed: bool = False
    skipped: bool = False  # running was prescribed and none was done (missed, or no check-in)
    checked_in: bool = False
    missed: int = 0
    over_plan: bool = False
    hops_painful: bool = False
    base_volume: float | None = None  # what the load history counts (the prescription when more was run)
    base_longest: float | None = None
    base_runs: int | None = None  # the runs the books count: the prescription's (missed or extra runs aside)


def as_prescribed(s: RunnerState, p: Prescribed) -> WeekDone:
    """The nominal assumption: the week done exactly as prescribed, and pain-free."""
    runs = [x for x in p.week.running.sessions if x.kind in RUNNING_KINDS]
    return WeekDone(
        volume=p.week.running.weekly_miles,
        longest=p.week.running.long_run_miles,
        runs=len(runs),
        continuous=any(x.kind != SessionKind.WALK_RUN for x in runs),
        walk_run=p.walk_run,
        strength=p.strength,
        hops=p.hops,
        warmup=p.warmup,
        walk_minutes=p.walk_minutes,
        quality=p.quality,
        running_pain=0,
        next_morning_pain=0,
        daily_life_pain=0,
        morning_stiffness=0,
        red_flags=s.red_flag_names,
        cleared=s.cleared,
        base_runs=p.frequency,
    )


def _near_need(ctx: PlanContext, longest: float) -> bool:
    need = ctx.race_long_need
    return need > 0 and longest >= need * ctx.ruleset.spec.tables.races.near_need_pct / 100 - 1e-9


def transition(ctx: PlanContext, s: RunnerState, p: Prescribed, done: WeekDone, sticky: frozenset[str]) -> RunnerState:
    """The state the next week starts from."""
    gate_id = ctx.ruleset.spec.readiness.criteria["pain_free_10_mpw"]
    past_gate = gate_id in p.passed  # this week (sticky gates passed earlier are in it, unless lost)
    volume = done.volume if done.base_volume is None else done.base_volume
    longest = done.longest if done.base_longest is None else done.base_longest
    # A lived week without any running keeps the load books at the last week that ran, so the
    # rules step back from what the runner last did (running.weeks_off says for how long).
    idle = done.skipped and (s.running_weeks > 0 or s.last_miles > 0)
    # A down week is one clearly below the recent peak (the validator's definition too).
    down = p.race or is_down_week(volume, max(s.history_miles, default=0.0), ctx.p("cutback_pct"))
    # A week cut below the last one for any reason but a planned cutback or the taper (pain,
    # the 10-mile ceiling, the single-run cap) restarts the load history from where it fell,
    # so the next rises are measured from there and never bounce back to the old peak.
    reduced = restarts_load(p.mode.value, volume, s.last_miles)
    if idle:
        recent_miles, recent_long = s.recent_miles, s.recent_long
    elif reduced:
        recent_miles, recent_long = (volume,), (longest,)
    else:
        recent_miles = (*s.recent_miles, volume)[-RECENT_WEEKS:]
        recent_long = (*s.recent_long, longest)[-RECENT_WEEKS:]
    answered = done.running_pain is not None and done.next_morning_pain is not None
    answered = (answered or done.runs == 0) and done.daily_life_pain is not None
    flags = done.red_flags
    pain = ctx.pain
    refers = (
        (done.running_pain or 0) > pain.refer_during
        or (done.next_morning_pain or 0) > pain.refer_next_morning
        or (done.daily_life_pain or 0) > ctx.ruleset.params.get("red_flag_pain", 10.0)
    )
    # A red flag or pain over the tissue's referral threshold waits for a clinician's clearance.
    # A lived referral week lasts until a clearance too, whatever the referral was for.
    awaiting = (s.awaiting_clearance or (done.observed and (bool(flags) or refers or p.referral))) and not (
        done.observed and done.cleared
    )
    daily = done.observed and (done.daily_life_pain or 0) > 0
    pain_free = answered and is_pain_free(
        ctx, done.running_pain or 0, done.next_morning_pain or 0, done.daily_life_pain or 0
    )
    not_free = done.observed and done.runs > 0 and not pain_free
    return RunnerState(
        week=s.week + 1,
        daily_life_pain=done.daily_life_pain or 0,
        walk_minutes=max(s.walk_minutes, done.walk_minutes),
        red_flags=len(flags),
        red_flag_names=flags,
        running_pain=done.running_pain or 0,
        next_morning_pain=done.next_morning_pain or 0,
        pain_answered=answered,
        recent_miles=recent_miles,
        recent_long=recent_long,
        history_miles=(*s.history_miles, volume)[-RECENT_WEEKS:],
        # Walk-run stages follow their own table; only continuous running counts as a rise.
        rising_weeks=s.rising_weeks + 1 if p.mode is not RunningMode.WALK_RUN and volume > s.last_miles + 1e-9 else 0,
        runs_last_week=s.runs_last_week if idle else done.runs if done.base_runs is None else done.base_runs,
        spacing_last_week=p.spacing,
        weeks_since_cutback=0 if down or not past_gate else s.weeks_since_cutback + 1,
        walk_run_stage=done.walk_run[0],
        walk_run_weeks=done.walk_run[1],
        walk_run_sessions=done.walk_run[2],
        running_weeks=s.running_weeks + (1 if done.volume > 0 else 0),
        continuous_weeks=s.continuous_weeks + (1 if done.continuous else 0),
        weeks_off=s.weeks_off + 1 if idle else 0,
        previous_running_pain=s.running_pain,
        heavy_weeks=done.strength.heavy_weeks,
        block=done.strength.block,
        block_weeks_done=done.strength.block_weeks_done,
        block_complete=done.strength.block_complete,
        novice_weeks_left=done.strength.novice_weeks_left,
        hop_stage=done.hops[0],
        hop_weeks=done.hops[1],
        hop_readiness_done=done.hops[2],
        warmup_weeks=s.warmup_weeks + (1 if done.warmup else 0),
        race_build_weeks=s.race_build_weeks + (1 if p.in_block and (done.runs or not done.observed) else 0),
        quality_weeks=s.quality_weeks + (1 if done.quality is not None else 0),
        quality_kinds=s.quality_kinds | ({done.quality.value} if done.quality is not None else set()),
        peak_miles=max(s.peak_miles, volume),
        morning_stiffness=done.morning_stiffness,
        long_runs_near_need=s.long_runs_near_need + (1 if p.in_block and _near_need(ctx, longest) else 0),
        taper_weeks=s.taper_weeks
        + (1 if p.mode is RunningMode.TAPER and not p.race and (done.runs or not done.observed) else 0),
        observed=done.observed,
        checked_in=done.checked_in,
        missed_sessions=done.missed,
        over_plan=done.over_plan,
        hops_painful=done.hops_painful,
        cleared=s.cleared or (done.observed and done.cleared),
        awaiting_clearance=awaiting,
        daily_pain_weeks=s.daily_pain_weeks + 1 if daily else 0,
        not_pain_free_weeks=s.not_pain_free_weeks + 1 if not_free else 0,
        passed_before=p.passed & sticky,
    )
