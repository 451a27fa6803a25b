"""Formatting shared by the human-readable renderers: units, days, labels."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from planner.models.plan import Plan, Plyometrics, Session, Strength, Week
from planner.planning.wording import distance as _distance
from planner.units import KM_PER_MILE

DAY_NAMES = {"mon": "Mon", "tue": "Tue", "wed": "Wed", "thu": "Thu", "fri": "Fri", "sat": "Sat", "sun": "Sun"}
KIND_LABELS = {
    "walk": "walk",
    "walk_run": "walk-run",
    "easy": "easy run",
    "long": "long run",
    "strides": "strides",
    "tempo": "tempo",
    "intervals": "intervals",
    "hills": "hills",
    "shakeout": "shake-out",
    "race": "RACE",
    "cross_train": "cross-train",
}
STATUS_LABELS = {
    "ready": "READY",
    "race_at_risk": "RACE AT RISK",
    "not_ready_by_horizon": "NOT READY WITHIN THE HORIZON",
    "referral": "SEE A CLINICIAN FIRST",
}


def distance(miles: float, units: str) -> str:
    """A distance in the runner's units, one decimal."""
    return _distance(miles, units)


def number(miles: float, units: str) -> str:
    """A bare distance number in the runner's units."""
    return f"{miles * KM_PER_MILE:.1f}" if units == "km" else f"{miles:.1f}"


def session_line(s: Session, units: str) -> str:
    """``Tue  walk-run  0.4 mi  30 min  5 x (1 min run / 5 min walk)``."""
    dist = distance(s.miles, units) if s.miles else ""
    return f"{DAY_NAMES[s.day]}  {KIND_LABELS[s.kind]:<10} {dist:>8}  {s.minutes:>4g} min  {s.description}".rstrip()


def strength_label(w: Week) -> str:
    """``B1 hypertrophy wk1 3x`` or ``maintenance 1x`` or ``-``."""
    st = w.strength
    if st.sessions == 0:
        return "-"
    if st.block is None:
        return f"{st.name} {st.sessions}x"
    return f"B{st.block} {st.name} wk{st.block_week} {st.sessions}x"


def hops_label(w: Week) -> str:
    """``4 single-leg hops in place 3x30s`` or ``-``."""
    p = w.plyometrics
    if p.stage == 0:
        return "-"
    return f"{p.stage} {p.name} {p.sets}x{p.seconds}s"


def long_run_miles(w: Week) -> float | None:
    """The week's long run, if it has one (walk-run and all-easy weeks have none)."""
    return max((s.miles for s in w.running.sessions if s.kind == "long"), default=None)


def quality_label(w: Week) -> str:
    """The week's quality session kinds, or ``-``."""
    kinds = [KIND_LABELS[s.kind] for s in w.running.sessions if s.kind in ("strides", "tempo", "intervals", "hills")]
    return ", ".join(kinds) or "-"


def goal_label(plan: Plan) -> str:
    """``10k on 2027-05-23`` or ``no race: build to 20 mi/week``."""
    if plan.race_date is not None:
        return f"{plan.runner.race} on {plan.race_date.isoformat()}"
    return f"no race: build to {distance(plan.runner.target_weekly_miles, plan.units)} a week"


URGENCY_LABELS = {"same_day": "today", "within_24h": "within 24 hours", "routine": "before running again"}


def race_lines(plan: Plan) -> list[str]:
    """What the plan's race asks of the long run, and the shorter race that fits, as sentences."""
    out: list[str] = []
    race = plan.race
    if race is not None and plan.planned_race_date is not None:
        out.append(
            f"Race: {race.race} on {plan.planned_race_date.isoformat()} - needs a long run of "
            f"{distance(race.long_run_need_miles, plan.units)} in the four weeks before the taper "
            f"(this plan reaches {distance(race.longest_run_before_taper_miles, plan.units)})."
        )
        if race.cap_exception:
            out.append(f"Race day: {race.cap_exception}")
    for alt in plan.alternatives:
        out.append(f"A {alt.race} on {alt.race_date.isoformat()} fits every gate.")
    return out


