"""Formatting shared by the human-readable renderers: units, days, labels."""

from __future__ import annotations

from planner.models.plan import Plan, Session, Week
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
    "race": "RACE",
}
STATUS_LABELS = {
    "ready": "READY",
    "race_at_risk": "RACE AT RISK",
    "not_ready_by_horizon": "NOT READY WITHIN THE HORIZON",
    "referral": "SEE A CLINICIAN FIRST",
}


def distance(miles: float, units: str) -> str:
    """A distance in the runner's units, one decimal."""
    if units == "km":
        return f"{miles * KM_PER_MILE:.1f} km"
    return f"{miles:.1f} mi"


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
