"""Text a runner reads, in the runner's units: placeholders filled, distances in mi or km.

The planner computes in miles. Every number a rule's text shows comes through here, so
a kilometre runner reads "16.1 km" where the ruleset says ``$gate_weekly_miles``: a
fact or parameter whose unit is ``mi`` is a distance and is shown with its unit.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from planner.rules.compiler import CompiledRuleset, TemplateText
from planner.rules.vocabulary import FACTS
from planner.units import KM_PER_MILE

DISTANCE_UNIT = "mi"  # the unit facts and parameters that are distances are declared in


def distance(miles: float, units: str) -> str:
    """``3.8 mi`` or ``6.1 km``, one decimal."""
    if units == "km":
        return f"{miles * KM_PER_MILE:.1f} km"
    return f"{miles:.1f} mi"


def _number(value: float) -> str:
    return f"{value:g}"


@functools.lru_cache(maxsize=8192)
def _template(text: str) -> tuple[TemplateText, tuple[str, ...]]:
    """A text's template and the names it fills, parsed once (a plan fills the same texts every week)."""
    template = TemplateText(text)
    return template, tuple(template.get_identifiers())


@dataclass(frozen=True)
class Wording:
    """Fills a ruleset's texts for one runner."""

    ruleset: CompiledRuleset
    units: str

    def distance(self, miles: float) -> str:
        """A distance in the runner's units, in words a runner reads: ``10 mi``, ``3.6 mi``, ``16.1 km``."""
        return distance(miles, self.units).replace(".0 ", " ")

    def pace(self, minutes_per_mile: float) -> str:
        """``11 min/mi`` or ``6.8 min/km``."""
        if self.units == "km":
            return f"{minutes_per_mile / KM_PER_MILE:.1f} min/km"
        return f"{minutes_per_mile:g} min/mi"

    def fill(self, text: str, facts: Mapping[str, Any]) -> str:
        """``$param`` and ``${fact}`` filled in; distances with their unit (no attribute access, no format())."""
        template, names = _template(text)
        if not names:
            return template.safe_substitute()  # "$$" still becomes "$"
        values: dict[str, str] = {}
        for name in names:  # only what the text names: a plan fills thousands of texts
            if name in facts:  # a fact wins over a parameter of the same name
                values[name] = self._fact(name, facts[name])
            elif name in self.ruleset.params:
                param = self.ruleset.spec.parameters.get(name)
                value = self.ruleset.params[name]
                is_distance = param is not None and param.unit == DISTANCE_UNIT
                values[name] = self.distance(value) if is_distance else _number(value)
        return template.safe_substitute(values)

    def _fact(self, name: str, value: Any) -> str:
        fact = FACTS.get(name)
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int | float) and fact is not None and fact.unit == DISTANCE_UNIT:
            return self.distance(float(value))
        if isinstance(value, float):
            return _number(value)
        return str(value)
