"""Conditions: ``fact op value`` strings, parsed once and compiled two ways.

Grammar (one comparison per list item; lists mean "all of"; ``{any: [...]}`` and
``{all: [...]}`` nest)::

    last_week.miles >= $gate_weekly_miles      # number against a parameter
    injury.kind in [bone_stress_injury, other] # choice membership
    walk_run.complete                          # bool shorthand for "== true"
    not hops.last_stage                        # bool shorthand for "== false"

Each parsed comparison is a Python predicate (the reference evaluator and ``explain``);
``planner.engine.dialect`` writes it in the rules engine's own format (the product).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from planner.diagnostics import did_you_mean
from planner.rules.vocabulary import FACTS, OPS_BY_TYPE, FactDef, FactType

Value = bool | int | float | str
Facts = Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class ConditionError:
    """A problem in one condition string; offset/length are within the string."""

    code: str
    message: str
    offset: int
    length: int
    hint: str | None = None


@dataclass(frozen=True, slots=True)
class Comparison:
    """``fact op value``, with $parameters already resolved to numbers."""

    fact: str
    op: str
    value: Value | tuple[Value, ...]
    text: str  # as written, for explanations
    param: str | None = None  # the parameter name when the value came from one

    def holds(self, facts: Facts) -> bool:
        """Evaluate against the week's logical facts (reference evaluator)."""
        actual = facts[self.fact]
        return _PY_OPS[self.op](actual, self.value)

    def describe(self, facts: Facts) -> str:
        """``last_week.miles = 7.5, needs >= 10`` -- for gates that did not pass."""
        shown = self.value if not isinstance(self.value, tuple) else list(self.value)
        param = f" (${self.param})" if self.param else ""
        return f"{self.fact} = {_fmt(facts.get(self.fact))}, needs {self.op} {_fmt(shown)}{param}"


@dataclass(frozen=True, slots=True)
class AnyOfCond:
    """At least one child holds."""

    children: tuple[Cond, ...]

    def holds(self, facts: Facts) -> bool:
        """Evaluate against the week's logical facts."""
        return any(c.holds(facts) for c in self.children)


@dataclass(frozen=True, slots=True)
class AllOfCond:
    """Every child holds (an empty list always holds)."""

    children: tuple[Cond, ...]

    def holds(self, facts: Facts) -> bool:
        """Evaluate against the week's logical facts."""
        return all(c.holds(facts) for c in self.children)


Cond = Comparison | AnyOfCond | AllOfCond


def comparisons(cond: Cond) -> list[Comparison]:
    """Every comparison inside a condition tree, in order."""
    if isinstance(cond, Comparison):
        return [cond]
    found: list[Comparison] = []
    for child in cond.children:
        found.extend(comparisons(child))
    return found


def failing(cond: Cond, facts: Facts) -> list[Comparison]:
    """The comparisons that make ``cond`` false (for explanations)."""
    if cond.holds(facts):
        return []
    if isinstance(cond, Comparison):
        return [cond]
    found: list[Comparison] = []
    for child in cond.children:
        found.extend(failing(child, facts))
    return found


def _fmt(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list):
        return "[" + ", ".join(_fmt(v) for v in value) + "]"
    return str(value)


