"""Ruleset cases: named runners with expected outcomes, written next to a ruleset.

A physical therapist writes ``rulesets/<id>.cases.yaml`` without Python::

    schema: rtr.cases/v1
    ruleset: return-to-run
    base_profile: {...a whole profile...}
    cases:
      - name: runner at 0 mi after shin pain is ready for the 10k
        set: {current.weekly_miles: 0, goal.race: 10k, goal.race_date: 2027-05-23}
        expect:
          status: ready
          ready_week: {min: 8, max: 10}
          phase: {1: walk_run, 9: load_progression}
          gate_passed_by: {ten-mile-gate: 9}
          gate_not_before: {readiness: 9}

``rtr rules test`` runs them, one pass/fail line per case; pytest collects them too.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from planner.diagnostics import SourceText
from planner.errors import InputError
from planner.files import read_user_file
from planner.models.plan import Plan, Status
from planner.profiles import check_profile_text
from planner.rules.compiler import CompiledRuleset
from planner.sourcemap import validation_diagnostics
from planner.yamlsource import parse_text

CASES_SCHEMA = "rtr.cases/v1"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class WeekRange(_Strict):
    """A week number within bounds (inclusive)."""

    min: int = Field(ge=1)
    max: int = Field(ge=1)


class Expect(_Strict):
    """What the plan must show. Every key is optional; each one given is checked."""

    status: Status | list[Status] | None = None
    ready_week: int | WeekRange | None = Field(default=None, description="first week every criterion holds")
    never_ready: bool = Field(default=False, description="no week has every readiness criterion")
    weeks: int | WeekRange | None = Field(default=None, description="how many weeks the plan has")
    phase: dict[int, str] = Field(default_factory=dict, description="week -> phase")
    gate_passed_by: dict[str, int] = Field(default_factory=dict, description="gate -> passed at or before week")
    gate_not_before: dict[str, int] = Field(default_factory=dict, description="gate -> not passed before week")
    no_running_weeks: list[int] = Field(default_factory=list, description="weeks with no running at all")
    max_weekly_miles: dict[int, float] = Field(default_factory=dict, description="week -> at most this volume")
    earliest_feasible_race_date: date | None = None


class Case(_Strict):
    """One named runner and what their plan must show."""

    name: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    profile: str | None = Field(default=None, description="a profile file, relative to the cases file")
    set: dict[str, Any] = Field(default_factory=dict, description="dotted field -> value, over the base profile")
    today: date | None = None
    expect: Expect


class CasesFile(_Strict):
    """A cases file."""

    schema_: Literal["rtr.cases/v1"] = Field(alias="schema")
    ruleset: Annotated[str, StringConstraints(min_length=1)]
    today: date = date(2026, 11, 26)
    base_profile: dict[str, Any] | None = None
    cases: list[Case] = Field(min_length=1)


@dataclass
class CaseResult:
    """The outcome of one case."""

    ruleset: str
    name: str
    failures: list[str] = field(default_factory=list)
    plan: Plan | None = None

    @property
    def passed(self) -> bool:
        """Every expectation held."""
        return not self.failures


def read_cases(path: Path) -> tuple[CasesFile, SourceText]:
    """A cases file, or InputError with every problem at its line and column."""
    shown, text = read_user_file(path, "cases")
    doc = parse_text(text, shown)
    if not doc.ok:
        raise InputError(f"cases {shown} are not valid YAML", doc.diagnostics, {shown: doc.source})
    try:
        return CasesFile.model_validate(doc.data), doc.source
    except ValidationError as error:
        raise InputError(
            f"cases {shown} have errors", validation_diagnostics(error, doc, CasesFile), {shown: doc.source}
        ) from error


def _set_dotted(data: dict[str, Any], dotted: str, value: Any) -> None:
    node = data
    *parents, last = dotted.split(".")
    for key in parents:
        node = node.setdefault(key, {})
    node[last] = value


def _within(value: int | None, want: int | WeekRange) -> bool:
    if value is None:
        return False
    if isinstance(want, int):
        return value == want
    return want.min <= value <= want.max


def _first_pass(plan: Plan, gate: str) -> int | None:
    return next((w.week for w in plan.weeks if any(g.id == gate and g.passed for g in w.gates)), None)


def check_expectations(plan: Plan, expect: Expect) -> list[str]:
    """Every expectation the plan does not meet, as a sentence."""
    return [*_plan_wide(plan, expect), *_week_by_week(plan, expect)]


def _plan_wide(plan: Plan, expect: Expect) -> list[str]:
    out: list[str] = []
    if expect.status is not None:
        allowed = expect.status if isinstance(expect.status, list) else [expect.status]
        if plan.status not in allowed:
            out.append(f"status {plan.status}, expected {' or '.join(allowed)} ({plan.status_reason})")
    if expect.ready_week is not None and not _within(plan.ready_week, expect.ready_week):
        out.append(f"ready_week {plan.ready_week}, expected {_show(expect.ready_week)}")
    if expect.never_ready and plan.ready_week is not None:
        out.append(f"ready from week {plan.ready_week}, expected never")
    if expect.weeks is not None and not _within(len(plan.weeks), expect.weeks):
        out.append(f"{len(plan.weeks)} weeks, expected {_show(expect.weeks)}")
    if "earliest_feasible_race_date" in expect.model_fields_set and (
        plan.earliest_feasible_race_date != expect.earliest_feasible_race_date
    ):
        out.append(
            f"earliest feasible race date {plan.earliest_feasible_race_date}, "
            f"expected {expect.earliest_feasible_race_date}"
        )
    return out


def _week_by_week(plan: Plan, expect: Expect) -> list[str]:
    out: list[str] = []
    by_week = {w.week: w for w in plan.weeks}
    for week, phase in expect.phase.items():
        got = by_week[week].phase if week in by_week else "no such week"
        if got != phase:
            out.append(f"week {week} phase {got}, expected {phase}")
    for gate, week in expect.gate_passed_by.items():
        first = _first_pass(plan, gate)
        if first is None or first > week:
            out.append(f"gate {gate} first passes in week {first}, expected by week {week}")
    for gate, week in expect.gate_not_before.items():
        first = _first_pass(plan, gate)
        if first is not None and first < week:
            out.append(f"gate {gate} passes in week {first}, expected not before week {week}")
    for week in expect.no_running_weeks:
        if week in by_week and by_week[week].running.weekly_miles > 0:
            out.append(f"week {week} runs {by_week[week].running.weekly_miles:g} mi, expected no running")
    for week, limit in expect.max_weekly_miles.items():
        if week in by_week and by_week[week].running.weekly_miles > limit + 1e-9:
            out.append(f"week {week} runs {by_week[week].running.weekly_miles:g} mi, expected at most {limit:g}")
    return out


def _show(want: int | WeekRange) -> str:
    return str(want) if isinstance(want, int) else f"{want.min}-{want.max}"


def run_case(case: Case, cases: CasesFile, base_dir: Path, ruleset: CompiledRuleset, make_plan: Any) -> CaseResult:
    """Build the case's runner, plan them under the ruleset, check the expectations."""
    result = CaseResult(ruleset.spec.id, case.name)
    if case.profile is not None:
        profile_path = base_dir / case.profile
        try:
            data = parse_text(profile_path.read_text(encoding="utf-8"), str(profile_path)).data
        except (OSError, UnicodeDecodeError) as error:
            result.failures.append(f"cannot read profile {case.profile}: {error}")
            return result
    else:
        data = copy.deepcopy(cases.base_profile)
    if not isinstance(data, dict):
        result.failures.append("no profile: give base_profile in the cases file or profile in the case")
        return result
    for dotted, value in case.set.items():
        _set_dotted(data, dotted, value)
    today = case.today or cases.today
    profile, found, _ = check_profile_text(json.dumps(data, default=str), f"case {case.name!r}", ruleset, today)
    if profile is None:
        result.failures += [f"the case's profile is invalid: {d.subject}: {d.message}" for d in found]
        return result
    plan = make_plan(profile, ruleset, today=today)
    result.plan = plan
    result.failures = check_expectations(plan, case.expect)
    return result
