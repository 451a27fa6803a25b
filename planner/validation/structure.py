"""Invariants on the plan's structure: strength blocks, hop stages, readiness, the trace, the calendar."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import timedelta

from planner.models.plan import Week
from planner.rules.vocabulary import WEEKDAYS, Spacing
from planner.validation.base import Checked, Violation, run_sessions, violation


def strength_blocks(c: Checked) -> Iterator[Violation]:
    """Strength blocks last their bounds, go in order, with the bounded heavy sessions."""
    lo, hi = int(c.p("strength_block_min_weeks")), int(c.p("strength_block_max_weeks"))
    s_lo, s_hi = int(c.p("strength_min_heavy_sessions")), int(c.p("strength_max_heavy_sessions"))
    table = c.rs.spec.tables.strength_blocks
    blocks: dict[int, list[Week]] = {}
    for w in c.weeks:
        if not c.strength_counted(w):
            continue  # a lived week whose lifting was not done: its block week comes again
        st = w.strength
        if st.block is None:
            continue
        blocks.setdefault(st.block, []).append(w)
        if st.heavy and not s_lo <= st.sessions <= s_hi:
            yield violation(
                "strength-blocks",
                [w.week],
                "strength.sessions",
                f"{st.sessions} heavy sessions; a block week has {s_lo}-{s_hi}",
                sessions=st.sessions,
            )
        expected = table.row_for(st.block).name
        if st.name != expected:
            yield violation(
                "strength-blocks",
                [w.week],
                "strength.name",
                f"block {st.block} is {st.name!r}; the ruleset's order makes it {expected!r}",
                block=st.block,
                name=st.name,
                expected=expected,
            )
    numbers = sorted(blocks)
    for a, b in itertools.pairwise(numbers):
        if b != a + 1:
            yield violation(
                "strength-blocks",
                [blocks[b][0].week],
                "strength.block",
                f"block {b} follows block {a}: blocks go in order",
                previous=a,
                block=b,
            )
    last_block = numbers[-1] if numbers else None
    for number, weeks in blocks.items():
        first_week = weeks[0].strength.block_week or 1
        length = len(weeks) + first_week - 1  # a block may have begun before the plan
        ids = [w.week for w in weeks]
        for w, expected_week in zip(weeks, range(first_week, first_week + len(weeks)), strict=True):
            if w.strength.block_week != expected_week:
                yield violation(
                    "strength-blocks",
                    [w.week],
                    "strength.block_week",
                    f"block {number} week {w.strength.block_week}; expected week {expected_week}",
                    block=number,
                )
                break
        if length > hi:
            yield violation(
                "strength-blocks",
                ids,
                "strength.block",
                f"block {number} lasts {length} weeks; at most {hi}",
                block=number,
                length_weeks=length,
                max_weeks=hi,
            )
        elif length < lo and number != last_block:
            yield violation(
                "strength-blocks",
                ids,
                "strength.block",
                f"block {number} lasts {length} weeks; at least {lo}",
                block=number,
                length_weeks=length,
                min_weeks=lo,
            )


def hop_progression(c: Checked) -> Iterator[Violation]:
    """Hop stages never skip, are held, never go back in a projection; readiness stage first."""
    rows = c.rs.spec.tables.hop_stages.rows
    readiness = next(r.stage for r in rows if r.readiness)
    stage, held = c.base.hop_stage, (1 if c.base.hop_stage else 0)
    reached_readiness = c.base.hop_readiness_done
    lived_since = False  # a lived week since the last week with hops: a step back may answer it
    for w in c.weeks:
        new = w.plyometrics.stage
        if new == 0:  # no hops this week: the stage is paused, not lost
            lived_since = lived_since or w.observed
            continue
        if new > stage + 1:
            yield violation(
                "hop-progression",
                [w.week],
                "plyometrics.stage",
                f"stage {new} after stage {stage}: stages never skip",
                stage=new,
                previous=stage,
            )
        elif new == stage + 1 and stage >= 1:
            need = rows[stage - 1].min_weeks
            if held < need and not (stage == c.base.hop_stage and w.week == 1):
                yield violation(
                    "hop-progression",
                    [w.week],
                    "plyometrics.stage",
                    f"stage {stage} held {held} week(s); it needs {need}",
                    stage=stage,
                    held=held,
                    min_weeks=need,
                )
        elif new < stage and not (w.week == 1 and c.baseline_pain_over) and not (lived_since or c.after_lived(w)):
            # Dropping back answers observed pain (the profile's week); a projection never does.
            yield violation(
                "hop-progression",
                [w.week],
                "plyometrics.stage",
                f"stage {new} after stage {stage}: a projection never goes backwards",
                stage=new,
                previous=stage,
            )
        held = held + 1 if new == stage else 1
        stage = new
        lived_since = w.observed
        if w.running.intensity and not reached_readiness:
            yield violation(
                "hop-progression",
                [w.week],
                "running.intensity",
                f"race-specific work before the single-leg readiness stage ({readiness}) was done",
            )
        if new >= readiness:
            reached_readiness = True


def readiness(c: Checked) -> Iterator[Violation]:
    """Race-specific phases and intensity only once every readiness criterion holds."""
    race_phases = {p.id for p in c.rs.spec.phases if p.race_specific}
    heavy = c.base.heavy_weeks
    needed = c.p("strength_block_min_weeks")
    s_lo = c.p("strength_min_heavy_sessions")
    for w in c.weeks:
        specific = w.running.intensity or w.phase in race_phases
        crit = w.criteria
        if specific and not all(crit.model_dump().values()):
            missing = [k for k, v in crit.model_dump().items() if not v]
            yield violation(
                "readiness",
                [w.week],
                "criteria",
                f"race-specific work ({w.phase}) before every readiness criterion holds: missing {', '.join(missing)}",
                missing=missing,
            )
        if crit.heavy_strength_block and heavy < needed:
            yield violation(
                "readiness",
                [w.week],
                "criteria.heavy_strength_block",
                f"heavy strength criterion claimed after {heavy} heavy week(s); a block is at least {needed:g}",
                heavy_weeks=heavy,
            )
        if w.strength.heavy and w.strength.sessions >= s_lo:
            heavy += 1


def trace(c: Checked) -> Iterator[Violation]:
    """Every fired rule exists; every prescription comes from a rule that fired."""
    known = {r.id for r in c.rs.rules} | {g.id for g in c.rs.gates}
    for w in c.weeks:
        unknown = [r for r in w.rules_fired if r not in known]
        if unknown:
            yield violation(
                "trace", [w.week], "rules_fired", f"rules not in the ruleset: {', '.join(unknown)}", unknown=unknown
            )
        needed = {
            "phase": True,
            "running": bool(run_sessions(w)),
            "strength": w.strength.sessions > 0,
            "hops": w.plyometrics.stage > 0,
            "warmup": bool(w.warmup),
        }
        for slot, present in needed.items():
            rule = w.decided_by.get(slot)
            if present and rule is None:
                yield violation(
                    "trace", [w.week], f"decided_by.{slot}", f"the week's {slot} does not come from any rule"
                )
            elif rule is not None and rule not in w.rules_fired:
                yield violation(
                    "trace", [w.week], f"decided_by.{slot}", f"{slot} decided by {rule!r}, which did not fire"
                )


def calendar(c: Checked) -> Iterator[Violation]:
    """Sessions on the run days and right dates, the long run on its day, spacing kept."""
    av = c.plan.availability
    prev_days: list[str] = []
    for w in c.weeks:
        runs = run_sessions(w)
        for s in [*runs, *(x for x in w.running.sessions if x.kind == "walk")]:
            if s.day not in av.run_days:
                yield violation(
                    "calendar",
                    [w.week],
                    f"running.sessions[{s.day}]",
                    f"a {s.kind} session on {s.day}, not one of the run days ({', '.join(av.run_days)})",
                    day=s.day,
                )
            if s.date != w.start_date + timedelta(days=WEEKDAYS.index(s.day)):
                yield violation(
                    "calendar",
                    [w.week],
                    f"running.sessions[{s.day}].date",
                    f"{s.date} is not the {s.day} of week {w.week}",
                )
        longs = [s for s in runs if s.kind == "long"]
        for s in longs:
            if s.day != av.long_run_day and av.long_run_day in [x.day for x in runs]:
                yield violation(
                    "calendar", [w.week], "running.sessions", f"the long run is on {s.day}, not {av.long_run_day}"
                )
        days = sorted(WEEKDAYS.index(s.day) for s in runs)
        rest = Spacing(w.running.spacing).rest_days
        if rest:
            close = [(WEEKDAYS[a], WEEKDAYS[b]) for a, b in itertools.pairwise(days) if b - a <= rest]
            close += [
                (f"{p} (previous week)", WEEKDAYS[d])
                for p in prev_days
                for d in days
                if d + 7 - WEEKDAYS.index(p) <= rest
            ]
            for first, second in close:
                yield violation(
                    "calendar",
                    [w.week],
                    "running.sessions",
                    f"runs on {first} and {second} leave fewer than {rest} rest day(s) between, as the rules ask",
                )
        prev_days = [s.day for s in runs]
