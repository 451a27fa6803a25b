"""The shape of a ruleset file (``rtr.ruleset/v1``) as closed pydantic models.

These models check shape only: keys, types and ranges. Meaning (unknown facts,
parameters, gates, phases; conflicts; table consistency) is checked by
:mod:`planner.rules.semantics`, which can point at the exact text.
"""

from __future__ import annotations

import math
from typing import Annotated, Literal

from pydantic import Field, StrictBool, StrictInt, StringConstraints, field_validator, model_validator

from planner.rules.prescription import (
    CrossTrainingTable,
    ExerciseTable,
    HopTable,
    PainGuideTable,
    RaceWeekTable,
    StrengthTable,
    TendonLoadTable,
    WarmupTable,
)
from planner.rules.types import Finite, Grade, Ident, Slug, Strict, Text
from planner.rules.vocabulary import INJURY_KINDS, READINESS_CRITERIA, RED_FLAGS, Action, Urgency


class Cited(Strict):
    """Something that carries its evidence: a source key and an evidence grade."""

    source: Slug
    grade: Grade


class Source(Strict):
    """A bibliography entry that rules, parameters and tables cite by key."""

    cite: Text
    url: str | None = None
    note: Text | None = None


class Parameter(Cited):
    """A named number with its allowed range, unit, source and grade."""

    value: Finite
    min: Finite
    max: Finite
    title: Text
    unit: str | None = None
    note: Text | None = None

    @model_validator(mode="after")
    def _value_in_range(self) -> Parameter:
        if not self.min <= self.max:
            raise ValueError(f"min ({self.min:g}) is greater than max ({self.max:g})")
        if not self.min <= self.value <= self.max:
            raise ValueError(f"value {self.value:g} is outside its own range [{self.min:g}, {self.max:g}]")
        return self


class Phase(Strict):
    """A named stage of the return to running."""

    id: Ident
    title: Text
    label: Text | None = Field(default=None, description="the phase in a runner's words (default: the title)")
    race_specific: StrictBool = False  # only after every readiness criterion holds

    @field_validator("title", "label")
    @classmethod
    def _shown_as_written(cls, value: str | None) -> str | None:
        if value is not None and "$" in value:
            raise ValueError("a phase's title and label are shown as written: no $placeholders (or $ signs)")
        return value


class AnyOf(Strict):
    """True when at least one of the listed conditions holds."""

    any: list[Condition] = Field(min_length=1)


class AllOf(Strict):
    """True when every listed condition holds."""

    all: list[Condition] = Field(min_length=1)


Condition = Annotated[str, StringConstraints(min_length=1, max_length=300)] | AnyOf | AllOf
AnyOf.model_rebuild()
AllOf.model_rebuild()


class Gate(Cited):
    """A named check evaluated at the start of every week; rules may require it."""

    id: Slug
    title: Text
    runner_text: Text = Field(description="what the gate asks, in the runner's words ($param and ${fact} filled in)")
    sticky: StrictBool = True  # once passed, stays passed while kept_when holds
    requires: list[Slug] = Field(default_factory=list)
    when: list[Condition] = Field(default_factory=list)
    kept_when: list[Condition] = Field(
        default_factory=list,
        description="a sticky gate passed earlier stays passed only while these hold (empty: always); "
        "once lost, the gate must be passed again",
    )


class Rule(Cited):
    """When the conditions hold and the required gates passed, the actions propose decisions.

    Per slot, the lowest priority number among the rules that fired wins.
    """

    id: Slug
    title: Text
    priority: StrictInt = Field(ge=1, le=899)
    requires: list[Slug] = Field(default_factory=list)
    when: list[Condition] = Field(default_factory=list)
    then: list[Action] = Field(min_length=1)


# ----------------------------------------------------------------------------- tables
class Table(Cited):
    """Every table names its title, source and evidence grade."""

    title: Text
    note: Text | None = None


class WalkRunRow(Strict):
    """One walk-run stage: intervals (run/walk minutes x reps) or continuous minutes."""

    stage: StrictInt = Field(ge=1, le=50)
    run_min: Finite | None = Field(default=None, gt=0, le=60)
    walk_min: Finite | None = Field(default=None, ge=0, le=60)
    reps: StrictInt | None = Field(default=None, ge=1, le=30)
    continuous_min: Finite | None = Field(default=None, gt=0, le=120)
    min_sessions: StrictInt | None = Field(
        default=None, ge=1, le=20, description="pain-free sessions at this stage before the next (default: the table's)"
    )

    @model_validator(mode="after")
    def _one_shape(self) -> WalkRunRow:
        intervals = (self.run_min, self.walk_min, self.reps)
        if self.continuous_min is None and None in intervals:
            raise ValueError("a stage needs run_min, walk_min and reps, or continuous_min")
        if self.continuous_min is not None and any(v is not None for v in intervals):
            raise ValueError("a stage is either intervals (run_min, walk_min, reps) or continuous_min, not both")
        return self


