"""Invariants on the prescription around the running: strength rhythm, hop doses, quality, race week, tendon load.

Each reads the dose and the days the plan states, and the ruleset's tables, so a plan
edited by hand is held to the same prescription rules as one the planner made.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import date, timedelta

from planner.models.plan import Week
from planner.planning.prescribe import hop_dose as prescribed_hop_dose
from planner.rules.prescription import HopStageRow
from planner.rules.vocabulary import QUALITY_KINDS, WEEKDAYS, SessionKind, Spacing
from planner.validation.base import TOLERANCE, Checked, Violation, race_session, run_sessions, violation


def _day_date(w: Week, day: str) -> date:
    return w.start_date + timedelta(days=WEEKDAYS.index(day))


def _quality(w: Week) -> set[str]:
    return {s.kind.value for s in w.running.sessions if s.kind in QUALITY_KINDS}


def strength_rhythm(c: Checked) -> Iterator[Violation]:
    """Every block that ends inside the plan ends with its deload; novice weeks come first and are light."""
    table = c.rs.spec.tables.strength_blocks
    blocks: dict[int, list[Week]] = {}
    for w in c.weeks:
        if w.strength.block is not None and c.strength_counted(w):  # a lived week not lifted comes again
            blocks.setdefault(w.strength.block, []).append(w)
    numbers = sorted(blocks)
    for number in numbers[:-1]:  # the last block may run past the plan's end
        weeks = blocks[number]
        deloads = [w.week for w in weeks if w.strength.deload]
        if not deloads:
            yield violation(
                "strength-rhythm",
                [w.week for w in weeks],
                "strength.deload",
                f"block {number} ends without a deload week",
                block=number,
            )
        elif deloads[-1] != weeks[-1].week or len(deloads) > 1:
            yield violation(
                "strength-rhythm",
                deloads,
                "strength.deload",
                f"block {number}'s deload is not its last week (deload in week(s) {deloads})",
                block=number,
            )
    keep_pct = table.deload.sets_pct
    for weeks in blocks.values():
        normal = {
            e.name: e.sets for w in weeks if not (w.strength.deload or w.strength.novice) for e in w.strength.exercises
        }
        for w in weeks:
            if not w.strength.deload:
                continue
            heavier = [
                e.name
                for e in w.strength.exercises
                if e.name in normal and e.sets > max(1, round(normal[e.name] * keep_pct / 100))
            ]
            if heavier:
                yield violation(
                    "strength-rhythm",
                    [w.week],
                    "strength.exercises",
                    f"a deload week keeps more than {keep_pct:g}% of the block's sets for {', '.join(heavier)}",
                    exercises=heavier,
                )
    novice = [w for w in c.weeks if w.strength.novice and c.strength_counted(w)]
    if len(novice) > table.novice.weeks:
        yield violation(
            "strength-rhythm",
            [w.week for w in novice],
            "strength.novice",
            f"{len(novice)} novice weeks; the ramp lasts {table.novice.weeks}",
            novice_weeks=len(novice),
            most=table.novice.weeks,
        )
    first_heavy = next((w.week for w in c.weeks if w.strength.heavy), None)
    for w in novice:
        if w.strength.heavy:
            yield violation(
                "strength-rhythm", [w.week], "strength.heavy", "a novice ramp week counted as heavy lifting"
            )
        if first_heavy is not None and w.week > first_heavy:
            yield violation(
                "strength-rhythm",
                [w.week],
                "strength.novice",
                f"a novice ramp week after heavy lifting began (week {first_heavy})",
            )


def _hop_days(w: Week, dates: list[date], previous_days: list[date], previous_longs: list[date]) -> Iterator[Violation]:
    """Hop days never back to back (last week's included), and clear of the long run and the race."""
    for a, b in itertools.pairwise([*previous_days[-1:], *dates]):
        if (b - a).days < 2:
            yield violation(
                "hop-dose",
                [w.week],
                "plyometrics.days",
                f"hop sessions on consecutive days ({a.isoformat()} and {b.isoformat()})",
            )
    longs = [s.date for s in w.running.sessions if s.kind is SessionKind.LONG] + previous_longs
    avoid = {d + timedelta(days=k) for d in longs for k in (-1, 0, 1)}
    race = race_session(w)
    if race is not None:
        avoid |= {race.date, race.date - timedelta(days=1)}
    close = sorted(d for d in dates if d in avoid)
    if close:
        yield violation(
            "hop-dose",
            [w.week],
            "plyometrics.days",
            f"hop work on {', '.join(d.isoformat() for d in close)}: never on the long-run or race day, "
            "the day before either, or the day after the long run",
        )


def _hop_dose_matches(w: Week, row: HopStageRow) -> Iterator[Violation]:
    """The week's hop dose is its stage's: the same measure, its words, and the lighter-week flags its mode gives."""
    ply = w.plyometrics
    if ply.sets < 1:
        yield violation("hop-dose", [w.week], "plyometrics.sets", f"stage {ply.stage} with {ply.sets} sets")
        return
    measure = {
        "seconds": (ply.seconds, row.seconds),
        "reps": (ply.reps, row.reps),
        "contacts": (ply.contacts, row.contacts),
    }
    wrong = [name for name, (given, table) in measure.items() if given != table]
    if wrong:
        yield violation(
            "hop-dose",
            [w.week],
            "plyometrics",
            f"stage {ply.stage}'s {', '.join(wrong)} differ from the hop table's",
            fields=wrong,
        )
    expected = prescribed_hop_dose(row, ply.sets)
    if ply.dose and ply.dose != expected:
        yield violation(
            "hop-dose",
            [w.week],
            "plyometrics.dose",
            f"the dose says {ply.dose!r}; stage {ply.stage} at {ply.sets} sets is {expected!r}",
        )
    if ply.taper != (w.running.mode == "taper") or (ply.cutback and w.running.mode != "cutback"):
        yield violation(
            "hop-dose",
            [w.week],
            "plyometrics",
            f"the taper/cutback flags (taper={ply.taper}, cutback={ply.cutback}) do not match a {w.running.mode} week",
        )


def hop_dose(c: Checked) -> Iterator[Violation]:
    """Hop sessions on spaced days clear of the long run and the race, at the table's dose, lighter in cutbacks."""
    table = c.rs.spec.tables.hop_stages
    rows = {r.stage: r for r in table.rows}
    previous_days: list[date] = []
    previous_longs: list[date] = []
    at_top = 0  # weeks in a row at the last stage (a week without hops pauses the count)
    stage_before, kinds_before = c.base.hop_stage, set[str]()
    for w in c.weeks:
        ply = w.plyometrics
        race = race_session(w)
        kinds = _quality(w)
        new_kinds = kinds - kinds_before
        if ply.stage > 0:
            row = rows.get(ply.stage)
            if race is not None:
                yield violation("hop-dose", [w.week], "plyometrics", "hop work in race week")
            if ply.sessions != len(ply.days) or len(set(ply.days)) != len(ply.days):
                yield violation(
                    "hop-dose",
                    [w.week],
                    "plyometrics.days",
                    f"{ply.sessions} hop session(s) on {len(ply.days)} day(s) ({', '.join(ply.days)})",
                )
            if not ply.days:
                yield violation("hop-dose", [w.week], "plyometrics.days", "a hop stage with no session days")
            if ply.stage != max(rows):
                at_top = 0
            elif c.hops_counted(w):  # a lived week whose hops were not done does not count
                at_top += 1
            if at_top > table.top_stage_weeks and ply.sessions > table.maintenance_sessions:
                yield violation(
                    "hop-dose",
                    [w.week],
                    "plyometrics.sessions",
                    f"{ply.sessions} hop sessions after {at_top - 1} weeks at the last stage; "
                    f"then {table.maintenance_sessions} a week",
                )
            if row is not None and ply.sessions > row.sessions:
                yield violation(
                    "hop-dose",
                    [w.week],
                    "plyometrics.sessions",
                    f"{ply.sessions} hop sessions; stage {ply.stage} has at most {row.sessions}",
                )
            dates = sorted(_day_date(w, d) for d in ply.days if d in WEEKDAYS)
            yield from _hop_days(w, dates, previous_days, previous_longs)
            if row is not None:
                yield from _hop_dose_matches(w, row)
                full = row.sets
                share = {"taper": table.taper_sets_pct, "cutback": table.cutback_sets_pct}.get(w.running.mode, 100.0)
                most = max(1, round(full * share / 100))
                if ply.sets > most:
                    yield violation(
                        "hop-dose",
                        [w.week],
                        "plyometrics.sets",
                        f"{ply.sets} sets of stage {ply.stage}; at most {most}"
                        + (f" in a {w.running.mode} week" if most != full else ""),
                        sets=ply.sets,
                        most=most,
                    )
            if stage_before >= 1 and ply.stage > stage_before and w.running.mode == "cutback":
                yield violation(
                    "hop-dose", [w.week], "plyometrics.stage", f"a new hop stage ({ply.stage}) in a cutback week"
                )
            if stage_before >= 1 and ply.stage > stage_before and new_kinds:
                yield violation(
                    "hop-dose",
                    [w.week],
                    "plyometrics.stage",
                    f"a new hop stage ({ply.stage}) in the week new faster running ({', '.join(sorted(new_kinds))}) "
                    "starts: one change at a time",
                )
            previous_days = dates or previous_days
            stage_before = ply.stage
        else:
            previous_days = []
        kinds_before |= kinds
        previous_longs = [s.date for s in w.running.sessions if s.kind is SessionKind.LONG]


def quality_progression(c: Checked) -> Iterator[Violation]:
    """Strides for the table's weeks before other quality; none in an early cutback; drills before quality."""
    table = c.rs.spec.tables.quality
    rotation = c.race_row.quality if c.race_row is not None else []
    strides_first = table.strides_weeks if "strides" in rotation else 0
    done = 0
    for w in c.weeks:
        kinds = _quality(w)
        if not kinds:
            continue
        harder = kinds - {"strides"}
        if harder and done < strides_first:
            yield violation(
                "quality-progression",
                [w.week],
                "running.sessions",
                f"{', '.join(sorted(harder))} after {done} week(s) of strides; {strides_first} come first",
                strides_weeks=done,
                needed=strides_first,
            )
        if w.running.mode == "cutback" and done < table.early_cutback_weeks:
            yield violation(
                "quality-progression",
                [w.week],
                "running.sessions",
                f"faster running in a cutback week after only {done} week(s) of quality work; "
                "an early down week is all easy",
            )
        if not w.warmup_before_quality and table_has_drills(c):
            yield violation(
                "quality-progression",
                [w.week],
                "warmup_before_quality",
                "a quality session without the running drills before it",
            )
        done += 1


def table_has_drills(c: Checked) -> bool:
    """The ruleset lists running drills for before a quality session."""
    return bool(c.rs.spec.tables.warmup.before_quality)


def race_week(c: Checked) -> Iterator[Violation]:
    """Race week: at most the short shake-out the day before, no hops, strength clear; recovery weeks after."""
    yield from _week_totals(c)
    race_index = next((i for i, w in enumerate(c.weeks) if race_session(w) is not None), None)
    if race_index is None:
        return
    yield from _race_week_runs(c, race_index)
    yield from _recovery_weeks(c, race_index)


def _week_totals(c: Checked) -> Iterator[Violation]:
    """Every week's total is its running plus its race (an older plan may lack the total)."""
    for x in c.weeks:
        held = race_session(x)
        expected = round(x.running.weekly_miles + (held.miles if held else 0.0), 1)
        if x.running.total_miles is not None and abs(x.running.total_miles - expected) > TOLERANCE:
            yield violation(
                "race-week",
                [x.week],
                "running.total_miles",
                f"the week's total {x.running.total_miles:g} is not its running plus any race ({expected:g})",
                total=x.running.total_miles,
                expected=expected,
            )


def _race_week_runs(c: Checked, race_index: int) -> Iterator[Violation]:
    """The race week's runs and strength: spaced from the race, no longer than last week's shorter runs."""
    table = c.rs.spec.tables.race_week
    w = c.weeks[race_index]
    race = race_session(w)
    assert race is not None
    race_day = WEEKDAYS.index(race.day)
    rest = Spacing(w.running.spacing).rest_days
    for s in run_sessions(w):
        gap = race_day - WEEKDAYS.index(s.day)
        if gap <= 0:
            yield violation(
                "race-week", [w.week], "running.sessions", f"a {s.kind.value} run on or after race day ({s.day})"
            )
        elif gap <= rest:
            yield violation(
                "race-week",
                [w.week],
                "running.sessions",
                f"a {s.kind.value} run on {s.day}, {gap} day(s) before the race: runs need {rest} rest day(s) between",
            )
        elif gap == 1 and (s.kind is not SessionKind.SHAKEOUT or s.minutes > table.shakeout_minutes + 0.5):
            yield violation(
                "race-week",
                [w.week],
                "running.sessions",
                f"the day before the race holds a {s.minutes:g}-minute {s.kind.value} run; at most a "
                f"{table.shakeout_minutes}-minute shake-out",
            )
    before = c.weeks[race_index - 1] if race_index > 0 else None
    shorter = [s.miles for s in run_sessions(before) if s.kind is not SessionKind.LONG] if before else []
    if shorter:
        most = max(shorter)
        # The shake-out has its own limit in minutes (checked above).
        longer = [s for s in run_sessions(w) if s.miles > most + TOLERANCE and s.kind is not SessionKind.SHAKEOUT]
        for s in longer:
            yield violation(
                "race-week",
                [w.week],
                "running.sessions",
                f"a {s.miles:g}-mile run on {s.day} in race week; none longer than last week's shorter runs ({most:g})",
            )
    close = [d for d in w.strength.days if 0 <= race_day - WEEKDAYS.index(d) <= table.strength_days_before]
    if close:
        yield violation(
            "race-week",
            [w.week],
            "strength.days",
            f"strength on {', '.join(close)}: none within {table.strength_days_before} day(s) of the race",
        )


def _recovery_weeks(c: Checked, race_index: int) -> Iterator[Violation]:
    """The table's recovery weeks follow the race, within its share of the plan's peak, all easy."""
    table = c.rs.spec.tables.race_week
    w = c.weeks[race_index]
    peak = max(x.running.weekly_miles for x in c.weeks[: race_index + 1])  # the plan's own training peak
    after = c.weeks[race_index + 1 :]
    horizon = int(c.p("horizon_weeks"))
    if len(after) < len(table.recovery) and c.weeks[-1].week < horizon:
        yield violation(
            "race-week",
            [w.week],
            "weeks",
            f"{len(after)} week(s) after the race; the ruleset plans {len(table.recovery)} recovery week(s)",
        )
    yield from _rest_after_the_race(c, race_index)
    for row, x in zip(table.recovery, after, strict=False):
        most = peak * row.volume_pct / 100 + TOLERANCE
        if x.running.weekly_miles > most:
            yield violation(
                "race-week",
                [x.week],
                "running.weekly_miles",
                f"recovery week {row.week} runs {x.running.weekly_miles:g}; at most {row.volume_pct:g}% of the "
                f"peak ({most - TOLERANCE:.1f})",
            )
        if _quality(x) or x.plyometrics.stage > 0:
            yield violation("race-week", [x.week], "running", "faster running or hops in a recovery week")


def _rest_after_the_race(c: Checked, race_index: int) -> Iterator[Violation]:
    """No run in the table's rest days after the race (by race), no strength in its days after it."""
    table = c.rs.spec.tables.race_week
    race = race_session(c.weeks[race_index])
    assert race is not None
    rest = table.rest_days_after.get(c.race_row.race, 0) if c.race_row is not None else 0
    for x in c.weeks[race_index : race_index + 2]:
        for s in run_sessions(x):
            after = (s.date - race.date).days
            if 0 < after <= rest:
                yield violation(
                    "race-week",
                    [x.week],
                    "running.sessions",
                    f"a {s.kind.value} run on {s.day}, {after} day(s) after the race: none in the {rest} day(s) after",
                )
        for day in x.strength.days:
            after = (_day_date(x, day) - race.date).days
            if 0 < after <= table.strength_days_after:
                yield violation(
                    "race-week",
                    [x.week],
                    "strength.days",
                    f"strength on {day}, {after} day(s) after the race: none in the "
                    f"{table.strength_days_after} day(s) after",
                )


def tendon_load(c: Checked) -> Iterator[Violation]:
    """Where the ruleset groups tendon load, heavy strength, hops and hills share days with the table's gap."""
    table = c.rs.spec.tables.tendon_load
    if table is None:
        return
    loaded: list[tuple[date, int]] = []
    for w in c.weeks:
        days = set(w.plyometrics.days if w.plyometrics.stage > 0 else [])
        if w.strength.block is not None:
            days |= set(w.strength.days)
        days |= {s.day for s in w.running.sessions if s.kind is SessionKind.HILLS}
        loaded += [(_day_date(w, d), w.week) for d in days if d in WEEKDAYS]
    loaded.sort()
    for (a, wa), (b, wb) in itertools.pairwise(loaded):
        if (b - a).days < table.min_gap_days:
            yield violation(
                "tendon-load",
                sorted({wa, wb}),
                "days",
                f"high tendon-load days {a.isoformat()} and {b.isoformat()} are {(b - a).days} day(s) apart; "
                f"at least {table.min_gap_days}",
            )


def injury_exercises(c: Checked) -> Iterator[Violation]:
    """The injury's exercises are in every strength week, and what it swaps out (in its phases) is not."""
    table = c.rs.spec.tables.exercises
    injury = c.plan.runner.injury
    names = {key: ex.name for key, ex in table.exercises.items()}
    for w in c.weeks:
        if not w.strength.exercises:
            continue
        given = {e.name for e in w.strength.exercises}
        full = len(given) >= table.max_per_session
        for row in table.by_injury:
            if row.injury != injury or (row.phases and w.phase not in row.phases):
                continue
            missing = [names[x] for x in row.add if names[x] not in given]
            if missing and not full:
                yield violation(
                    "injury-exercises",
                    [w.week],
                    "strength.exercises",
                    f"{', '.join(missing)} missing: the ruleset adds it for {injury} ({row.source})",
                    missing=missing,
                )
            kept = [names[old] for old, new in row.swap.items() if names[old] in given and old != new]
            if kept:
                yield violation(
                    "injury-exercises",
                    [w.week],
                    "strength.exercises",
                    f"{', '.join(kept)} in the {w.phase} phase: the ruleset swaps it out for {injury} ({row.source})",
                    swapped_out=kept,
                )
