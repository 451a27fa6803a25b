"""Calendar helpers shared by profiles, planning and validation."""

from __future__ import annotations

from datetime import date, timedelta

from planner.rules.vocabulary import WEEKDAYS


def monday_after(today: date) -> date:
    """The first Monday strictly after ``today``."""
    return today + timedelta(days=7 - today.weekday())


def day_gap(a: str, b: str) -> int:
    """Days between two weekdays, either way round the week."""
    gap = abs(WEEKDAYS.index(a) - WEEKDAYS.index(b))
    return min(gap, 7 - gap)