class WalkRunTable(Table):
    """Walk-run stages, in order; the last one is continuous running."""

    sessions_per_week: StrictInt = Field(ge=1, le=7)
    sessions_to_advance: StrictInt = Field(ge=1, le=20, description="pain-free sessions at a stage before the next")
    rows: list[WalkRunRow] = Field(min_length=1, max_length=50)

    def sessions_needed(self, stage: int) -> int:
        """Pain-free sessions at ``stage`` (1-based) before moving on."""
        row = self.rows[stage - 1]
        return row.min_sessions if row.min_sessions is not None else self.sessions_to_advance


class PainAllowanceRow(Strict):
    """For one injury kind: the pain that lets running continue, and the pain that refers.

    ``during``/``next_morning`` are the allowance (at or below: running may go on);
    ``refer_during``/``refer_next_morning`` the referral thresholds (above: no running,
    see a clinician). Whether a week counts as pain-free is a separate question
    (parameter ``pain_free_max``).
    """

    injury: Literal[(*INJURY_KINDS, "default")]  # type: ignore[valid-type]
    during: StrictInt = Field(ge=0, le=10)
    next_morning: StrictInt = Field(ge=0, le=10)
    refer_during: StrictInt = Field(ge=0, le=10)
    refer_next_morning: StrictInt = Field(ge=0, le=10)
    source: Slug | None = None  # a row's own citation, when it differs from the table's
    grade: Grade | None = None
    note: Text | None = None

    @model_validator(mode="after")
    def _refer_above_allowance(self) -> PainAllowanceRow:
        if self.refer_during < self.during or self.refer_next_morning < self.next_morning:
            raise ValueError("a referral threshold is below the allowance it should sit above")
        return self


class PainTable(Table):
    """Pain allowances by injury; the 'default' row covers the rest."""

    rows: list[PainAllowanceRow] = Field(min_length=1)


class CapException(Cited):
    """A documented reason the race itself may exceed the single-run cap; the plan states it."""

    note: Text


class RaceRow(Strict):
    """What a goal race needs: the race-specific block, the long run, the taper, the peak."""

    race: Literal["5k", "10k", "half", "marathon"]
    miles: Finite = Field(gt=0, le=100)
    build_weeks: StrictInt = Field(ge=1, le=30)
    taper_weeks: StrictInt = Field(ge=1, le=4)
    peak_weekly_miles: Finite = Field(gt=0, le=150)
    long_run_miles: Finite = Field(gt=0, le=40, description="longest run needed in the 4 weeks before the taper")
    long_run_max_minutes: Finite | None = Field(
        default=None, gt=0, le=300, description="a time cap on that need, at the easy pace (e.g. 180 for 3 hours)"
    )
    long_runs_at_need: StrictInt = Field(
        ge=1, le=8, description="long runs near the need (the table's near_need_pct) in the race block"
    )
    cap_exception: CapException | None = None
    quality: list[Literal["strides", "tempo", "intervals", "hills"]] = Field(min_length=1)

    def long_run_need(self, easy_pace_min_per_mile: float) -> float:
        """The long run this race needs, in miles, after the time cap (to 0.1 mi)."""
        need = self.long_run_miles
        if self.long_run_max_minutes is not None:
            need = min(need, self.long_run_max_minutes / easy_pace_min_per_mile)
        return math.floor(need * 10 + 1e-6) / 10


class RaceTable(Table):
    """One row per race distance."""

    rows: list[RaceRow] = Field(min_length=1)
    near_need_pct: Finite = Field(ge=50, le=100, description="a long run this close to the need counts toward it")
    pre_build_long_run_pct: Finite = Field(
        ge=50, le=100, description="before the race block, the long run grows to at most this share of the need"
    )


class QualityTable(Table):
    """What each kind of race-specific quality session is, and how quality starts."""

    sessions: dict[Literal["strides", "tempo", "intervals", "hills"], Text] = Field(min_length=1)
    first_sessions: dict[Literal["strides", "tempo", "intervals", "hills"], Text] = Field(
        default_factory=dict, description="the first session of a kind, gentler (default: the usual session)"
    )
    taper_sessions: dict[Literal["strides", "tempo", "intervals", "hills"], Text] = Field(
        default_factory=dict, description="a taper week's lighter session (default: the usual session)"
    )
    strides_weeks: StrictInt = Field(
        ge=0, le=6, description="weeks of strides only before the first tempo, interval or hill session"
    )
    early_cutback_weeks: StrictInt = Field(
        ge=0, le=20, description="a cutback week within this many weeks of the first quality week has none"
    )


