"""Invariants on how much the runner runs: the gate, the caps, the rhythm, the run count."""

from __future__ import annotations

from collections.abc import Iterator

from planner.loads import is_down_week
from planner.models.plan import Week
from planner.rules.vocabulary import SessionKind
from planner.validation.base import TOLERANCE, Checked, Violation, race_session, run_sessions, violation


def gate_10mpw(c: Checked) -> Iterator[Violation]:
    """No volume above the gate, and no intensity, before the gate opened."""
    threshold = c.p("gate_weekly_miles")
    for i, w in enumerate(c.weeks, start=1):
        if c.gate_open[i]:
            continue
        if w.running.weekly_miles > threshold + TOLERANCE:
            yield violation(
                "gate-10mpw",
                [w.week],
                "running.weekly_miles",
                f"{w.running.weekly_miles:g} mi before any pain-free week of {threshold:g} mi",
                weekly_miles=w.running.weekly_miles,
                threshold=threshold,
            )
        if w.running.intensity:
            yield violation(
                "gate-10mpw",
                [w.week],
                "running.intensity",
                f"intensity before any pain-free week of {threshold:g} mi",
                threshold=threshold,
            )


def weekly_cap(c: Checked) -> Iterator[Violation]:
    """After the gate, a new weekly high within the cap; before it, the early-build step."""
    cap, step = c.p("weekly_cap_pct"), c.p("early_build_step_miles")
    for i, w in enumerate(c.weeks, start=1):
        vol = w.running.weekly_miles
        if c.walk_run_week(w):
            continue  # walk-run weeks follow their table stage by stage (minutes, not miles)
        if c.gate_open[i]:
            peak = max(c.volumes[c.window(i) : i])
            limit = peak * (1 + cap / 100)
            if vol > limit + TOLERANCE:
                yield violation(
                    "weekly-cap",
                    [w.week],
                    "running.weekly_miles",
                    f"{vol:g} mi is more than {cap:g}% over the 4-week peak of {peak:g} mi",
                    weekly_miles=vol,
                    peak_4wk=peak,
                    cap_pct=cap,
                )
        else:
            last = c.volumes[i - 1]
            if vol > last + step + TOLERANCE:
                yield violation(
                    "weekly-cap",
                    [w.week],
                    "running.weekly_miles",
                    f"{vol:g} mi rises more than the early-build step of {step:g} mi over {last:g} mi",
                    weekly_miles=vol,
                    previous=last,
                    step_miles=step,
                )


def _race_exception_stated(c: Checked, w: Week) -> bool:
    """The ruleset documents why the race may exceed the cap, and the plan states that reason."""
    row = c.race_row
    if row is None or row.cap_exception is None or c.plan.race is None:
        return False
    note = row.cap_exception.note
    return c.plan.race.cap_exception == note and note in w.notes


def single_run_cap(c: Checked) -> Iterator[Violation]:
    """No run, the race included, over the cap on the longest run of the previous four weeks."""
    pct, allowance = c.p("single_run_cap_pct"), c.p("single_run_allowance_miles")
    longest_by_week = c.longest
    for i, w in enumerate(c.weeks, start=1):
        runs = run_sessions(w)
        longest = max(longest_by_week[c.window(i) : i])
        limit = max(longest * (1 + pct / 100), longest + allowance)
        checked = [] if c.walk_run_week(w) else list(runs)  # walk-run sessions follow their table
        race = race_session(w)
        if race is not None and not _race_exception_stated(c, w):
            checked.append(race)  # race day is a run like any other, unless the ruleset says why not
        for s in checked:
            if s.miles > limit + TOLERANCE:
                what = "the race" if s.kind == SessionKind.RACE else f"a {s.miles:g} mi run"
                yield violation(
                    "single-run-cap",
                    [w.week],
                    f"running.sessions[{s.day}].miles",
                    f"{what} ({s.miles:g} mi) is over the cap of {limit:.2f} mi "
                    f"(longest of the previous four weeks {longest:g} mi)",
                    miles=s.miles,
                    longest_4wk=longest,
                    cap_pct=pct,
                    allowance_miles=allowance,
                )


def run_ceiling(c: Checked) -> Iterator[Violation]:
    """No run over the absolute ceiling; easy runs within theirs; before the gate, short runs only."""
    longest_allowed = c.miles_for("max_run_minutes")
    easy_allowed = c.miles_for("max_easy_run_minutes")
    pre_gate = c.miles_for("pre_gate_max_run_minutes")
    for i, w in enumerate(c.weeks, start=1):
        for s in run_sessions(w):
            limit, what = longest_allowed, "the ceiling on a single run"
            if not c.gate_open[i]:
                limit, what = min(limit, pre_gate), "the longest run before the 10-mile gate"
            elif s.kind not in (SessionKind.LONG, SessionKind.WALK_RUN):
                limit, what = min(limit, easy_allowed), "the longest easy run"
            if s.miles > limit + TOLERANCE:
                yield violation(
                    "run-ceiling",
                    [w.week],
                    f"running.sessions[{s.day}].miles",
                    f"a {s.miles:g} mi {s.kind} run is over {what} ({limit:g} mi at the easy pace)",
                    miles=s.miles,
                    limit_miles=limit,
                )


