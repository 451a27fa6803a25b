"""The durable_rules wrapper: the engine's sharp edges, each pinned by a test.

See shared/reference/durable-rules.md for the measurements behind each one.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

import planner
from planner.engine import dialect
from planner.engine.base import WeekInput
from planner.engine.dialect import CLOSE_RULE, INIT_RULE
from planner.engine.durable import DurableEvaluator, durable_evaluator
from planner.engine.reference import ReferenceEvaluator
from planner.errors import EngineError, RuleActionError
from planner.planning.context import build_context
from planner.planning.state import facts, initial_state
from planner.rules.compiler import CompiledRuleset
from tests.conftest import EXAMPLES, ROOT, TODAY


def _rss_kb() -> int:
    status = Path("/proc/self/status").read_text()
    return int(status.split("VmRSS:")[1].split()[0])


def _week_one_facts(ruleset: CompiledRuleset, example: str = "shin-pain-10k.yaml") -> Mapping[str, Any]:
    profile = planner.load_profile(EXAMPLES / example, ruleset, TODAY).profile
    ctx = build_context(profile, ruleset, TODAY)
    return facts(ctx, initial_state(ctx))


class OneWeek:
    """A stepper that runs a single week and keeps what fired."""

    def __init__(self, week_facts: Mapping[str, Any]) -> None:
        self.week_facts = week_facts
        self.fired: frozenset[str] = frozenset()
        self.passed: frozenset[str] = frozenset()

    def first_week(self) -> WeekInput:
        return WeekInput(1, self.week_facts, frozenset())

    def close_week(self, fired: frozenset[str], passed: frozenset[str]) -> WeekInput | None:
        self.fired, self.passed = fired, passed
        return None


def test_the_durable_rules_prime_close_and_join(default_ruleset: CompiledRuleset):
    d = dialect.ruleset_definition(default_ruleset)
    assert d[INIT_RULE]["pri"] == 0
    assert d[CLOSE_RULE]["pri"] > max(body["pri"] for name, body in d.items() if name != CLOSE_RULE)
    race = d["rule:race-build"]["all"]
    assert race[1] == {"g0": {"$and": [{"t": "gate"}, {"name": "readiness"}]}}
    assert "gate:ten-mile-gate:before" in d  # sticky gates re-pass from the week fact
    assert "gate:readiness:before" not in d
    assert {len(d)} == {
        1 + len(default_ruleset.gates) + len(default_ruleset.rules) + 1 + sum(g.sticky for g in default_ruleset.gates)
    }
    assert all("run" not in body for body in d.values())  # action names are for durable's host layer: unused


def test_the_rules_language_knows_nothing_of_the_engines_format():
    # The durable JSON dialect ($and, $or, pri, the priming and closing rules) lives in
    # planner/engine/dialect.py only.
    for path in sorted((ROOT / "planner" / "rules").glob("*.py")):
        text = path.read_text(encoding="utf-8")
        for word in ('"$and"', '"$or"', '"pri"', "durable", "_close_week", "engine_key"):
            assert word not in text, f"{word} in {path.name}"


def test_one_week_fires_the_same_rules_and_gates_as_the_reference(default_ruleset: CompiledRuleset):
    week = _week_one_facts(default_ruleset)
    engine, reference = OneWeek(week), OneWeek(week)
    durable_evaluator().run(default_ruleset, engine)
    ReferenceEvaluator().run(default_ruleset, reference)
    assert engine.fired == reference.fired
    assert engine.passed == reference.passed
    assert {"walk-run-advance", "strength-blocks", "warmup-fitted"} <= engine.fired
    assert "ready-to-run" in engine.passed


def test_forward_chaining_a_gate_enables_the_rules_that_require_it(default_ruleset: CompiledRuleset):
    week = dict(_week_one_facts(default_ruleset, "half-marathon-16wk.yaml"))
    stepper = OneWeek(week)
    durable_evaluator().run(default_ruleset, stepper)
    assert "ten-mile-gate" in stepper.passed
    assert "load-progression" in stepper.fired  # joined on the ten-mile-gate fact
    week["last_week.miles"] = 9.0
    stepper = OneWeek(week)
    durable_evaluator().run(default_ruleset, stepper)
    assert "ten-mile-gate" not in stepper.passed
    assert "load-progression" not in stepper.fired


def test_an_action_that_raises_names_the_rule_and_the_week(default_ruleset: CompiledRuleset):
    evaluator = DurableEvaluator()

    def boom(rule_id: str, week: int) -> None:
        if rule_id == "strength-blocks" and week == 3:
            raise ZeroDivisionError("planted")

    evaluator.on_rule_fired = boom
    profile = planner.load_profile(EXAMPLES / "shin-pain-10k.yaml", default_ruleset, TODAY).profile
    with pytest.raises(RuleActionError) as info:
        planner.make_plan(profile, default_ruleset, today=TODAY, evaluator=evaluator)
    assert (info.value.rule_id, info.value.week) == ("strength-blocks", 3)
    assert "rule 'strength-blocks' failed in week 3: ZeroDivisionError('planted')" in str(info.value)
    assert evaluator.live_sessions == 0
    # The evaluator stays usable after the failure.
    evaluator.on_rule_fired = None
    assert planner.make_plan(profile, default_ruleset, today=TODAY, evaluator=evaluator).status == "ready"


def test_a_closing_step_that_raises_is_reported_not_swallowed(default_ruleset: CompiledRuleset):
    class Broken(OneWeek):
        def close_week(self, fired: frozenset[str], passed: frozenset[str]) -> WeekInput | None:
            raise KeyError("no such fact")

    with pytest.raises(RuleActionError) as info:
        DurableEvaluator().run(default_ruleset, Broken(_week_one_facts(default_ruleset)))
    assert info.value.rule_id == CLOSE_RULE


def test_a_closing_step_that_raises_on_a_week_from_the_cache_is_reported_the_same(
    default_ruleset: CompiledRuleset, monkeypatch: pytest.MonkeyPatch
):
    class Broken(OneWeek):
        def close_week(self, fired: frozenset[str], passed: frozenset[str]) -> WeekInput | None:
            raise KeyError("no such fact")

    monkeypatch.delenv("RTR_NO_CACHE", raising=False)
    evaluator = DurableEvaluator()
    facts = _week_one_facts(default_ruleset)
    evaluator.run(default_ruleset, OneWeek(facts))  # week 1 is now in the cache
    with pytest.raises(RuleActionError) as info:
        evaluator.run(default_ruleset, Broken(facts))
    assert evaluator.weeks_from_cache == 1
    assert (info.value.rule_id, info.value.week) == (CLOSE_RULE, 1)
    assert evaluator.live_sessions == 0


@pytest.mark.parametrize("make", [DurableEvaluator, ReferenceEvaluator], ids=["durable", "reference"])
def test_the_firing_budget_stops_a_runaway_week(default_ruleset: CompiledRuleset, make: Any):
    evaluator = make(max_firings_per_week=3)
    with pytest.raises(EngineError, match="firing budget of 3 per week exceeded in week 1"):
        evaluator.run(default_ruleset, OneWeek(_week_one_facts(default_ruleset)))


def test_no_background_threads_and_no_live_sessions_left(default_ruleset: CompiledRuleset):
    before = threading.active_count()
    evaluator = DurableEvaluator()
    evaluator.run(default_ruleset, OneWeek(_week_one_facts(default_ruleset)))
    assert threading.active_count() == before  # the stock host would start timer threads
    assert evaluator.live_sessions == 0


def test_a_ruleset_is_registered_once_per_content(default_ruleset: CompiledRuleset):
    evaluator = DurableEvaluator()
    for _ in range(3):
        evaluator.run(default_ruleset, OneWeek(_week_one_facts(default_ruleset)))
    assert [r.name for r in evaluator._registered.values()] == [
        dialect.engine_name(default_ruleset, dialect.ruleset_definition(default_ruleset))
    ]


def test_no_cross_talk_between_plans_run_from_threads(default_ruleset: CompiledRuleset):
    profiles = [planner.load_profile(p, default_ruleset, TODAY).profile for p in sorted(EXAMPLES.glob("*.yaml"))]
    expected = [
        planner.make_plan(p, default_ruleset, today=TODAY, evaluator=ReferenceEvaluator()).to_json() for p in profiles
    ]
    jobs = [profiles[i % len(profiles)] for i in range(4 * len(profiles))]
    with ThreadPoolExecutor(max_workers=4) as pool:
        got = list(pool.map(lambda p: planner.make_plan(p, default_ruleset, today=TODAY).to_json(), jobs))
    assert got == [expected[i % len(profiles)] for i in range(len(jobs))]


def test_memory_stays_flat_over_ten_thousand_plans(default_ruleset: CompiledRuleset, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("RTR_NO_CACHE", "1")  # every plan opens and deletes an engine session
    week = _week_one_facts(default_ruleset)
    evaluator = durable_evaluator()
    for _ in range(500):  # warm up the allocator and the registration
        evaluator.run(default_ruleset, OneWeek(week))
    start = _rss_kb()
    for _ in range(10_000):
        evaluator.run(default_ruleset, OneWeek(week))
    growth = _rss_kb() - start
    # One session left behind costs about 295 kB (a leak would show as gigabytes here).
    assert growth < 2_048, f"RSS grew {growth} kB over 10,000 plans"
    assert evaluator.live_sessions == 0


def test_the_memory_probe_does_see_a_session_leak(default_ruleset: CompiledRuleset, monkeypatch: pytest.MonkeyPatch):
    """Control for the test above: skipping delete_state must show up in RSS."""
    monkeypatch.setenv("RTR_NO_CACHE", "1")
    evaluator = DurableEvaluator()
    week = _week_one_facts(default_ruleset)
    evaluator.run(default_ruleset, OneWeek(week))
    monkeypatch.setattr(evaluator, "_delete_state", lambda handle, sid: None)
    start = _rss_kb()
    for _ in range(100):
        evaluator.run(default_ruleset, OneWeek(week))
    assert _rss_kb() - start > 100 * 100  # about 295 kB per live session
