"""What an evaluator needs from the planner, and what the two evaluators share.

An evaluator matches rules; the planner's :class:`WeekStepper` gives the facts of
each week and, given the rules that fired and the gates that passed, closes the
week and gives the next one (or ``None`` when the plan is complete).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from planner.errors import EngineError
from planner.rules.compiler import CompiledRuleset

# The engine has no loop guard of its own; no honest plan gets near this.
MAX_FIRINGS_PER_WEEK = 2_000


@dataclass(frozen=True, slots=True)
class WeekInput:
    """The facts of one week, plus the sticky gates passed in earlier weeks."""

    week: int
    facts: Mapping[str, Any]
    passed_before: frozenset[str]


class WeekStepper(Protocol):
    """The planner side of the week loop."""

    def first_week(self) -> WeekInput:
        """Facts of week 1."""
        ...

    def close_week(self, fired: frozenset[str], passed: frozenset[str]) -> WeekInput | None:
        """Close the current week; the next week's facts, or None when done."""
        ...


class Evaluator(Protocol):
    """Runs a compiled ruleset over the weeks of one plan."""

    name: str

    def run(self, ruleset: CompiledRuleset, stepper: WeekStepper) -> None:
        """Forward-chain every week until the stepper says the plan is done."""
        ...


class FiringBudget:
    """Counts rule firings of one plan and stops a runaway chain."""

    def __init__(self, limit: int = MAX_FIRINGS_PER_WEEK) -> None:
        self.limit = limit
        self.used = 0
        self.week = 0

    def start_week(self, week: int) -> None:
        """Reset the count for a new week."""
        self.week, self.used = week, 0

    def spend(self, what: str) -> None:
        """Count one firing; raise when the week has used its budget."""
        self.used += 1
        if self.used > self.limit:
            raise EngineError(f"firing budget of {self.limit} per week exceeded in week {self.week} (at {what})")
