"""Invariants on the race and the plan's status: readiness for the distance, taper, honesty, run days."""

from __future__ import annotations

from collections.abc import Iterator

from planner.loads import holdable_volume, run_limits
from planner.planning.sessions import max_spaced_runs
from planner.rules.vocabulary import Spacing
from planner.validation.base import TOLERANCE, Checked, Violation, race_session, violation

# A taper week's volume comes from the peak split into whole tenths per run, so it can sit
# a little above the exact cut; a cut deeper than the table by more than this many points
# (outside race week) means the taper table was not followed.
TAPER_SLACK_MILES = 0.2
TAPER_OVERCUT_POINTS = 10


def taper(c: Checked) -> Iterator[Violation]:
    """With a race the plan builds to, the weeks before it cut volume by the taper table, and it holds the race."""
    race, race_week = c.race_row, c.planned_race_week()
    if race is None or race_week is None or not c.weeks:
        return
    cuts = {row.weeks_to_race: row.cut_pct for row in c.rs.spec.tables.taper.rows}
    taper_weeks = [w for w in c.weeks if race_week - race.taper_weeks < w.week <= race_week]
    if not taper_weeks:
        return
    first = taper_weeks[0].week - 1  # index of the week before the taper in c.volumes
    peak = max(c.volumes[max(0, first - 3) : first + 1])
    for w in taper_weeks:
        to_race = race_week - w.week + 1
        cut = cuts.get(to_race, max(cuts.values()))
        expected = peak * (1 - cut / 100)
        actual_cut = 100 * (1 - w.running.weekly_miles / peak) if peak else 0.0
        too_little = w.running.weekly_miles > expected + TAPER_SLACK_MILES
        # In race week, days on or after the race hold no runs, so a deeper cut is the calendar's.
        too_much = to_race > 1 and actual_cut > cut + TAPER_OVERCUT_POINTS
        if too_little or too_much:
            yield violation(
                "taper",
                [w.week],
                "running.weekly_miles",
                f"{w.running.weekly_miles:g} mi is a {actual_cut:.0f}% cut from the peak of {peak:g} mi; "
                f"the taper cuts {cut:g}% {to_race} week(s) out",
                weekly_miles=w.running.weekly_miles,
                peak=peak,
                cut_pct=cut,
            )
    raced = next((w for w in c.weeks if w.week == race_week), None)
    if raced is None or race_session(raced) is None:
        yield violation(
            "taper",
            [race_week],
            "running.sessions",
            f"the plan builds to a race in week {race_week} but that week has no race",
        )


def race_readiness(c: Checked) -> Iterator[Violation]:
    """A race the plan builds to has its long runs: the need reached before the taper, and often enough."""
    race, race_week = c.race_row, c.planned_race_week()
    if race is None or race_week is None:
        return
    need = race.long_run_need(c.pace)
    first_taper = race_week - race.taper_weeks + 1
    window = [w for w in c.weeks if first_taper - 4 <= w.week < first_taper]
    longest = max((w.running.long_run_miles for w in window), default=0.0)
    if longest < need - TOLERANCE:
        yield violation(
            "race-readiness",
            [w.week for w in window] or [race_week],
            "running.long_run_miles",
            f"the longest run of the four weeks before the taper is {longest:g} mi; the {race.race} needs "
            f"{need:g} mi (races table)",
            longest=longest,
            need=need,
        )
    near = need * c.rs.spec.tables.races.near_need_pct / 100
    race_phases = {p.id for p in c.rs.spec.phases if p.race_specific}
    block = [w for w in c.weeks if w.week < first_taper and (w.running.intensity or w.phase in race_phases)]
    count = sum(1 for w in block if w.running.long_run_miles >= near - TOLERANCE)
    if count < race.long_runs_at_need:
        yield violation(
            "race-readiness",
            [w.week for w in block] or [race_week],
            "running.long_run_miles",
            f"{count} long run(s) of at least {near:.1f} mi in the race block; the {race.race} needs "
            f"{race.long_runs_at_need} (races table)",
            count=count,
            needed=race.long_runs_at_need,
        )
    if race.cap_exception is None and c.plan.race is not None and c.plan.race.cap_exception:
        yield violation(
            "race-readiness",
            [race_week],
            "race.cap_exception",
            "the plan claims a race-day exception the ruleset does not give",
        )


