"""A Markdown handout a runner can print or keep on a phone (and a clinician's version).

The runner's handout has the HTML report's content (:mod:`planner.render.handout`): the
overview table first, then the weeks, saying once what repeats, so it prints in a few pages.
"""

from __future__ import annotations

from planner.models.plan import Plan, Week
from planner.render.common import (
    DAY_NAMES,
    KIND_LABELS,
    STATUS_LABELS,
    day_label,
    distance,
    goal_label,
    hops_sentence,
    logged_line,
    race_lines,
    referral_lines,
)
from planner.render.handout import Handout, ReferralLine, SessionRow, WeekDetail, build_handout, weeks_label
from planner.rules.compiler import CompiledRuleset


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _sessions_table(w: Week, units: str, kinds: dict[str, str], dated: bool) -> list[str]:
    out = ["| Day | Session | Distance | Time | What to do |", "|---|---|---|---|---|"]
    for s in w.running.sessions:
        dist = distance(s.miles, units) if s.miles else "-"
        day = f"{DAY_NAMES[s.day]} {s.date.isoformat()}" if dated else day_label(s.date)
        out.append(f"| {day} | {kinds[s.kind]} | {dist} | {s.minutes:g} min | {_cell(s.description)} |")
    return out


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def _referral(lines: list[ReferralLine]) -> list[str]:
    return [f"  - {line.text}" if line.detail else f"- **{_cell(line.text)}**" for line in lines]


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."


def _session(s: SessionRow) -> str:
    """``Tue and Thu: easy run, 36 min, 3.3 mi each``; the race in bold."""
    name = s.session if s.session.isupper() else s.session.lower()
    head = f"**{s.day}: {name}**" if s.session.isupper() else f"*{s.day}:* {name}"
    dist = f", {s.distance}" if s.distance != "-" else ""
    return f"{head}, {s.time}{dist}" + (f" - {s.what}" if s.what else "")


def _runner_week(w: WeekDetail, prev: WeekDetail | None) -> list[str]:
    """One week as one list item: its sessions in a sentence each, then only what changed.

    Strength and hops the week shares with the week before are left out (the overview table
    has them for every week), which keeps the handout to a few printed pages.
    """
    label = f"Week {w.week}{' (lived)' if w.observed else ''}, {w.heading.split(' - ')[1]}"
    text = [_sentence(_session(s)) for s in w.sessions]
    if w.total:
        text.append(_sentence(w.total))
    if w.no_running:
        text.append("No running this week.")
    same_strength = prev is not None and prev.strength == w.strength
    if w.strength and not same_strength:
        text.append(_sentence(w.strength))
    elif prev is not None and prev.strength and not w.strength:
        text.append("No strength sessions this week.")
    if w.hops and not w.hops.endswith("as last week."):
        text.append(_sentence(w.hops))
    elif prev is not None and prev.hops and not w.hops:
        text.append("No hops this week.")
    if w.warmup:
        text.append(_sentence(w.warmup))
    if w.quality_warmup and not (prev is not None and prev.quality_warmup and w.week > 1 and _said(prev, w)):
        text.append(_sentence(w.quality_warmup))
    if w.checks_passed:
        text.append(f"Checks passed as this week starts: {', '.join(map(str, w.checks_passed))}.")
    if w.checks_lost:
        text.append(
            f"**No longer held: check {', '.join(map(str, w.checks_lost))}** - it has to be passed again "
            "before the running grows."
        )
    # No blank lines inside or between the items: a tight list prints without paragraph gaps.
    out = [f"- **{label}.** {_cell(' '.join(text))}".rstrip()]
    if w.logged:
        out.append(f"  *{_cell(w.logged)}*")
    if w.referral:
        out += [f"  {line}" for line in _referral(w.referral)]
    if w.notes:
        out += [f"  > {note}" for note in w.notes]
    return out


def _said(prev: WeekDetail, w: WeekDetail) -> bool:
    """The faster session's drills were named last week already (the first time in full, then a pointer)."""
    return prev.quality_warmup is not None and w.quality_warmup is not None and "see your warm-up" in w.quality_warmup


def _runner_weeks(h: Handout) -> list[str]:
    """The weeks under a heading per phase, each week one item."""
    out = ["## Week by week", ""]
    out.append(
        "Each week names its sessions, and its strength and hops only when they change: "
        "otherwise they carry on as the week before (the overview shows them for every week)."
    )
    phases = [w.heading.split(" - ", 2)[2] for w in h.weeks]
    phase, prev = None, None
    for i, w in enumerate(h.weeks):
        now = phases[i]
        if now != phase:
            run = next((j for j in range(i, len(phases)) if phases[j] != now), len(phases))
            span = [x.week for x in h.weeks[i:run]]  # this stretch of the phase, not its later returns
            out += ["", f"### {now} (week{'s' if len(span) > 1 else ''} {weeks_label(span)})", ""]
            phase = now
        out += _runner_week(w, prev)
        prev = w
    out.append("")
    return out


