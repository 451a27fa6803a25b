"""Weekly check-ins: the ``rtr.checkins/v1`` log, its fold, and what it means for a plan.

The log holds what happened; the plan is recomputed from profile + log every time,
so nothing derived is ever stored.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from planner.checkins.fold import FoldedWeek, fold
from planner.checkins.log import checked_events, default_log_path, read_log
from planner.diagnostics import Diagnostic, Severity, SourceText, Span
from planner.errors import InputError
from planner.models.checkin import CheckinEvent
from planner.models.profile import Profile

__all__ = ["CheckinLog", "default_log_path", "fold", "lived_checks", "load_log"]


@dataclass(frozen=True, slots=True)
class CheckinLog:
    """A log read and folded: its events, the week each stands for, and any warnings."""

    path: Path
    events: tuple[CheckinEvent, ...]
    weeks: Mapping[int, FoldedWeek]
    warnings: tuple[Diagnostic, ...]
    source: SourceText
    lines: Mapping[str, int]  # event id -> the line it was (last) read from


def load_log(path: Path, *, skip_bad_lines: bool = False) -> CheckinLog:
    """Read, check and fold a log (a missing file is an empty log). Bad lines are an error unless skipped."""
    read = read_log(path)
    events = checked_events(read, skip_bad_lines=skip_bad_lines)
    warnings = tuple(d for d in read.problems if d.severity is not Severity.ERROR or skip_bad_lines)
    lines = {item.event.id: item.line for item in read.events}
    return CheckinLog(path, events, fold(events), warnings, read.source, lines)


def lived_checks(log: CheckinLog, profile: Profile, profile_path: str, today: date) -> None:
    """A log needs the plan's start date, and may not record weeks that have not started."""
    if profile.start_date is None:
        raise InputError(
            "a check-in log needs the plan's start date",
            [
                Diagnostic(
                    "checkin-needs-start-date",
                    "the profile has no start_date, so the weeks of the log cannot be placed on the calendar",
                    Span(profile_path, 1, 1),
                    subject="field start_date",
                    hint="add `start_date: YYYY-MM-DD` (the Monday the plan began) to the profile",
                )
            ],
        )
    start = profile.start_date
    problems = []
    for week, held in sorted(log.weeks.items()):
        first = start.toordinal() + 7 * (week - 1)
        if first > today.toordinal():
            problems.append(
                Diagnostic(
                    "checkin-future-week",
                    f"week {week} starts on {date.fromordinal(first).isoformat()}, after today ({today.isoformat()})",
                    Span(str(log.path), log.lines.get(held.event.id, 1), 1),
                    subject=f"check-in {held.event.id!r}",
                    hint="a check-in records a week that has started; correct the week, or the date with --today",
                )
            )
    if problems:
        raise InputError(
            f"the check-in log {log.path} records weeks that have not started",
            problems,
            {str(log.path): log.source},
        )
