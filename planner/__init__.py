"""rtr-planner: a rules-engine planner that takes injured runners back to race training.

The public API::

    from datetime import date
    from pathlib import Path
    import planner

    ruleset = planner.ruleset_named("return-to-run")
    profile = planner.load_profile(Path("examples/shin-pain-10k.yaml"), ruleset, date(2026, 11, 26)).profile
    plan = planner.make_plan(profile, ruleset, today=date(2026, 11, 26))
    print(plan.status, plan.ready_week)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

# Written here only: pyproject.toml reads it (setuptools' dynamic version). Asking
# importlib.metadata instead cost a tenth of every command's start-up.
__version__ = "0.1.0"

# The API is imported on first use (PEP 562), so `rtr --version` and a command's start-up do
# not pay for what they never call.
_EXPORTS = {
    "evaluator_named": "planner.api",
    "make_plan": "planner.api",
    "plan_for_file": "planner.api",
    "ruleset_named": "planner.api",
    "ReferenceEvaluator": "planner.engine.reference",
    "EngineError": "planner.errors",
    "InputError": "planner.errors",
    "PlannerError": "planner.errors",
    "ProfileError": "planner.errors",
    "RuleActionError": "planner.errors",
    "RulesetError": "planner.errors",
    "Plan": "planner.models.plan",
    "Profile": "planner.models.profile",
    "load_profile": "planner.profiles",
    "CompiledRuleset": "planner.rules.compiler",
    "check_ruleset_file": "planner.rules.loader",
    "load_ruleset": "planner.rules.loader",
}


def __getattr__(name: str) -> object:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'planner' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # once
    return value


if TYPE_CHECKING:  # what the names are, for type checkers
    from planner.api import evaluator_named, make_plan, plan_for_file, ruleset_named
    from planner.engine.reference import ReferenceEvaluator
    from planner.errors import EngineError, InputError, PlannerError, ProfileError, RuleActionError, RulesetError
    from planner.models.plan import Plan
    from planner.models.profile import Profile
    from planner.profiles import load_profile
    from planner.rules.compiler import CompiledRuleset
    from planner.rules.loader import check_ruleset_file, load_ruleset

__all__ = [
    "CompiledRuleset",
    "EngineError",
    "InputError",
    "Plan",
    "PlannerError",
    "Profile",
    "ProfileError",
    "ReferenceEvaluator",
    "RuleActionError",
    "RulesetError",
    "__version__",
    "check_ruleset_file",
    "evaluator_named",
    "load_profile",
    "load_ruleset",
    "make_plan",
    "plan_for_file",
    "ruleset_named",
]
