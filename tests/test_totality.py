"""Loaders are total: any text or structure gives a result or diagnostics, never a crash.

Arbitrary text mostly fails in the YAML layer, so the strongest of these tests
mutate the real documents: one subtree of a working ruleset, profile or plan is
replaced by arbitrary data, which reaches the shape and meaning checks.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

import planner
from planner.plans import check_plan_text
from planner.profiles import check_profile_text
from planner.rules.loader import check_ruleset_text
from planner.yamlsource import parse_text
from tests.conftest import EXAMPLES, RULESETS, TODAY

RULESET_DATA = parse_text((RULESETS / "return-to-run.yaml").read_text(encoding="utf-8"), "r").data
PROFILE_DATA = parse_text((EXAMPLES / "shin-pain-10k.yaml").read_text(encoding="utf-8"), "p").data
RULESET = planner.ruleset_named()
PLAN_DATA = json.loads(
    planner.make_plan(
        planner.load_profile(EXAMPLES / "half-marathon-16wk.yaml", RULESET, TODAY).profile, RULESET, today=TODAY
    ).to_json()
)

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-1000, 1000),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.text(max_size=12),
    st.sampled_from(["$gate_weekly_miles", "ten-mile-gate", "walk_run", "last_week.miles >= 10", "mon", "progress"]),
)
STRUCTURES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=12,
)


# The strategies take a document's name, not the document: hypothesis prints a
# strategy's arguments in its notes, and a whole ruleset is 70 kB of repr.
DOCUMENTS = {"ruleset": RULESET_DATA, "profile": PROFILE_DATA, "plan": PLAN_DATA}


@st.composite
def mutations(draw: st.DrawFn, name: str) -> Any:
    """A copy of the named document with one subtree, found by a random walk, replaced."""
    doc = json.loads(json.dumps(DOCUMENTS[name]))
    node, steps = doc, draw(st.integers(0, 6))
    for _ in range(steps):
        if isinstance(node, dict) and node:
            key = draw(st.sampled_from(sorted(node)))
        elif isinstance(node, list) and node:
            key = draw(st.integers(0, len(node) - 1))
        else:
            break
        child = node[key]
        if not isinstance(child, dict | list) or draw(st.booleans()):
            node[key] = draw(STRUCTURES)
            return doc
        node = child
    if isinstance(node, dict):
        node[draw(st.text(max_size=8))] = draw(STRUCTURES)
    elif isinstance(node, list):
        node.append(draw(STRUCTURES))
    return doc


@given(st.text(max_size=400))
def test_any_text_gives_a_ruleset_or_diagnostics(text: str):
    result = check_ruleset_text(text, "r.yaml")
    assert (result.compiled is None) == bool([d for d in result.diagnostics if d.severity.value == "error"])


@given(STRUCTURES)
def test_any_structure_gives_a_ruleset_or_diagnostics(data: Any):
    result = check_ruleset_text(json.dumps(data), "r.json")
    assert result.compiled is None
    assert result.diagnostics


@given(mutations("ruleset"))
def test_a_mutated_ruleset_gives_a_ruleset_or_diagnostics(data: Any):
    result = check_ruleset_text(json.dumps(data), "r.json")
    assert result.compiled is not None or result.diagnostics
    for d in result.diagnostics:
        assert d.code
        assert d.message


@given(st.one_of(st.text(max_size=300), mutations("profile").map(json.dumps)))
def test_any_profile_text_gives_a_profile_or_diagnostics(text: str):
    profile, found, _ = check_profile_text(text, "p.yaml", RULESET, TODAY)
    assert (profile is None) == any(d.severity.value == "error" for d in found)


@given(st.one_of(st.text(max_size=300), mutations("plan").map(json.dumps)))
def test_any_plan_text_gives_a_plan_or_diagnostics(text: str):
    plan, found = check_plan_text(text, "plan.json")
    assert plan is not None or found