def honest_status(c: Checked) -> Iterator[Violation]:
    """Status ready only if everything fits; at risk carries on to a later date that does."""
    plan = c.plan
    race = c.race_row
    last = c.weeks[-1].week if c.weeks else 0
    if plan.status == "referral":
        if not any(w.referral for w in c.weeks):
            yield violation("honest-status", [last], "status", "status referral but no week refers the runner")
        return
    if plan.status == "ready" and plan.ready_week is None:
        yield violation("honest-status", [last], "status", "status ready but readiness is never reached")
    race_week = c.planned_race_week()
    if race is not None and plan.race_date is not None:
        if plan.status == "ready" and plan.planned_race_date not in (None, plan.race_date):
            yield violation(
                "honest-status",
                [last],
                "status",
                f"status ready for the race on {plan.race_date}, but the plan builds to {plan.planned_race_date}",
            )
        if plan.status == "race_at_risk":
            yield from _at_risk(c, last)
        if race_week is None:
            return
        latest = race_week - race.taper_weeks - race.build_weeks + 1
        feasible = plan.ready_week is not None and plan.ready_week <= latest
        race_phases = {p.id for p in c.rs.spec.phases if p.race_specific}
        block = [w for w in c.weeks if w.week <= race_week - race.taper_weeks and w.phase in race_phases]
        if feasible and len(block) < race.build_weeks:
            yield violation(
                "honest-status",
                [last],
                "status",
                f"status {plan.status} builds to the race after {len(block)} race-specific week(s); "
                f"the {race.race} needs {race.build_weeks}",
                race_specific_weeks=len(block),
                build_weeks=race.build_weeks,
            )
        if not feasible:
            yield violation(
                "honest-status",
                [last],
                "status",
                f"status {plan.status}, but readiness (week {plan.ready_week}) is later than week {latest}, the last "
                f"start for a {race.build_weeks}-week block and {race.taper_weeks}-week taper",
                ready_week=plan.ready_week,
                latest_start=latest,
            )
    elif plan.status == "ready":
        target = plan.runner.requested_target_weekly_miles or plan.runner.target_weekly_miles
        if max(c.volumes, default=0.0) < target - TOLERANCE:
            yield violation(
                "honest-status", [last], "status", f"status ready but no week reaches the target of {target:g} mi"
            )
    elif plan.status == "race_at_risk":
        yield violation("honest-status", [last], "status", "status race_at_risk without a race")


def _at_risk(c: Checked, last: int) -> Iterator[Violation]:
    """At risk: the earliest date is later than the runner's, and the plan carries on to it."""
    plan, early = c.plan, c.plan.earliest_feasible_race_date
    if early is None or plan.race_date is None:
        return
    if early <= plan.race_date:
        yield violation(
            "honest-status",
            [last],
            "earliest_feasible_race_date",
            f"earliest feasible date {early} is not after the race date {plan.race_date}",
        )
    if plan.planned_race_date != early:
        yield violation(
            "honest-status",
            [last],
            "planned_race_date",
            f"the plan stops at {plan.planned_race_date}, not at the earliest feasible date {early}",
        )


def run_days(c: Checked) -> Iterator[Violation]:
    """Days that cannot hold the gate, or the target, are said plainly, and the plan is never ready on them."""
    plan = c.plan
    last = c.weeks[-1].week if c.weeks else 0
    days = plan.availability.run_days
    spaced = max_spaced_runs(days, Spacing.ALTERNATE_DAYS.rest_days)
    if spaced < c.p("gate_min_runs") and plan.status != "referral" and not c.gate_open[0]:
        if not plan.warnings:
            yield violation(
                "run-days",
                [last],
                "warnings",
                f"the run days hold {spaced} run(s) a week a day apart, fewer than the gate's "
                f"{c.p('gate_min_runs'):g}, and the plan does not warn",
            )
        if plan.status == "ready":
            yield violation("run-days", [last], "status", "status ready although the run days cannot hold the gate")
    if c.race_row is not None or plan.status == "referral":
        return
    runs = min(int(c.p("max_runs_per_week")), len(days))
    holdable = holdable_volume(runs, run_limits(c.rs), 0.0)
    requested = plan.runner.requested_target_weekly_miles or plan.runner.target_weekly_miles
    if requested > holdable + TOLERANCE:
        if plan.status == "ready":
            yield violation(
                "run-days",
                [last],
                "status",
                f"status ready with a target of {requested:g} mi that {len(days)} run day(s) cannot hold "
                f"(at most {holdable:g} mi)",
            )
        if not plan.warnings:
            yield violation(
                "run-days",
                [last],
                "warnings",
                f"a target of {requested:g} mi the run days cannot hold, without a warning",
            )
