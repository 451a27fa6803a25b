"""Compile a checked ruleset into what the evaluators run.

One compilation gives, from the same parsed conditions:

* a durable_rules JSON ruleset (no decorators, no eval): one engine rule per gate
  and rule, joined to the gate facts it requires, plus ``_init`` (primes a
  session so ``delete_state`` is safe) and ``_close_week`` (closes the week and
  asserts the next one); its name is content-addressed, so an edited ruleset
  never reuses a stale registration;
* Python predicates for the reference evaluator and for explanations;
* the decisions each rule proposes, with $parameters resolved.

Semantics both evaluators share: within a week, gates and rules fire to a fixed
point (gates only ever become true, so the order of firing cannot matter);
each slot then takes the decision of the lowest priority number.
"""

from __future__ import annotations

import hashlib
import json
import re
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from planner.rules.conditions import AllOfCond, AnyOfCond, Cond, ConditionError, ConditionParser
from planner.rules.inherit import Origin
from planner.rules.spec import AllOf, AnyOf, Condition, Rule, RulesetSpec
from planner.rules.vocabulary import ACCUMULATING_SLOTS, ACTION_TAGS, Slot, action_tag

INIT_RULE = "_init"
CLOSE_RULE = "_close_week"
CLOSE_PRIORITY = 60000  # after every gate (10) and rule (100 + priority <= 999)
GATE_PRIORITY = 10
RULE_PRIORITY_OFFSET = 100


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
    engine_name: str
    engine_definition: Mapping[str, Any]
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


def passed_key(gate_id: str) -> str:
    """The week-fact key that says a sticky gate passed in an earlier week."""
    return "_passed__" + gate_id.replace("-", "_")


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


def _week_pattern(condition: AllOfCond, extra: Sequence[dict[str, Any]] = ()) -> dict[str, Any]:
    return {"w": {"$and": [{"t": "week"}, *extra, *(c.to_engine() for c in condition.children)]}}


def _gate_joins(requires: Sequence[str]) -> list[dict[str, Any]]:
    # Aliases g0, g1 ... never clash with durable's Closure attributes (s, m, host, post ...).
    return [{f"g{i}": {"$and": [{"t": "gate"}, {"name": gate}]}} for i, gate in enumerate(requires)]


def engine_definition(gates: Sequence[CompiledGate], rules: Sequence[CompiledRule]) -> dict[str, Any]:
    """The durable_rules rules; action names are filled in by :func:`compile_ruleset`."""
    out: dict[str, Any] = {INIT_RULE: {"pri": 0, "all": [{"m": {"t": "_init"}}]}}
    for gate in gates:
        out[f"gate:{gate.id}"] = {
            "pri": GATE_PRIORITY,
            "all": [_week_pattern(gate.condition), *_gate_joins(gate.requires)],
        }
        if gate.sticky:
            out[f"gate:{gate.id}:before"] = {
                "pri": GATE_PRIORITY,
                "all": [_week_pattern(gate.kept, [{passed_key(gate.id): True}])],
            }
    for rule in rules:
        out[f"rule:{rule.id}"] = {
            "pri": RULE_PRIORITY_OFFSET + rule.priority,
            "all": [_week_pattern(rule.condition), *_gate_joins(rule.requires)],
        }
    out[CLOSE_RULE] = {"pri": CLOSE_PRIORITY, "all": [{"w": {"t": "week"}}]}
    return out


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
    definition = engine_definition(gates, rules)
    sha = hashlib.sha256(canonical_json(spec).encode()).hexdigest()
    engine_hash = hashlib.sha256(json.dumps(definition, sort_keys=True).encode()).hexdigest()[:12]
    name = re.sub(r"[^a-z0-9]+", "_", f"{spec.id}_{spec.version}") + f"_{engine_hash}"
    for rule_name, body in definition.items():
        body["run"] = f"{name}/{rule_name}"
    items: list[CompiledGate | CompiledRule] = [*gates, *rules]
    joined = frozenset(g for item in items for g in item.requires)
    return CompiledRuleset(spec, path, params, gates, rules, sha, name, definition, joined, dict(origins or {}))
