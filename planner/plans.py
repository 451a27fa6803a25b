"""Read plan files (``rtr.plan/v1``) and check them against a ruleset's invariants."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pydantic import ValidationError

from planner import kinds
from planner.diagnostics import Diagnostic, SourceText, has_errors
from planner.errors import PlanFileError
from planner.files import read_user_file
from planner.kinds import wrong_kind
from planner.models.plan import Plan
from planner.models.profile import Profile
from planner.planning.context import build_context
from planner.planning.planner import baseline
from planner.rules.compiler import CompiledRuleset
from planner.sourcemap import validation_diagnostics
from planner.validation import Violation, validate_plan
from planner.yamlsource import parse_text


def check_plan_text(text: str, path: str) -> tuple[Plan | None, list[Diagnostic]]:
    """A plan document from text, or every problem at its line and column."""
    doc = parse_text(text, path)
    other = wrong_kind(doc, kinds.PLAN)
    if other is not None:  # a profile given as a plan: say that, not what a plan lacks
        return None, [other]
    if not doc.ok:
        return None, list(doc.diagnostics)
    found = list(doc.diagnostics)
    try:
        plan = Plan.model_validate(doc.data)
    except ValidationError as error:
        return None, [*found, *validation_diagnostics(error, doc, Plan)]
    return (None if has_errors(found) else plan), found  # a duplicate key is ambiguous, not a plan


def read_plan(path: Path) -> Plan:
    """A plan file, or PlanFileError with every problem at its line and column."""
    shown, text = read_user_file(path, "plan", PlanFileError)
    plan, found = check_plan_text(text, shown)
    if plan is None:
        raise PlanFileError(f"{shown} is not a readable rtr.plan/v1 document", found, {shown: SourceText(shown, text)})
    return plan


@dataclass(frozen=True)
class PlanCheck:
    """The outcome of validating one plan."""

    violations: tuple[Violation, ...]
    warnings: tuple[str, ...]


def _baseline_violations(plan: Plan, profile: Profile, ruleset: CompiledRuleset, today: date) -> list[Violation]:
    """The plan's recorded starting point and availability against the runner's profile."""
    ctx = build_context(profile, ruleset, today)
    found: list[Violation] = []
    expected = baseline(ctx).model_dump()
    for key, value in plan.baseline.model_dump().items():
        if expected[key] != value:
            found.append(
                Violation(
                    "baseline",
                    (),
                    f"baseline.{key}",
                    f"the plan says {value!r}; the profile gives {expected[key]!r}",
                    {"plan": value, "profile": expected[key]},
                )
            )
    av = profile.availability
    for key, value in (
        ("run_days", list(av.run_days)),
        ("long_run_day", av.long_run_day),
        ("strength_days", list(av.strength_days)),
    ):
        if getattr(plan.availability, key) != value:
            found.append(
                Violation(
                    "baseline",
                    (),
                    f"availability.{key}",
                    f"the plan says {getattr(plan.availability, key)!r}; the profile gives {value!r}",
                )
            )
    if plan.start_date != ctx.start_date:
        found.append(
            Violation("baseline", (), "start_date", f"the plan starts {plan.start_date}; the profile {ctx.start_date}")
        )
    return found


def check_plan(
    plan: Plan, ruleset: CompiledRuleset, *, profile: Profile | None = None, today: date | None = None
) -> PlanCheck:
    """Every invariant violation of a plan (and, with a profile, of its baseline)."""
    warnings = []
    if plan.ruleset.id != ruleset.spec.id or plan.ruleset.sha256 != ruleset.sha256:
        warnings.append(
            f"the plan was made with ruleset {plan.ruleset.id} {plan.ruleset.version} ({plan.ruleset.sha256[:12]}); "
            f"it is checked against {ruleset.spec.id} {ruleset.spec.version} ({ruleset.sha256[:12]})"
        )
    found = validate_plan(plan, ruleset)
    if profile is not None:
        found = _baseline_violations(plan, profile, ruleset, today or plan.start_date) + found
    return PlanCheck(tuple(found), tuple(warnings))
