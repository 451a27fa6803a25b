"""The terminal view of a plan, in two voices.

The runner's view (the default) speaks plain words in the runner's units: what to do
each day, the exercises with their doses, what is still to come, and what to do on a
bad day. The clinician's view keeps the engine's detail: phases and gate ids, the
conditions each gate still misses, strength block numbers.
"""

from __future__ import annotations

from planner.models.plan import Plan, Week
from planner.render.common import (
    DAY_NAMES,
    HOW_TO_READ,
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
    runner_session_line,
    session_line,
    strength_heading,
    strength_label,
    warmup_sentence,
    week_total_line,
)

VIEWS = ("runner", "clinician")


# ----------------------------------------------------------------------------- the runner's view
def _runner_header(plan: Plan) -> list[str]:
    lines = [
        f"Your return-to-run plan, {plan.runner.name}",
        f"Injury: {plan.runner.injury.replace('_', ' ')}. Goal: {runner_goal(plan)}.",
        f"Week 1 starts {long_date(plan.start_date)}. {RUNNER_STATUS[plan.status]}",
    ]
    if runner_reason(plan):
        lines.append(runner_reason(plan))
    if plan.earliest_feasible_race_date is not None:
        lines.append(f"The earliest race date every step fits before: {long_date(plan.earliest_feasible_race_date)}.")
    lines += race_lines(plan)
    lines += [f"PLEASE READ FIRST: {w}" for w in plan.warnings]
    return lines


def _runner_pain_guide(plan: Plan) -> list[str]:
    scale, bad_days = pain_guide_lines(plan)
    if not scale:
        return []
    out = ["", "Your pain scale (0-10)"]
    out += [f"  {score:<5} {means}" for score, means in scale]
    out += ["", "On a bad day"]
    out += [f"  - {when}: {do}." for when, do in bad_days]
    out += ["", HOW_TO_READ]
    return out


def _runner_overview(plan: Plan) -> list[str]:
    u = plan.units

    def strength_cell(w: Week) -> str:
        st = w.strength
        return f"{st.label or st.name} {st.sessions}x" if st.sessions else "-"

    width = max([len("Strength"), *(len(strength_cell(w)) for w in plan.weeks)])
    head = (
        f"{'Week':>4}  {'From':<10}  {'Running':>9}  {'Long run':>8}  {'Faster running':<15} {'Strength':<{width}} Hops"
    )
    rows = [head, "-" * len(head)]
    for w in plan.weeks:
        r = w.running
        strength = strength_cell(w)
        hops = f"{w.plyometrics.name}" if w.plyometrics.stage else "-"
        rows.append(
            f"{w.week:>4}{'*' if w.observed else ' '} {day_label(w.start_date):<10}  {distance(r.weekly_miles, u):>9}  "
            f"{distance(long, u) if (long := long_run_miles(w)) else '-':>8}  {quality_label(w):<15} "
            f"{strength:<{width}} {hops}"
        )
    if any(w.observed for w in plan.weeks):
        rows.append("* a week you have lived: what was prescribed; the check-in's record is in the week below")
    return rows


def _runner_week(plan: Plan, w: Week, prev: Week | None, seen: set[str]) -> list[str]:
    u = plan.units
    lines = [f"Week {w.week} - from {day_label(w.start_date)} - {phase_label(plan, w.phase)}"]
    logged = logged_line(w, u)
    if logged:
        lines.append(f"  {logged}")
    lines += [f"  {line}" for line in referral_lines(w)]
    for s in w.running.sessions:
        lines.append("  " + runner_session_line(s, u))
    if not w.running.sessions and not w.referrals:
        lines.append("  No running this week.")
    if w.running.sessions and w.running.weekly_miles:
        lines.append(f"  {week_total_line(w, u)}")
    st = w.strength
    if st.sessions:
        lines.append(f"  Strength on {days_label(st.days)} - {strength_heading(st)}:")
        lines += [f"    - {line}" for line in exercise_lines(st, seen)]
    p = w.plyometrics
    if p.stage:
        where = f" on {days_label(p.days)}" if p.days else ""
        taper = " (taper week: fewer sets)" if p.taper else " (cutback week: fewer sets)" if p.cutback else ""
        lines.append(f"  Hops{where}{taper}: {hops_sentence(p, seen)}")
    if w.warmup:
        lines.append(f"  Warm-up before every run: {warmup_sentence(w, prev)}")
    if w.warmup_before_quality:
        lines.append(f"  Before the faster session, add: {'; '.join(w.warmup_before_quality)}.")
    todo = open_gate_texts(w)
    if todo:
        lines.append("  Still to come:")
        lines += [f"    - {text}" for text in todo]
    for note in new_notes(w, prev):
        lines.append(f"  Note: {note}")
    return lines


def render_week(plan: Plan, number: int) -> str:
    """One week of the runner's view (what a check-in prints for the week ahead)."""
    prev = next((w for w in plan.weeks if w.week == number - 1), None)
    week = next(w for w in plan.weeks if w.week == number)
    return "\n".join(_runner_week(plan, week, prev, set()))


def render_runner_text(plan: Plan) -> str:
    """The whole plan for the runner: plain words, their units, what to do on a bad day."""
    out = _runner_header(plan)
    out += _runner_pain_guide(plan)
    out += ["", *_runner_overview(plan), ""]
    seen: set[str] = set()  # exercises explained already
    for prev, w in zip([None, *plan.weeks], plan.weeks, strict=False):
        out += [*_runner_week(plan, w, prev, seen), ""]
    out += [f"Good to know: {a}" for a in plan.assumptions]
    out += [f"Recommended: {r}" for r in plan.recommendations]
    out.append(plan.disclaimer)
    return "\n".join(out) + "\n"


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


def render_text(plan: Plan, view: str = "runner") -> str:
    """The whole plan for a terminal, in the runner's or the clinician's view."""
    if view == "clinician":
        return render_clinician_text(plan)
    if view == "runner":
        return render_runner_text(plan)
    raise ValueError(f"unknown view {view!r}; known: {', '.join(VIEWS)}")
