"""Meaning checks for the prescription tables: every name they use exists, every text reads well.

Mixed into the ruleset checker (:mod:`planner.rules.semantics`): exercises a block,
an injury or a deficit names must be in the catalogue; the phases an injury row lists,
the blocks that alternate and the deficits must exist; a runner's text never writes
its own unit after a distance placeholder (the planner adds mi or km).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any, Protocol

from planner.diagnostics import Span, did_you_mean
from planner.rules.compiler import TemplateText
from planner.rules.vocabulary import FACTS
from planner.yamlsource import Path_

# A distance placeholder followed by its unit: the planner already writes the unit.
_UNIT_AFTER = re.compile(r"\s*(mi|miles?|km|kilomet(re|er)s?)\b|-mile\b")


class _Checker(Protocol):
    """What the mixin needs from the ruleset checker."""

    doc: Any
    ctx: Any

    @property
    def param_units(self) -> Mapping[str, str | None]: ...

    def add(
        self,
        code: str,
        message: str,
        path: Path_,
        *,
        key: bool = False,
        subject: str | None = None,
        hint: str | None = None,
        span: Span | None = None,
    ) -> None: ...

    def text_span(self, path: Path_, offset: int, length: int) -> Span | None: ...


def cited_sources(node: Any) -> Iterator[tuple[Path_, str]]:
    """Every ``source`` key under ``node`` (tables nest rows, injury rows, exceptions), with its path."""
    stack: list[tuple[Path_, Any]] = [((), node)]
    while stack:
        path, item = stack.pop()
        if isinstance(item, dict):
            if isinstance(item.get("source"), str):
                yield path, item["source"]
            stack.extend(((*path, k), v) for k, v in item.items() if isinstance(v, dict | list))
        elif isinstance(item, list):
            stack.extend(((*path, i), v) for i, v in enumerate(item) if isinstance(v, dict | list))


def check_prescription(checker: _Checker) -> None:
    """Every exercise, block, phase and deficit the prescription tables name exists."""
    tables = checker.ctx.tables
    exercises = tables.get("exercises")
    strength = tables.get("strength_blocks")
    warmup = tables.get("warmup")
    known = set(exercises.exercises) if exercises is not None else None
    deficits = set(warmup.by_deficit) if warmup is not None else None
    if known is not None and strength is not None:
        for k, row in enumerate(strength.rows):
            _names(checker, known, row.exercises, ("tables", "strength_blocks", "rows", k, "exercises"))
        _names(checker, known, strength.maintenance.exercises, ("tables", "strength_blocks", "maintenance"))
    if strength is not None:
        numbers = {row.block for row in strength.rows}
        for k, block in enumerate(strength.alternate):
            if block not in numbers:
                checker.add(
                    "unknown-name",
                    f"block {block} alternates, but the table has no block {block}",
                    ("tables", "strength_blocks", "alternate", k),
                    hint=f"blocks: {', '.join(str(n) for n in sorted(numbers))}",
                )
    if exercises is not None and known is not None:
        for k, row in enumerate(exercises.by_injury):
            where = ("tables", "exercises", "by_injury", k)
            _names(checker, known, row.add, (*where, "add"))
            _names(checker, known, list(row.swap), (*where, "swap"))
            _names(checker, known, list(row.swap.values()), (*where, "swap"))
            for j, phase in enumerate(row.phases):
                if phase not in checker.ctx.phases:
                    checker.add(
                        "unknown-phase",
                        f"unknown phase {phase!r}",
                        (*where, "phases", j),
                        hint=did_you_mean(phase, checker.ctx.phases, what="phases"),
                    )
        for deficit, names in exercises.by_deficit.items():
            _names(checker, known, names, ("tables", "exercises", "by_deficit", deficit))
            if deficits is not None and deficit not in deficits:
                checker.add(
                    "unknown-name",
                    f"deficit {deficit!r} is not one a profile can name (the warm-up table's by_deficit)",
                    ("tables", "exercises", "by_deficit", deficit),
                    key=True,
                    hint=did_you_mean(deficit, deficits, what="deficits"),
                )


def check_runner_text(checker: _Checker, path: Path_, text: str, subject: str) -> None:
    """A distance placeholder is not followed by a unit of its own (the planner writes mi or km)."""
    for m in TemplateText.pattern.finditer(text):
        name = m.group("named") or m.group("braced")
        fact = FACTS.get(name or "")
        is_distance = (fact is not None and fact.unit == "mi") or checker.param_units.get(name or "") == "mi"
        after = _UNIT_AFTER.match(text, m.end())
        if is_distance and after:
            checker.add(
                "unit-in-text",
                f"${name} is a distance: the planner writes it with the runner's unit, so "
                f"{after.group(0).strip()!r} after it would read twice (or wrong for a km runner)",
                path,
                subject=subject,
                hint=f"write ${{{name}}} alone; it reads 10.0 mi or 16.1 km",
                span=checker.text_span(path, m.start(), m.end() - m.start() + len(after.group(0))),
            )


def _names(checker: _Checker, known: set[str], names: list[str], path: Path_) -> None:
    for name in names:
        if name not in known:
            checker.add(
                "unknown-name",
                f"unknown exercise {name!r}",
                path,
                hint=did_you_mean(name, known, what="exercises in the exercises table"),
            )
