"""Compile a checked ruleset into what the evaluators run.

One compilation gives, from the same parsed conditions:

* the gates and rules, each with its condition tree, the gates it requires, and the
  decisions it proposes, with $parameters resolved; ``planner.engine.dialect`` turns
  them into the engine's rules, and the reference evaluator and explanations evaluate
  the trees as Python predicates;
* a content hash of the ruleset (comments and layout do not change it).

Semantics both evaluators share: within a week, gates and rules fire to a fixed
point (gates only ever become true, so the order of firing cannot matter);
each slot then takes the decision of the lowest priority number.
"""

from __future__ import annotations

import hashlib
import json
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from planner.rules.conditions import AllOfCond, AnyOfCond, Cond, ConditionError, ConditionParser
from planner.rules.inherit import Origin
from planner.rules.spec import AllOf, AnyOf, Condition, Rule, RulesetSpec
from planner.rules.vocabulary import ACCUMULATING_SLOTS, ACTION_TAGS, Slot, action_tag


class TemplateText(string.Template):
    """``$param`` and ``${fact.name}`` in notes; no attribute access, no format()."""

    idpattern = r"[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)*"


@dataclass(frozen=True, slots=True)
class Decision:
    """What one rule proposes for one slot of the week."""

    slot: Slot
    mode: str
    args: Mapping[str, float | str | bool]
    rule_id: str
    priority: int
    order: int  # position in the file: breaks no ties (ties are errors), orders traces


ALWAYS = AllOfCond(())  # an empty condition: holds every week


@dataclass(frozen=True, slots=True)
class CompiledGate:
    """A gate ready to evaluate."""

    id: str
    title: str
    source: str
    grade: str
    sticky: bool
    requires: tuple[str, ...]
    condition: AllOfCond
    order: int
    kept: AllOfCond = ALWAYS  # a sticky gate passed earlier stays passed while this holds


@dataclass(frozen=True, slots=True)
class CompiledRule:
    """A rule ready to evaluate."""

    id: str
    title: str
    source: str
    grade: str
    priority: int
    requires: tuple[str, ...]
    condition: AllOfCond
    decisions: tuple[Decision, ...]
    order: int


@dataclass(frozen=True)
class CompiledRuleset:
    """Everything the planner needs from one ruleset."""

    spec: RulesetSpec
    path: str
    params: Mapping[str, float]
    gates: tuple[CompiledGate, ...]
    rules: tuple[CompiledRule, ...]
    sha256: str
    joined_gates: frozenset[str]
    origins: Mapping[str, Origin] = field(default_factory=dict)  # "rule:<id>" -> file it came from
    _by_id: dict[str, CompiledGate | CompiledRule] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        items: list[CompiledGate | CompiledRule] = [*self.gates, *self.rules]
        for item in items:
            self._by_id[item.id] = item

    def __repr__(self) -> str:
        # The spec is tens of kilobytes; failure reports need the identity, not the text.
        return f"CompiledRuleset({self.spec.id} {self.spec.version}, sha256 {self.sha256[:12]}, {self.path})"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """Short form for pretty-printers (hypothesis prints dataclasses field by field)."""
        printer.text(repr(self))

    def find(self, item_id: str) -> CompiledGate | CompiledRule | None:
        """A gate or rule by id."""
        return self._by_id.get(item_id)

    def param(self, name: str) -> float:
        """A parameter's value (well-known parameters always exist in a loaded ruleset)."""
        return self.params[name]


def parse_condition_tree(items: Sequence[Condition], parser: ConditionParser) -> AllOfCond:
    """Parse a checked ``when`` list (the loader has already reported any error)."""

    def one(item: Condition) -> Cond:
        if isinstance(item, AnyOf):
            return AnyOfCond(tuple(one(c) for c in item.any))
        if isinstance(item, AllOf):
            return AllOfCond(tuple(one(c) for c in item.all))
        parsed = parser.parse(item)
        if isinstance(parsed, ConditionError):
            raise ValueError(f"condition {item!r} did not parse: {parsed.message}")  # loader checked it
        return parsed

    return AllOfCond(tuple(one(c) for c in items))


def resolve_number(value: float | str, params: Mapping[str, float]) -> float:
    """A literal, or the value of ``$name``."""
    if isinstance(value, str):
        return params[value[1:]]
    return float(value)


def _decisions(rule: Rule, order: int, params: Mapping[str, float]) -> tuple[Decision, ...]:
    found: list[Decision] = []
    for action in rule.then:
        tag = action_tag(action)
        if tag is None or tag not in ACTION_TAGS:
            raise ValueError(f"rule {rule.id}: unknown action {action!r}")  # loader checked it
        slot_name, _, _ = tag.partition(":")
        slot = Slot(slot_name)
        raw = action.model_dump()
        mode = str(raw.pop(slot_name))
        args: dict[str, float | str | bool] = {}
        for key, value in raw.items():
            if value is None:
                continue  # an optional argument left out
            if isinstance(value, bool) or (isinstance(value, str) and not value.startswith("$")):
                args[key] = str(value) if isinstance(value, str) else value  # enum members as plain text
            else:
                args[key] = resolve_number(value, params)
        if slot in ACCUMULATING_SLOTS:
            args, mode = {"text": mode, **args}, slot.value
        found.append(Decision(slot, mode, args, rule.id, rule.priority, order))
    return tuple(found)


def canonical_json(spec: RulesetSpec) -> str:
    """The ruleset as canonical JSON: comments and layout do not change it.

    The readiness self-check is left out: it plans nothing (see :class:`SelfCheck`).
    """
    data = spec.model_dump(mode="json", by_alias=True, exclude={"readiness": {"self_check"}})
    return json.dumps(data, sort_keys=True, separators=(",", ":"))


def compile_ruleset(spec: RulesetSpec, path: str, origins: Mapping[str, Origin] | None = None) -> CompiledRuleset:
    """Compile a ruleset that passed every check."""
    params = {name: p.value for name, p in spec.parameters.items()}
    parser = ConditionParser(params)
    gates = tuple(
        CompiledGate(
            g.id,
            g.title,
            g.source,
            g.grade,
            g.sticky,
            tuple(g.requires),
            parse_condition_tree(g.when, parser),
            order,
            parse_condition_tree(g.kept_when, parser),
        )
        for order, g in enumerate(spec.gates)
    )
    rules = tuple(
        CompiledRule(
            r.id,
            r.title,
            r.source,
            r.grade,
            r.priority,
            tuple(r.requires),
            parse_condition_tree(r.when, parser),
            _decisions(r, order, params),
            order,
        )
        for order, r in enumerate(spec.rules)
    )
    sha = hashlib.sha256(canonical_json(spec).encode()).hexdigest()
    items: list[CompiledGate | CompiledRule] = [*gates, *rules]
    joined = frozenset(g for item in items for g in item.requires)
    return CompiledRuleset(spec, path, params, gates, rules, sha, joined, dict(origins or {}))
