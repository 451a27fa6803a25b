"""The shape of the prescription tables: what a runner is handed to do, with its dose.

Strength blocks and their exercises (by injury and deficit), hop stages with their
dose, the warm-up and how it progresses, the race week and the weeks after it,
cross-training, and the pain guide a runner reads. Every number and exercise is data
in the ruleset; these models only say what shape it takes.
"""

from __future__ import annotations

import itertools
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, StrictInt, model_validator

from planner.rules.types import Finite, Grade, Ident, Slug, Strict, Text
from planner.rules.vocabulary import INJURY_KINDS


def _each_once(names: list[str]) -> list[str]:
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise ValueError(f"listed more than once: {', '.join(repeated)}")
    return names


# A list of exercise ids (or drills): each once, in order.
Distinct = Annotated[list[Ident], AfterValidator(_each_once)]

InjuryOrDefault = Literal[(*INJURY_KINDS, "default")]  # type: ignore[valid-type]
InjuryKind = Literal[INJURY_KINDS]  # type: ignore[valid-type]


class PrescriptionTable(Strict):
    """Every table names its title, source and evidence grade."""

    title: Text
    source: Slug
    grade: Grade
    note: Text | None = None


# ----------------------------------------------------------------------------- strength
class Dose(Strict):
    """Sets of reps at a load, with rest, in words a runner can follow."""

    sets: StrictInt = Field(ge=1, le=10)
    reps: Text = Field(description='per set: "8-12", "5 each side", "30 s hold"')
    load: Text = Field(description="how heavy, in plain words (reps in reserve, not RM)")
    rest: Text | None = None


class StrengthBlockRow(Strict):
    """One strength block: its planned length, sessions a week, dose and exercises."""

    block: StrictInt = Field(ge=1, le=20)
    name: Text = Field(description="the block's name for clinicians (hypertrophy, max strength, power)")
    label: Text = Field(description="the block in a runner's words")
    weeks: StrictInt = Field(ge=1, le=12)
    sessions: StrictInt = Field(ge=1, le=7)
    dose: Dose
    exercises: Distinct = Field(min_length=1, description="exercise ids from the exercises table")


class NoviceRamp(Strict):
    """Lighter first weeks for a runner who has not lifted heavy: learn the lifts before loading them."""

    weeks: StrictInt = Field(ge=1, le=4)
    dose: Dose
    note: Text


class Deload(Strict):
    """The easier week that ends every block."""

    sets_pct: Finite = Field(ge=20, le=100, description="share of the block's sets kept")
    load: Text
    note: Text


class Maintenance(Strict):
    """Light strength work that keeps what was built (taper, race week, recovery)."""

    sessions: StrictInt = Field(ge=1, le=3)
    label: Text = Field(description="the work in the runner's words (a table cell: keep it short)")
    dose: Dose
    exercises: Distinct = Field(min_length=1)


class StrengthTable(PrescriptionTable):
    """Strength blocks in order; then the ``alternate`` blocks take turns (or the last one repeats)."""

    rows: list[StrengthBlockRow] = Field(min_length=1, max_length=20)
    alternate: list[StrictInt] = Field(
        default_factory=list, description="blocks that take turns once the rows have been done (default: the last)"
    )
    novice: NoviceRamp
    deload: Deload
    maintenance: Maintenance

    def row_for(self, block: int) -> StrengthBlockRow:
        """The row block ``block`` follows: the rows in order, then the alternating blocks in turn."""
        if block <= len(self.rows):
            return self.rows[block - 1]
        cycle = self.alternate or [self.rows[-1].block]
        number = cycle[(block - len(self.rows) - 1) % len(cycle)]
        return self.rows[number - 1]


class Exercise(Strict):
    """One exercise: its name, how to do it in one line, and any dose of its own."""

    name: Text
    how: Text
    sets: StrictInt | None = Field(default=None, ge=1, le=10)
    reps: Text | None = None
    load: Text | None = None
    rest: Text | None = None
    loaded_knee_bend: bool = Field(default=False, description="loads the knee while it bends (a split squat)")


