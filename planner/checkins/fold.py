"""Fold a check-in log into the week each event stands for.

The fold depends on the set of events only, never on their order in the file or on
how often a line repeats, so a re-delivered or shuffled log gives the same weeks.
The rule, in the order it is applied:

1. Identical events are one event.
2. Events that share an id but differ (a hand edit, a clash) are resolved to one: the
   later ``date`` wins, then the greater canonical JSON. The log reader warns about it.
3. An event named by another event's ``supersedes`` no longer counts, wherever it
   stands in the file and whatever week either of them records (a correction may
   move a check-in to the right week).
4. Of the events left for one week, the later ``date`` wins, then the greater id.
   A week whose every event was superseded has no check-in (its record was moved to
   another week, or a hand edit made two events supersede each other).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from planner.models.checkin import CheckinEvent


@dataclass(frozen=True, slots=True)
class FoldedWeek:
    """The event that stands for one week, and the ids it replaced."""

    event: CheckinEvent
    replaced: tuple[str, ...]


def _rank(event: CheckinEvent) -> tuple[str, str, str]:
    return (event.date.isoformat(), event.id, event.canonical())


def fold(events: Iterable[CheckinEvent]) -> Mapping[int, FoldedWeek]:
    """Week number -> the event that stands for it (see the module's rule)."""
    by_id: dict[str, CheckinEvent] = {}
    for event in events:
        held = by_id.get(event.id)
        if held is None or (event.date.isoformat(), event.canonical()) > (held.date.isoformat(), held.canonical()):
            by_id[event.id] = event
    superseded = {e.supersedes for e in by_id.values() if e.supersedes is not None}
    weeks: dict[int, list[CheckinEvent]] = {}
    for event in by_id.values():
        weeks.setdefault(event.week, []).append(event)
    out: dict[int, FoldedWeek] = {}
    for week in sorted(weeks):
        candidates = weeks[week]
        standing = [e for e in candidates if e.id not in superseded]
        if not standing:
            continue
        best = max(standing, key=_rank)
        out[week] = FoldedWeek(best, tuple(sorted(e.id for e in candidates if e is not best)))
    return out
