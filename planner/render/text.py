"""The terminal view of a plan, in two voices.

The runner's view (the default) speaks plain words in the runner's units: what to do
each day, the exercises with their doses, what is still to come, and what to do on a
bad day. The clinician's view keeps the engine's detail: phases and gate ids, the
conditions each gate still misses, strength block numbers.
"""

from __future__ import annotations

from rich.console import RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from planner.models.plan import Plan, Week
from planner.render import PLAIN_WIDTH
from planner.render.common import (
    DAY_NAMES,
    HOW_TO_READ,
    RUNNER_KINDS,
    RUNNER_STATUS,
    STATUS_LABELS,
    day_label,
    days_label,
    distance,
    exercise_lines,
    goal_label,
    hops_label,
    hops_sentence,
    logged_line,
    long_date,
    long_run_miles,
    new_notes,
    number,
    open_gate_texts,
    pain_guide_lines,
    phase_label,
    quality_label,
    race_lines,
    referral_lines,
    runner_goal,
    runner_reason,
    session_line,
    strength_heading,
    strength_label,
    warmup_sentence,
    week_total_line,
)
from planner.render.console import escaped_plan, fitted_table, to_text

VIEWS = ("runner", "clinician")


# ----------------------------------------------------------------------------- the runner's view
# Rich lays the view out to the width it is given: tables wrap their cells at spaces, and a
# word is folded only where it is longer than its column could ever be.
STATUS_STYLES = {"ready": "bold green", "race_at_risk": "bold yellow", "not_ready_by_horizon": "bold yellow"}


def _para(text: str, style: str = "") -> Text:
    return Text(text, style=style, overflow="fold")


