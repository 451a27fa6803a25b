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
import itertools
import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StringConstraints,
    ValidationError,
)

from planner.dates import CalendarDate
from planner.diagnostics import Diagnostic, SourceText, Span, display_path, has_errors
from planner.errors import InputError
from planner.files import read_user_file
from planner.loads import is_down_week
from planner.models.plan import Plan, Session, Status, Week
from planner.profiles import check_profile_text
from planner.rules.compiler import CompiledRuleset
from planner.rules.vocabulary import RUNNING_KINDS, WEEKDAYS, Urgency
from planner.sourcemap import validation_diagnostics
from planner.yamlsource import parse_text

CASES_SCHEMA = "rtr.cases/v1"


# A profile field, as deep as a profile goes: ``goal.race_date``, ``current.hops.stage``.
DottedField = Annotated[str, StringConstraints(pattern=r"^[a-z_][a-z0-9_]*(\.[a-z0-9_]+){0,5}$", max_length=120)]


class _Strict(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid", frozen=True, populate_by_name=True, allow_inf_nan=False)


class WeekRange(_Strict):
    """A week number within bounds (inclusive)."""

    min: StrictInt = Field(ge=1)
    max: StrictInt = Field(ge=1)


def _inside(value: str) -> str:
    if ".." in value.split("/"):
        raise ValueError("a profile path stays inside the cases file's folder (no '..')")
    return value


ProfilePath = Annotated[
    str, StringConstraints(pattern=r"^[A-Za-z0-9_.-][A-Za-z0-9_./-]*$", max_length=200), AfterValidator(_inside)
]


class MilesRange(_Strict):
    """A distance within bounds (inclusive); either bound may be left out."""

    min: StrictFloat | None = Field(default=None, ge=0)
    max: StrictFloat | None = Field(default=None, ge=0)


class Expect(_Strict):
    """What the plan must show. Every key is optional; each one given is checked."""

    status: Status | list[Status] | None = None
    ready_week: StrictInt | WeekRange | None = Field(default=None, description="first week every criterion holds")
    never_ready: StrictBool = Field(default=False, description="no week has every readiness criterion")
    weeks: StrictInt | WeekRange | None = Field(default=None, description="how many weeks the plan has")
    phase: dict[int, str] = Field(default_factory=dict, description="week -> phase")
    gate_passed_by: dict[str, int] = Field(default_factory=dict, description="gate -> passed at or before week")
    gate_not_before: dict[str, int] = Field(default_factory=dict, description="gate -> not passed before week")
    no_running_weeks: list[int] = Field(default_factory=list, description="weeks with no running at all")
    max_weekly_miles: dict[int, StrictFloat] = Field(default_factory=dict, description="week -> at most this volume")
    earliest_feasible_race_date: CalendarDate | None = None
    planned_race_date: CalendarDate | None = Field(default=None, description="the race date the weeks build to")
    runs_per_week: dict[int, int] = Field(default_factory=dict, description="week -> runs that week")
    most_runs_per_week: StrictInt | None = Field(default=None, description="no week has more runs")
    longest_run_at_most: StrictFloat | None = Field(default=None, description="no training run is longer (miles)")
    long_run_before_taper: MilesRange | None = Field(
        default=None, description="longest run of the four weeks before the taper (miles)"
    )
    no_running_before: StrictInt | None = Field(default=None, description="no running in any week before this one")
    no_intensity_before: StrictInt | None = Field(default=None, description="no quality session before this week")
    no_single_leg_hops_before: StrictInt | None = Field(default=None, description="no single-leg hop stage before it")
    no_back_to_back_before: StrictInt | None = Field(
        default=None, description="no runs on consecutive days (round the week) before this week"
    )
    cutback_within: StrictInt | None = Field(
        default=None, description="after the 10-mile gate, at most this many weeks in a row without a down week"
    )
    referral_urgency: Urgency | None = Field(default=None, description="the most urgent referral of the plan")
    red_flags_named: list[str] = Field(default_factory=list, description="red flags the referral names")
    warnings: list[str] = Field(default_factory=list, description="text each of which some plan warning contains")
    no_warnings: StrictBool = Field(default=False, description="the plan carries no warning")


class Case(_Strict):
    """One named runner and what their plan must show."""

    name: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    profile: ProfilePath | None = Field(
        default=None, description="a profile file, relative to the cases file (inside its folder)"
    )
    set: dict[DottedField, Any] = Field(
        default_factory=dict, description="dotted field -> value, over the base profile"
    )
    today: CalendarDate | None = None
    expect: Expect


class CasesFile(_Strict):
    """A cases file."""

    schema_: Literal["rtr.cases/v1"] = Field(alias="schema")
    ruleset: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-][A-Za-z0-9_.-]*$", max_length=100)] = Field(
        description="a ruleset id, or a ruleset file name in the cases file's folder"
    )
    today: CalendarDate = date(2026, 11, 26)
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
        cases = CasesFile.model_validate(doc.data)
    except ValidationError as error:
        raise InputError(
            f"cases {shown} have errors",
            [*doc.diagnostics, *validation_diagnostics(error, doc, CasesFile)],
            {shown: doc.source},
        ) from error
    if has_errors(doc.diagnostics):  # a duplicate key: which of the two did the author mean?
        raise InputError(f"cases {shown} have errors", doc.diagnostics, {shown: doc.source})
    return cases, doc.source


