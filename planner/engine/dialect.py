"""The durable_rules JSON dialect: how a compiled ruleset becomes durable rules.

Everything the engine's format needs lives here, so the rules language (``planner.rules``)
knows nothing of it: the flat fact keys (``a.b`` -> ``a__b``), the ``$and``/``$or``/``$lt``
expressions, the priorities (``pri``), the priming rule that lets ``delete_state`` free a
session, the rule that closes each week after every gate and rule, a sticky gate's second
rule (re-passing from the week fact), and the gate joins.

Each gate is a durable rule on the week fact joined to the gate facts it requires; each
rule likewise. A gate that passes becomes a fact that rules join on, so the chaining within
a week is the engine's.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from typing import Any

from planner.rules.compiler import CompiledGate, CompiledRule, CompiledRuleset
from planner.rules.conditions import AllOfCond, AnyOfCond, Comparison, Cond

INIT_RULE = "_init"
CLOSE_RULE = "_close_week"
CLOSE_PRIORITY = 60000  # after every gate (10) and rule (100 + priority <= 999)
GATE_PRIORITY = 10
RULE_PRIORITY_OFFSET = 100
_OPS = {"!=": "$neq", "<": "$lt", "<=": "$lte", ">": "$gt", ">=": "$gte"}


def engine_key(name: str) -> str:
    """Flatten a dotted fact name into an engine key (``a.b`` -> ``a__b``).

    The mapping is injective because fact names never contain a double underscore.
    """
    return name.replace(".", "__")


def passed_key(gate_id: str) -> str:
    """The week-fact key that says a sticky gate passed in an earlier week."""
    return "_passed__" + gate_id.replace("-", "_")


def expression(cond: Cond) -> dict[str, Any]:
    """A condition as a durable_rules JSON expression."""
    if isinstance(cond, AnyOfCond):
        return {"$or": [expression(c) for c in cond.children]}
    if isinstance(cond, AllOfCond):
        return {"$and": [expression(c) for c in cond.children]}
    return _comparison(cond)


def _comparison(c: Comparison) -> dict[str, Any]:
    key = engine_key(c.fact)
    if c.op == "==":
        return {key: c.value}
    if isinstance(c.value, tuple):  # "in" / "not in"
        if c.op == "in":
            return {"$or": [{key: v} for v in c.value]}
        return {"$and": [{"$neq": {key: v}} for v in c.value]}
    return {_OPS[c.op]: {key: c.value}}


def _week_pattern(condition: AllOfCond, extra: Sequence[dict[str, Any]] = ()) -> dict[str, Any]:
    return {"w": {"$and": [{"t": "week"}, *extra, *(expression(c) for c in condition.children)]}}


def _gate_joins(requires: Sequence[str]) -> list[dict[str, Any]]:
    # Aliases g0, g1 ... never clash with the week fact's alias w.
    return [{f"g{i}": {"$and": [{"t": "gate"}, {"name": gate}]}} for i, gate in enumerate(requires)]


def definition(gates: Sequence[CompiledGate], rules: Sequence[CompiledRule]) -> dict[str, Any]:
    """The durable_rules ruleset of these gates and rules."""
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


def ruleset_definition(ruleset: CompiledRuleset) -> dict[str, Any]:
    """A compiled ruleset's durable rules."""
    return definition(ruleset.gates, ruleset.rules)


def engine_name(ruleset: CompiledRuleset, rules: dict[str, Any]) -> str:
    """The name the ruleset is created under: its id and version, and a hash of its durable rules."""
    digest = hashlib.sha256(json.dumps(rules, sort_keys=True).encode()).hexdigest()[:12]
    return re.sub(r"[^a-z0-9]+", "_", f"{ruleset.spec.id}_{ruleset.spec.version}") + f"_{digest}"
