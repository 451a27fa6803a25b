"""Plan invariants: what every plan from every ruleset must satisfy.

Each invariant has a stable id and a one-line statement, and reads its numbers
from the ruleset the plan is checked against, so a stricter ruleset is held to
its own numbers. The checks read only the plan document (its weeks, its
baseline and the runner's availability), never the planner's internals: a plan
edited by hand or made by another tool is checked the same way.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import timedelta
from typing import Any

from planner.models.plan import Plan, Session, Week
from planner.rules.compiler import CompiledRuleset
from planner.rules.vocabulary import RUNNING_KINDS, WEEKDAYS, Spacing

TOLERANCE = 0.05  # miles: plans show distances to 0.1 mi
# A taper week's volume comes from the peak split into whole tenths per run, so it can sit
# a little above the exact cut; a cut deeper than the table by more than this many points
# (outside race week) means the taper table was not followed.
TAPER_SLACK_MILES = 0.2
TAPER_OVERCUT_POINTS = 10


@dataclass(frozen=True, slots=True)
class Violation:
    """One broken invariant: which, where, and the values that break it."""

    invariant: str
    weeks: tuple[int, ...]
    field: str
    message: str
    values: dict[str, Any] = dataclass_field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping."""
        return {
            "invariant": self.invariant,
            "weeks": list(self.weeks),
            "field": self.field,
            "message": self.message,
            "values": self.values,
        }


@dataclass(frozen=True, slots=True)
class Invariant:
    """A named property of every plan."""

    id: str
    statement: str
    check: Callable[[_Ctx], Iterator[Violation]]


class _Ctx:
    """The plan plus what the checks derive from it once."""

    def __init__(self, plan: Plan, ruleset: CompiledRuleset) -> None:
        self.plan = plan
        self.rs = ruleset
        self.weeks = plan.weeks
        self.base = plan.baseline
        self.volumes = [plan.baseline.weekly_miles, *(w.running.weekly_miles for w in plan.weeks)]  # [0] = baseline
        self.gate_open = self._gate_open()
        self.baseline_pain_over = (
            self.base.running_pain > self.base.pain_allowed_during
            or self.base.next_morning_pain > self.base.pain_allowed_next_morning
        )

    def p(self, name: str) -> float:
        return self.rs.param(name)

    def _gate_open(self) -> list[bool]:
        """gate_open[i]: some week before plan week i reached the gate volume pain-free.

        The baseline counts as week 0.
        """
        threshold = self.p("gate_weekly_miles") - TOLERANCE
        base_ok = (
            self.base.running_pain <= self.base.pain_allowed_during
            and self.base.next_morning_pain <= self.base.pain_allowed_next_morning
        )
        opened = self.base.weekly_miles >= threshold and base_ok
        out = [opened]
        for w in self.weeks:
            out.append(opened)
            # Projected weeks are pain-free by the plan's stated assumption.
            if w.running.weekly_miles >= threshold and not w.referral:
                opened = True
        return out

    def walk_run_week(self, w: Week) -> bool:
        return w.running.mode == "walk_run"


def _v(inv: str, weeks: Sequence[int], fld: str, message: str, **values: Any) -> Violation:
    return Violation(inv, tuple(weeks), fld, message, values)


# ----------------------------------------------------------------------------- the checks
def _gate_10mpw(c: _Ctx) -> Iterator[Violation]:
    threshold = c.p("gate_weekly_miles")
    for i, w in enumerate(c.weeks, start=1):
        if c.gate_open[i]:
            continue
        if w.running.weekly_miles > threshold + TOLERANCE:
            yield _v(
                "gate-10mpw",
                [w.week],
                "running.weekly_miles",
                f"{w.running.weekly_miles:g} mi before any pain-free week of {threshold:g} mi",
                weekly_miles=w.running.weekly_miles,
                threshold=threshold,
            )
        if w.running.intensity:
            yield _v(
                "gate-10mpw",
                [w.week],
                "running.intensity",
                f"intensity before any pain-free week of {threshold:g} mi",
                threshold=threshold,
            )