_PY_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "in": lambda a, b: a in b,
    "not in": lambda a, b: a not in b,
}

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<op>==|!=|<=|>=|<|>)
      | (?P<lbr>\[) | (?P<rbr>\]) | (?P<comma>,)
      | (?P<str>'[^']*'|"[^"]*")
      | (?P<num>[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)
      | (?P<param>\$[A-Za-z_][A-Za-z0-9_]*)
      | (?P<word>[A-Za-z_][A-Za-z0-9_.\-]*)
      | (?P<bad>\S)
    )""",
    re.VERBOSE,
)


@dataclass(frozen=True, slots=True)
class _Tok:
    kind: str
    text: str
    offset: int


def _tokens(text: str) -> list[_Tok]:
    toks: list[_Tok] = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind is None:
            continue
        toks.append(_Tok(kind, m.group(kind), m.start(kind)))
    return toks


class ConditionParser:
    """Parses condition strings against the fact vocabulary and the parameters."""

    def __init__(self, parameters: Mapping[str, float]) -> None:
        self.parameters = parameters

    def parse(self, text: str) -> Comparison | ConditionError:
        """One comparison, or the first problem with its position in ``text``."""
        toks = _tokens(text)
        bad = next((t for t in toks if t.kind == "bad"), None)
        if bad is not None:
            return ConditionError("condition-syntax", f"unexpected character {bad.text!r}", bad.offset, 1)
        if not toks:
            return ConditionError("condition-syntax", "empty condition", 0, 1)
        negated = False
        if toks[0].kind == "word" and toks[0].text == "not" and len(toks) == 2:
            negated, toks = True, toks[1:]
        head = toks[0]
        if head.kind != "word":
            return ConditionError(
                "condition-syntax",
                "a condition starts with a fact name",
                head.offset,
                len(head.text),
                hint="write it as: <fact> <op> <value>, e.g. last_week.miles >= 10",
            )
        fact = FACTS.get(head.text)
        if fact is None:
            return ConditionError(
                "unknown-fact",
                f"unknown fact {head.text!r}",
                head.offset,
                len(head.text),
                hint=did_you_mean(head.text, FACTS, what="known facts"),
            )
        if len(toks) == 1:
            return self._bool_shorthand(fact, head, text, negated)
        if negated:
            return ConditionError(
                "condition-syntax",
                "'not' goes only before a true/false fact on its own",
                0,
                3,
                hint=f"write {fact.name} == false",
            )
        return self._comparison(fact, toks, text)

    def _bool_shorthand(self, fact: FactDef, head: _Tok, text: str, negated: bool) -> Comparison | ConditionError:
        if fact.type is not FactType.BOOL:
            return ConditionError(
                "condition-syntax",
                f"{fact.name} is a {fact.type.value}, not true/false: add an operator and a value",
                head.offset,
                len(head.text),
                hint=f"e.g. {fact.name} >= 1",
            )
        return Comparison(fact.name, "==", not negated, text.strip())

    def _comparison(self, fact: FactDef, toks: list[_Tok], text: str) -> Comparison | ConditionError:
        op_tok, rest = toks[1], toks[2:]
        op = op_tok.text
        if op_tok.kind == "word" and op_tok.text == "not" and rest and rest[0].text == "in":
            op, rest = "not in", rest[1:]
        elif op_tok.kind == "word" and op_tok.text == "in":
            op = "in"
        elif op_tok.kind != "op":
            return ConditionError(
                "condition-syntax",
                f"expected an operator after {fact.name}, found {op_tok.text!r}",
                op_tok.offset,
                len(op_tok.text),
                hint="operators: == != < <= > >= in, not in",
            )
        if op not in OPS_BY_TYPE[fact.type]:
            allowed = " ".join(OPS_BY_TYPE[fact.type])
            return ConditionError(
                "operator-type",
                f"operator {op!r} does not fit {fact.name} ({fact.type.value})",
                op_tok.offset,
                len(op),
                hint=f"use one of: {allowed}",
            )
        if not rest:
            return ConditionError("condition-syntax", f"missing value after {op!r}", len(text), 1)
        if op in ("in", "not in"):
            return self._membership(fact, op, rest, text)
        if len(rest) > 1:
            extra = rest[1]
            return ConditionError(
                "condition-syntax",
                f"unexpected {extra.text!r} after the value",
                extra.offset,
                len(extra.text),
                hint="one comparison per line; use a list (all) or {any: [...]} to combine",
            )
        value = self._value(fact, rest[0])
        if isinstance(value, ConditionError):
            return value
        val, param = value
        return Comparison(fact.name, op, val, text.strip(), param)

    def _membership(self, fact: FactDef, op: str, rest: list[_Tok], text: str) -> Comparison | ConditionError:
        if rest[0].kind != "lbr" or rest[-1].kind != "rbr":
            return ConditionError(
                "condition-syntax",
                f"{op!r} needs a list in brackets",
                rest[0].offset,
                len(rest[0].text),
                hint=f"e.g. {fact.name} {op} [a, b]",
            )
        values: list[Value] = []
        for tok in rest[1:-1]:
            if tok.kind == "comma":
                continue
            got = self._value(fact, tok)
            if isinstance(got, ConditionError):
                return got
            values.append(got[0])
        if not values:
            return ConditionError("condition-syntax", "empty list", rest[0].offset, 2)
        return Comparison(fact.name, op, tuple(values), text.strip())

    def _value(self, fact: FactDef, tok: _Tok) -> tuple[Value, str | None] | ConditionError:
        if fact.type is FactType.BOOL:
            if tok.kind == "word" and tok.text in ("true", "false"):
                return tok.text == "true", None
            return ConditionError(
                "value-type",
                f"{fact.name} is true/false; got {tok.text!r}",
                tok.offset,
                len(tok.text),
                hint="write true or false",
            )
        if fact.type is FactType.CHOICE:
            word = tok.text.strip("'\"") if tok.kind == "str" else tok.text
            if tok.kind in ("word", "str") and word in fact.choices:
                return word, None
            return ConditionError(
                "value-type",
                f"{word!r} is not a value of {fact.name}",
                tok.offset,
                len(tok.text),
                hint=did_you_mean(word, fact.choices, what="allowed values"),
            )
        if tok.kind == "num":
            number = float(tok.text)
            if fact.type is FactType.INT and number.is_integer():
                return int(number), None
            return number, None
        if tok.kind == "param":
            name = tok.text[1:]
            if name not in self.parameters:
                return ConditionError(
                    "unknown-parameter",
                    f"unknown parameter {tok.text!r}",
                    tok.offset,
                    len(tok.text),
                    hint=did_you_mean(name, self.parameters, what="parameters"),
                )
            return self.parameters[name], name
        return ConditionError(
            "value-type",
            f"{fact.name} is a number; got {tok.text!r}",
            tok.offset,
            len(tok.text),
            hint="write a number or a $parameter",
        )