def _bullets(items: list[str], mark: str = "-", indent: int = 2) -> RenderableType:
    """A list whose wrapped lines hang under their first word, not under the mark."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for item in items:
        grid.add_row(mark, item)
    return Padding(grid, (0, 0, 0, indent))


def _indented(text: str, indent: int = 2, style: str = "") -> RenderableType:
    return Padding(_para(text, style), (0, 0, 0, indent))


def _labelled(label: str, text: str, indent: int = 2) -> RenderableType:
    return Padding(Text.assemble((label, "bold"), text, overflow="fold"), (0, 0, 0, indent))


def _runner_header(plan: Plan) -> list[RenderableType]:
    out: list[RenderableType] = [
        _para(f"Your return-to-run plan, {plan.runner.name}", "bold"),
        _para(f"Injury: {plan.runner.injury.replace('_', ' ')}. Goal: {runner_goal(plan)}."),
        Text.assemble(
            f"Week 1 starts {long_date(plan.start_date)}. ",
            (RUNNER_STATUS[plan.status], STATUS_STYLES.get(plan.status, "bold red")),
            overflow="fold",
        ),
    ]
    if runner_reason(plan):
        out.append(_para(runner_reason(plan)))
    if plan.earliest_feasible_race_date is not None:
        out.append(
            _para(f"The earliest race date every step fits before: {long_date(plan.earliest_feasible_race_date)}.")
        )
    out += [_para(line) for line in race_lines(plan)]
    out += [Text.assemble(("PLEASE READ FIRST: ", "bold red"), w, overflow="fold") for w in plan.warnings]
    return out


def _runner_pain_guide(plan: Plan) -> list[RenderableType]:
    scale, bad_days = pain_guide_lines(plan)
    if not scale:
        return []
    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for score, means in scale:
        grid.add_row(score, means)
    return [
        Text(""),
        _para("Your pain scale (0-10)", "bold"),
        Padding(grid, (0, 0, 0, 2)),
        Text(""),
        _para("On a bad day", "bold"),
        _bullets([f"{when}: {do}." for when, do in bad_days]),
        Text(""),
        _para(HOW_TO_READ),
    ]


def _runner_overview(plan: Plan, width: int) -> list[RenderableType]:
    u = plan.units
    rows = []
    for w in plan.weeks:
        st = w.strength
        long = long_run_miles(w)
        rows.append(
            [
                f"{w.week}{'*' if w.observed else ''}",
                day_label(w.start_date),
                distance(w.running.weekly_miles, u),
                distance(long, u) if long else "-",
                quality_label(w),
                f"{st.label or st.name} {st.sessions}x" if st.sessions else "-",
                w.plyometrics.name if w.plyometrics.stage else "-",
            ]
        )
    headers = ["Week", "From", "Running", "Long run", "Faster running", "Strength", "Hops"]
    out: list[RenderableType] = [fitted_table(headers, rows, width, right=(0, 2, 3), no_wrap=(0, 1, 2, 3))]
    if any(w.observed for w in plan.weeks):
        out.append(_para("* a week you have lived: what was prescribed; the check-in's record is in the week below"))
    return out


def _sessions(plan: Plan, w: Week, width: int) -> RenderableType:
    rows = [
        [
            DAY_NAMES[s.day],
            RUNNER_KINDS[s.kind],
            distance(s.miles, plan.units) if s.miles else "",
            f"about {s.minutes:g} min",
            s.description,
        ]
        for s in w.running.sessions
    ]
    headers = ["Day", "Session", "Distance", "Time", "What to do"]
    return Padding(fitted_table(headers, rows, width - 2, right=(2,), no_wrap=(0, 1, 2, 3)), (0, 0, 0, 2))


def _runner_week(plan: Plan, w: Week, prev: Week | None, seen: set[str], width: int) -> list[RenderableType]:
    u = plan.units
    out: list[RenderableType] = [
        _para(f"Week {w.week} - from {day_label(w.start_date)} - {phase_label(plan, w.phase)}", "bold cyan")
    ]
    logged = logged_line(w, u)
    if logged:
        out.append(_indented(logged, style="italic"))
    for line in referral_lines(w):
        out.append(_indented(line.strip(), indent=4 if line.startswith("  ") else 2, style="bold red"))
    if w.running.sessions:
        out.append(_sessions(plan, w, width))
    elif not w.referrals:
        out.append(_indented("No running this week."))
    if w.running.sessions and w.running.weekly_miles:
        out.append(_indented(week_total_line(w, u)))
    st = w.strength
    if st.sessions:
        out.append(_indented(f"Strength on {days_label(st.days)} - {strength_heading(st)}:", style="bold"))
        out.append(_bullets(exercise_lines(st, seen), indent=4))
    p = w.plyometrics
    if p.stage:
        where = f" on {days_label(p.days)}" if p.days else ""
        taper = " (taper week: fewer sets)" if p.taper else " (cutback week: fewer sets)" if p.cutback else ""
        out.append(_labelled(f"Hops{where}{taper}: ", hops_sentence(p, seen)))
    if w.warmup:
        out.append(
            Padding(Text.assemble(("Warm-up before every run: ", "bold"), warmup_sentence(w, prev)), (0, 0, 0, 2))
        )
    if w.warmup_before_quality:
        drills = "; ".join(w.warmup_before_quality)
        out.append(_labelled("Before the faster session, add: ", f"{drills}."))
    todo = open_gate_texts(w)
    if todo:
        out.append(_indented("Still to come:", style="bold"))
        out.append(_bullets(todo, indent=4))
    for note in new_notes(w, prev):
        out.append(_labelled("Note: ", note))
    return out


def render_week(plan: Plan, number: int, width: int = PLAIN_WIDTH, color: bool = False) -> str:
    """One week of the runner's view (what a check-in prints for the week ahead)."""
    prev = next((w for w in plan.weeks if w.week == number - 1), None)
    week = next(w for w in plan.weeks if w.week == number)
    return to_text(_runner_week(plan, week, prev, set(), width), width, color).rstrip("\n")


def runner_view(plan: Plan, width: int = PLAIN_WIDTH) -> list[RenderableType]:
    """The whole plan for the runner, as rich renderables; its tables fit ``width`` cells."""
    out = _runner_header(plan)
    out += _runner_pain_guide(plan)
    out += [Text(""), *_runner_overview(plan, width), Text("")]
    seen: set[str] = set()  # exercises explained already
    for prev, w in zip([None, *plan.weeks], plan.weeks, strict=False):
        out += [*_runner_week(plan, w, prev, seen, width), Text("")]
    out += [_para(f"Good to know: {a}") for a in plan.assumptions]
    out += [_para(f"Recommended: {r}") for r in plan.recommendations]
    out.append(_para(plan.disclaimer, "bold"))
    return out


def render_runner_text(plan: Plan, width: int = PLAIN_WIDTH, color: bool = False) -> str:
    """The whole plan for the runner: plain words, their units, what to do on a bad day; ``width`` cells wide."""
    return to_text(runner_view(plan, width), width, color)