def _weekly_cap(c: _Ctx) -> Iterator[Violation]:
    cap, step = c.p("weekly_cap_pct"), c.p("early_build_step_miles")
    for i, w in enumerate(c.weeks, start=1):
        vol = w.running.weekly_miles
        if c.walk_run_week(w):
            continue  # walk-run weeks follow their table stage by stage (minutes, not miles)
        if c.gate_open[i]:
            peak = max(c.volumes[max(0, i - 4) : i])
            limit = peak * (1 + cap / 100)
            if vol > limit + TOLERANCE:
                yield _v(
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
                yield _v(
                    "weekly-cap",
                    [w.week],
                    "running.weekly_miles",
                    f"{vol:g} mi rises more than the early-build step of {step:g} mi over {last:g} mi",
                    weekly_miles=vol,
                    previous=last,
                    step_miles=step,
                )


def _run_sessions(w: Week) -> list[Session]:
    return [s for s in w.running.sessions if s.kind in RUNNING_KINDS]


def _single_run_cap(c: _Ctx) -> Iterator[Violation]:
    pct, allowance = c.p("single_run_cap_pct"), c.p("single_run_allowance_miles")
    longest_by_week = [c.base.longest_run_miles]
    for i, w in enumerate(c.weeks, start=1):
        runs = _run_sessions(w)
        longest = max(longest_by_week[max(0, i - 4) : i])
        limit = max(longest * (1 + pct / 100), longest + allowance)
        if not c.walk_run_week(w):  # walk-run sessions follow their table
            for s in runs:
                if s.miles > limit + TOLERANCE:
                    yield _v(
                        "single-run-cap",
                        [w.week],
                        f"running.sessions[{s.day}].miles",
                        f"a {s.miles:g} mi run is over the cap of {limit:.2f} mi "
                        f"(longest of the previous four weeks {longest:g} mi)",
                        miles=s.miles,
                        longest_4wk=longest,
                        cap_pct=pct,
                        allowance_miles=allowance,
                    )
        longest_by_week.append(max((s.miles for s in runs), default=0.0))


def _cutback(c: _Ctx) -> Iterator[Violation]:
    limit = int(c.p("cutback_after_rising_weeks"))
    rising = 0
    for i, w in enumerate(c.weeks, start=1):
        rose = not c.walk_run_week(w) and w.running.weekly_miles > c.volumes[i - 1] + TOLERANCE
        rising = rising + 1 if rose else 0
        if rose and c.gate_open[i] and rising > limit:
            yield _v(
                "cutback",
                [w.week - k for k in range(rising - 1, -1, -1)],
                "running.weekly_miles",
                f"{rising} weeks of rising volume in a row; at most {limit} before a cutback",
                rising_weeks=rising,
                limit=limit,
            )


def _strength_blocks(c: _Ctx) -> Iterator[Violation]:
    lo, hi = int(c.p("strength_block_min_weeks")), int(c.p("strength_block_max_weeks"))
    s_lo, s_hi = int(c.p("strength_min_heavy_sessions")), int(c.p("strength_max_heavy_sessions"))
    rows = c.rs.spec.tables.strength_blocks.rows
    blocks: dict[int, list[Week]] = {}
    for w in c.weeks:
        st = w.strength
        if st.block is None:
            continue
        blocks.setdefault(st.block, []).append(w)
        if st.heavy and not s_lo <= st.sessions <= s_hi:
            yield _v(
                "strength-blocks",
                [w.week],
                "strength.sessions",
                f"{st.sessions} heavy sessions; a block week has {s_lo}-{s_hi}",
                sessions=st.sessions,
            )
        expected = rows[min(st.block, len(rows)) - 1].name
        if st.name != expected:
            yield _v(
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
            yield _v(
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
                yield _v(
                    "strength-blocks",
                    [w.week],
                    "strength.block_week",
                    f"block {number} week {w.strength.block_week}; expected week {expected_week}",
                    block=number,
                )
                break
        if length > hi:
            yield _v(
                "strength-blocks",
                ids,
                "strength.block",
                f"block {number} lasts {length} weeks; at most {hi}",
                block=number,
                length_weeks=length,
                max_weeks=hi,
            )
        elif length < lo and number != last_block:
            yield _v(
                "strength-blocks",
                ids,
                "strength.block",
                f"block {number} lasts {length} weeks; at least {lo}",
                block=number,
                length_weeks=length,
                min_weeks=lo,
            )


def _hop_progression(c: _Ctx) -> Iterator[Violation]:
    rows = c.rs.spec.tables.hop_stages.rows
    readiness = next(r.stage for r in rows if r.readiness)
    stage, held = c.base.hop_stage, (1 if c.base.hop_stage else 0)
    reached_readiness = c.base.hop_readiness_done
    for w in c.weeks:
        new = w.plyometrics.stage
        if new == 0:  # no hops this week: the stage is paused, not lost
            continue
        if new > stage + 1:
            yield _v(
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
                yield _v(
                    "hop-progression",
                    [w.week],
                    "plyometrics.stage",
                    f"stage {stage} held {held} week(s); it needs {need}",
                    stage=stage,
                    held=held,
                    min_weeks=need,
                )
        elif new < stage and not (w.week == 1 and c.baseline_pain_over) and not w.observed:
            # Dropping back answers observed pain (the profile's week); a projection never does.
            yield _v(
                "hop-progression",
                [w.week],
                "plyometrics.stage",
                f"stage {new} after stage {stage}: a projection never goes backwards",
                stage=new,
                previous=stage,
            )
        held = held + 1 if new == stage else 1
        stage = new
        if w.running.intensity and not reached_readiness:
            yield _v(
                "hop-progression",
                [w.week],
                "running.intensity",
                f"race-specific work before the single-leg readiness stage ({readiness}) was done",
            )
        if new >= readiness:
            reached_readiness = True


def _readiness(c: _Ctx) -> Iterator[Violation]:
    race_phases = {p.id for p in c.rs.spec.phases if p.race_specific}
    heavy = c.base.heavy_weeks
    needed = c.p("strength_block_min_weeks")
    s_lo = c.p("strength_min_heavy_sessions")
    for w in c.weeks:
        specific = w.running.intensity or w.phase in race_phases
        crit = w.criteria
        if specific and not all(crit.model_dump().values()):
            missing = [k for k, v in crit.model_dump().items() if not v]
            yield _v(
                "readiness",
                [w.week],
                "criteria",
                f"race-specific work ({w.phase}) before every readiness criterion holds: missing {', '.join(missing)}",
                missing=missing,
            )
        if crit.heavy_strength_block and heavy < needed:
            yield _v(
                "readiness",
                [w.week],
                "criteria.heavy_strength_block",
                f"heavy strength criterion claimed after {heavy} heavy week(s); a block is at least {needed:g}",
                heavy_weeks=heavy,
            )
        if w.strength.heavy and w.strength.sessions >= s_lo:
            heavy += 1


def _taper(c: _Ctx) -> Iterator[Violation]:
    plan = c.plan
    race = next((r for r in c.rs.spec.tables.races.rows if r.race == plan.runner.race), None)
    if race is None or plan.status != "ready" or not c.weeks:
        return
    cuts = {row.weeks_to_race: row.cut_pct for row in c.rs.spec.tables.taper.rows}
    taper_weeks = c.weeks[-race.taper_weeks :]
    first = len(c.weeks) - len(taper_weeks)
    peak = max(c.volumes[max(0, first - 3) : first + 1])
    for k, w in enumerate(taper_weeks):
        to_race = len(taper_weeks) - k
        cut = cuts.get(to_race, max(cuts.values()))
        expected = peak * (1 - cut / 100)
        actual_cut = 100 * (1 - w.running.weekly_miles / peak) if peak else 0.0
        too_little = w.running.weekly_miles > expected + TAPER_SLACK_MILES
        # In race week, days on or after the race hold no runs, so a deeper cut is the calendar's.
        too_much = to_race > 1 and actual_cut > cut + TAPER_OVERCUT_POINTS
        if too_little or too_much:
            yield _v(
                "taper",
                [w.week],
                "running.weekly_miles",
                f"{w.running.weekly_miles:g} mi is a {actual_cut:.0f}% cut from the peak of {peak:g} mi; "
                f"the taper cuts {cut:g}% {to_race} week(s) out",
                weekly_miles=w.running.weekly_miles,
                peak=peak,
                cut_pct=cut,
            )
    if not any(s.kind == "race" for s in c.weeks[-1].running.sessions):
        yield _v("taper", [c.weeks[-1].week], "running.sessions", "status is ready but the race week has no race")


def _pain_response(c: _Ctx) -> Iterator[Violation]:
    b = c.base
    if b.red_flags or not b.cleared_to_run:
        for w in c.weeks:
            if _run_sessions(w):
                why = "red flags" if b.red_flags else "no clearance to run"
                yield _v("pain-response", [w.week], "running.sessions", f"running prescribed despite {why}")
        return
    if c.baseline_pain_over and c.weeks and c.weeks[0].running.weekly_miles > b.weekly_miles + TOLERANCE:
        yield _v(
            "pain-response",
            [1],
            "running.weekly_miles",
            f"load rises to {c.weeks[0].running.weekly_miles:g} mi after a week with pain above the allowance",
            running_pain=b.running_pain,
            allowed=b.pain_allowed_during,
        )
    for w in c.weeks:
        if w.referral and _run_sessions(w):
            yield _v("pain-response", [w.week], "running.sessions", "running prescribed in a referral week")


def _honest_status(c: _Ctx) -> Iterator[Violation]:
    plan = c.plan
    race = next((r for r in c.rs.spec.tables.races.rows if r.race == plan.runner.race), None)
    last = c.weeks[-1].week if c.weeks else 0
    if plan.status == "referral":
        if not any(w.referral for w in c.weeks):
            yield _v("honest-status", [last], "status", "status referral but no week refers the runner")
        return
    if plan.status == "ready" and plan.ready_week is None:
        yield _v("honest-status", [last], "status", "status ready but readiness is never reached")
    if race is not None and plan.race_date is not None:
        race_week = (plan.race_date - plan.start_date).days // 7 + 1
        latest = race_week - race.taper_weeks - race.build_weeks + 1
        feasible = plan.ready_week is not None and plan.ready_week <= latest
        race_phases = {p.id for p in c.rs.spec.phases if p.race_specific}
        block = [w for w in c.weeks[: len(c.weeks) - race.taper_weeks] if w.phase in race_phases]
        if plan.status == "ready" and feasible and len(block) < race.build_weeks:
            yield _v(
                "honest-status",
                [last],
                "status",
                f"status ready after {len(block)} race-specific week(s); the {race.race} needs {race.build_weeks}",
                race_specific_weeks=len(block),
                build_weeks=race.build_weeks,
            )
        if plan.status == "ready" and not feasible:
            yield _v(
                "honest-status",
                [last],
                "status",
                f"status ready, but readiness (week {plan.ready_week}) is later than week {latest}, the last "
                f"start for a {race.build_weeks}-week block and {race.taper_weeks}-week taper",
                ready_week=plan.ready_week,
                latest_start=latest,
            )
        has_race = bool(c.weeks) and any(s.kind == "race" for s in c.weeks[-1].running.sessions)
        if plan.status != "ready" and feasible and has_race and len(block) >= race.build_weeks:
            yield _v("honest-status", [last], "status", f"status {plan.status} although the race is feasible")
        if plan.status == "race_at_risk":
            early = plan.earliest_feasible_race_date
            if early is not None and early <= plan.race_date:
                yield _v(
                    "honest-status",
                    [last],
                    "earliest_feasible_race_date",
                    f"earliest feasible date {early} is not after the race date {plan.race_date}",
                )
    elif plan.status == "ready":
        target = plan.runner.target_weekly_miles
        if max(c.volumes, default=0.0) < target - TOLERANCE:
            yield _v("honest-status", [last], "status", f"status ready but no week reaches the target of {target:g} mi")
    elif plan.status == "race_at_risk":
        yield _v("honest-status", [last], "status", "status race_at_risk without a race")


def _trace(c: _Ctx) -> Iterator[Violation]:
    known = {r.id for r in c.rs.rules} | {g.id for g in c.rs.gates}
    for w in c.weeks:
        unknown = [r for r in w.rules_fired if r not in known]
        if unknown:
            yield _v(
                "trace", [w.week], "rules_fired", f"rules not in the ruleset: {', '.join(unknown)}", unknown=unknown
            )
        needed = {
            "phase": True,
            "running": bool(_run_sessions(w)),
            "strength": w.strength.sessions > 0,
            "hops": w.plyometrics.stage > 0,
            "warmup": bool(w.warmup),
        }
        for slot, present in needed.items():
            rule = w.decided_by.get(slot)
            if present and rule is None:
                yield _v("trace", [w.week], f"decided_by.{slot}", f"the week's {slot} does not come from any rule")
            elif rule is not None and rule not in w.rules_fired:
                yield _v("trace", [w.week], f"decided_by.{slot}", f"{slot} decided by {rule!r}, which did not fire")


def _calendar(c: _Ctx) -> Iterator[Violation]:
    av = c.plan.availability
    prev_days: list[str] = []
    for w in c.weeks:
        runs = _run_sessions(w)
        for s in [*runs, *(x for x in w.running.sessions if x.kind == "walk")]:
            if s.day not in av.run_days:
                yield _v(
                    "calendar",
                    [w.week],
                    f"running.sessions[{s.day}]",
                    f"a {s.kind} session on {s.day}, not one of the run days ({', '.join(av.run_days)})",
                    day=s.day,
                )
            if s.date != w.start_date + timedelta(days=WEEKDAYS.index(s.day)):
                yield _v(
                    "calendar",
                    [w.week],
                    f"running.sessions[{s.day}].date",
                    f"{s.date} is not the {s.day} of week {w.week}",
                )
        longs = [s for s in runs if s.kind == "long"]
        for s in longs:
            if s.day != av.long_run_day and av.long_run_day in [x.day for x in runs]:
                yield _v("calendar", [w.week], "running.sessions", f"the long run is on {s.day}, not {av.long_run_day}")
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
                yield _v(
                    "calendar",
                    [w.week],
                    "running.sessions",
                    f"runs on {first} and {second} leave fewer than {rest} rest day(s) between, as the rules ask",
                )
        prev_days = [s.day for s in runs]


INVARIANTS: tuple[Invariant, ...] = (
    Invariant(
        "gate-10mpw", "No volume above the gate, and no intensity, before a pain-free week at the gate.", _gate_10mpw
    ),
    Invariant(
        "weekly-cap",
        "After the gate a new weekly high stays within the cap over the 4-week peak; "
        "before it, continuous running rises at most the early-build step.",
        _weekly_cap,
    ),
    Invariant(
        "single-run-cap",
        "No run exceeds the longest run of the previous four weeks by more than the "
        "session cap (or its small absolute allowance).",
        _single_run_cap,
    ),
    Invariant("cutback", "After the gate, no more than N weeks of rising volume in a row.", _cutback),
    Invariant(
        "strength-blocks",
        "Strength blocks last their bounds in weeks, go in the ruleset's order, with "
        "the bounded number of heavy sessions a week.",
        _strength_blocks,
    ),
    Invariant(
        "hop-progression",
        "Hop stages never skip, are held their minimum weeks, never go backwards in a "
        "projection, and the readiness stage precedes race-specific work.",
        _hop_progression,
    ),
    Invariant("readiness", "Race-specific phases and intensity only once every readiness criterion holds.", _readiness),
    Invariant(
        "taper",
        "With a race and status ready, the final weeks cut volume by the taper table and end with the race.",
        _taper,
    ),
    Invariant(
        "pain-response",
        "No load increase after a week with pain over the allowance; no running with red "
        "flags, without clearance, or in a referral week.",
        _pain_response,
    ),
    Invariant(
        "honest-status",
        "Status ready only if readiness and the full race block and taper fit; "
        "otherwise race_at_risk with a later earliest date.",
        _honest_status,
    ),
    Invariant("trace", "Every fired rule exists; every prescription comes from a rule that fired.", _trace),
    Invariant(
        "calendar",
        "Sessions on the runner's run days and right dates, the long run on the long-run day, "
        "no back-to-back runs where spacing is asked for.",
        _calendar,
    ),
)
INVARIANT_IDS: tuple[str, ...] = tuple(i.id for i in INVARIANTS)


def validate_plan(plan: Plan, ruleset: CompiledRuleset, *, only: Sequence[str] = ()) -> list[Violation]:
    """Every violation of every invariant (or of those in ``only``), in order."""
    ctx = _Ctx(plan, ruleset)
    found: list[Violation] = []
    for inv in INVARIANTS:
        if only and inv.id not in only:
            continue
        found.extend(inv.check(ctx))
    return found