class InjuryExercises(Strict):
    """What an injury adds to every block, and what it swaps out (in some phases only)."""

    injury: InjuryKind
    add: Distinct = Field(default_factory=list)
    swap: dict[Ident, Ident] = Field(default_factory=dict, description="exercise -> its replacement")
    phases: Distinct = Field(default_factory=list, description="the phases it applies in (empty: all)")
    source: Slug
    grade: Grade
    note: Text | None = None

    @model_validator(mode="after")
    def _changes_something(self) -> InjuryExercises:
        if not self.add and not self.swap:
            raise ValueError("an injury row adds or swaps at least one exercise")
        same = [old for old, new in self.swap.items() if old == new]
        if same:
            raise ValueError(f"{', '.join(same)} is swapped for itself")
        chained = [new for new in self.swap.values() if new in self.swap]
        if chained:
            raise ValueError(f"{', '.join(chained)} is swapped in and out in one row: swap each exercise once")
        return self


class ExerciseTable(PrescriptionTable):
    """The exercise catalogue, and what injuries and deficits add to the blocks."""

    exercises: dict[Ident, Exercise] = Field(min_length=1)
    max_per_session: StrictInt = Field(
        ge=3, le=12, description="most exercises in a session: the block's and the injury's first, then one per deficit"
    )
    by_injury: list[InjuryExercises] = Field(default_factory=list)
    by_deficit: dict[Ident, Distinct] = Field(default_factory=dict)


# ----------------------------------------------------------------------------- hops
class HopStageRow(Strict):
    """One plyometric stage and its dose."""

    stage: StrictInt = Field(ge=1, le=20)
    name: Text
    single_leg: bool
    sets: StrictInt = Field(ge=1, le=10)
    seconds: StrictInt = Field(ge=5, le=120, description="a set's length (the readiness test: 3 x 30 s)")
    reps: StrictInt | None = Field(default=None, ge=1, le=50, description="per set, instead of seconds")
    contacts: StrictInt | None = Field(
        default=None, ge=1, le=200, description="ground contacts per leg per set (bounding), instead of seconds"
    )
    rest_seconds: StrictInt = Field(ge=15, le=300)
    sessions: StrictInt = Field(ge=1, le=4, description="sessions a week, never on consecutive days")
    min_weeks: StrictInt = Field(default=1, ge=1, le=8)
    readiness: bool = False

    @model_validator(mode="after")
    def _one_measure(self) -> HopStageRow:
        if self.reps is not None and self.contacts is not None:
            raise ValueError("a stage counts reps or ground contacts, not both")
        return self


class HopTable(PrescriptionTable):
    """Hop stages in order (exactly one is the readiness stage), and the taper's dose."""

    rows: list[HopStageRow] = Field(min_length=1, max_length=20)
    taper_sets_pct: Finite = Field(ge=0, le=100, description="share of the sets kept in a taper week")
    cutback_sets_pct: Finite = Field(ge=0, le=100, description="share of the sets kept in a running cutback week")
    top_stage_weeks: StrictInt = Field(
        ge=1, le=52, description="weeks at the last stage before it drops to the maintenance sessions"
    )
    maintenance_sessions: StrictInt = Field(ge=1, le=4, description="last-stage sessions a week after that")
    how: Text = Field(description="how every hop session is done (landing, stopping rules)")


# ----------------------------------------------------------------------------- warm-up
class WarmupStage(Strict):
    """Drills added once the runner has run continuously for some weeks."""

    after_running_weeks: StrictInt = Field(ge=0, le=52)
    add: list[Text] = Field(min_length=1)


class WarmupTable(PrescriptionTable):
    """The dynamic warm-up: always, by stage of the return, by injury, by deficit, before quality."""

    always: list[Text] = Field(min_length=1)
    stages: list[WarmupStage] = Field(default_factory=list)
    by_injury: dict[InjuryKind, list[Text]] = Field(default_factory=dict)
    by_deficit: dict[Ident, list[Text]] = Field(min_length=1)
    before_quality: list[Text] = Field(default_factory=list, description="running drills before a quality session")
    max_drills: StrictInt = Field(
        ge=3, le=30, description="most drills before a run: always, then the injury's, the deficits', the stages'"
    )

    @model_validator(mode="after")
    def _stages_in_order(self) -> WarmupTable:
        weeks = [stage.after_running_weeks for stage in self.stages]
        if any(b <= a for a, b in itertools.pairwise(weeks)):
            raise ValueError(f"warm-up stages come in order of running weeks, each later than the last (got {weeks})")
        return self


