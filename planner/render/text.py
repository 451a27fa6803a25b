"""The terminal view of a plan: a summary table, then each week day by day."""

from __future__ import annotations

from planner.models.plan import Plan, Week
from planner.render.common import (
    DAY_NAMES,
    STATUS_LABELS,
    goal_label,
    hops_label,
    number,
    quality_label,
    race_lines,
    referral_lines,
    session_line,
    strength_label,
)


def _header(plan: Plan) -> list[str]:
    lines = [
        f"Return-to-run plan for {plan.runner.name}",
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
    lines = [f"Week {w.week} | {w.start_date.isoformat()} | {w.phase}"]
    for s in w.running.sessions:
        lines.append("  " + session_line(s, units))
    if not w.running.sessions and not w.referrals:
        lines.append("  No running this week.")
    st = w.strength
    if st.sessions:
        days = " ".join(DAY_NAMES[d] for d in st.days)
        block = f" (block {st.block}, week {st.block_week})" if st.block else ""
        lines.append(f"  Strength  {days}: {st.name}{block} - {st.focus}")
    p = w.plyometrics
    if p.stage:
        lines.append(f"  Hops      stage {p.stage}: {p.name}, {p.sets} x {p.seconds} s")
    if w.warmup:
        lines.append(f"  Warm-up   {'; '.join(w.warmup)}")
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


def render_text(plan: Plan) -> str:
    """The whole plan for a terminal."""
    out = _header(plan)
    out += ["", *_table(plan), ""]
    for w in plan.weeks:
        out += [*_week(w, plan.units), ""]
    out += [f"Assumption: {a}" for a in plan.assumptions]
    out += [f"Recommended: {r}" for r in plan.recommendations]
    out.append(plan.disclaimer)
    return "\n".join(out) + "\n"
