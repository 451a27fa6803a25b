"""The plan document, schema ``rtr.plan/v1`` (DESIGN.md section 7).

Other tools read this; the fields of the contract keep their meaning, and fields
are only ever added. Distances are always miles; ``units`` only says how
renderers show them.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    StrictBool,
    StrictFloat,
    StrictInt,
    StringConstraints,
    model_serializer,
)

from planner.dates import CalendarDate
from planner.rules.vocabulary import SessionKind, Urgency

Status = Literal["ready", "race_at_risk", "not_ready_by_horizon", "referral"]
Day = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def _distinct_days(days: list[str]) -> list[str]:
    if len(set(days)) != len(days):
        raise ValueError(f"a day is listed more than once: {', '.join(days)}")
    return days


WeekDays = Annotated[list[Day], Field(max_length=7), AfterValidator(_distinct_days)]
MAX_PLAN_WEEKS = 104  # the longest horizon a ruleset may set
# Dates a plan may hold: far from the calendar's ends, so date arithmetic never overflows.
EARLIEST_DATE, LATEST_DATE = date(2000, 1, 1), date(2199, 12, 31)
PlanDate = Annotated[CalendarDate, Field(ge=EARLIEST_DATE, le=LATEST_DATE)]

PLAN_SCHEMA: Literal["rtr.plan/v1"] = "rtr.plan/v1"
DISCLAIMER = "This plan supports your clinician's care; it does not replace it. Stop and seek care if pain rises."
NOMINAL_ASSUMPTION = (
    "Projected weeks assume each week is completed as prescribed and pain-free; "
    "every gate is a check at the end of a week: advance only if it truly passed."
)


class PlanModel(BaseModel):
    """Closed: a plan file with unknown keys is not an rtr.plan/v1 document."""

    model_config = ConfigDict(defer_build=True, extra="forbid", populate_by_name=True, allow_inf_nan=False)


class WalkRun(PlanModel):
    """Intervals of a walk-run session."""

    run_min: StrictFloat
    walk_min: StrictFloat
    reps: StrictInt


class Session(PlanModel):
    """One session on one day."""

    day: Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    date: PlanDate
    kind: SessionKind
    miles: StrictFloat = Field(ge=0)
    minutes: StrictFloat = Field(ge=0)
    walk_run: WalkRun | None = None
    description: str = ""


class Running(PlanModel):
    """The week's running."""

    weekly_miles: StrictFloat = Field(ge=0, description="running volume, race excluded")
    total_miles: StrictFloat | None = Field(default=None, ge=0, description="the week's running with the race")
    long_run_miles: StrictFloat = Field(ge=0)
    intensity: StrictBool = Field(description="any tempo, interval, hill, strides or race-pace work")
    mode: str = Field(description="how the volume was set: none, walk_run, build, progress, cutback, ...")
    spacing: Literal["alternate_days", "two_rest_days", "any_days"]
    sessions: list[Session]


class StrengthExercise(PlanModel):
    """One exercise of the week's strength sessions, with its dose."""

    name: str
    sets: StrictInt = Field(ge=1, le=10)
    reps: str
    load: str
    rest: str | None = None
    how: str = ""


class Strength(PlanModel):
    """The week's strength training."""

    block: StrictInt | None = Field(ge=1, le=1000, description="blocks count on from the profile's heavy weeks")
    block_week: StrictInt | None = Field(ge=1, le=100)
    focus: str
    sessions: StrictInt = Field(ge=0, description="sessions this week")
    heavy: StrictBool
    name: str = ""
    days: WeekDays = Field(default_factory=list)
    label: str = Field(default="", description="the block in the runner's words")
    deload: StrictBool = Field(default=False, description="the block's easier week")
    novice: StrictBool = Field(default=False, description="a lighter first week for a runner new to heavy lifting")
    exercises: list[StrengthExercise] = Field(default_factory=list)


class Plyometrics(PlanModel):
    """The week's hop work."""

    stage: StrictInt = Field(ge=0, le=50, description="0 = none")
    name: str
    single_leg: StrictBool
    sets: StrictInt = Field(ge=0)
    seconds: StrictInt = Field(ge=0)
    reps: StrictInt | None = Field(default=None, ge=1, description="per set, instead of seconds")
    contacts: StrictInt | None = Field(default=None, ge=1, description="ground contacts per leg per set")
    rest_seconds: StrictInt = Field(default=0, ge=0)
    sessions: StrictInt = Field(default=0, ge=0, le=7, description="hop sessions this week")
    days: WeekDays = Field(default_factory=list)
    taper: StrictBool = Field(default=False, description="a taper week's lighter dose")
    cutback: StrictBool = Field(default=False, description="a running cutback week's lighter dose")
    dose: str = Field(default="", description="sets, seconds, reps or contacts, and rest, in words")
    how: str = Field(default="", description="how every hop session is done")