# ----------------------------------------------------------------------------- race week and after
class RecoveryWeek(Strict):
    """One week after the race: its volume against the pre-taper peak."""

    week: StrictInt = Field(ge=1, le=4)
    volume_pct: Finite = Field(ge=0, le=100)


class RaceWeekTable(PrescriptionTable):
    """The day before the race, the race itself, and the recovery weeks after it."""

    shakeout_minutes: StrictInt = Field(ge=0, le=30, description="the day before the race: 0 means rest")
    shakeout: Text
    race_effort: Text = Field(description="how to run the first race back")
    recovery: list[RecoveryWeek] = Field(default_factory=list, max_length=4)
    recovery_note: Text
    strength_days_before: StrictInt = Field(ge=0, le=6, description="no strength work this close to the race")
    rest_days_after: dict[Literal["5k", "10k", "half", "marathon"], Annotated[StrictInt, Field(ge=0, le=6)]] = Field(
        default_factory=dict, description="days without running after race day, by race (none: running may resume)"
    )
    strength_days_after: StrictInt = Field(default=0, ge=0, le=6, description="days without strength after the race")
    rest_note: Text | None = Field(default=None, description="the first recovery week's note, when it rests")

    @model_validator(mode="after")
    def _recovery_in_order(self) -> RaceWeekTable:
        weeks = [row.week for row in self.recovery]
        if weeks != list(range(1, len(weeks) + 1)):
            raise ValueError(f"recovery weeks are numbered 1, 2, ... in order (got {weeks})")
        return self


# ----------------------------------------------------------------------------- cross-training
class CrossTrainingTable(PrescriptionTable):
    """Non-impact training on days without running: what suits each injury, and how much."""

    options: dict[InjuryOrDefault, Text] = Field(min_length=1)
    minutes: StrictInt = Field(ge=10, le=90)
    sessions: StrictInt = Field(ge=1, le=4, description="most cross-training sessions a week")
    effort: Text

    @model_validator(mode="after")
    def _has_default(self) -> CrossTrainingTable:
        if "default" not in self.options:
            raise ValueError("options needs a default row")
        return self


# ----------------------------------------------------------------------------- the runner's pain guide
class PainAnchor(Strict):
    """What a range of the 0-10 scale feels like."""

    score: Text = Field(description='"0", "1-2", ...')
    means: Text


class BadDay(Strict):
    """What to do when pain appears at one moment."""

    when: Text
    do: Text


class PainGuideTable(PrescriptionTable):
    """The pain scale with anchors, and the bad-day rules, as the runner reads them."""

    scale: list[PainAnchor] = Field(min_length=2)
    bad_days: list[BadDay] = Field(min_length=1)

    @model_validator(mode="after")
    def _scale_covers_0_to_10(self) -> PainGuideTable:
        covered: list[int] = []
        for anchor in self.scale:
            low, _, high = anchor.score.partition("-")
            if not (low.isdigit() and (high.isdigit() or not high)):
                raise ValueError(f"a score is a number or a range such as 3-4 (got {anchor.score!r})")
            covered += range(int(low), int(high or low) + 1)
        if covered != list(range(11)):
            raise ValueError("the scale's scores run 0 to 10 in order, each score once (like 0, 1-2, 3-4, 5-6, 7-10)")
        return self


# ----------------------------------------------------------------------------- tendon load
class TendonLoadTable(PrescriptionTable):
    """High tendon-load days (heavy calf work, hops, hills) grouped, with rest between them."""

    min_gap_days: StrictInt = Field(ge=2, le=4, description="days from one high-load day to the next (2 = 48 h)")