def referral_lines(w: Week) -> list[str]:
    """A referral week in words: who to see, how soon, why, what stops and what remains allowed."""
    out: list[str] = []
    for r in w.referrals:
        out.append(f"See a clinician {URGENCY_LABELS[r.urgency]}: {r.reason}")
        for f in r.red_flags:
            advice = f" {f.advice}" if f.advice else ""
            out.append(f"  red flag: {f.name} - see a clinician {URGENCY_LABELS[f.urgency]}.{advice}")
        out.append(f"  Stop: {r.stop}.")
        out.append(f"  Still allowed: {r.allowed}.")
    return out


# ----------------------------------------------------------------------------- the runner's view
RUNNER_KINDS = {
    "walk": "Brisk walk",
    "walk_run": "Walk-run",
    "easy": "Easy run",
    "long": "Long run",
    "strides": "Strides",
    "tempo": "Tempo run",
    "intervals": "Intervals",
    "hills": "Hill run",
    "shakeout": "Shake-out",
    "race": "RACE",
    "cross_train": "Cross-train",
}
RUNNER_STATUS = {
    "ready": "On track: every step fits before your goal.",
    "race_at_risk": "Your race date is too soon to get there safely - see below.",
    "not_ready_by_horizon": "This plan does not reach your goal yet - see below.",
    "referral": "See a clinician before any running.",
}
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def day_label(d: date) -> str:
    """``Mon 4 Jan``."""
    return f"{d.strftime('%a')} {d.day} {d.strftime('%b')}"


def long_date(d: date) -> str:
    """``Monday 4 January 2027``."""
    return f"{WEEKDAY_NAMES[d.weekday()]} {d.day} {d.strftime('%B')} {d.year}"


def phase_label(plan: Plan, phase: str) -> str:
    """The phase in the runner's words."""
    return plan.phase_labels.get(phase) or phase.replace("_", " ")


def days_label(days: Sequence[str]) -> str:
    """``Mon and Fri`` / ``Mon, Wed and Fri``."""
    names = [DAY_NAMES[d] for d in days]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def runner_session_line(s: Session, units: str) -> str:
    """``Tue  Easy run      3.8 mi  about 42 min  easy run, conversational pace``."""
    dist = distance(s.miles, units) if s.miles else ""
    return (
        f"{DAY_NAMES[s.day]}  {RUNNER_KINDS[s.kind]:<11} {dist:>8}  about {s.minutes:>3g} min  {s.description}".rstrip()
    )


def strength_heading(st: Strength) -> str:
    """``heavy strength, week 2 of its block - deload week``."""
    label = st.label or st.name
    extra = []
    if st.novice:
        extra.append("a lighter week to learn the lifts")
    if st.deload:
        extra.append("deload week: fewer sets, easier")
    return label + (f" ({'; '.join(extra)})" if extra else "")


def strength_phrase(st: Strength) -> str:
    """``heavy strength, deload week: fewer sets, easier``: the heading without nested brackets."""
    return (
        strength_heading(st).replace(" (", ", ", 1).removesuffix(")")
        if st.novice or st.deload
        else strength_heading(st)
    )


def exercise_lines(st: Strength, seen: set[str] | None = None) -> list[str]:
    """The session's exercises grouped by dose; how to do each one the first time it appears.

    ``seen`` collects the exercises already explained in earlier weeks (updated in place).
    """
    groups: dict[tuple[int, str, str, str | None], list[str]] = {}
    for e in st.exercises:
        groups.setdefault((e.sets, e.reps, e.load, e.rest), []).append(e.name)
    out = []
    for (sets, reps, load, rest), names in groups.items():
        pause = f", {rest} rest between sets" if rest else ""
        out.append(f"{', '.join(names)}: {sets} x {reps} - {load}{pause}")
    seen = set() if seen is None else seen
    new = [e for e in st.exercises if e.name not in seen and e.how]
    if new:
        out.append("How: " + " ".join(f"{e.name[0].upper()}{e.name[1:]} - {e.how}" for e in new))
    seen.update(e.name for e in new)
    return out


def hops_sentence(p: Plyometrics, seen: set[str] | None = None) -> str:
    """``single-leg hops in place, 3 x 30 s each leg, 90 s rest between sets``; how to hop, the first time."""
    line = f"{p.name}, {p.dose}" if p.dose else f"{p.name}, {p.sets} x {p.seconds} s"
    if p.how and (seen is None or "hops" not in seen):
        line += f". {p.how}"
        if seen is not None:
            seen.add("hops")
    return line


