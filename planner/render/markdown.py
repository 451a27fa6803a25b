"""A Markdown handout a runner can print or keep on a phone."""

from __future__ import annotations

from planner.models.plan import Plan, Week
from planner.render.common import (
    DAY_NAMES,
    KIND_LABELS,
    STATUS_LABELS,
    distance,
    goal_label,
    race_lines,
    referral_lines,
)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _week(w: Week, units: str) -> list[str]:
    out = [f"## Week {w.week} - {w.start_date.isoformat()} - {w.phase.replace('_', ' ')}", ""]
    if w.running.sessions:
        out += ["| Day | Session | Distance | Time | What to do |", "|---|---|---|---|---|"]
        for s in w.running.sessions:
            dist = distance(s.miles, units) if s.miles else "-"
            out.append(
                f"| {DAY_NAMES[s.day]} {s.date.isoformat()} | {KIND_LABELS[s.kind]} | {dist} | "
                f"{s.minutes:g} min | {_cell(s.description)} |"
            )
        out.append("")
        out.append(f"Week total: **{distance(w.running.weekly_miles, units)}** of running.")
    elif not w.referrals:
        out.append("No running this week.")
    out.append("")
    st, p = w.strength, w.plyometrics
    if st.sessions:
        days = ", ".join(DAY_NAMES[d] for d in st.days)
        block = f" (block {st.block}, week {st.block_week})" if st.block else ""
        out.append(f"- **Strength** ({days}): {st.name}{block}. {st.focus}")
    if p.stage:
        out.append(f"- **Hops**: stage {p.stage}, {p.name}: {p.sets} x {p.seconds} s")
    if w.warmup:
        out.append(f"- **Warm-up before every run**: {'; '.join(w.warmup)}")
    for note in w.notes:
        out.append(f"- {note}")
    for line in referral_lines(w):
        out.append(f"- **{line.strip()}**" if not line.startswith(" ") else f"  - {line.strip()}")
    if not w.gates:
        out.append("")
        return out
    out += ["", "Gates as this week starts (each needs the weeks before it to have truly gone pain-free):", ""]
    for g in w.gates:
        mark = "x" if g.passed else " "
        why = "" if g.passed else f" - not yet: {g.detail}"
        out.append(f"- [{mark}] {g.title or g.id} (`{g.id}`){why}")
    out.append("")
    return out


def render_markdown(plan: Plan) -> str:
    """The whole plan as a Markdown handout."""
    out = [
        f"# Return-to-run plan for {plan.runner.name}",
        "",
        f"**Status: {STATUS_LABELS[plan.status]}.** {plan.status_reason}",
        "",
        f"- Goal: {goal_label(plan)}",
        f"- Injury: {plan.runner.injury.replace('_', ' ')}",
        f"- Week 1 starts Monday {plan.start_date.isoformat()}",
        f"- Ruleset: `{plan.ruleset.id}` {plan.ruleset.version}",
    ]
    if plan.ready_week is not None:
        out.append(f"- Every readiness criterion holds from week {plan.ready_week}")
    if plan.earliest_feasible_race_date is not None:
        out.append(f"- Earliest feasible race date: {plan.earliest_feasible_race_date.isoformat()}")
    out += [f"- {line}" for line in race_lines(plan)]
    if plan.warnings:
        out += ["", *[f"> **Warning:** {w}" for w in plan.warnings]]
    out += ["", "> " + plan.disclaimer, ""]
    for a in plan.assumptions:
        out.append(f"*{a}*")
    out.append("")
    for r in plan.recommendations:
        out.append(f"**Recommended:** {r}")
    out.append("")
    for w in plan.weeks:
        out += _week(w, plan.units)
    return "\n".join(out).rstrip() + "\n"