# ----------------------------------------------------------------------------- the clinician's view
def _header(plan: Plan) -> list[str]:
    lines = [
        f"Return-to-run plan for {plan.runner.name} (clinician's view)",
        f"Ruleset: {plan.ruleset.id} {plan.ruleset.version} (sha256 {plan.ruleset.sha256[:12]})",
        f"Injury: {plan.runner.injury.replace('_', ' ')} | Goal: {goal_label(plan)} | "
        f"Week 1 starts Mon {plan.start_date.isoformat()}",
        f"Status: {STATUS_LABELS[plan.status]} - {plan.status_reason}",
    ]
    if plan.ready_week is not None:
        lines.append(f"Every readiness criterion holds from week {plan.ready_week}.")
    if plan.earliest_feasible_race_date is not None:
        lines.append(f"Earliest feasible race date: {plan.earliest_feasible_race_date.isoformat()}")
    lines += race_lines(plan)
    lines += [f"WARNING: {w}" for w in plan.warnings]
    return lines


def _table(plan: Plan) -> list[str]:
    u = plan.units
    head = f"{'Wk':>3}  {'Week of':<10}  {'Phase':<17}{'Run ' + u:>7}{'Long':>6}  {'Quality':<10} {'Strength':<28} Hops"
    rows = [head, "-" * len(head)]
    for w in plan.weeks:
        r = w.running
        rows.append(
            f"{w.week:>3}  {w.start_date.isoformat():<10}  {w.phase:<17}{number(r.weekly_miles, u):>7}"
            f"{number(r.long_run_miles, u):>6}  {quality_label(w):<10} {strength_label(w):<28} {hops_label(w)}"
        )
    return rows


def _week(w: Week, units: str) -> list[str]:
    lines = [f"Week {w.week} | {w.start_date.isoformat()} | {w.phase}" + (" | observed" if w.observed else "")]
    logged = logged_line(w, units)
    if logged:
        lines.append(f"  Logged    {logged}")
    for s in w.running.sessions:
        lines.append("  " + session_line(s, units))
    if not w.running.sessions and not w.referrals:
        lines.append("  No running this week.")
    st = w.strength
    if st.sessions:
        days = " ".join(DAY_NAMES[d] for d in st.days)
        block = f" (block {st.block}, week {st.block_week})" if st.block else ""
        flags = "".join(f" [{f}]" for f, on in (("novice", st.novice), ("deload", st.deload)) if on)
        lines.append(f"  Strength  {days}: {st.name}{block}{flags} - {st.focus}")
    p = w.plyometrics
    if p.stage:
        days = " ".join(DAY_NAMES[d] for d in p.days)
        lines.append(f"  Hops      {days}: stage {p.stage}: {p.name}, {p.dose or f'{p.sets} x {p.seconds} s'}")
    if w.warmup:
        lines.append(f"  Warm-up   {'; '.join(w.warmup)}")
    if w.warmup_before_quality:
        lines.append(f"  Drills    before quality: {'; '.join(w.warmup_before_quality)}")
    open_gates = [g for g in w.gates if not g.passed]
    passed = [g.id for g in w.gates if g.passed]
    if passed:
        lines.append(f"  Passed    {', '.join(passed)}")
    for g in open_gates:
        lines.append(f"  Not yet   {g.id}: {g.detail}")
    for note in w.notes:
        lines.append(f"  Note      {note}")
    lines += [f"  REFERRAL  {line}" for line in referral_lines(w)]
    return lines


def render_clinician_text(plan: Plan) -> str:
    """The whole plan for a clinician: gate ids and conditions, block numbers, the engine's detail."""
    out = _header(plan)
    out += ["", *_table(plan), ""]
    for w in plan.weeks:
        out += [*_week(w, plan.units), ""]
    out += [f"Assumption: {a}" for a in plan.assumptions]
    out += [f"Recommended: {r}" for r in plan.recommendations]
    out.append(plan.disclaimer)
    return "\n".join(out) + "\n"


def render_text(plan: Plan, view: str = "runner", width: int = PLAIN_WIDTH, color: bool = False) -> str:
    """The whole plan for a terminal, in the runner's or the clinician's view.

    The runner's view is laid out to ``width`` cells (colours only with ``color``); the
    clinician's keeps its long lines, for a wide screen or a file.
    """
    if view == "clinician":
        return render_clinician_text(plan)
    if view == "runner":
        return render_runner_text(escaped_plan(plan) if color else plan, width, color)
    raise ValueError(f"unknown view {view!r}; known: {', '.join(VIEWS)}")