OVERVIEW_HEAD = "| Week | Monday | Phase | Running | Longest run | Faster running | Strength | Hops | Checks passed |"


def _overview(h: Handout) -> list[str]:
    out = ["## Overview, week by week", "", OVERVIEW_HEAD, "|--:|---|---|--:|--:|---|---|---|---|"]
    for r in h.overview:
        week = f"{r.week} (lived)" if r.observed else str(r.week)
        out.append(_row([week, r.start, r.phase, r.running, r.long_run, r.faster, r.strength, r.hops, r.checks]))
    out.append("")
    if h.hop_stages:
        out += ["Hop stages: " + "; ".join(f"{n} - {name}" for n, name in h.hop_stages) + ".", ""]
    return out


def _weeks(weeks: list[int]) -> str:
    return f"week{'s' if len(weeks) > 1 else ''} {weeks_label(weeks)}"


def _runner_tail(h: Handout) -> list[str]:
    out: list[str] = []
    if h.routines:
        out += ["## Your strength routines", ""]
        for r in h.routines:
            out += [f"**Routine {r.number}: {r.title}** ({_weeks(r.weeks)})", ""]
            if not r.rows:  # a deload said in one line
                out += [*[_cell(line[0].upper() + line[1:]) + "." for line in r.lines], ""]
                continue
            # A table per routine: one line per exercise group prints short and reads at the gym.
            out += ["| Exercises | Sets x reps | How heavy | Rest |", "|---|---|---|---|"]
            out += [_row(list(row)) for row in r.rows]
            out += ["", *([f"How: {_cell(r.how)}", ""] if r.how else [])]
    if h.checks:
        out += ["## The checks, in plain words", ""]
        out.append("Each check is made as a week starts, from the weeks before it. Move on only when it truly passed.")
        out += ["", *[f"{c.number}. **{_cell(c.text)}** {c.when}" for c in h.checks], ""]
    if h.warmup:
        out += ["## Your warm-up", ""]
        for stage in h.warmup:
            lead = "Before every run" if stage.week == 1 else f"From week {stage.week}, add"
            if stage.first and stage.week > 1:
                lead = f"From week {stage.week}, before every run"
            out.append(f"- **{lead}:** {'; '.join(stage.drills)}.")
        if h.quality_warmup:
            drills = "; ".join(h.quality_warmup)
            out.append(f"- **Before a faster session (from week {h.quality_warmup_from}), add:** {drills}.")
        out.append("")
    if h.pain_scale:
        out += ["## Your pain scale and bad days", "", "| Pain (0-10) | What it feels like |", "|---|---|"]
        out += [_row([score, means]) for score, means in h.pain_scale]
        out += ["", "**On a bad day:**", ""]
        out += [f"- **{when}:** {do}." for when, do in h.bad_days]
        out += ["", h.how_to_read, ""]
    if h.sources:
        out += ["## Where the rules come from", ""]
        out.append("The sources this plan's checks and rules rest on, and how strong their evidence is:")
        out += ["", *[f"- {_cell(cite)} - {grades}" for cite, grades in h.sources], ""]
    notes = [*h.assumptions, *(f"Recommended: {r}" for r in h.recommendations)]
    if notes:
        out += ["## Good to know", "", *[f"- {n}" for n in notes], ""]
    out += [f"> {h.disclaimer}", ""]
    return out


def render_runner_markdown(plan: Plan, ruleset: CompiledRuleset | None = None) -> str:
    """The whole plan as a runner's handout: the same content as the HTML report, in print order."""
    h = build_handout(plan, ruleset)
    out = [f"# {h.title}", ""]
    reason = f" {h.status_reason}" if h.status_reason and not h.urgent else ""
    out += [f"**{h.status_text}**{reason}", ""]
    if h.urgent:
        out += [*_referral(h.urgent), ""]
    out += [f"> **Please read first:** {w}" for w in h.warnings]
    if h.warnings:
        out.append("")
    out += [*[f"- {f}" for f in h.facts], ""]
    out += _overview(h)
    out += _runner_weeks(h)
    out += _runner_tail(h)
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


def render_markdown(plan: Plan, view: str = "runner", ruleset: CompiledRuleset | None = None) -> str:
    """The whole plan as Markdown, in the runner's or the clinician's view (with its ruleset: the sources)."""
    if view == "clinician":
        return render_clinician_markdown(plan)
    if view == "runner":
        return render_runner_markdown(plan, ruleset)
    raise ValueError(f"unknown view {view!r}; known: runner, clinician")
