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

from importlib import metadata as _metadata

try:
    __version__ = _metadata.version("rtr-planner")
except _metadata.PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"

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
