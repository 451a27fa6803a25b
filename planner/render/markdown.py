"""A Markdown handout a runner can print or keep on a phone (and a clinician's version)."""

from __future__ import annotations

from planner.models.plan import Plan, Week
from planner.render.common import (
    DAY_NAMES,
    HOW_TO_READ,
    KIND_LABELS,
    RUNNER_KINDS,
    RUNNER_STATUS,
    STATUS_LABELS,
    day_label,
    days_label,
    distance,
    exercise_lines,
    goal_label,
    hops_sentence,
    logged_line,
    long_date,
    new_notes,
    open_gate_texts,
    pain_guide_lines,
    phase_label,
    race_lines,
    referral_lines,
    runner_goal,
    runner_reason,
    strength_heading,
    warmup_sentence,
    week_total_line,
)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _sessions_table(w: Week, units: str, kinds: dict[str, str], dated: bool) -> list[str]:
    out = ["| Day | Session | Distance | Time | What to do |", "|---|---|---|---|---|"]
    for s in w.running.sessions:
        dist = distance(s.miles, units) if s.miles else "-"
        day = f"{DAY_NAMES[s.day]} {s.date.isoformat()}" if dated else day_label(s.date)
        out.append(f"| {day} | {kinds[s.kind]} | {dist} | {s.minutes:g} min | {_cell(s.description)} |")
    return out


def _runner_week(plan: Plan, w: Week, prev: Week | None, seen: set[str]) -> list[str]:
    u = plan.units
    out = [f"## Week {w.week} - from {day_label(w.start_date)} - {phase_label(plan, w.phase)}", ""]
    logged = logged_line(w, u)
    if logged:
        out += [f"*{_cell(logged)}*", ""]
    for line in referral_lines(w):
        out.append(f"- **{line.strip()}**" if not line.startswith(" ") else f"  - {line.strip()}")
    if w.running.sessions:
        out += [*_sessions_table(w, u, RUNNER_KINDS, dated=False), ""]
        if w.running.weekly_miles:
            out.append(week_total_line(w, u))
    elif not w.referrals:
        out.append("No running this week.")
    out.append("")
    st, p = w.strength, w.plyometrics
    if st.sessions:
        out.append(f"**Strength on {days_label(st.days)}** - {strength_heading(st)}:")
        out += [f"- {_cell(line)}" for line in exercise_lines(st, seen)]
        out.append("")
    if p.stage:
        where = f" on {days_label(p.days)}" if p.days else ""
        taper = " (taper week: fewer sets)" if p.taper else " (cutback week: fewer sets)" if p.cutback else ""
        out += [f"**Hops{where}**{taper}: {hops_sentence(p, seen)}", ""]
    if w.warmup:
        out.append(f"**Warm-up before every run:** {warmup_sentence(w, prev)}")
    if w.warmup_before_quality:
        out.append(f"**Before the faster session, add:** {'; '.join(w.warmup_before_quality)}.")
    todo = open_gate_texts(w)
    if todo:
        out += ["", "**Still to come:**", *[f"- {text}" for text in todo]]
    notes = new_notes(w, prev)
    if notes:
        out += ["", *[f"> {note}" for note in notes]]
    out.append("")
    return out


def render_runner_markdown(plan: Plan) -> str:
    """The whole plan as a runner's handout."""
    out = [
        f"# Your return-to-run plan, {plan.runner.name}",
        "",
        f"**{RUNNER_STATUS[plan.status]}** {runner_reason(plan)}".rstrip(),
        "",
        f"- Goal: {runner_goal(plan)}",
        f"- Injury: {plan.runner.injury.replace('_', ' ')}",
        f"- Week 1 starts {long_date(plan.start_date)}",
    ]
    if plan.earliest_feasible_race_date is not None:
        out.append(f"- The earliest race date every step fits before: {long_date(plan.earliest_feasible_race_date)}")
    out += [f"- {line}" for line in race_lines(plan)]
    if plan.warnings:
        out += ["", *[f"> **Please read first:** {w}" for w in plan.warnings]]
    scale, bad_days = pain_guide_lines(plan)
    if scale:
        out += ["", "## Your pain scale (0-10)", "", "| Pain | What it feels like |", "|---|---|"]
        out += [f"| {score} | {_cell(means)} |" for score, means in scale]
        out += ["", "## On a bad day", ""]
        out += [f"- **{when}:** {do}." for when, do in bad_days]
        out += ["", HOW_TO_READ]
    out += ["", "> " + plan.disclaimer, ""]
    out += [f"*{a}*" for a in plan.assumptions]
    out.append("")
    out += [f"**Recommended:** {r}" for r in plan.recommendations]
    out.append("")
    seen: set[str] = set()  # exercises explained already
    for prev, w in zip([None, *plan.weeks], plan.weeks, strict=False):
        out += _runner_week(plan, w, prev, seen)
    return "\n".join(out).rstrip() + "\n"


def _week(w: Week, units: str) -> list[str]:
    out = [f"## Week {w.week} - {w.start_date.isoformat()} - {w.phase.replace('_', ' ')}", ""]
    logged = logged_line(w, units)
    if logged:
        out += [f"*{_cell(logged)}*", ""]
    if w.running.sessions:
        out += [*_sessions_table(w, units, KIND_LABELS, dated=True), ""]
        out.append(f"Week total: **{distance(w.running.weekly_miles, units)}** of running.")
    elif not w.referrals:
        out.append("No running this week.")
    out.append("")
    st, p = w.strength, w.plyometrics
    if st.sessions:
        days = ", ".join(DAY_NAMES[d] for d in st.days)
        block = f" (block {st.block}, week {st.block_week})" if st.block else ""
        out.append(f"- **Strength** ({days}): {st.name}{block}. {_cell(st.focus)}")
    if p.stage:
        out.append(f"- **Hops**: stage {p.stage}, {hops_sentence(p)}")
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


def render_clinician_markdown(plan: Plan) -> str:
    """The whole plan as Markdown with the engine's detail (gate ids and conditions)."""
    out = [
        f"# Return-to-run plan for {plan.runner.name} (clinician's view)",
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


def render_markdown(plan: Plan, view: str = "runner") -> str:
    """The whole plan as Markdown, in the runner's or the clinician's view."""
    if view == "clinician":
        return render_clinician_markdown(plan)
    if view == "runner":
        return render_runner_markdown(plan)
    raise ValueError(f"unknown view {view!r}; known: runner, clinician")
