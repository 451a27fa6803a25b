"""The library's front door: the calls the CLI makes, usable from Python too."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from planner.engine.base import Evaluator
from planner.engine.durable import durable_evaluator
from planner.engine.reference import ReferenceEvaluator
from planner.models.plan import Plan
from planner.models.profile import Profile
from planner.planning import planner as _planner
from planner.profiles import load_profile, peek_injury_kind, read_profile
from planner.rules.compiler import CompiledRuleset
from planner.rules.loader import DEFAULT_RULESET, load_ruleset_cached, resolve_ruleset_path, shipped_ruleset_for

__all__ = [
    "ENGINES",
    "evaluator_named",
    "make_plan",
    "plan_for_file",
    "resolve_ruleset_path",
    "ruleset_for_profile",
    "ruleset_named",
]

ENGINES = ("durable", "reference")


def evaluator_named(name: str) -> Evaluator:
    """``durable`` (the product) or ``reference`` (the oracle)."""
    if name == "durable":
        return durable_evaluator()
    if name == "reference":
        return ReferenceEvaluator()
    raise ValueError(f"unknown engine {name!r}; known: {', '.join(ENGINES)}")


def ruleset_named(name_or_path: str | None = None) -> CompiledRuleset:
    """A shipped ruleset by id, or a ruleset file; the default ruleset for None."""
    return load_ruleset_cached(resolve_ruleset_path(name_or_path or DEFAULT_RULESET))


def make_plan(profile: Profile, ruleset: CompiledRuleset, *, today: date, evaluator: Evaluator | None = None) -> Plan:
    """Project a runner's return to running under a ruleset (durable_rules by default)."""
    return _planner.make_plan(profile, ruleset, today=today, evaluator=evaluator or durable_evaluator())


def ruleset_for_profile(profile_text: str, ruleset: str | None = None) -> CompiledRuleset:
    """The ruleset named, else the shipped ruleset for the profile text's injury kind."""
    if ruleset is not None:
        return ruleset_named(ruleset)
    return load_ruleset_cached(shipped_ruleset_for(peek_injury_kind(profile_text)))


def plan_for_file(profile_path: Path, *, ruleset: str | None = None, today: date, engine: str = "durable") -> Plan:
    """Load a profile file, pick its ruleset (by injury, unless named), and make its plan."""
    text = read_profile(profile_path)  # once: the profile may be a pipe
    compiled = ruleset_for_profile(text[1], ruleset)
    loaded = load_profile(profile_path, compiled, today, text=text)
    return make_plan(loaded.profile, compiled, today=today, evaluator=evaluator_named(engine))