def cutback(c: Checked) -> Iterator[Violation]:
    """After the gate, a down week at least every N+1 weeks whatever the trend, its long run cut too."""
    cut = c.p("cutback_pct")
    limit = int(c.p("cutback_after_weeks"))
    age = c.plan.runner.age
    if age is not None and age >= c.p("masters_age"):
        limit = min(limit, int(c.p("masters_cutback_after_weeks")))
    longest = [c.base.longest_run_miles, *(w.running.long_run_miles for w in c.weeks)]
    loading: list[int] = []
    for i, w in enumerate(c.weeks, start=1):
        if not c.gate_open[i] or c.walk_run_week(w) or w.referral:
            loading = []
            continue
        peak = max(c.volumes[max(0, i - 4) : i])
        if is_down_week(w.running.weekly_miles, peak, cut) or race_session(w) is not None:
            longest_4wk = max(longest[max(0, i - 4) : i])
            # A planned cutback cuts its long run as much as its volume (a down week forced by the
            # single-run cap may still grow the long run within that cap).
            long_limit = longest_4wk * (1 - cut / 100)
            if w.running.mode == "cutback" and w.running.long_run_miles > long_limit + TOLERANCE:
                yield violation(
                    "cutback",
                    [w.week],
                    "running.long_run_miles",
                    f"a cutback week's long run of {w.running.long_run_miles:g} mi is over {long_limit:g} mi "
                    f"(the longest run of the previous four weeks, {longest_4wk:g} mi, cut {cut:g}%)",
                    long_run_miles=w.running.long_run_miles,
                    longest_4wk=longest_4wk,
                )
            loading = []
            continue
        loading.append(w.week)
        if len(loading) == limit + 1:
            yield violation(
                "cutback",
                list(loading),
                "running.weekly_miles",
                f"{len(loading)} weeks in a row after the gate without a down week ({cut:g}% below the 4-week peak); "
                f"at most {limit}",
                weeks_without_cutback=len(loading),
                limit=limit,
            )


def _rested_after_race(c: Checked, week: int) -> bool:
    """Week ``week`` directly follows a race week and starts with the table's rest days."""
    if week < 2 or race_session(c.weeks[week - 2]) is None or c.race_row is None:
        return False
    return c.rs.spec.tables.race_week.rest_days_after.get(c.race_row.race, 0) > 0


def one_change(c: Checked) -> Iterator[Violation]:
    """Runs a week rise by at most one; the week they rise, volume and hop stage hold."""
    re_entry = c.rs.spec.tables.walk_run.sessions_per_week
    stages = [c.base.hop_stage, *(w.plyometrics.stage for w in c.weeks)]
    for i, w in enumerate(c.weeks, start=1):
        before, now = c.runs[i - 1], len(run_sessions(w))
        if i >= 3 and _rested_after_race(c, i - 1):
            # The rest days after a race leave runs out, not the frequency: it may come back.
            before = max(before, *c.runs[max(0, i - 5) : i - 1])
        if c.walk_run_week(w) or w.referral or now <= before:
            continue
        if before == 0:  # (re-)starting to run: the walk-run table's frequency at most
            if now > re_entry:
                yield violation(
                    "one-change",
                    [w.week],
                    "running.sessions",
                    f"{now} runs when running (re)starts; at most {re_entry}",
                    runs=now,
                )
            continue
        if now > before + 1:
            yield violation(
                "one-change",
                [w.week],
                "running.sessions",
                f"runs a week rise from {before} to {now}; at most one more a week",
                runs=now,
                previous=before,
            )
        if w.running.weekly_miles > c.volumes[i - 1] + TOLERANCE:
            yield violation(
                "one-change",
                [w.week],
                "running.weekly_miles",
                f"runs a week rise ({before} to {now}) and the volume rises too "
                f"({c.volumes[i - 1]:g} to {w.running.weekly_miles:g} mi): one change at a time",
            )
        previous_stage = next((s for s in reversed(stages[:i]) if s), 0)
        if stages[i] > previous_stage > 0:
            yield violation(
                "one-change",
                [w.week],
                "plyometrics.stage",
                f"runs a week rise ({before} to {now}) and the hop stage rises too ({previous_stage} to {stages[i]})",
            )


def _walk_run_stage(c: Checked, w: Week) -> int | None:
    """The walk-run table stage a walk-run week's sessions are at (by their intervals or minutes)."""
    rows = c.rs.spec.tables.walk_run.rows
    for s in run_sessions(w):
        for row in rows:
            if s.walk_run is not None and (s.walk_run.run_min, s.walk_run.walk_min, s.walk_run.reps) == (
                row.run_min,
                row.walk_min,
                row.reps,
            ):
                return row.stage
            if s.walk_run is None and row.continuous_min is not None and s.minutes == row.continuous_min:
                return row.stage
    return None


def walk_run_sessions(c: Checked) -> Iterator[Violation]:
    """A walk-run stage moves on only after its pain-free sessions, one stage at a time."""
    table = c.rs.spec.tables.walk_run
    stage = c.base.walk_run_stage
    # The profile's own stage counts as done when its week was pain-free.
    done = table.sessions_needed(stage) if stage and c.baseline_pain_free else 0
    for w in c.weeks:
        if not c.walk_run_week(w):
            continue
        now = _walk_run_stage(c, w)
        if now is None:
            continue
        if now > stage:
            if stage and now > stage + 1:
                yield violation(
                    "walk-run-sessions",
                    [w.week],
                    "running.sessions",
                    f"walk-run stage {now} after {stage}: no skipping",
                )
            elif stage and done < table.sessions_needed(stage):
                yield violation(
                    "walk-run-sessions",
                    [w.week],
                    "running.sessions",
                    f"walk-run stage {stage} moved on after {done} session(s); it needs "
                    f"{table.sessions_needed(stage)} pain-free sessions",
                    stage=stage,
                    sessions=done,
                )
            stage, done = now, 0
        elif now < stage:
            stage, done = now, 0
        if w.observed and w.logged is not None:  # a lived week: its logged runs, if it was pain-free
            done += w.logged.runs if c.lived_pain_free(w) else 0
        else:
            done += len(run_sessions(w))
