"""The runner profile file, schema ``rtr.profile/v1``.

All distances in a profile are in its ``units`` (``mi`` or ``km``); the planner
converts them to miles on load. Fields a runner may not know have safe defaults.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StringConstraints,
    field_validator,
    model_validator,
)

from planner.dates import CalendarDate
from planner.days import Weekday
from planner.rules.vocabulary import INJURY_KINDS, RACES, RED_FLAGS, SEXES

InjuryKind = Literal[INJURY_KINDS]  # type: ignore[valid-type]
RaceDistance = Literal[RACES]  # type: ignore[valid-type]
RedFlag = Literal[RED_FLAGS]  # type: ignore[valid-type]
Pain = Annotated[StrictInt, Field(ge=0, le=10)]
# Dates far from the calendar's ends (a plan adds up to two years to them).
ProfileDate = Annotated[CalendarDate, Field(ge=date(2000, 1, 1), le=date(2197, 12, 31))]
# Distances are kept to the hundredth: the engine's number format takes nothing finer.
Distance = Annotated[StrictFloat, Field(ge=0, le=500, allow_inf_nan=False), AfterValidator(lambda v: round(v, 2))]
Name = Annotated[str, StringConstraints(min_length=1, max_length=80, strip_whitespace=True)]
DeficitName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]


def _no_repeats(value: list[str]) -> list[str]:
    repeated = sorted({v for v in value if value.count(v) > 1})
    if repeated:
        raise ValueError(f"listed more than once: {', '.join(repeated)}")
    return value


# Unit-neutral names and the older mile names they replace (both accepted; never both at once).
DISTANCE_NAMES: dict[str, str] = {
    "weekly_distance": "weekly_miles",
    "longest_run": "longest_run_miles",
    "target_weekly_distance": "target_weekly_miles",
    "pre_injury_weekly_distance": "pre_injury_weekly_miles",
}


class Strict(BaseModel):
    """Closed model: a misspelt key is reported, never silently ignored."""

    model_config = ConfigDict(defer_build=True, extra="forbid", frozen=True, populate_by_name=True, allow_inf_nan=False)

    @model_validator(mode="before")
    @classmethod
    def _one_name_per_field(cls, data: object) -> object:
        if isinstance(data, dict):
            for new, old in DISTANCE_NAMES.items():
                if new in data and old in data:
                    raise ValueError(f"{new} and {old} are the same field (in the profile's units): give one of them")
        return data


class Runner(Strict):
    """Who the plan is for."""

    name: Name


class Injury(Strict):
    """The injury the runner is returning from."""

    kind: InjuryKind
    site: DeficitName | None = Field(
        default=None, description="bone stress injuries only: the site, from the ruleset's bsi_sites table"
    )
    cleared_to_run: StrictBool = Field(description="a clinician has cleared the runner to run")


class StrengthNow(Strict):
    """Heavy resistance training done so far."""

    heavy_sessions_per_week: StrictInt = Field(default=0, ge=0, le=7)
    weeks_heavy: StrictInt = Field(default=0, ge=0, le=520, description="weeks of heavy training done so far")


class HopsNow(Strict):
    """Where the runner is in the hop (plyometric) programme."""

    stage: StrictInt = Field(default=0, ge=0, le=20, description="current stage of the ruleset's hop table; 0 = none")
    single_leg_30s_sets: StrictInt = Field(
        default=0, ge=0, le=10, description="sets of 30-second single-leg hops done pain-free"
    )


class Current(Strict):
    """The runner's state now, at the start of the plan."""

    pain_free_walk_minutes: StrictInt = Field(ge=0, le=600)
    daily_life_pain: Pain
    weekly_miles: Distance = Field(
        validation_alias=AliasChoices("weekly_distance", "weekly_miles"),
        description="pain-free running per week now, in the profile's units (weekly_miles also works)",
    )
    longest_run_miles: Distance = Field(
        validation_alias=AliasChoices("longest_run", "longest_run_miles"),
        description="longest run in the last 30 days, in the profile's units (longest_run_miles also works)",
    )
    walk_run_stage: StrictInt | None = Field(
        default=None,
        ge=0,
        le=50,
        description="stage of the ruleset's walk-run table now; omit if running continuously (or not at all)",
    )
    runs_per_week: StrictInt | None = Field(
        default=None, ge=0, le=7, description="runs a week now (default: 3 when running, 0 when not)"
    )
    running_pain: Pain = 0
    next_morning_pain: Pain = 0
    strength: StrengthNow = Field(default_factory=StrengthNow)
    hops: HopsNow = Field(default_factory=HopsNow)
    deficits: list[DeficitName] = Field(default_factory=list, max_length=20)
    fitted_warmup_weeks: StrictInt = Field(default=0, ge=0, le=520)
    gait_analysis_done: StrictBool = False
    red_flags: list[RedFlag] = Field(default_factory=list)

    _unique_lists = field_validator("deficits", "red_flags")(_no_repeats)


