"""Lived weeks: which plan weeks a check-in log (and the calendar) makes observed, and what each did.

A week is observed when a check-in stands for it, or when its dates have passed:
a passed week without a check-in counts as not done, never as done as prescribed.
What an observed week did becomes a :class:`WeekDone`, and goes through the same
transition as a projected week.

Bookkeeping only, no decisions: missed sessions are simply not counted (never made
up); a stage, a block week or a hop stage counts only when the check-in shows it done
(pain-free where the table says so); running more than prescribed counts toward
the week's pain, but the load history never builds on the overshoot.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from planner.checkins.fold import FoldedWeek
from planner.models.checkin import CheckinEvent, LoggedRun
from planner.models.plan import LoggedWeek
from planner.planning.context import PlanContext
from planner.planning.state import RunnerState, is_pain_free
from planner.planning.training import StrengthState
from planner.planning.transition import Prescribed, WeekDone
from planner.rules.vocabulary import QUALITY_KINDS, RUNNING_KINDS, RunningMode, SessionKind
from planner.units import to_miles

ROUNDING_MILES = 0.05  # a distance logged in km and read back in miles lands within this of the original


@dataclass(frozen=True, slots=True)
class ObservedWeek:
    """A lived week: its check-in, or None when its dates passed without one."""

    week: int
    event: CheckinEvent | None
    replaced: tuple[str, ...] = ()


def weeks_lived(start: date, today: date) -> int:
    """Plan weeks whose last day is before ``today``."""
    return max(0, (today - start).days // 7)


def observed_weeks(folded: Mapping[int, FoldedWeek], start: date, today: date, horizon: int) -> dict[int, ObservedWeek]:
    """Every plan week up to the last lived or checked-in one (at most the horizon)."""
    last = min(max(weeks_lived(start, today), max(folded, default=0)), horizon)
    out = {}
    for week in range(1, last + 1):
        held = folded.get(week)
        out[week] = ObservedWeek(week, held.event, held.replaced) if held is not None else ObservedWeek(week, None)
    return out


def future_checkins(folded: Mapping[int, FoldedWeek], start: date, today: date) -> list[tuple[FoldedWeek, date]]:
    """Check-ins for weeks that have not started by ``today``, with the day each week starts."""
    out = []
    for week, held in sorted(folded.items()):
        first = start + timedelta(weeks=week - 1)
        if first > today:
            out.append((held, first))
    return out


def run_miles(ctx: PlanContext, run: LoggedRun) -> float:
    """A logged run's running distance in miles: as given, or from minutes at the easy pace."""
    if run.distance is not None:
        return to_miles(float(run.distance), ctx.profile.units)
    if run.walk_run_stage is not None and 1 <= run.walk_run_stage <= len(ctx.walk_run_rows):
        return ctx.walk_run_session_miles(run.walk_run_stage)  # the minutes include the walking
    return round((run.minutes or 0) / ctx.p("easy_pace_min_per_mile"), 2)


def _as_planned(miles: float, planned: float | None) -> float:
    """A run within rounding (a unit conversion) of the day's prescription is the prescription."""
    return planned if planned is not None and abs(miles - planned) <= ROUNDING_MILES else miles


def _walk_run_done(s: RunnerState, p: Prescribed, runs: int, pain_free: bool) -> tuple[int, int, int]:
    """Walk-run books: only pain-free sessions count toward the stage (a step back the rules took stands)."""
    prescribed = sum(1 for x in p.week.running.sessions if x.kind in RUNNING_KINDS)
    if p.mode is RunningMode.NONE or prescribed == 0:
        return p.walk_run  # a week that prescribed no running keeps the books a projection keeps
    if runs == 0 and p.mode is not RunningMode.WALK_RUN:
        return s.walk_run_stage, s.walk_run_weeks, s.walk_run_sessions
    if p.mode is not RunningMode.WALK_RUN:
        return p.walk_run  # continuous running completes the walk-run table
    stage, weeks, nominal = p.walk_run
    carried = nominal - prescribed  # sessions already done at this stage before the week
    return stage, weeks, carried + (runs if pain_free else 0)


def _strength_done(s: RunnerState, p: Prescribed, event: CheckinEvent | None, least: int) -> StrengthState:
    unchanged = StrengthState(s.heavy_weeks, s.block, s.block_weeks_done, s.block_complete, s.novice_weeks_left)
    if p.strength == unchanged:
        return unchanged
    done = event.strength_sessions if event is not None else None
    needed = min(p.week.strength.sessions, least) if p.week.strength.sessions else least
    return p.strength if done is not None and done >= needed else unchanged


def _hops_done(s: RunnerState, p: Prescribed, event: CheckinEvent | None) -> tuple[tuple[int, int, bool], bool]:
    """(stage, weeks at it, readiness test done) after the week, and whether the hop work hurt."""
    unchanged = (s.hop_stage, s.hop_weeks, s.hop_readiness_done)
    if p.hops[0] < s.hop_stage:
        return p.hops, False  # a step back the rules decided needs nothing done
    logged = event.hops if event is not None else None
    planned = p.week.plyometrics
    if planned.stage == 0 or logged is None:
        return (p.hops if planned.stage == 0 else unchanged), False
    if not logged.pain_free:
        return unchanged, True
    if logged.stage >= planned.stage and logged.sets >= planned.sets:
        return p.hops, False
    return unchanged, False