class Criteria(PlanModel):
    """The four readiness criteria, cumulative, as they stand at the start of the week."""

    pain_free_10_mpw: StrictBool
    heavy_strength_block: StrictBool
    single_leg_hops_3x30s: StrictBool
    dynamic_warmup: StrictBool


class GateResult(PlanModel):
    """A gate as evaluated at the start of the week."""

    id: str
    passed: StrictBool
    detail: str
    title: str = ""
    runner_text: str = Field(default="", description="what the gate asks, in the runner's words and units")


class RedFlagNote(PlanModel):
    """A reported red flag, in the runner's words, and how soon it must be seen."""

    flag: str
    name: str
    urgency: Urgency
    advice: str | None = None


class Referral(PlanModel):
    """Why the runner must see a clinician, how soon, what stops and what remains allowed."""

    rule: str
    reason: str
    urgency: Urgency
    red_flags: list[RedFlagNote] = Field(default_factory=list)
    stop: str
    allowed: str


class LoggedWeek(PlanModel):
    """What an observed week did, as its check-in recorded it (null: not answered)."""

    checkin: str | None = Field(description="the id of the check-in that stands for the week; null: none, not done")
    replaced: list[str] = Field(default_factory=list, description="ids of the week's check-ins it corrected")
    miles: StrictFloat = Field(ge=0, description="running done, in miles (extra runs included)")
    long_run_miles: StrictFloat = Field(ge=0)
    runs: StrictInt = Field(ge=0, le=21)
    ran_against_advice: StrictBool = Field(
        default=False, description="running logged in a week that prescribed none (it never counts toward the load)"
    )
    missed_sessions: StrictInt = Field(ge=0, le=21)
    running_pain: StrictInt | None = Field(default=None, ge=0, le=10)
    next_morning_pain: StrictInt | None = Field(default=None, ge=0, le=10)
    daily_life_pain: StrictInt | None = Field(default=None, ge=0, le=10)
    morning_stiffness_minutes: StrictInt | None = Field(default=None, ge=0)
    hop_stage: StrictInt | None = Field(default=None, ge=0)
    hop_sets: StrictInt | None = Field(default=None, ge=0)
    hops_pain_free: StrictBool | None = None
    strength_sessions: StrictInt | None = Field(default=None, ge=0)
    red_flags: list[str] = Field(default_factory=list)
    cleared_by_clinician: StrictBool = False
    notes: str = ""


class Week(PlanModel):
    """One planned (or observed) week."""

    week: StrictInt = Field(ge=1, le=MAX_PLAN_WEEKS)
    start_date: PlanDate
    phase: str
    running: Running
    strength: Strength
    plyometrics: Plyometrics
    warmup: list[str]
    warmup_before_quality: list[str] = Field(default_factory=list, description="running drills before quality")
    walking_minutes: StrictInt = Field(default=0, ge=0, description="brisk walking prescribed per walk session")
    criteria: Criteria
    gates: list[GateResult]
    observed: StrictBool = False
    logged: LoggedWeek | None = Field(default=None, description="what an observed week did (observed weeks only)")
    rules_fired: list[str]
    decided_by: dict[str, str] = Field(default_factory=dict, description="slot -> rule id that decided it")
    notes: list[str] = Field(default_factory=list)
    referral: list[str] = Field(default_factory=list)
    referrals: list[Referral] = Field(default_factory=list, description="the referral, in detail")

    @model_serializer(mode="wrap")
    def _projected_weeks_say_nothing_of_logs(self, handler: SerializerFunctionWrapHandler) -> Any:
        # A projected week has no log: leaving the key out keeps plans without check-ins unchanged.
        data = handler(self)
        if isinstance(data, dict) and data.get("logged") is None:
            data.pop("logged", None)
        return data