def _set_dotted(data: dict[str, Any], dotted: str, value: Any) -> str | None:
    """Set a dotted field; the problem when the path runs through a value that is not a mapping."""
    node: Any = data
    *parents, last = dotted.split(".")
    for key in parents:
        node = node.setdefault(key, {}) if isinstance(node, dict) else None
        if not isinstance(node, dict):
            return f"set: {dotted!r} runs through {key!r}, which is not a mapping in the profile"
    node[last] = value
    return None


def cases_ruleset_path(cases_path: Path, name: str) -> Path:
    """The ruleset a cases file names: an id (next to the file, else shipped) or a file in its folder."""
    from planner.rules.loader import RULESET_SUFFIX, resolve_ruleset_path

    folder = cases_path.parent
    if re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+)*", name):
        local = folder / f"{name}{RULESET_SUFFIX}"
        return local if local.is_file() else resolve_ruleset_path(name, shipped_only=True)
    path = folder / name  # the field's pattern allows a bare file name only
    if path.exists() and not path.is_file():  # a FIFO or a device would block the reader
        raise InputError(
            f"cases {display_path(cases_path)} name a ruleset that is not a file",
            [
                Diagnostic(
                    "file-unreadable",
                    f"{display_path(path)} is not a regular file",
                    Span(display_path(cases_path), 1, 1),
                    hint="name a ruleset file or a shipped ruleset id",
                )
            ],
        )
    return path


def _within(value: int | None, want: int | WeekRange) -> bool:
    if value is None:
        return False
    if isinstance(want, int):
        return value == want
    return want.min <= value <= want.max


def _first_pass(plan: Plan, gate: str) -> int | None:
    return next((w.week for w in plan.weeks if any(g.id == gate and g.passed for g in w.gates)), None)


def check_expectations(plan: Plan, expect: Expect, ruleset: CompiledRuleset) -> list[str]:
    """Every expectation the plan does not meet, as a sentence."""
    return [
        *_plan_wide(plan, expect),
        *_week_by_week(plan, expect),
        *_runs_and_long(plan, expect),
        *_rhythm(plan, expect, ruleset),
        *_referral_and_warnings(plan, expect),
    ]


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


def _runs(w: Week) -> list[Session]:
    return [s for s in w.running.sessions if s.kind in RUNNING_KINDS]


def _first_week_with(plan: Plan, has: Any) -> int | None:
    return next((w.week for w in plan.weeks if has(w)), None)


def _not_before(plan: Plan, week: int | None, what: str, has: Any) -> list[str]:
    if week is None:
        return []
    first = _first_week_with(plan, has)
    return [f"{what} in week {first}, expected not before week {week}"] if first is not None and first < week else []


def _back_to_back(prev: Week | None, w: Week) -> bool:
    days = sorted(WEEKDAYS.index(s.day) for s in _runs(w))
    if any(b - a == 1 for a, b in itertools.pairwise(days)):
        return True
    if prev is None or not days:
        return False
    return days[0] == 0 and any(s.day == "sun" for s in _runs(prev))


def _runs_and_long(plan: Plan, expect: Expect) -> list[str]:
    out: list[str] = []
    by_week = {w.week: w for w in plan.weeks}
    for week, count in expect.runs_per_week.items():
        got = len(_runs(by_week[week])) if week in by_week else None
        if got != count:
            out.append(f"week {week} has {got} runs, expected {count}")
    most = max((len(_runs(w)) for w in plan.weeks), default=0)
    if expect.most_runs_per_week is not None and most > expect.most_runs_per_week:
        out.append(f"a week with {most} runs, expected at most {expect.most_runs_per_week}")
    longest = max((s.miles for w in plan.weeks for s in _runs(w)), default=0.0)
    if expect.longest_run_at_most is not None and longest > expect.longest_run_at_most + 1e-9:
        out.append(f"a {longest:g} mi training run, expected none over {expect.longest_run_at_most:g}")
    want = expect.long_run_before_taper
    if want is not None:
        got_long = plan.race.longest_run_before_taper_miles if plan.race is not None else None
        low = want.min if want.min is not None else 0.0
        high = want.max if want.max is not None else float("inf")
        if got_long is None or not low - 1e-9 <= got_long <= high + 1e-9:
            out.append(f"longest run before the taper {got_long}, expected {low:g} to {high:g} mi")
    return out


