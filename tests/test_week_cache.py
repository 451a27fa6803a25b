"""The durable evaluator decides each distinct week once per process; the plans are the same.

A week's decision (rules fired, gates passed) depends only on the week fact the engine is
given, so a week seen before is answered from the cache. These tests prove it changes no
plan: every example, and generated runners on every shipped ruleset, give the same bytes
with the cache cold, warm and off, and ``--no-cache`` on the command line gives the same
output as a cached run.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

import planner
import planner.engine.durable as durable
from planner.api import ruleset_for_profile
from planner.cli import build_app
from planner.engine.durable import DurableEvaluator
from planner.rules.loader import shipped_ruleset_paths
from planner.testing.strategies import TODAY, profiles

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
RULESETS = {p.stem: planner.load_ruleset(p) for p in shipped_ruleset_paths()}


def _plan(profile: planner.Profile, ruleset: planner.CompiledRuleset, evaluator: DurableEvaluator) -> str:
    return planner.make_plan(profile, ruleset, today=TODAY, evaluator=evaluator).to_json()


@pytest.fixture
def cache_on(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    monkeypatch.delenv("RTR_NO_CACHE", raising=False)
    return monkeypatch


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_an_example_planned_again_comes_from_the_cache_with_the_same_bytes(path: Path, cache_on):
    ruleset = ruleset_for_profile(path.read_text(encoding="utf-8"))
    profile = planner.load_profile(path, ruleset, TODAY).profile
    cached = DurableEvaluator()
    first = _plan(profile, ruleset, cached)
    decided = cached.weeks_decided
    assert decided >= 1
    assert cached.cached_weeks >= 1
    assert _plan(profile, ruleset, cached) == first
    assert cached.weeks_decided == decided, "the second plan asked the engine about a week it had decided"
    assert cached.weeks_from_cache >= decided  # every week of the second plan came from the cache

    cache_on.setenv("RTR_NO_CACHE", "1")
    uncached = DurableEvaluator()
    assert _plan(profile, ruleset, uncached) == first
    assert uncached.cached_weeks == 0  # off: nothing kept
    assert uncached.weeks_from_cache == 0  # and nothing answered


@given(data=st.data())
def test_generated_runners_plan_the_same_with_the_cache_warm_and_off(data: st.DataObject):
    """One evaluator keeps its cache across examples: later runners meet weeks earlier ones decided."""
    name = data.draw(st.sampled_from(sorted(RULESETS)), label="ruleset")
    ruleset = RULESETS[name]
    profile = data.draw(profiles(ruleset), label="profile")
    with pytest.MonkeyPatch.context() as env:
        env.delenv("RTR_NO_CACHE", raising=False)
        cached = _plan(profile, ruleset, _SHARED)
        env.setenv("RTR_NO_CACHE", "1")
        assert _plan(profile, ruleset, _UNCACHED) == cached


_SHARED = DurableEvaluator()  # warm across the generated examples, as in a batch worker
_UNCACHED = DurableEvaluator()


def test_the_cache_stays_within_its_bound_and_still_plans_the_same(cache_on):
    cache_on.setattr(durable, "WEEK_CACHE_SIZE", 5)
    evaluator = DurableEvaluator()
    for path in EXAMPLES:
        ruleset = ruleset_for_profile(path.read_text(encoding="utf-8"))
        profile = planner.load_profile(path, ruleset, TODAY).profile
        with pytest.MonkeyPatch.context() as env:
            env.setenv("RTR_NO_CACHE", "1")
            expected = _plan(profile, ruleset, DurableEvaluator())
        for _ in range(2):  # the second time, a short plan's weeks are still in the cache
            assert _plan(profile, ruleset, evaluator) == expected
            assert evaluator.cached_weeks <= 5 * len(RULESETS)
    assert evaluator.weeks_from_cache > 0  # small as it is, it answered some weeks


def test_a_test_hook_on_every_firing_turns_the_cache_off(cache_on):
    path = ROOT / "examples" / "shin-pain-10k.yaml"
    ruleset = ruleset_for_profile(path.read_text(encoding="utf-8"))
    profile = planner.load_profile(path, ruleset, TODAY).profile
    evaluator = DurableEvaluator()
    _plan(profile, ruleset, evaluator)
    fired: list[tuple[str, int]] = []
    evaluator.on_rule_fired = lambda rule, week: fired.append((rule, week))
    _plan(profile, ruleset, evaluator)
    assert {week for _, week in fired} >= {1, 2, 3}  # the hook saw the weeks the cache holds


@pytest.mark.parametrize("command", [["plan"], ["plan", "-f", "json"]])
def test_no_cache_on_the_command_line_prints_the_same_plan(command: list[str], cache_on):
    runner = CliRunner()
    app = build_app()
    args = [command[0], str(ROOT / "examples" / "knee-flare-up.yaml"), *command[1:], "--today", "2026-11-26"]
    cached = runner.invoke(app, args)
    uncached = runner.invoke(app, [*args, "--no-cache"])
    assert cached.exit_code == uncached.exit_code == 0, cached.output + uncached.output
    assert uncached.output == cached.output
    assert "RTR_NO_CACHE" not in os.environ  # the flag is for that command only


def test_the_firing_budget_holds_with_the_cache_on(cache_on):
    """A week over budget is an error every time: it is never kept, so never answered from the cache."""
    path = ROOT / "examples" / "shin-pain-10k.yaml"
    ruleset = ruleset_for_profile(path.read_text(encoding="utf-8"))
    profile = planner.load_profile(path, ruleset, TODAY).profile
    tight = DurableEvaluator(max_firings_per_week=3)
    for _ in range(2):
        with pytest.raises(planner.EngineError, match="firing budget of 3 per week exceeded in week 1"):
            _plan(profile, ruleset, tight)
    assert tight.cached_weeks == 0
    assert tight.live_sessions == 0


def test_a_plan_answered_whole_from_the_cache_opens_no_engine_session(cache_on, monkeypatch: pytest.MonkeyPatch):
    """Every session the engine sees holds a week fact: a plan all from the cache never opens one."""
    path = ROOT / "examples" / "red-flags-referral.yaml"
    ruleset = ruleset_for_profile(path.read_text(encoding="utf-8"))
    profile = planner.load_profile(path, ruleset, TODAY).profile
    evaluator = DurableEvaluator()
    first = _plan(profile, ruleset, evaluator)
    deleted: list[str] = []
    real = evaluator._delete_state
    monkeypatch.setattr(evaluator, "_delete_state", lambda handle, sid: (deleted.append(sid), real(handle, sid)))
    primed: list[str] = []
    assert_event = durable.durable_rules_engine.assert_event
    monkeypatch.setattr(
        durable.durable_rules_engine, "assert_event", lambda h, m: (primed.append(m), assert_event(h, m))[1]
    )
    assert _plan(profile, ruleset, evaluator) == first
    assert primed == []
    assert deleted == []
    assert evaluator.live_sessions == 0
