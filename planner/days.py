"""Day names as people write them: ``tue``, ``Tue``, ``TUE``, ``Tuesday``, ``tuesday``.

Profiles, check-in logs and ``rtr checkin`` flags accept every one of them; the planner
keeps the short lower-case form (``tue``), so plans read the same whichever was written.
"""

from __future__ import annotations

from typing import Annotated, Any, Final, Literal

from pydantic import BeforeValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from planner.diagnostics import suggest
from planner.rules.vocabulary import WEEKDAYS

FULL_NAMES: Final = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_CANONICAL: Final = {name: day for day, full in zip(WEEKDAYS, FULL_NAMES, strict=True) for name in (day, full)}
# What an error says is accepted, word for word.
ACCEPTED: Final = "mon, tue, wed, thu, fri, sat or sun, or the full name (monday ... sunday), in any case"


def canonical_day(text: str) -> str | None:
    """``tue`` for any accepted spelling of Tuesday; None for anything else."""
    return _CANONICAL.get(text.lower())


def day_hint(text: str) -> str:
    """What to write instead of a word that is not a day: the nearest day if one is close, and what is accepted."""
    close = suggest(text.lower(), _CANONICAL)
    nearest = f"did you mean {_CANONICAL[close]!r}? " if close is not None else ""
    return f"{nearest}write {ACCEPTED}"


def _to_canonical(value: object) -> object:
    if not isinstance(value, str):
        return value  # the Literal reports the wrong type
    day = canonical_day(value)
    if day is None:
        # The hint travels with the error: the file's diagnostic shows it under the line.
        raise PydanticCustomError("weekday", "not a day", {"hint": day_hint(value)})
    return day


def _any_case(word: str) -> str:
    return "".join(f"[{c.upper()}{c}]" for c in word)


# An editor checking a file against `rtr schema` accepts what rtr accepts (JSON Schema
# patterns have no case-insensitive flag, hence a class per letter).
_PATTERN: Final = (
    "^("
    + "|".join(
        f"{_any_case(day)}({_any_case(full[len(day) :])})?" for day, full in zip(WEEKDAYS, FULL_NAMES, strict=True)
    )
    + ")$"
)
_SCHEMA: Final[dict[str, Any]] = {
    "type": "string",
    "pattern": _PATTERN,
    "description": f"a day of the week: {ACCEPTED}",
}

Weekday = Annotated[
    Literal[WEEKDAYS],  # type: ignore[valid-type]
    BeforeValidator(_to_canonical),
    WithJsonSchema(_SCHEMA, mode="validation"),
]
