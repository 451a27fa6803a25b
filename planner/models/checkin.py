"""One check-in event, a line of the ``rtr.checkins/v1`` log.

A check-in records what happened in one plan week: what was run, what was missed,
the pain questions, hops, strength, red flags and a clinician's clearance. The log is
append-only: a correction is a new event naming the one it ``supersedes``.

A pain question left out is *unanswered*, never 0/10: a week whose pain is unknown
is not pain-free.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StringConstraints,
    model_validator,
)

from planner.dates import CalendarDate
from planner.days import Weekday
from planner.models.plan import MAX_PLAN_WEEKS
from planner.models.profile import Pain, RedFlag

SCHEMA = "rtr.checkins/v1"

EventId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")]
LogDate = Annotated[CalendarDate, Field(ge=date(2000, 1, 1), le=date(2199, 12, 31))]
# Kept to the hundredth, as in a profile: the engine's number format takes nothing finer.
LoggedDistance = Annotated[StrictFloat | StrictInt, Field(gt=0, le=500, allow_inf_nan=False)]
Note = Annotated[str, StringConstraints(max_length=2000)]


class _Closed(BaseModel):
    """A misspelt key is reported, never silently ignored."""

    model_config = ConfigDict(defer_build=True, extra="forbid", frozen=True, allow_inf_nan=False, populate_by_name=True)


class LoggedRun(_Closed):
    """One run of the week, planned or not: a distance (in the profile's units) or minutes, or both."""

    day: Weekday
    distance: LoggedDistance | None = Field(default=None, description="in the profile's units (mi or km)")
    minutes: Annotated[StrictInt, Field(gt=0, le=1440)] | None = None
    walk_run_stage: Annotated[StrictInt, Field(ge=1, le=20)] | None = Field(
        default=None, description="the walk-run stage run, when it was a walk-run session"
    )

    @model_validator(mode="after")
    def _has_a_size(self) -> LoggedRun:
        if self.distance is None and self.minutes is None:
            raise ValueError("a run needs its distance or its minutes (or both)")
        return self


class LoggedHops(_Closed):
    """The hop work done: the stage, the sets done, and whether every set was pain-free."""

    stage: Annotated[StrictInt, Field(ge=0, le=20)]
    sets: Annotated[StrictInt, Field(ge=0, le=50)]
    pain_free: StrictBool


class CheckinEvent(_Closed):
    """What happened in one plan week, as the runner or their clinician recorded it."""

    schema_: Literal["rtr.checkins/v1"] = Field(alias="schema")
    id: EventId = Field(description="unique in the log; a re-delivered line repeats it and changes nothing")
    week: Annotated[StrictInt, Field(ge=1, le=MAX_PLAN_WEEKS)] = Field(description="the plan week it records")
    date: LogDate = Field(description="the day it was recorded")
    supersedes: EventId | None = Field(default=None, description="the id of an earlier event this one corrects")
    runs: list[LoggedRun] = Field(default_factory=list, max_length=21, description="every run, extra ones too")
    missed: list[Weekday] = Field(default_factory=list, max_length=7, description="planned run days not run")
    running_pain: Pain | None = Field(default=None, description="worst pain while running, 0-10; absent: unanswered")
    next_morning_pain: Pain | None = Field(default=None, description="worst pain the morning after, 0-10")
    daily_life_pain: Pain | None = Field(default=None, description="worst pain in daily life, 0-10")
    morning_stiffness_minutes: Annotated[StrictInt, Field(ge=0, le=1440)] | None = None
    hops: LoggedHops | None = None
    strength_sessions: Annotated[StrictInt, Field(ge=0, le=14)] | None = Field(
        default=None, description="heavy strength sessions done"
    )
    red_flags: list[RedFlag] = Field(default_factory=list, max_length=16)
    cleared_by_clinician: StrictBool = Field(
        default=False, description="a clinician has cleared running (after a referral or a bone stress injury)"
    )
    notes: Note = ""

    @model_validator(mode="after")
    def _coherent(self) -> CheckinEvent:
        if self.supersedes == self.id:
            raise ValueError("an event cannot supersede itself")
        ran = {r.day for r in self.runs}
        both = sorted(ran & set(self.missed))
        if both:
            raise ValueError(f"{', '.join(both)} is both run and missed")
        if len(set(self.missed)) != len(self.missed):
            raise ValueError("a missed day is listed more than once")
        if len(set(self.red_flags)) != len(self.red_flags):
            raise ValueError("a red flag is listed more than once")
        return self

    def canonical(self) -> str:
        """The event as one canonical JSON line (no newline): same event, same bytes."""
        return self.model_dump_json(by_alias=True, exclude_defaults=True)
