"""Find rules and gates that can never fire.

A condition tree is expanded into alternatives (one per way through its ``any``
branches); an alternative is impossible when, for one fact, its comparisons leave
no value (``week >= 3`` with ``week < 2``, a pain above 10, a choice equal to two
things). A rule or gate is unreachable when every alternative is impossible, or
when it requires a gate that is unreachable.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from planner.rules.conditions import AllOfCond, AnyOfCond, Comparison, Cond
from planner.rules.vocabulary import FACTS, FactType

MAX_ALTERNATIVES = 256  # beyond this, assume reachable rather than spend time


def alternatives(cond: Cond) -> list[list[Comparison]] | None:
    """The condition as a list of conjunctions (None if there would be too many)."""
    if isinstance(cond, Comparison):
        return [[cond]]
    parts = [alternatives(child) for child in cond.children]
    if any(p is None for p in parts):
        return None
    if isinstance(cond, AnyOfCond):
        out = [alt for p in parts if p is not None for alt in p]
        return out if len(out) <= MAX_ALTERNATIVES else None
    combined: list[list[Comparison]] = [[]]
    for p in parts:
        assert p is not None  # narrowed above
        combined = [a + b for a in combined for b in p]
        if len(combined) > MAX_ALTERNATIVES:
            return None
    return combined


@dataclass
class _Numbers:
    low: float
    high: float
    integer: bool
    only: set[float] | None = None
    never: set[float] | None = None

    def apply(self, c: Comparison) -> None:
        v = c.value
        if isinstance(v, tuple):
            values = {float(x) for x in v if isinstance(x, int | float)}
            if c.op == "in":
                self.only = values if self.only is None else self.only & values
            else:
                self.never = values | (self.never or set())
            return
        x = float(v) if isinstance(v, int | float) else math.nan
        if c.op == "==":
            self.only = {x} if self.only is None else self.only & {x}
        elif c.op == "!=":
            self.never = {x} | (self.never or set())
        elif c.op in (">", ">="):
            bound = x if c.op == ">=" else (math.floor(x) + 1 if self.integer else math.nextafter(x, math.inf))
            self.low = max(self.low, math.ceil(bound) if self.integer else bound)
        elif c.op in ("<", "<="):
            bound = x if c.op == "<=" else (math.ceil(x) - 1 if self.integer else math.nextafter(x, -math.inf))
            self.high = min(self.high, math.floor(bound) if self.integer else bound)

    def possible(self) -> bool:
        if self.low > self.high:
            return False
        if self.only is not None:
            fits = {v for v in self.only if self.low <= v <= self.high and (not self.integer or v.is_integer())}
            return bool(fits - (self.never or set()))
        if self.never and self.integer and self.high - self.low < 64:
            return any(v not in self.never for v in range(int(self.low), int(self.high) + 1))
        return True


def _possible(fact: str, comps: Sequence[Comparison]) -> bool:
    definition = FACTS.get(fact)
    if definition is None:
        return True
    if definition.type in (FactType.INT, FactType.NUMBER):
        numbers = _Numbers(definition.low, definition.high, definition.type is FactType.INT)
        for c in comps:
            numbers.apply(c)
        return numbers.possible()
    allowed: set[object] = {True, False} if definition.type is FactType.BOOL else set(definition.choices)
    for c in comps:
        values = set(c.value) if isinstance(c.value, tuple) else {c.value}
        allowed = allowed & values if c.op in ("==", "in") else allowed - values
    return bool(allowed)


def impossible_fact(conjunction: Iterable[Comparison]) -> list[Comparison] | None:
    """The comparisons on one fact that leave it no value, or None if all fit."""
    by_fact: dict[str, list[Comparison]] = {}
    for c in conjunction:
        by_fact.setdefault(c.fact, []).append(c)
    for fact, comps in by_fact.items():
        if not _possible(fact, comps):
            return comps
    return None


def why_unreachable(cond: AllOfCond) -> str | None:
    """A sentence saying why the condition can never hold, or None if it can."""
    alts = alternatives(cond)
    if not alts:
        return None
    reasons = []
    for alt in alts:
        clash = impossible_fact(alt)
        if clash is None:
            return None
        fact = FACTS.get(clash[0].fact)
        if len(clash) == 1 and fact is not None:
            span = f"at least {fact.low:g}" if math.isinf(fact.high) else f"from {fact.low:g} to {fact.high:g}"
            reasons.append(f"{clash[0].text} is impossible ({fact.name} is {span})")
        else:
            reasons.append(" and ".join(c.text for c in clash) + " cannot all hold")
    return "; ".join(dict.fromkeys(reasons))
