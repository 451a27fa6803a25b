"""A plan as an iCalendar file (RFC 5545): every session an all-day event on its date.

Sessions have a day, not a time, so events are all-day (``DTSTART;VALUE=DATE``) and
transparent (they do not make the runner look busy). Each event's UID names the *slot*
(who, which date, what sort of session, which one of that sort on that date), not its
content: after a re-plan a calendar that re-imports the file updates the events it
already holds instead of adding a second copy. ``DTSTAMP`` and ``SEQUENCE`` come from
"today" (``--today``), never the clock, so the same plan and day give the same bytes,
and a plan made on a later day carries a higher sequence, which clients take as newer.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar, Event, vText

from planner.diagnostics import safe_text
from planner.models.plan import Plan, Session, Week
from planner.render.common import (
    DAY_NAMES,
    RUNNER_KINDS,
    day_label,
    distance,
    exercise_lines,
    hops_sentence,
    open_gate_texts,
    phase_label,
    referral_lines,
    strength_heading,
)

PRODID = "-//rtr-planner//rtr plan//EN"
UID_DOMAIN = "rtr-planner"
DAYS = tuple(DAY_NAMES)  # mon .. sun
SEQUENCE_EPOCH = date(2000, 1, 1)  # SEQUENCE counts days from here to "today": a later plan is newer
QUALITY = ("strides", "tempo", "intervals", "hills")


@dataclass(frozen=True)
class Entry:
    """One event before it becomes iCalendar: its slot (what the UID is made of) and its words."""

    on: date
    slot: str  # run, race, cross-train, strength, hops, clinician
    summary: str
    description: str


def day_date(w: Week, day: str) -> date:
    """The date of ``day`` in the week that starts on ``w.start_date``."""
    return w.start_date + timedelta(days=(DAYS.index(day) - w.start_date.weekday()) % 7)


def _slot(s: Session) -> str:
    # A Tuesday easy run that a re-plan makes a walk-run is the same slot; the race and
    # cross-training are slots of their own.
    return "race" if s.kind == "race" else "cross-train" if s.kind == "cross_train" else "run"


def _run_summary(plan: Plan, s: Session) -> str:
    if s.kind == "race":
        return f"RACE: {plan.race.race if plan.race is not None else plan.runner.race}"
    if s.walk_run is not None:
        wr = s.walk_run
        return f"{RUNNER_KINDS[s.kind]}: {wr.reps} x ({wr.run_min:g} min run / {wr.walk_min:g} min walk)"
    if s.miles:
        return f"{RUNNER_KINDS[s.kind]} {distance(s.miles, plan.units)}"
    return f"{RUNNER_KINDS[s.kind]}, about {s.minutes:g} min"


def _week_context(plan: Plan, w: Week) -> list[str]:
    """What every event of the week says after its own lines: warm-up, the checks still to pass."""
    out = [f"Week {w.week} (from {day_label(w.start_date)}): {phase_label(plan, w.phase)}."]
    if w.warmup:
        out.append("Warm-up before every run: " + "; ".join(w.warmup) + ".")
    todo = open_gate_texts(w)
    if todo:
        out.append("To check this week:")
        out += [f"- {text}" for text in todo]
    return out


def _run_lines(plan: Plan, w: Week, s: Session) -> list[str]:
    amount = [f"about {s.minutes:g} min"] if s.minutes else []
    if s.miles:
        amount.insert(0, distance(s.miles, plan.units))
    out = [s.description] if s.description else []
    if amount:
        out.append(", ".join(amount)[0].upper() + ", ".join(amount)[1:] + ".")
    if s.kind in QUALITY and w.warmup_before_quality:
        out.append("Before this faster session, add: " + "; ".join(w.warmup_before_quality) + ".")
    if s.kind == "race" and plan.race is not None and plan.race.cap_exception:
        out.append(f"Race day: {plan.race.cap_exception}")
    return out


def week_entries(plan: Plan, w: Week, seen: set[str]) -> Iterator[Entry]:
    """The week's events: its runs, strength and hop sessions; a referral week's clinician visit."""
    context = _week_context(plan, w)

    def entry(on: date, slot: str, summary: str, own: list[str]) -> Entry:
        return Entry(on, slot, summary, "\n".join([*own, "", *context, "", plan.disclaimer]))

    if w.referrals:
        yield entry(w.start_date, "clinician", "See a clinician before running", [r.strip() for r in referral_lines(w)])
    for s in w.running.sessions:
        yield entry(s.date, _slot(s), _run_summary(plan, s), _run_lines(plan, w, s))
    st = w.strength
    if st.sessions:
        lines = [f"Strength - {strength_heading(st)}:", *(f"- {line}" for line in exercise_lines(st, seen))]
        for day in st.days:
            yield entry(day_date(w, day), "strength", f"Strength: {st.label or st.name}", lines)
    p = w.plyometrics
    if p.stage:
        taper = " (taper week: fewer sets)" if p.taper else " (cutback week: fewer sets)" if p.cutback else ""
        lines = [f"Hops{taper}: {hops_sentence(p)}"]
        for day in p.days:
            yield entry(day_date(w, day), "hops", f"Hops: {p.name}", lines)


def entries(plan: Plan) -> list[Entry]:
    """Every event of the plan, week by week, in date order within a week."""
    out: list[Entry] = []
    for w in plan.weeks:
        # Each event stands alone in a calendar, so each explains its exercises in full.
        out += sorted(week_entries(plan, w, set()), key=lambda e: e.on)
    return out


def identity(plan: Plan) -> str:
    """Who the calendar is for: what stays the same when the runner re-plans."""
    return f"{plan.runner.name}\x1f{plan.runner.injury}"


def uid(who: str, on: date, slot: str, index: int) -> str:
    """A stable UID for the ``index``-th event of ``slot`` on ``on`` for ``who``."""
    digest = hashlib.sha256(f"{who}\x1f{on.isoformat()}\x1f{slot}\x1f{index}".encode()).hexdigest()
    return f"{digest[:32]}@{UID_DOMAIN}"


def render_ics(plan: Plan, today: date | None = None) -> str:
    """The plan as an iCalendar document (CRLF line ends); ``today`` stamps it (default: week 1's start)."""
    stamp_day = today if today is not None else plan.start_date
    stamp = datetime(stamp_day.year, stamp_day.month, stamp_day.day, tzinfo=UTC)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", vText(safe_text(f"Return to run: {plan.runner.name}")))  # an X- name: typed by hand
    who = identity(plan)
    counts: dict[tuple[date, str], int] = {}
    for e in entries(plan):
        index = counts.get((e.on, e.slot), 0)
        counts[(e.on, e.slot)] = index + 1
        event = Event()
        event.add("uid", uid(who, e.on, e.slot, index))
        event.add("dtstamp", stamp)
        event.add("sequence", (stamp_day - SEQUENCE_EPOCH).days)
        event.add("dtstart", e.on)
        event.add("dtend", e.on + timedelta(days=1))
        event.add("summary", safe_text(e.summary))
        event.add("description", safe_text(e.description))
        event.add("transp", "TRANSPARENT")
        event.add("categories", [e.slot])
        cal.add_component(event)
    wire: bytes = cal.to_ical()
    return wire.decode("utf-8")