def runner_goal(plan: Plan) -> str:
    """``a half marathon on Sunday 25 April 2027`` or ``no race: build to 20.0 mi a week``."""
    names = {"5k": "a 5k", "10k": "a 10k", "half": "a half marathon", "marathon": "a marathon"}
    if plan.race_date is not None:
        return f"{names.get(plan.runner.race, plan.runner.race)} on {long_date(plan.race_date)}"
    return f"no race: build to {distance(plan.runner.target_weekly_miles, plan.units)} a week"


def open_gate_texts(w: Week) -> list[str]:
    """What the runner still has to do, in their words (the gates not yet passed)."""
    return [g.runner_text or g.title or g.id for g in w.gates if not g.passed]


# The plan's projection assumption, in the runner's words (the clinician reads NOMINAL_ASSUMPTION).
HOW_TO_READ = (
    "Each week assumes the week before went as planned, without pain above your limit. "
    "If it did not, do not move on: follow the bad-day rules and repeat the week."
)


def runner_reason(plan: Plan) -> str:
    """Why the plan has its status, for the runner: nothing more when it is on track (the status says it)."""
    return "" if plan.status == "ready" else plan.status_reason


def new_notes(w: Week, prev: Week | None) -> list[str]:
    """The week's notes the runner did not read last week (a repeated note is said once).

    After a lived week every note is said again: it answers what the check-in reported.
    """
    before = set(prev.notes) if prev is not None and not prev.observed else set()
    return [n for n in w.notes if n not in before]


def warmup_sentence(w: Week, prev: Week | None) -> str:
    """The warm-up in full when it changes (its new drills named), else a pointer to last week's."""
    before = prev.warmup if prev is not None else []
    if w.warmup == before:
        return "as last week."
    added = [d for d in w.warmup if d not in before]
    full = "; ".join(w.warmup) + "."
    if before and added:
        return f"(new: {'; '.join(added)}) {full}"
    return full


def week_total_line(w: Week, units: str) -> str:
    """``Running this week: 11.2 mi (24.3 mi with the race).``."""
    r = w.running
    line = f"Running this week: {distance(r.weekly_miles, units)}"
    if r.total_miles is not None and r.total_miles > r.weekly_miles + 0.05:
        line += f" ({distance(r.total_miles, units)} with the race)"
    return line + "."


def pain_guide_lines(plan: Plan) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The pain scale's anchors and the bad-day rules, as (left, right) pairs."""
    guide = plan.pain_guide
    if guide is None:
        return [], []
    return [(a.score, a.means) for a in guide.scale], [(b.when, b.do) for b in guide.bad_days]


def _pain(value: int | None) -> str:
    return "not answered" if value is None else f"{value}/10"


def logged_line(w: Week, units: str) -> str | None:
    """What an observed week's check-in recorded, in one sentence (None for a projected week)."""
    log = w.logged
    if not w.observed or log is None:
        return None
    if log.checkin is None:
        return "No check-in for this week: it counts as not done (no running, pain not answered)."
    parts = [f"{distance(log.miles, units)} in {log.runs} run(s)" if log.runs else "no running"]
    if log.ran_against_advice:
        parts[0] += " although this week prescribed no running (tell your clinician; it does not count toward the plan)"
    if log.missed_sessions:
        parts[0] += f", {log.missed_sessions} planned run(s) missed"
    if log.runs:
        parts.append(f"pain {_pain(log.running_pain)} while running, {_pain(log.next_morning_pain)} the next morning")
    parts.append(f"{_pain(log.daily_life_pain)} in daily life")
    if log.hop_stage is not None:
        hurt = "pain-free" if log.hops_pain_free else "not pain-free"
        parts.append(f"hops stage {log.hop_stage}, {log.hop_sets} set(s), {hurt}")
    if log.strength_sessions is not None:
        parts.append(f"{log.strength_sessions} strength session(s)")
    if log.red_flags:
        parts.append("red flags: " + ", ".join(f.replace("_", " ") for f in log.red_flags))
    if log.cleared_by_clinician:
        parts.append("cleared by a clinician")
    text = f"As logged ({log.checkin}): " + "; ".join(parts) + "."
    return text + (f' Notes: "{log.notes}"' if log.notes else "")
