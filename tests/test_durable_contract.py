"""The behaviour of durable_rules' C API that the evaluator's action loop relies on, pinned.

``planner/engine/durable.py`` drives ``durable_rules_engine`` directly instead of durable's
Python host layer. If a durable release changes any of these, this file says which.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from itertools import count
from typing import Any

import pytest

from planner.engine.durable import NOT_HANDLED, OBSERVED, _rule_name
from planner.engine.durable import durable_rules_engine as core

DEFINITION = {
    "_init": {"pri": 0, "all": [{"m": {"t": "_init"}}]},
    "rule:ten": {"pri": 10, "all": [{"w": {"$and": [{"t": "week"}, {"$gte": {"miles": 10}}]}}]},
    "rule:joined": {
        "pri": 20,
        "all": [{"w": {"$and": [{"t": "week"}]}}, {"g0": {"$and": [{"t": "gate"}, {"name": "x"}]}}],
    },
    "_close_week": {"pri": 100, "all": [{"w": {"t": "week"}}]},
}
_SIDS = count(1)


def fact(sid: str, **values: Any) -> str:
    return json.dumps({"sid": sid, **values})


@pytest.fixture(scope="module")
def handle() -> int:
    return int(core.create_ruleset("contract", json.dumps(DEFINITION)))


@pytest.fixture
def session(handle: int) -> Iterator[tuple[str, int]]:
    sid = f"c{next(_SIDS)}"
    code, state = core.assert_event(handle, fact(sid, t="_init"))
    assert code == 0
    started = core.start_action_for_state(handle, state)
    assert _rule_name(started[1]) == "_init"
    assert core.complete_and_start_action(handle, state) is None
    yield sid, state
    core.delete_state(handle, sid)


def drain(handle: int, state: int, act: Any = None) -> list[str]:
    """Every rule the agenda hands out, in order; ``act(name)`` runs between start and complete."""
    started = core.start_action_for_state(handle, state)
    names, message = [], started[1] if started else None
    while message:
        names.append(_rule_name(message))
        if act is not None:
            act(names[-1])
        message = core.complete_and_start_action(handle, state)
    return names


def test_the_same_name_can_be_created_again_with_its_own_handle(handle: int):
    other = core.create_ruleset("contract", json.dumps(DEFINITION))
    assert isinstance(other, int)
    assert other != handle


def test_the_agenda_follows_priority_and_names_the_rule_first(handle: int, session: tuple[str, int]):
    sid, state = session
    assert core.assert_fact(handle, fact(sid, t="week", id="w1", miles=12)) == (0, state)
    started = core.start_action_for_state(handle, state)
    assert started[1].startswith('{"rule:ten":{"w":{')  # the matched fact under its alias
    assert json.loads(started[1])["rule:ten"]["w"]["miles"] == 12
    assert _rule_name(core.complete_and_start_action(handle, state)) == "_close_week"
    assert core.complete_and_start_action(handle, state) is None


def test_a_fact_asserted_inside_an_action_joins_the_same_chain(handle: int, session: tuple[str, int]):
    # The evaluator's gate facts: asserted while an action runs, their joins come next in the chain.
    sid, state = session
    core.assert_fact(handle, fact(sid, t="week", id="w1", miles=3))

    def act(name: str) -> None:
        if name == "_close_week":
            assert core.assert_fact(handle, fact(sid, t="gate", id="g1", name="x")) == (0, state)

    assert drain(handle, state, act) == ["_close_week", "rule:joined"]


def test_a_retraction_by_sid_and_id_alone_removes_the_whole_fact(handle: int, session: tuple[str, int]):
    sid, state = session
    core.assert_fact(handle, fact(sid, t="week", id="w1", miles=12))
    assert core.assert_fact(handle, fact(sid, t="week", id="w1", miles=12))[0] == OBSERVED  # facts are keyed by id
    assert core.retract_fact(handle, json.dumps({"sid": sid, "id": "w1"})) == (0, state)
    assert json.loads(core.get_facts(handle, sid)) == []
    assert drain(handle, state) == []  # nothing of the retracted fact is left on the agenda
    # The same id can be asserted again, as the next week's fact would be.
    assert core.assert_fact(handle, fact(sid, t="week", id="w1", miles=3)) == (0, state)
    assert drain(handle, state) == ["_close_week"]


def test_a_fact_no_rule_can_match_is_refused(handle: int, session: tuple[str, int]):
    sid, _ = session
    assert core.assert_fact(handle, fact(sid, t="other", id="o1"))[0] == NOT_HANDLED


def test_an_abandoned_action_leaves_a_session_that_can_be_deleted(handle: int):
    sid = f"c{next(_SIDS)}"
    _, state = core.assert_event(handle, fact(sid, t="_init"))
    drain(handle, state)
    core.assert_fact(handle, fact(sid, t="week", id="w1", miles=12))
    assert core.start_action_for_state(handle, state) is not None
    core.abandon_action(handle, state)  # what the loop does when an action raises
    core.delete_state(handle, sid)
    with pytest.raises(core.error):
        core.get_facts(handle, sid)  # gone: a deleted session holds nothing


def test_rule_names_are_read_without_parsing_the_message():
    assert _rule_name('{"gate:ten-mile-gate:before":{"w":{"sid": "1"}}}') == "gate:ten-mile-gate:before"
    assert _rule_name('{"rule:a\\"b":{}}') == 'rule:a"b'  # an escape falls back to a JSON parse
