"""The runner's handout as data: what the HTML report and the Markdown handout both show.

One model, two renderers, so the printed handout and the report say the same things in
the same order: the status and warnings first, an overview table, the week-by-week detail
(what repeats from last week is said once), the checks in plain words with the week each
is expected, the warm-up, and the evidence behind the plan's rules. Every text comes from
the plan (and the ruleset, for the evidence) through :mod:`planner.render.common`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from planner.models.plan import Plan, Strength, Week
from planner.render.common import (
    HOW_TO_READ,
    RUNNER_KINDS,
    RUNNER_STATUS,
    day_label,
    days_label,
    distance,
    exercise_lines,
    hops_sentence,
    logged_line,
    long_date,
    new_notes,
    pain_guide_lines,
    phase_label,
    race_lines,
    referral_lines,
    runner_goal,
    runner_reason,
    strength_heading,
    strength_phrase,
    week_total_line,
)
from planner.rules.compiler import CompiledRuleset

FASTER_KINDS = ("strides", "tempo", "intervals", "hills")
REFERRAL_PHASE = "Not cleared to run: see a clinician first"
GRADE_WORDS = {"strong": "strong", "moderate": "moderate", "weak": "weak", "expert-opinion": "expert opinion"}


@dataclass(frozen=True)
class OverviewRow:
    """One week in the overview table (and the chart's text alternative)."""

    week: int
    start: str
    phase: str
    running: str
    long_run: str
    faster: str
    strength: str
    hops: str
    checks: str
    observed: bool


@dataclass(frozen=True)
class SessionRow:
    """One day's session."""

    day: str
    session: str
    distance: str
    time: str
    what: str  # empty: as last week's session of the same kind


@dataclass(frozen=True)
class ReferralLine:
    """A line of a referral: the headline (who to see, how soon) or a detail under it."""

    text: str
    detail: bool


@dataclass(frozen=True)
class WeekDetail:
    """One week of the runner's view; repeats of last week are said once ("as last week")."""

    week: int
    heading: str
    observed: bool
    logged: str | None
    referral: list[ReferralLine]
    sessions: list[SessionRow]
    total: str | None
    no_running: bool
    strength: str | None  # "Strength on Mon and Fri: routine 2 (heavy strength)"
    routine: int | None
    hops: str | None
    warmup: str | None
    quality_warmup: str | None
    checks_passed: list[int]
    checks_lost: list[int]
    notes: list[str]


@dataclass(frozen=True)
class Routine:
    """A strength session's exercises and doses, written out once; the weeks that use it name its number."""

    number: int
    title: str
    weeks: list[int]
    lines: list[str]
    # The same doses as a table for print: (exercises, sets x reps, how heavy, rest); none for a one-line deload.
    rows: list[tuple[str, str, str, str]] = field(default_factory=list)
    how: str = ""  # how to do the exercises met here for the first time


@dataclass(frozen=True)
class CheckItem:
    """A gate in the runner's words, and when the plan expects it to be passed."""

    number: int
    text: str
    when: str
    passed_weeks: list[int]


@dataclass(frozen=True)
class WarmupStage:
    """The warm-up from one week on: the drills added then (all of them in the first)."""

    week: int
    drills: list[str]
    first: bool


@dataclass(frozen=True)
class EvidenceRow:
    """One rule or check of the plan, its source and its evidence grade."""

    what: str
    source: str
    grade: str


@dataclass(frozen=True)
class Handout:
    """Everything the runner's handout shows, in order."""

    title: str
    status: str  # the plan's status id: ready, race_at_risk, not_ready_by_horizon, referral
    status_text: str
    status_reason: str
    urgent: list[ReferralLine]
    warnings: list[str]
    facts: list[str]
    pain_scale: list[tuple[str, str]]
    bad_days: list[tuple[str, str]]
    how_to_read: str
    disclaimer: str
    assumptions: list[str]
    recommendations: list[str]
    overview: list[OverviewRow]
    hop_stages: list[tuple[int, str]]
    weeks: list[WeekDetail]
    checks: list[CheckItem]
    routines: list[Routine]
    warmup: list[WarmupStage]
    quality_warmup: list[str]
    quality_warmup_from: int | None
    evidence: list[EvidenceRow] = field(default_factory=list)
    sources: list[tuple[str, str]] = field(default_factory=list)  # (cite, grades) of the sources used


def weeks_label(weeks: list[int]) -> str:
    """``1-4, 9 and 12-13``: week numbers as ranges."""
    spans: list[list[int]] = []
    for n in weeks:
        if spans and n == spans[-1][1] + 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    parts = [f"{a}" if a == b else f"{a}-{b}" for a, b in spans]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


# ----------------------------------------------------------------------------- gates
def gate_order(plan: Plan) -> list[str]:
    """The plan's gate ids in the order they first appear (the checklist's numbering)."""
    order: list[str] = []
    for w in plan.weeks:
        order += [g.id for g in w.gates if g.id not in order]
    return order


def gate_changes(plan: Plan) -> dict[int, tuple[list[str], list[str]]]:
    """Per week: the gates that became passed as it starts, and those that stopped holding."""
    out: dict[int, tuple[list[str], list[str]]] = {}
    before: set[str] = set()
    for w in plan.weeks:
        now = {g.id for g in w.gates if g.passed}
        order = [g.id for g in w.gates]
        out[w.week] = ([g for g in order if g in now - before], [g for g in order if g in before - now])
        before = now
    return out


def _when(plan: Plan, passes: list[int], losses: list[int]) -> str:
    lived = {w.week for w in plan.weeks if w.observed}
    starts = {w.week: day_label(w.start_date) for w in plan.weeks}

    def one(week: int) -> str:
        # A gate holds as a week starts: it is done when every week before it was lived.
        if all(n in lived for n in range(1, week)):
            return f"done by the start of week {week} ({starts[week]})" if week > 1 else "done before week 1"
        return f"expected by the start of week {week} ({starts[week]}) if the weeks before go as planned"

    if not passes:
        return "not reached within this plan"
    text = one(passes[0])
    for i, lost in enumerate(losses):
        text += f"; no longer held from week {lost}"
        if i + 1 < len(passes):
            text += f", then {one(passes[i + 1])}"
        else:
            text += ": it has to be passed again"
    return text[0].upper() + text[1:] + "."


def _checks(plan: Plan) -> list[CheckItem]:
    changes = gate_changes(plan)
    text = {g.id: g.runner_text or g.title or g.id for w in plan.weeks for g in w.gates}
    items = []
    for number, gid in enumerate(gate_order(plan), start=1):
        passes = [n for n, (up, _) in changes.items() if gid in up]
        losses = [n for n, (_, down) in changes.items() if gid in down]
        items.append(CheckItem(number, text[gid], _when(plan, passes, losses), passes))
    return items


# ----------------------------------------------------------------------------- overview
def _running_cell(w: Week, units: str) -> str:
    r = w.running
    if r.weekly_miles == 0 and not r.sessions:
        return "-"
    return distance(r.weekly_miles, units)


def _faster_cell(w: Week, plan: Plan) -> str:
    kinds = [RUNNER_KINDS[s.kind].lower() for s in w.running.sessions if s.kind in FASTER_KINDS]
    if any(s.kind == "race" for s in w.running.sessions):
        kinds.append(f"the race ({plan.runner.race})")
    return ", ".join(kinds) or "-"


def _strength_cell(w: Week, routines: dict[tuple[object, ...], int]) -> str:
    st = w.strength
    return f"routine {routines[_routine_key(w)]}, {st.sessions}x" if st.sessions else "-"


def hop_stages(plan: Plan) -> list[tuple[int, str]]:
    """The plan's hop stages and their names (the overview's key)."""
    stages: dict[int, str] = {}
    for w in plan.weeks:
        if w.plyometrics.stage:
            stages.setdefault(w.plyometrics.stage, w.plyometrics.name)
    return sorted(stages.items())


def _overview(plan: Plan, numbers: dict[str, int], routines: dict[tuple[object, ...], int]) -> list[OverviewRow]:
    changes = gate_changes(plan)
    rows = []
    for w in plan.weeks:
        long = w.running.long_run_miles  # the chart's line: the week's longest run
        passed = [str(numbers[g]) for g in changes[w.week][0]]
        rows.append(
            OverviewRow(
                week=w.week,
                start=f"{w.start_date.day} {w.start_date.strftime('%b')}",
                phase=_phase(plan, w),
                running=_running_cell(w, plan.units),
                long_run=distance(long, plan.units) if long else "-",
                faster=_faster_cell(w, plan),
                strength=_strength_cell(w, routines),
                hops=f"stage {w.plyometrics.stage}" if w.plyometrics.stage else "-",
                checks=", ".join(passed) or "-",
                observed=w.observed,
            )
        )
    return rows


# ----------------------------------------------------------------------------- weeks
def _phase(plan: Plan, w: Week) -> str:
    """The week's phase in the runner's words; a referral week's is the referral, whatever phase it holds."""
    return REFERRAL_PHASE if w.referrals else phase_label(plan, w.phase)


def _routine_key(w: Week) -> tuple[object, ...]:
    st = w.strength
    return (st.label or st.name, st.novice, st.deload, tuple(e.model_dump_json() for e in st.exercises))


def _routines(plan: Plan) -> tuple[list[Routine], dict[tuple[object, ...], int]]:
    """Each distinct strength session once, numbered in order of first use; how to do each exercise the first time."""
    numbers: dict[tuple[object, ...], int] = {}
    weeks: dict[int, list[int]] = {}
    out: list[Routine] = []
    seen: set[str] = set()
    sessions: list[tuple[int, Strength]] = []  # each routine's first session
    for w in plan.weeks:
        if not w.strength.sessions:
            continue
        key = _routine_key(w)
        if key not in numbers:
            numbers[key] = len(numbers) + 1
            weeks[numbers[key]] = []
            parent = _deload_of(w.strength, sessions)
            lines = _deload_lines(w.strength, parent) if parent else exercise_lines(w.strength, seen)
            how = next((line.removeprefix("How: ") for line in lines if line.startswith("How: ")), "")
            rows = [] if parent else _dose_rows(w.strength)
            out.append(Routine(numbers[key], strength_heading(w.strength), weeks[numbers[key]], lines, rows, how))
            sessions.append((numbers[key], w.strength))
        weeks[numbers[key]].append(w.week)
    return out, numbers


def _dose_rows(st: Strength) -> list[tuple[str, str, str, str]]:
    """The exercises grouped by dose, as :func:`exercise_lines` groups them."""
    groups: dict[tuple[int, str, str, str | None], list[str]] = {}
    for e in st.exercises:
        groups.setdefault((e.sets, e.reps, e.load, e.rest), []).append(e.name)
    return [
        (", ".join(names), f"{sets} x {reps}", load, rest or "-") for (sets, reps, load, rest), names in groups.items()
    ]


def _deload_of(st: Strength, earlier: list[tuple[int, Strength]]) -> tuple[int, Strength] | None:
    """The routine a deload week lightens, when it keeps that routine's exercises, reps and rests.

    Then the deload is said in one line ("routine 2's exercises, 2 sets of each, lighter")
    instead of every exercise again. A deload that changes more is written out in full.
    """
    if not st.deload or len({(e.sets, e.load) for e in st.exercises}) != 1:
        return None
    shape = [(e.name, e.reps, e.rest) for e in st.exercises]
    for number, full in reversed(earlier):
        if not full.deload and full.label == st.label and [(e.name, e.reps, e.rest) for e in full.exercises] == shape:
            return number, full
    return None


def _deload_lines(st: Strength, parent: tuple[int, Strength]) -> list[str]:
    number, _ = parent
    first = st.exercises[0]
    return [f"the exercises, reps and rests of routine {number}, {first.sets} sets of each - {first.load}"]


def _same_hops(w: Week, prev: Week | None) -> bool:
    if prev is None:
        return False
    a, b = w.plyometrics, prev.plyometrics
    return (a.stage, a.name, a.dose, a.sets, a.seconds, a.days, a.taper, a.cutback) == (
        b.stage,
        b.name,
        b.dose,
        b.sets,
        b.seconds,
        b.days,
        b.taper,
        b.cutback,
    )


def _warmup_line(w: Week, prev: Week | None) -> str | None:
    before = prev.warmup if prev is not None else []
    if not w.warmup or w.warmup == before:
        return None
    added = [d for d in w.warmup if d not in before]
    if not before:
        return 'Warm-up before every run: the drills under "Your warm-up".'
    return f"Warm-up: new from this week: {'; '.join(added)}." if added else "Warm-up: " + "; ".join(w.warmup) + "."


def _with_race(w: Week) -> bool:
    r = w.running
    return r.total_miles is not None and r.total_miles > r.weekly_miles + 0.05


def _sessions(w: Week, prev: Week | None, units: str) -> list[SessionRow]:
    """The week's sessions, one row per kind of session: the same session on several days is said once.

    A description the runner read last week for the same session is not repeated.
    """
    groups: dict[tuple[str, str, float, str], list[str]] = {}
    for s in w.running.sessions:
        key = (RUNNER_KINDS[s.kind], distance(s.miles, units) if s.miles else "-", s.minutes, s.description)
        groups.setdefault(key, []).append(s.day)
    before = {(s.kind, s.description) for s in prev.running.sessions} if prev is not None else set()
    kinds = {RUNNER_KINDS[s.kind]: s.kind for s in w.running.sessions}
    rows = []
    for (kind, dist, minutes, what), days in groups.items():
        each = " each" if len(days) > 1 and dist != "-" else ""
        said = (kinds[kind], what) in before and not w.observed
        rows.append(SessionRow(days_label(days), kind, dist + each, f"{minutes:g} min", "" if said else what))
    return rows


def _week(
    plan: Plan,
    w: Week,
    prev: Week | None,
    seen: set[str],
    numbers: dict[str, int],
    changes: tuple[list[str], list[str]],
    routines: dict[tuple[object, ...], int],
) -> WeekDetail:
    u = plan.units
    sessions = _sessions(w, prev, u)
    st, p = w.strength, w.plyometrics
    strength = None
    routine = routines.get(_routine_key(w))
    if st.sessions and routine is not None:
        strength = f"Strength on {days_label(st.days)}: routine {routine} ({strength_phrase(st)})"
    hops = None
    if p.stage:
        where = f" on {days_label(p.days)}" if p.days else ""
        before = prev.plyometrics if prev is not None and prev.plyometrics.stage else None
        if before is not None and p.days and set(p.days) < set(before.days):
            where += " only"  # a day dropped: say so, or the runner keeps hopping on it
        taper = " (taper week: fewer sets)" if p.taper else " (cutback week: fewer sets)" if p.cutback else ""
        hops = f"Hops{where}{taper}: " + ("as last week." if _same_hops(w, prev) else hops_sentence(p, seen))
    quality = None
    if w.warmup_before_quality:
        # The drills are listed under the warm-up; a week names them once, then points there.
        shown = any(x.warmup_before_quality == w.warmup_before_quality for x in plan.weeks if x.week < w.week)
        drills = "the running drills (see your warm-up)" if shown else "; ".join(w.warmup_before_quality)
        quality = f"Before the faster session, add: {drills}."
    return WeekDetail(
        week=w.week,
        heading=f"Week {w.week} - from {day_label(w.start_date)} - {_phase(plan, w)}",
        observed=w.observed,
        logged=logged_line(w, u),
        referral=[ReferralLine(line.strip(), line.startswith(" ")) for line in referral_lines(w)],
        sessions=sessions,
        total=week_total_line(w, u) if _with_race(w) else None,  # else the overview has the week's distance
        no_running=not w.running.sessions and not w.referrals,
        strength=strength,
        routine=routine,
        hops=hops,
        warmup=_warmup_line(w, prev),
        quality_warmup=quality,
        checks_passed=[numbers[g] for g in changes[0]],
        checks_lost=[numbers[g] for g in changes[1]],
        notes=new_notes(w, prev),
    )


# ----------------------------------------------------------------------------- warm-up and evidence
def _warmup(plan: Plan) -> tuple[list[WarmupStage], list[str], int | None]:
    stages: list[WarmupStage] = []
    before: list[str] = []
    quality: list[str] = []
    quality_from = None
    for w in plan.weeks:
        if w.warmup and w.warmup != before:
            added = [d for d in w.warmup if d not in before] if before else list(w.warmup)
            stages.append(WarmupStage(w.week, added or list(w.warmup), first=not stages))
            before = w.warmup
        if w.warmup_before_quality and not quality:
            quality, quality_from = list(w.warmup_before_quality), w.week
    return stages, quality, quality_from


def _evidence(plan: Plan, ruleset: CompiledRuleset | None) -> tuple[list[EvidenceRow], list[tuple[str, str]]]:
    if ruleset is None:
        return [], []
    fired = {r for w in plan.weeks for r in w.rules_fired}
    gates = {g.id: g.runner_text or g.title for w in plan.weeks for g in w.gates}
    sources = ruleset.spec.sources
    rows: list[EvidenceRow] = []
    used: dict[str, set[str]] = {}
    items = [(g.id, g.title, g.source, g.grade) for g in ruleset.gates if g.id in gates]
    items += [(r.id, r.title, r.source, r.grade) for r in ruleset.rules if r.id in fired]
    for item_id, title, source, grade in items:
        cite = sources[source].cite if source in sources else source
        rows.append(EvidenceRow(gates.get(item_id, title), cite, GRADE_WORDS.get(grade, grade)))
        used.setdefault(cite, set()).add(GRADE_WORDS.get(grade, grade))
    order = list(GRADE_WORDS.values())
    cited = [(cite, ", ".join(sorted(g, key=order.index))) for cite, g in used.items()]
    return rows, cited


# ----------------------------------------------------------------------------- the whole handout
def build_handout(plan: Plan, ruleset: CompiledRuleset | None = None) -> Handout:
    """The runner's handout of a plan; with its ruleset, the evidence behind each rule too."""
    numbers = {gid: n for n, gid in enumerate(gate_order(plan), start=1)}
    changes = gate_changes(plan)
    facts = [
        f"Goal: {runner_goal(plan)}",
        f"Injury: {plan.runner.injury.replace('_', ' ')}",
        f"Week 1 starts {long_date(plan.start_date)}",
    ]
    if plan.earliest_feasible_race_date is not None:
        facts.append(f"The earliest race date every step fits before: {long_date(plan.earliest_feasible_race_date)}")
    facts += race_lines(plan)
    urgent: list[ReferralLine] = []
    if plan.status == "referral":
        first = next((w for w in plan.weeks if w.referrals), None)
        if first is not None:
            urgent = [ReferralLine(line.strip(), line.startswith(" ")) for line in referral_lines(first)]
    scale, bad_days = pain_guide_lines(plan)
    seen: set[str] = set()  # hops explained already
    routines, routine_numbers = _routines(plan)
    weeks = [
        _week(plan, w, prev, seen, numbers, changes[w.week], routine_numbers)
        for prev, w in zip([None, *plan.weeks], plan.weeks, strict=False)
    ]
    if urgent:  # said in full at the top; the week points there instead of repeating it
        i = next(i for i, w in enumerate(weeks) if w.referral)
        pointer = [ReferralLine("See a clinician first, as the top of this handout says.", False)]
        weeks[i] = replace(weeks[i], referral=pointer)
    warmup, quality, quality_from = _warmup(plan)
    evidence, sources = _evidence(plan, ruleset)
    return Handout(
        title=f"Your return-to-run plan, {plan.runner.name}",
        status=plan.status,
        status_text=RUNNER_STATUS[plan.status],
        status_reason=runner_reason(plan),
        urgent=urgent,
        warnings=list(plan.warnings),
        facts=facts,
        pain_scale=scale,
        bad_days=bad_days,
        how_to_read=HOW_TO_READ,
        disclaimer=plan.disclaimer,
        assumptions=list(plan.assumptions),
        recommendations=list(plan.recommendations),
        overview=_overview(plan, numbers, routine_numbers),
        hop_stages=hop_stages(plan),
        weeks=weeks,
        checks=_checks(plan),
        routines=routines,
        warmup=warmup,
        quality_warmup=quality,
        quality_warmup_from=quality_from,
        evidence=evidence,
        sources=sources,
    )