def _rhythm(plan: Plan, expect: Expect, ruleset: CompiledRuleset) -> list[str]:
    out: list[str] = []
    out += _not_before(plan, expect.no_running_before, "running", lambda w: bool(_runs(w)))
    out += _not_before(plan, expect.no_intensity_before, "intensity", lambda w: w.running.intensity)
    out += _not_before(plan, expect.no_single_leg_hops_before, "single-leg hops", lambda w: w.plyometrics.single_leg)
    if expect.no_back_to_back_before is not None:
        first = next(
            (w.week for i, w in enumerate(plan.weeks) if _back_to_back(plan.weeks[i - 1] if i else None, w)), None
        )
        if first is not None and first < expect.no_back_to_back_before:
            out.append(
                f"runs on consecutive days in week {first}, expected none before {expect.no_back_to_back_before}"
            )
    if expect.cutback_within is not None:
        gate = ruleset.spec.readiness.criteria["pain_free_10_mpw"]
        volumes = [plan.baseline.weekly_miles, *(w.running.weekly_miles for w in plan.weeks)]
        streak = 0
        for i, w in enumerate(plan.weeks, start=1):
            opened = any(g.id == gate and g.passed for g in w.gates)
            peak = max(volumes[max(0, i - 4) : i])
            down = is_down_week(w.running.weekly_miles, peak, ruleset.param("cutback_pct"))
            streak = 0 if (down or not opened or w.running.mode == "walk_run") else streak + 1
            if streak > expect.cutback_within:
                out.append(f"{streak} weeks in a row after the gate without a down week by week {w.week}")
                break
    return out


def _referral_and_warnings(plan: Plan, expect: Expect) -> list[str]:
    out: list[str] = []
    referrals = [r for w in plan.weeks for r in w.referrals]
    if expect.referral_urgency is not None:
        got = min((r.urgency for r in referrals), key=lambda u: u.rank, default=None)
        if got != expect.referral_urgency:
            out.append(f"referral urgency {got}, expected {expect.referral_urgency.value}")
    named = {f.flag for r in referrals for f in r.red_flags}
    for flag in expect.red_flags_named:
        if flag not in named:
            out.append(f"red flag {flag!r} is not named in a referral")
    for text in expect.warnings:
        if not any(text in w for w in plan.warnings):
            out.append(f"no warning says {text!r} (warnings: {plan.warnings})")
    if expect.no_warnings and plan.warnings:
        out.append(f"warnings {plan.warnings}, expected none")
    if "planned_race_date" in expect.model_fields_set and plan.planned_race_date != expect.planned_race_date:
        out.append(f"the plan builds to {plan.planned_race_date}, expected {expect.planned_race_date}")
    return out


def _show(want: int | WeekRange) -> str:
    return str(want) if isinstance(want, int) else f"{want.min}-{want.max}"


def run_case(case: Case, cases: CasesFile, base_dir: Path, ruleset: CompiledRuleset, make_plan: Any) -> CaseResult:
    """Build the case's runner, plan them under the ruleset, check the expectations."""
    result = CaseResult(ruleset.spec.id, case.name)
    if case.profile is not None:
        profile_path = base_dir / case.profile
        try:
            shown, text = read_user_file(profile_path, "profile", regular_only=True)
        except InputError as error:
            reason = error.diagnostics[0].message if error.diagnostics else str(error)
            result.failures.append(f"cannot read profile {case.profile}: {reason}")
            return result
        data = parse_text(text, shown).data
    else:
        data = copy.deepcopy(cases.base_profile)
    if not isinstance(data, dict):
        result.failures.append("no profile: give base_profile in the cases file or profile in the case")
        return result
    for dotted, value in case.set.items():
        problem = _set_dotted(data, dotted, value)
        if problem is not None:
            result.failures.append(problem)
            return result
    today = case.today or cases.today
    profile, found, _ = check_profile_text(json.dumps(data, default=str), f"case {case.name!r}", ruleset, today)
    if profile is None:
        result.failures += [f"the case's profile is invalid: {d.subject}: {d.message}" for d in found]
        return result
    plan = make_plan(profile, ruleset, today=today)
    result.plan = plan
    result.failures = check_expectations(plan, case.expect, ruleset)
    return result
