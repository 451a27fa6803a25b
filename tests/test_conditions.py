"""The condition language: parsing, errors with offsets, and both compilations."""

from __future__ import annotations

import pytest

from planner.engine import dialect
from planner.rules.conditions import AllOfCond, AnyOfCond, Comparison, ConditionError, ConditionParser, failing

PARAMS = {"gate_weekly_miles": 10.0}
parse = ConditionParser(PARAMS).parse


@pytest.mark.parametrize(
    ("text", "fact", "op", "value"),
    [
        ("last_week.miles >= 10", "last_week.miles", ">=", 10.0),
        ("last_week.miles >= $gate_weekly_miles", "last_week.miles", ">=", 10.0),
        ("week == 1", "week", "==", 1),
        ("walk_run.complete", "walk_run.complete", "==", True),
        ("not walk_run.complete", "walk_run.complete", "==", False),
        ("injury.kind in [bone_stress_injury, other]", "injury.kind", "in", ("bone_stress_injury", "other")),
        ("injury.kind not in ['other']", "injury.kind", "not in", ("other",)),
        ("race.distance != marathon", "race.distance", "!=", "marathon"),
    ],
)
def test_parses(text: str, fact: str, op: str, value: object):
    got = parse(text)
    assert isinstance(got, Comparison)
    assert (got.fact, got.op, got.value) == (fact, op, value)


@pytest.mark.parametrize(
    ("text", "code", "offset", "hint_part"),
    [
        ("last_week.mile >= 10", "unknown-fact", 0, "last_week.miles"),
        ("last_week.miles >= $gate_weekly_mile", "unknown-parameter", 19, "gate_weekly_miles"),
        ("walk_run.complete >= true", "operator-type", 18, "=="),
        ("week == soon", "value-type", 8, "number"),
        ("injury.kind == achilles", "value-type", 15, "achilles_tendinopathy"),
        ("walk_run.complete == maybe", "value-type", 21, "true or false"),
        ("last_week.miles", "condition-syntax", 0, ">="),
        ("last_week.miles >= 10 and week > 2", "condition-syntax", 22, "one comparison"),
        ("last_week.miles => 10", "condition-syntax", 16, None),
        ("injury.kind in other", "condition-syntax", 15, "[a, b]"),
    ],
)
def test_errors_point_into_the_string(text: str, code: str, offset: int, hint_part: str | None):
    got = parse(text)
    assert isinstance(got, ConditionError)
    assert (got.code, got.offset) == (code, offset)
    if hint_part is not None:
        assert got.hint is not None
        assert hint_part in got.hint


def test_engine_and_python_forms_agree_on_membership_and_negation():
    inside = parse("injury.kind in [other, itb_syndrome]")
    outside = parse("injury.kind not in [other]")
    assert isinstance(inside, Comparison)
    assert isinstance(outside, Comparison)
    assert dialect.expression(inside) == {"$or": [{"injury__kind": "other"}, {"injury__kind": "itb_syndrome"}]}
    assert dialect.expression(outside) == {"$and": [{"$neq": {"injury__kind": "other"}}]}
    assert inside.holds({"injury.kind": "other"})
    assert not outside.holds({"injury.kind": "other"})


def test_failing_names_only_the_comparisons_that_are_false():
    a, b = parse("week >= 3"), parse("last_week.miles >= 10")
    assert isinstance(a, Comparison)
    assert isinstance(b, Comparison)
    cond = AllOfCond((a, AnyOfCond((b,))))
    facts = {"week": 5, "last_week.miles": 7.5}
    assert failing(cond, facts) == [b]
    assert b.describe(facts) == "last_week.miles = 7.5, needs >= 10"
