"""Calendar helpers shared by profiles, planning and validation."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

from pydantic import BeforeValidator

from planner.rules.vocabulary import WEEKDAYS


def monday_after(today: date) -> date:
    """The first Monday strictly after ``today``."""
    return today + timedelta(days=7 - today.weekday())


def day_gap(a: str, b: str) -> int:
    """Days between two weekdays, either way round the week."""
    gap = abs(WEEKDAYS.index(a) - WEEKDAYS.index(b))
    return min(gap, 7 - gap)


def _not_a_number(value: object) -> object:
    """Refuse 1811548800 or 20270104 as a date: pydantic would read a number as seconds since 1970."""
    if isinstance(value, bool | int | float):
        raise ValueError("write the date as YYYY-MM-DD, not as a number")
    return value


# A date written as a date (YYYY-MM-DD), never as a number.
CalendarDate = Annotated[date, BeforeValidator(_not_a_number)]