class Goal(Strict):
    """What the runner is training for."""

    race: RaceDistance = "none"
    race_date: ProfileDate | None = None
    target_weekly_miles: Distance | None = Field(
        default=None,
        validation_alias=AliasChoices("target_weekly_distance", "target_weekly_miles"),
        description="weekly volume to build to, in the profile's units (default: pre-injury; "
        "target_weekly_miles also works)",
    )


class Availability(Strict):
    """When the runner can train."""

    run_days: list[Weekday] = Field(min_length=1, max_length=7)
    long_run_day: Weekday
    strength_days: list[Weekday] = Field(default_factory=list, max_length=7)
    cross_train_days: list[Weekday] = Field(
        default_factory=list, max_length=7, description="days free for cycling, pool running or similar"
    )

    _unique_lists = field_validator("run_days", "strength_days", "cross_train_days")(_no_repeats)


class Screening(Strict):
    """Questions that change how fast a return may go (bone health, tendon irritability)."""

    previous_bone_stress_injuries: StrictInt = Field(default=0, ge=0, le=20)
    missed_periods: StrictBool = Field(
        default=False, description="periods missing, or fewer than 9 a year, in the last year"
    )
    recent_weight_loss: StrictBool = Field(default=False, description="weight lost without meaning to, or quickly")
    restricted_eating: StrictBool = Field(default=False, description="eating less than training needs, or dieting")
    morning_stiffness_minutes: StrictInt = Field(
        default=0, ge=0, le=240, description="how long the tendon or heel stays stiff after getting up"
    )


class Profile(Strict):
    """A runner profile file."""

    schema_: Literal["rtr.profile/v1"] = Field(alias="schema")
    runner: Runner
    age: StrictInt | None = Field(
        default=None, ge=10, le=100, description="years; rulesets may adapt to masters runners"
    )
    sex: Literal[SEXES] | None = Field(default=None, description="female, male or other; optional")  # type: ignore[valid-type]
    units: Literal["mi", "km"]
    start_date: ProfileDate | None = Field(
        default=None, description="Monday of week 1; default: the Monday after today"
    )
    injury: Injury
    current: Current
    pre_injury_weekly_miles: Distance = Field(
        validation_alias=AliasChoices("pre_injury_weekly_distance", "pre_injury_weekly_miles"),
        description="weekly running before the injury, in the profile's units (pre_injury_weekly_miles also works)",
    )
    screening: Screening = Field(default_factory=Screening)
    goal: Goal = Field(default_factory=Goal)
    availability: Availability

    @field_validator("start_date")
    @classmethod
    def _start_is_monday(cls, value: date | None) -> date | None:
        if value is not None and value.weekday() != 0:
            raise ValueError(f"{value.isoformat()} is a {value.strftime('%A')}; week 1 starts on a Monday")
        return value