class Baseline(PlanModel):
    """Where the runner stood before week 1, copied from the profile.

    The gates and caps of week 1 depend on it, so a plan file can be checked on its own.
    """

    weekly_miles: StrictFloat = Field(ge=0)
    longest_run_miles: StrictFloat = Field(ge=0)
    running_pain: StrictInt = Field(ge=0, le=10)
    next_morning_pain: StrictInt = Field(ge=0, le=10)
    daily_life_pain: StrictInt = Field(default=0, ge=0, le=10)
    pain_allowed_during: StrictInt = Field(ge=0, le=10)
    pain_allowed_next_morning: StrictInt = Field(ge=0, le=10)
    pain_refer_during: StrictInt = Field(default=10, ge=0, le=10)
    pain_refer_next_morning: StrictInt = Field(default=10, ge=0, le=10)
    runs_per_week: StrictInt = Field(default=0, ge=0, le=7)
    walk_run_stage: StrictInt = Field(default=0, ge=0)
    heavy_weeks: StrictInt = Field(ge=0)
    strength_block: StrictInt = Field(ge=0)
    strength_block_weeks_done: StrictInt = Field(ge=0)
    hop_stage: StrictInt = Field(ge=0)
    hop_readiness_done: StrictBool
    warmup_weeks: StrictInt = Field(ge=0)
    red_flags: list[str]
    cleared_to_run: StrictBool


class PlanAvailability(PlanModel):
    """When the runner can train (copied from the profile)."""

    run_days: list[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]]
    long_run_day: Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    strength_days: list[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]]
    cross_train_days: list[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]] = Field(default_factory=list)


class RulesetRef(PlanModel):
    """Which ruleset made the plan."""

    id: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$", max_length=64)]
    version: str
    sha256: str


class RunnerSummary(PlanModel):
    """Who the plan is for, and what for."""

    name: str
    injury: str
    injury_site: str | None = None
    high_risk_site: StrictBool = False
    age: StrictInt | None = None
    race: str
    target_weekly_miles: StrictFloat = Field(description="what the plan builds to (held to what the run days hold)")
    requested_target_weekly_miles: StrictFloat | None = Field(default=None, description="what the runner asked for")


class RacePlan(PlanModel):
    """The race row the plan used and what it asks of the long run."""

    race: str
    miles: StrictFloat
    build_weeks: StrictInt
    taper_weeks: StrictInt
    peak_weekly_miles: StrictFloat
    long_run_need_miles: StrictFloat = Field(description="longest run needed in the 4 weeks before the taper")
    longest_run_before_taper_miles: StrictFloat = Field(description="what the plan reaches there (0 if no taper)")
    cap_exception: str | None = Field(
        default=None, description="why the race itself may exceed the single-run cap (ruleset), as the plan states it"
    )


class PainAnchor(PlanModel):
    """What a range of the 0-10 scale feels like."""

    score: str
    means: str


class BadDay(PlanModel):
    """What to do when pain appears at one moment."""

    when: str
    do: str


class PainGuide(PlanModel):
    """The pain scale and the bad-day rules, from the ruleset, in the runner's words."""

    scale: list[PainAnchor]
    bad_days: list[BadDay]


class AlternativeRace(PlanModel):
    """A shorter race on the runner's date that every gate allows."""

    race: str
    race_date: PlanDate


class Plan(PlanModel):
    """A whole plan document."""

    schema_: Literal["rtr.plan/v1"] = Field(default=PLAN_SCHEMA, alias="schema")
    status: Status
    status_reason: str
    ruleset: RulesetRef
    runner: RunnerSummary
    units: Literal["mi", "km"]
    start_date: PlanDate
    race_date: PlanDate | None
    planned_race_date: PlanDate | None = Field(
        default=None, description="the race the weeks build to: race_date, or the earliest feasible date when at risk"
    )
    ready_week: StrictInt | None
    earliest_feasible_race_date: PlanDate | None
    race: RacePlan | None = None
    alternatives: list[AlternativeRace] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list, description="what the runner must know before starting")
    pain_guide: PainGuide | None = None
    phase_labels: dict[str, str] = Field(default_factory=dict, description="phase id -> the runner's words for it")
    baseline: Baseline
    availability: PlanAvailability
    assumptions: list[str]
    recommendations: list[str]
    disclaimer: str = DISCLAIMER
    weeks: list[Week] = Field(max_length=MAX_PLAN_WEEKS)

    def to_json(self) -> str:
        """Canonical JSON: same plan, same bytes."""
        return self.model_dump_json(by_alias=True, indent=2) + "\n"
