"""A check-in that says "done exactly as prescribed", built from a plan week."""

from __future__ import annotations

from typing import Any

from planner.models.plan import Week
from planner.rules.vocabulary import RUNNING_KINDS, SessionKind
from planner.units import KM_PER_MILE


def as_prescribed(week: Week, units: str) -> dict[str, Any]:
    """The week's runs (in ``units``), hop work and strength sessions, as the plan prescribed them.

    Pain answers are not included: they are the runner's to give.
    """
    runs: list[dict[str, Any]] = []
    for s in week.running.sessions:
        if s.kind in RUNNING_KINDS or s.kind == SessionKind.RACE:
            miles = round(s.miles, 2)
            runs.append({"day": s.day, "distance": round(miles * KM_PER_MILE, 2) if units == "km" else miles})
    out: dict[str, Any] = {"runs": runs}
    if week.plyometrics.stage:
        out["hops"] = {"stage": week.plyometrics.stage, "sets": week.plyometrics.sets, "pain_free": True}
    if week.strength.sessions:
        out["strength_sessions"] = week.strength.sessions
    return out