class TaperRow(Strict):
    """Volume cut in a taper week, counted back from the race week (1)."""

    weeks_to_race: StrictInt = Field(ge=1, le=4)
    cut_pct: Finite = Field(ge=0, le=90)


class TaperTable(Table):
    """Volume cuts by weeks to the race."""

    rows: list[TaperRow] = Field(min_length=1)


class BsiSitesTable(Table):
    """Bone stress injury sites by risk."""

    high_risk: list[Ident] = Field(min_length=1)
    low_risk: list[Ident] = Field(min_length=1)


class RedFlagRow(Strict):
    """One red flag: how it reads to a runner and how soon a clinician must see it."""

    flag: Literal[RED_FLAGS]  # type: ignore[valid-type]
    name: Text
    urgency: Urgency
    urgency_high_risk_site: Urgency | None = Field(
        default=None, description="the urgency when the injury is a bone stress injury at a high-risk site"
    )
    advice: Text | None = Field(default=None, description="what to do until seen (weight-bearing, walking)")
    source: Slug | None = None
    grade: Grade | None = None


class RedFlagTable(Table):
    """Every red flag the profile may report, with what stops and what remains allowed."""

    rows: list[RedFlagRow] = Field(min_length=1)
    stop: Text
    allowed: Text


class Tables(Strict):
    """The tables every ruleset carries (``tendon_load`` only where tendon load is grouped)."""

    walk_run: WalkRunTable
    strength_blocks: StrengthTable
    exercises: ExerciseTable
    hop_stages: HopTable
    warmup: WarmupTable
    race_week: RaceWeekTable
    cross_training: CrossTrainingTable
    pain_guide: PainGuideTable
    tendon_load: TendonLoadTable | None = None
    pain_allowance: PainTable
    races: RaceTable
    quality: QualityTable
    taper: TaperTable
    bsi_sites: BsiSitesTable
    red_flags: RedFlagTable


class ReadinessQuestion(Cited):
    """One question of the readiness self-check (``rtr readiness``), in the runner's words.

    ``yes_when`` answers it from a profile (conditions on the facts of the start of week 1);
    a question with a ``criterion`` stands for that readiness criterion when the runner
    answers in a terminal without a profile.
    """

    id: Slug
    ask: Text = Field(description="the question, in the runner's words ($param filled in)")
    yes_when: list[Condition] = Field(min_length=1, description="a profile answers yes when these hold at week 1")
    criterion: Literal[READINESS_CRITERIA] | None = None  # type: ignore[valid-type]
    if_not: Text = Field(description="what a no means, and what to do about it, in the runner's words")


class SelfCheck(Strict):
    """The readiness self-check: its questions and the numbers only they use.

    Nothing here changes a plan, so a plan's ruleset sha256 leaves it out: rewording a
    question does not make every plan look as if it came from another ruleset.
    """

    parameters: dict[Ident, Parameter] = Field(default_factory=dict)
    questions: list[ReadinessQuestion] = Field(min_length=1, max_length=20)


class Readiness(Strict):
    """Which gate means "ready for race-specific training".

    Also which gate stands for each of the four readiness criteria of the plan contract,
    and the questions ``rtr readiness`` asks (``self_check``).
    """

    gate: Slug
    entry_gate: Slug = Field(description="the gate before which no running is prescribed")
    criteria: dict[Literal[READINESS_CRITERIA], Slug]  # type: ignore[valid-type]
    self_check: SelfCheck | None = Field(default=None, description="the questions of `rtr readiness`")

    @field_validator("criteria")
    @classmethod
    def _all_four(cls, value: dict[str, str]) -> dict[str, str]:
        missing = [c for c in READINESS_CRITERIA if c not in value]
        if missing:
            raise ValueError(f"missing criteria: {', '.join(missing)}")
        return value


class RulesetSpec(Strict):
    """A whole ruleset file."""

    schema_: Literal["rtr.ruleset/v1"] = Field(alias="schema")
    id: Slug
    version: Annotated[str, StringConstraints(pattern=r"^\d+\.\d+\.\d+$")]
    title: Text
    description: Text | None = None
    extends: Slug | None = None  # a parent ruleset's id; see planner.rules.inherit
    injuries: list[Literal[INJURY_KINDS]] = Field(default_factory=list)  # type: ignore[valid-type]
    sources: dict[Slug, Source] = Field(min_length=1)
    parameters: dict[Ident, Parameter]
    phases: list[Phase] = Field(min_length=1)
    tables: Tables
    gates: list[Gate] = Field(default_factory=list)
    readiness: Readiness
    rules: list[Rule] = Field(min_length=1, max_length=2000)


def is_finite_number(value: object) -> bool:
    """A real, finite number (bools excluded)."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