def done_from_log(ctx: PlanContext, s: RunnerState, p: Prescribed, lived: ObservedWeek) -> WeekDone:
    """What an observed week did, from its check-in (or from its silence)."""
    event = lived.event
    running = p.week.running
    # The race is the race: a run on race day in the race week is not part of the training volume.
    race_day = next((x.day for x in running.sessions if x.kind == SessionKind.RACE), None)
    logged = [r for r in (event.runs if event is not None else []) if r.day != race_day]
    # Running in a week that prescribed none (a referral, before the running gate) is not training
    # the plan builds on: its pain counts, its miles never open a gate or raise the load.
    counted = logged if p.mode is not RunningMode.NONE else []
    planned = {x.day: x.miles for x in running.sessions if x.kind in RUNNING_KINDS}
    miles = [_as_planned(run_miles(ctx, r), planned.get(r.day)) for r in counted]
    volume = round(sum(miles), 1)
    longest = round(max(miles, default=0.0), 1)
    tolerance = ctx.p("over_plan_miles")
    over = bool(counted) and (volume > running.weekly_miles + tolerance or longest > running.long_run_miles + tolerance)
    # Over the plan the books count the prescription (or last week, in a down or no-running week), never more.
    base_volume = min(volume, max(running.weekly_miles, s.last_miles)) if over else None
    base_longest = min(longest, max(running.long_run_miles, s.last_long)) if over else None
    rp = event.running_pain if event is not None else None
    nm = event.next_morning_pain if event is not None else None
    dl = event.daily_life_pain if event is not None else None
    answered = dl is not None and (not logged or (rp is not None and nm is not None))
    pain_free = answered and is_pain_free(ctx, rp or 0, nm or 0, dl or 0)
    hops, hops_painful = _hops_done(s, p, event)
    prescribed_days = [x.day for x in running.sessions if x.kind in RUNNING_KINDS]
    quality_day = next((x.day for x in running.sessions if x.kind in QUALITY_KINDS), None)
    ran_days = {r.day for r in counted}
    missed = len(set(event.missed) | (set(prescribed_days) - ran_days)) if event is not None else len(prescribed_days)
    walked = event is not None and dl == 0
    stiffness = event.morning_stiffness_minutes if event is not None else None
    return WeekDone(
        volume=volume,
        longest=longest,
        runs=len(counted),
        # Continuous when the prescription was (a walk-run stage logged for every run says otherwise).
        continuous=bool(counted)
        and any(x.kind != SessionKind.WALK_RUN for x in running.sessions if x.kind in RUNNING_KINDS)
        and not all(r.walk_run_stage is not None for r in counted),
        walk_run=_walk_run_done(s, p, len(counted), pain_free),
        strength=_strength_done(s, p, event, int(ctx.p("strength_min_heavy_sessions"))),
        hops=hops,
        # The warm-up goes before every run, or before the hops and lifting of a week without runs.
        warmup=p.warmup and (bool(counted) or (event is not None and not prescribed_days)),
        walk_minutes=p.walk_minutes if walked else 0,
        quality=p.quality if quality_day is not None and quality_day in ran_days else None,
        # An answer given counts even in a week without runs (safety first: pain is pain).
        running_pain=rp if rp is not None or logged else (0 if answered else None),
        next_morning_pain=nm if nm is not None or logged else (0 if answered else None),
        daily_life_pain=dl,
        morning_stiffness=stiffness if stiffness is not None else s.morning_stiffness,
        red_flags=tuple(event.red_flags) if event is not None else (),
        cleared=event is not None and event.cleared_by_clinician,
        observed=True,
        skipped=bool(prescribed_days) and not counted,
        checked_in=event is not None,
        missed=missed,
        over_plan=over,
        hops_painful=hops_painful,
        base_volume=base_volume,
        base_longest=base_longest,
        # A missed run lowers the week's volume, not the plan's frequency; an extra run never raises it.
        base_runs=len(prescribed_days) if counted else 0,
    )


def logged_week(ctx: PlanContext, lived: ObservedWeek, done: WeekDone) -> LoggedWeek:
    """The plan file's record of what an observed week did."""
    event = lived.event
    # The record shows every run logged, also those the books do not count (a week without running).
    ran = [run_miles(ctx, r) for r in event.runs] if event is not None else []
    counted = done.runs > 0 or not ran
    return LoggedWeek(
        checkin=event.id if event is not None else None,
        replaced=list(lived.replaced),
        miles=done.volume if counted else round(sum(ran), 1),
        long_run_miles=done.longest if counted else round(max(ran), 1),
        runs=done.runs if counted else len(ran),
        ran_against_advice=not counted,
        missed_sessions=done.missed,
        running_pain=event.running_pain if event is not None else None,
        next_morning_pain=event.next_morning_pain if event is not None else None,
        daily_life_pain=event.daily_life_pain if event is not None else None,
        morning_stiffness_minutes=event.morning_stiffness_minutes if event is not None else None,
        hop_stage=event.hops.stage if event is not None and event.hops is not None else None,
        hop_sets=event.hops.sets if event is not None and event.hops is not None else None,
        hops_pain_free=event.hops.pain_free if event is not None and event.hops is not None else None,
        strength_sessions=event.strength_sessions if event is not None else None,
        red_flags=list(event.red_flags) if event is not None else [],
        cleared_by_clinician=event is not None and event.cleared_by_clinician,
        notes=event.notes if event is not None else "",
    )
