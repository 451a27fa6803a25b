"""The closed vocabulary of the ruleset language: facts, decisions, actions, well-known parameters.

Rules are data; this module is the only place where Python decides what a rule
may read (facts) and what it may decide (slots, their modes, and the actions that
set them). A new rule never needs a code change; a new *kind* of fact or decision
does, with a review: an action is one model and one :data:`ACTIONS` entry here,
plus its meaning in :mod:`planner.planning.week` (whose dispatch is exhaustive, so
a missing case is a type error).

Every fact is computed by the planner for the start of each week from the
profile and the weeks already planned. Distances are in miles.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any, Final, Literal, Union

from pydantic import BaseModel, Discriminator, StrictBool, Tag

from planner.rules.types import Ident, Number, Strict, Text


class FactType(StrEnum):
    """The value type of a fact; it decides which operators and values fit."""

    INT = "int"
    NUMBER = "number"
    BOOL = "bool"
    CHOICE = "choice"


class Weekday(StrEnum):
    """Days of the week, Monday first (plan weeks start on a Monday)."""

    MON = "mon"
    TUE = "tue"
    WED = "wed"
    THU = "thu"
    FRI = "fri"
    SAT = "sat"
    SUN = "sun"


INJURY_KINDS: Final = (
    "bone_stress_injury",
    "achilles_tendinopathy",
    "patellofemoral_pain",
    "plantar_fasciopathy",
    "itb_syndrome",
    "medial_tibial_stress",
    "hamstring_strain",
    "other",
)
RACES: Final = ("none", "5k", "10k", "half", "marathon")
RED_FLAGS: Final = (
    "night_pain",
    "limp",
    "swelling",
    "pain_over_7",
    "bony_tenderness",
    "numbness_or_tingling",
    "groin_pain_on_hopping",
)
WEEKDAYS: Final[tuple[str, ...]] = tuple(d.value for d in Weekday)
READINESS_CRITERIA: Final = (
    "pain_free_10_mpw",
    "heavy_strength_block",
    "single_leg_hops_3x30s",
    "dynamic_warmup",
)


# ----------------------------------------------------------------------------- sessions
class SessionKind(StrEnum):
    """What a session on one day is."""

    WALK = "walk"
    WALK_RUN = "walk_run"
    EASY = "easy"
    LONG = "long"
    STRIDES = "strides"
    TEMPO = "tempo"
    INTERVALS = "intervals"
    HILLS = "hills"
    SHAKEOUT = "shakeout"  # the day before the race: a few easy minutes
    RACE = "race"
    CROSS_TRAIN = "cross_train"  # non-impact training (cycling, pool running) on a day without running


QUALITY_KINDS: Final = frozenset({SessionKind.STRIDES, SessionKind.TEMPO, SessionKind.INTERVALS, SessionKind.HILLS})
# Training runs: every session that is running, the race excepted (it is checked on its own).
RUNNING_KINDS: Final = frozenset(
    {SessionKind.WALK_RUN, SessionKind.EASY, SessionKind.LONG, SessionKind.SHAKEOUT, *QUALITY_KINDS}
)
SEXES: Final = ("female", "male", "other")


class Spacing(StrEnum):
    """How runs are spread over the week."""

    ANY_DAYS = "any_days"
    ALTERNATE_DAYS = "alternate_days"
    TWO_REST_DAYS = "two_rest_days"

    @property
    def rest_days(self) -> int:
        """Days off required between two runs (round the week: Sunday and Monday touch)."""
        return _REST_DAYS[self]


_REST_DAYS: Final = {Spacing.ANY_DAYS: 0, Spacing.ALTERNATE_DAYS: 1, Spacing.TWO_REST_DAYS: 2}


class Urgency(StrEnum):
    """How soon a referral needs a clinician, most urgent first."""

    SAME_DAY = "same_day"
    WITHIN_24H = "within_24h"
    ROUTINE = "routine"

    @property
    def rank(self) -> int:
        """0 for the most urgent tier."""
        return list(Urgency).index(self)


# ----------------------------------------------------------------------------- facts
@dataclass(frozen=True, slots=True)
class FactDef:
    """One fact a rule condition may read."""

    name: str
    type: FactType
    description: str
    unit: str | None = None
    choices: tuple[str, ...] = ()
    low: float = 0  # the smallest value the planner ever gives a number fact
    high: float = float("inf")  # the largest


_I, _N, _B, _C = FactType.INT, FactType.NUMBER, FactType.BOOL, FactType.CHOICE

FACTS: Final[dict[str, FactDef]] = {
    f.name: f
    for f in (
        FactDef("week", _I, "plan week number, 1-based", low=1),
        FactDef("runner.age", _I, "the runner's age in years (0 when the profile does not say)", "years", high=120),
        FactDef("availability.run_days", _I, "how many days a week the runner can run", "days", low=1, high=7),
        FactDef(
            "availability.alternate_day_runs",
            _I,
            "the most runs the runner's days hold with a rest day between each (round the week)",
            "runs",
            high=3,
        ),
        FactDef("injury.kind", _C, "the injury the runner is returning from", choices=INJURY_KINDS),
        FactDef(
            "injury.high_risk_site",
            _B,
            "a bone stress injury at a site the ruleset's bsi_sites table lists as high risk",
        ),
        FactDef(
            "injury.cleared_to_run", _B, "a clinician has cleared the runner to run (in the profile or a check-in)"
        ),
        FactDef("red_flags.count", _I, "number of red flags reported (night pain, limp, swelling ...)", high=7),
        FactDef("pain.daily_life", _I, "pain in daily life, 0-10", "/10", high=10),
        FactDef(
            "pain.allowed_during", _I, "running pain allowed for this injury (pain_allowance table)", "/10", high=10
        ),
        FactDef(
            "pain.allowed_next_morning",
            _I,
            "pain allowed the morning after a run for this injury (pain_allowance table)",
            "/10",
            high=10,
        ),
        FactDef("walk.pain_free_minutes", _I, "brisk walking the runner manages pain-free", "min"),
        FactDef("last_week.miles", _N, "running volume of the previous week", "mi"),
        FactDef("last_week.long_run_miles", _N, "longest run of the previous week", "mi"),
        FactDef("last_week.running_pain", _I, "worst pain during running in the previous week", "/10", high=10),
        FactDef("last_week.next_morning_pain", _I, "worst pain the morning after a run, previous week", "/10", high=10),
        FactDef(
            "last_week.pain_ok",
            _B,
            "the previous week's running and next-morning pain were within this injury's allowance",
        ),
        FactDef("last_week.pain_worsening", _B, "last week's running pain was higher than the week before's"),
        FactDef(
            "last_week.pain_free",
            _B,
            "the previous week was pain-free: running, next-morning and daily-life pain at most $pain_free_max",
        ),
        FactDef(
            "last_week.pain_refers",
            _B,
            "the previous week's running or next-morning pain was above this injury's referral threshold",
        ),
        FactDef("last_week.runs", _I, "runs in the previous week (walk-run sessions included)", "runs", high=7),
        FactDef(
            "last_week.observed",
            _B,
            "the previous week was lived, not projected: a check-in recorded it, or its dates passed without one",
        ),
        FactDef("last_week.checked_in", _B, "the previous week has a check-in"),
        FactDef(
            "last_week.pain_answered",
            _B,
            "the previous week's pain questions were answered (a missing answer is never 0/10; projected weeks: yes)",
        ),
        FactDef(
            "last_week.worse_next_morning",
            _B,
            "the previous week's pain was worse the next morning than while running (both answered)",
        ),
        FactDef("last_week.missed_sessions", _I, "planned runs the previous week's check-in says were missed", "runs"),
        FactDef(
            "last_week.over_plan",
            _B,
            "the previous week's check-in ran more than prescribed: volume or longest run over by more than "
            "$over_plan_miles",
        ),
        FactDef("last_week.hops_painful", _B, "the previous week's check-in says hop work was not pain-free"),
        FactDef(
            "running.weeks_off",
            _I,
            "lived weeks in a row without any running (missed, or no check-in), after running had started",
            "weeks",
        ),
        FactDef("pain.daily_life_weeks", _I, "lived weeks in a row with daily-life pain, ending last week", "weeks"),
        FactDef(
            "last_week.not_pain_free_weeks",
            _I,
            "lived weeks in a row that had running but were not pain-free, ending last week",
            "weeks",
        ),
        FactDef(
            "clearance.awaiting",
            _B,
            "a check-in reported a red flag or pain above the referral threshold, and no clinician's clearance since",
        ),
        FactDef(
            "pain.refer_during",
            _I,
            "running pain above which this injury is referred (pain_allowance table)",
            "/10",
            high=10,
        ),
        FactDef(
            "pain.refer_next_morning",
            _I,
            "next-morning pain above which this injury is referred (pain_allowance table)",
            "/10",
            high=10,
        ),
        FactDef("running.weeks_done", _I, "weeks of this plan with any running so far", "weeks"),
        FactDef("running.continuous_weeks", _I, "weeks of this plan with continuous (not walk-run) running", "weeks"),
        FactDef(
            "running.can_add_run",
            _B,
            "last week's runs were fewer than the days, max_runs_per_week and last week's spacing allow, "
            "and one more would keep every run at least min_run_minutes long",
        ),
        FactDef("load.peak_4wk_miles", _N, "highest weekly volume of the previous four weeks", "mi"),
        FactDef("load.longest_run_30d_miles", _N, "longest single run of the previous four weeks", "mi"),
        FactDef("load.rising_weeks", _I, "consecutive weeks of rising volume, ending last week", "weeks"),
        FactDef(
            "load.weeks_since_cutback",
            _I,
            "weeks since the last down week (cutback, pain cut or taper), counted from the 10-mile gate",
            "weeks",
        ),
        FactDef("load.target_miles", _N, "weekly volume aimed for: the race peak or the runner's target", "mi"),
        FactDef("load.target_reached", _B, "last week's volume reached load.target_miles"),
        FactDef(
            "load.holdable_miles",
            _N,
            "the most weekly volume the runner's run days hold within the run ceilings (max_run_minutes ...)",
            "mi",
        ),
        FactDef(
            "load.target_holdable", _B, "the runner's weekly target (or the race peak) fits in load.holdable_miles"
        ),
        FactDef("walk_run.stage", _I, "current walk-run stage (0 = not started)"),
        FactDef("walk_run.weeks_at_stage", _I, "completed weeks at the current walk-run stage", "weeks"),
        FactDef("walk_run.sessions_at_stage", _I, "pain-free sessions done at the current walk-run stage", "sessions"),
        FactDef(
            "walk_run.stage_done",
            _B,
            "the current walk-run stage has had its pain-free sessions (walk_run table sessions_to_advance)",
        ),
        FactDef("walk_run.complete", _B, "the last walk-run stage is done: the runner runs continuously"),
        FactDef("strength.heavy_weeks", _I, "completed weeks of heavy strength training", "weeks"),
        FactDef("strength.block", _I, "current strength block (0 = none yet)"),
        FactDef("strength.block_week", _I, "week within the current strength block", "weeks"),
        FactDef("hops.stage", _I, "current hop stage (0 = none)"),
        FactDef("hops.weeks_at_stage", _I, "completed weeks at the current hop stage", "weeks"),
        FactDef("hops.stage_done", _B, "the current hop stage has been held its minimum weeks"),
        FactDef("hops.next_single_leg", _B, "the next hop stage is a single-leg stage"),
        FactDef("hops.at_readiness_stage", _B, "the current hop stage is the readiness stage or later"),
        FactDef("hops.readiness_done", _B, "a pain-free week at the readiness hop stage is done"),
        FactDef("hops.last_stage", _B, "the current hop stage is the table's last"),
        FactDef("warmup.weeks", _I, "completed weeks of the fitted dynamic warm-up", "weeks"),
        FactDef("warmup.deficit_count", _I, "number of deficits the warm-up targets"),
        FactDef("race.has_race", _B, "the runner has a goal race"),
        FactDef("race.distance", _C, "the goal race", choices=RACES),
        FactDef("race.weeks_to_race", _I, "weeks until the race week, counting this one (0 = no race)", "weeks"),
        FactDef("race.in_build_window", _B, "within the race's build + taper weeks (races table)"),
        FactDef("race.in_taper_window", _B, "within the race's taper weeks, race week included (races table)"),
        FactDef("race.is_race_week", _B, "this is the week of the race the plan builds to"),
        FactDef("race.is_goal_week", _B, "this is the week of the runner's own race date"),
        FactDef(
            "race.weeks_after_race",
            _I,
            "weeks since the race week the plan built to (1 = the week after it; 0 = not after a race)",
            "weeks",
            high=4,
        ),
        FactDef("runner.sex", _C, "the runner's sex, when the profile gives it ('other' otherwise)", choices=SEXES),
        FactDef(
            "screen.energy_flags",
            _I,
            "energy-availability warning signs in the profile's screen (missed periods, recent weight loss, "
            "restricted eating)",
            high=3,
        ),
        FactDef("screen.previous_bone_stress", _I, "bone stress injuries before this one", high=20),
        FactDef(
            "screen.morning_stiffness_minutes",
            _I,
            "how long the injured tendon or fascia stays stiff in the morning (the profile's week; 0 after it)",
            "min",
            high=240,
        ),
        FactDef(
            "race.moved",
            _B,
            "the plan builds to a later race date than the runner's (the earliest every gate allows)",
        ),
        FactDef(
            "race.long_run_need_miles",
            _N,
            "the longest run the race needs before the taper (races table, after its time cap); 0 without a race",
            "mi",
        ),
        FactDef(
            "race.long_run_ready",
            _B,
            "the longest run of the previous four weeks reached race.long_run_need_miles, and the race block "
            "held the races table's long_runs_at_need long runs near it",
        ),
        FactDef("race_build.weeks_done", _I, "completed weeks of race-specific training", "weeks"),
        FactDef("race_build.complete", _B, "the race's full race-specific block (races table build_weeks) is done"),
        FactDef("race.taper_complete", _B, "the taper weeks before the race week (races table taper_weeks) are done"),
        FactDef("gait_analysis_done", _B, "a video analysis of running form has been done"),
    )
}

# Operators of the condition language, by the fact types they accept.
COMPARISON_OPS: Final = ("==", "!=", "<", "<=", ">", ">=")
MEMBERSHIP_OPS: Final = ("in", "not in")
OPS_BY_TYPE: Final[dict[FactType, tuple[str, ...]]] = {
    FactType.INT: COMPARISON_OPS + MEMBERSHIP_OPS,
    FactType.NUMBER: COMPARISON_OPS,
    FactType.BOOL: ("==", "!="),
    FactType.CHOICE: ("==", "!=", *MEMBERSHIP_OPS),
}


# ----------------------------------------------------------------------------- decisions
class Slot(StrEnum):
    """What a rule's action decides for the week.

    Per slot, the lowest priority number among the rules that fired wins; notes,
    warnings and referrals accumulate.
    """

    PHASE = "phase"
    RUNNING = "running"
    VOLUME_CAP = "volume_cap"
    SPACING = "spacing"
    FREQUENCY = "frequency"
    INTENSITY = "intensity"
    STRENGTH = "strength"
    HOPS = "hops"
    WARMUP = "warmup"
    WALKING = "walking"
    RACE_DAY = "race_day"
    CROSS_TRAINING = "cross_training"
    REFER = "refer"
    NOTE = "note"
    WARNING = "warning"


ACCUMULATING_SLOTS: Final = frozenset({Slot.REFER, Slot.NOTE, Slot.WARNING})


class RunningMode(StrEnum):
    """How the week's running volume is set."""

    NONE = "none"  # no running
    HOLD = "hold"  # last week's volume and long run again
    TAPER = "taper"  # the taper table's cut from the 4-week peak
    WALK_RUN = "walk_run"  # a stage of the walk-run table
    BUILD = "build"  # continuous running, last week + a step, up to a ceiling
    PROGRESS = "progress"  # toward the target, a new high at most cap_pct over the 4-week peak
    CUTBACK = "cutback"  # a planned down week: volume and long run cut
    REDUCE = "reduce"  # an answer to pain: last week's volume cut
    RECOVERY = "recovery"  # a week after the race: the race_week table's share of the pre-taper peak


class StageStep(StrEnum):
    """A move along a staged table (walk-run)."""

    ADVANCE = "advance"
    HOLD = "hold"
    REGRESS = "regress"


class VolumeCapMode(StrEnum):
    """A ceiling on the week's volume, or none."""

    AT = "at"
    NONE = "none"


class FrequencyMode(StrEnum):
    """Whether the week may hold one more run than last week."""

    ADD = "add"
    HOLD = "hold"


class IntensityMode(StrEnum):
    """Whether the week holds race-specific quality."""

    NONE = "none"
    RACE_SPECIFIC = "race_specific"


class StrengthMode(StrEnum):
    """Strength training: through the block table, light maintenance, or none."""

    PROGRESS = "progress"
    MAINTAIN = "maintain"
    NONE = "none"


class HopsMode(StrEnum):
    """Hop work: a stage on, the same stage, a stage back, or none."""

    ADVANCE = "advance"
    HOLD = "hold"
    REGRESS = "regress"
    TAPER = "taper"  # the same stage with the hop table's taper share of the sets
    NONE = "none"


class WarmupMode(StrEnum):
    """The fitted dynamic warm-up, or none."""

    FITTED = "fitted"
    NONE = "none"


class WalkingMode(StrEnum):
    """Brisk walking build-up, or none."""

    BUILD = "build"
    NONE = "none"


class RaceDayMode(StrEnum):
    """Run the goal race this week, or leave it out."""

    RUN = "run"
    SKIP = "skip"


class CrossTrainingMode(StrEnum):
    """Cross-training on the week's days without running (cross_training table), or none."""

    FILL = "fill"
    NONE = "none"


# ----------------------------------------------------------------------------- actions
class PhaseAction(Strict):
    """Set the week's phase."""

    phase: Ident


class RunningSimple(Strict):
    """No running, hold last week's volume and long run, or taper by the taper table."""

    running: Literal["none", "hold", "taper", "recovery"]


class RunningWalkRun(Strict):
    """Walk-run by the walk_run table: move a stage on, hold it, or drop one."""

    running: Literal["walk_run"]
    stage: StageStep


class RunningBuild(Strict):
    """Continuous running: last week + step, never above up_to."""

    running: Literal["build"]
    step_miles: Number
    up_to_miles: Number


class RunningProgress(Strict):
    """Toward load.target_miles, a new weekly high at most cap_pct over the 4-week peak."""

    running: Literal["progress"]
    cap_pct: Number


class RunningCut(Strict):
    """Cut volume: cutback is against the 4-week peak (long run too), reduce against last week."""

    running: Literal["cutback", "reduce"]
    cut_pct: Number


class VolumeCapAt(Strict):
    """A ceiling on the week's running volume, whatever else decided it."""

    volume_cap: Literal["at"]
    miles: Number


class VolumeCapNone(Strict):
    """No ceiling on the week's running volume."""

    volume_cap: Literal["none"]


class SpacingAction(Strict):
    """Whether runs must fall on non-consecutive days."""

    spacing: Spacing


class FrequencyAction(Strict):
    """Allow one run more than last week (add), or keep last week's number of runs (hold)."""

    frequency: FrequencyMode


class IntensityAction(Strict):
    """Whether the week holds race-specific quality (strides, tempo, intervals)."""

    intensity: IntensityMode


class StrengthAction(Strict):
    """Strength: progress through the block table, maintain lightly, or none."""

    strength: StrengthMode


class HopsAction(Strict):
    """Hops: move a stage on, hold, drop a stage, or none."""

    hops: HopsMode


class WarmupAction(Strict):
    """Prescribe the dynamic warm-up fitted to the runner's deficits, or none."""

    warmup: WarmupMode


class WalkingBuild(Strict):
    """Brisk walking: add minutes a week, up to a ceiling."""

    walking: Literal["build"]
    add_minutes: Number
    up_to_minutes: Number


class WalkingNone(Strict):
    """No walking prescription."""

    walking: Literal["none"]


class CrossTrainingAction(Strict):
    """Cross-training on days without running (the cross_training table's options), or none."""

    cross_training: CrossTrainingMode


class RaceDayAction(Strict):
    """Run the goal race this week, or leave it out."""

    race_day: RaceDayMode


class ReferAction(Strict):
    """Send the runner to a clinician, this soon; the week prescribes no running, hops or lifting.

    With ``list_red_flags``, the referral names each reported red flag from the
    ``red_flags`` table, and is as urgent as the most urgent of them. ``stop`` and
    ``allowed`` replace the table's general texts for this referral (a tissue's own
    advice, e.g. pain-free isometrics for a hamstring).
    """

    refer: Text
    urgency: Urgency = Urgency.ROUTINE
    list_red_flags: StrictBool = False
    stop: Text | None = None  # what stops, when not the red_flags table's general text
    allowed: Text | None = None  # what remains allowed, likewise


class NoteAction(Strict):
    """Add a line to the week's notes; ``${fact.name}`` and ``$param`` are filled in."""

    note: Text


class WarningAction(Strict):
    """Add a plan-level warning (shown once, at the top); placeholders as in notes."""

    warning: Text


@dataclass(frozen=True, slots=True)
class ActionDef:
    """One action of the vocabulary: the ``then`` item's tag, the slot it decides, its model."""

    tag: str  # the slot key, plus ":<mode>" where the mode decides the arguments
    slot: Slot
    model: type[Strict]

    @property
    def mode(self) -> str | None:
        """The mode fixed by the tag, for moded slots."""
        return self.tag.partition(":")[2] or None


ACTIONS: Final[tuple[ActionDef, ...]] = (
    ActionDef("phase", Slot.PHASE, PhaseAction),
    ActionDef("running:none", Slot.RUNNING, RunningSimple),
    ActionDef("running:hold", Slot.RUNNING, RunningSimple),
    ActionDef("running:taper", Slot.RUNNING, RunningSimple),
    ActionDef("running:recovery", Slot.RUNNING, RunningSimple),
    ActionDef("running:walk_run", Slot.RUNNING, RunningWalkRun),
    ActionDef("running:build", Slot.RUNNING, RunningBuild),
    ActionDef("running:progress", Slot.RUNNING, RunningProgress),
    ActionDef("running:cutback", Slot.RUNNING, RunningCut),
    ActionDef("running:reduce", Slot.RUNNING, RunningCut),
    ActionDef("volume_cap:at", Slot.VOLUME_CAP, VolumeCapAt),
    ActionDef("volume_cap:none", Slot.VOLUME_CAP, VolumeCapNone),
    ActionDef("spacing", Slot.SPACING, SpacingAction),
    ActionDef("frequency", Slot.FREQUENCY, FrequencyAction),
    ActionDef("intensity", Slot.INTENSITY, IntensityAction),
    ActionDef("strength", Slot.STRENGTH, StrengthAction),
    ActionDef("hops", Slot.HOPS, HopsAction),
    ActionDef("warmup", Slot.WARMUP, WarmupAction),
    ActionDef("walking:build", Slot.WALKING, WalkingBuild),
    ActionDef("walking:none", Slot.WALKING, WalkingNone),
    ActionDef("race_day", Slot.RACE_DAY, RaceDayAction),
    ActionDef("cross_training", Slot.CROSS_TRAINING, CrossTrainingAction),
    ActionDef("refer", Slot.REFER, ReferAction),
    ActionDef("note", Slot.NOTE, NoteAction),
    ActionDef("warning", Slot.WARNING, WarningAction),
)
ACTION_TAGS: Final[dict[str, type[Strict]]] = {a.tag: a.model for a in ACTIONS}
SLOT_KEYS: Final[tuple[str, ...]] = tuple(dict.fromkeys(a.slot.value for a in ACTIONS))
MODED_SLOTS: Final = frozenset(a.slot.value for a in ACTIONS if a.mode is not None)
# The mode enum of each slot whose value is a closed set (phase ids and texts are open).
SLOT_MODES: Final[dict[Slot, type[StrEnum]]] = {
    Slot.RUNNING: RunningMode,
    Slot.VOLUME_CAP: VolumeCapMode,
    Slot.SPACING: Spacing,
    Slot.FREQUENCY: FrequencyMode,
    Slot.INTENSITY: IntensityMode,
    Slot.STRENGTH: StrengthMode,
    Slot.HOPS: HopsMode,
    Slot.WARMUP: WarmupMode,
    Slot.WALKING: WalkingMode,
    Slot.RACE_DAY: RaceDayMode,
    Slot.CROSS_TRAINING: CrossTrainingMode,
}


def _modes_of(slot: str) -> str:
    return "|".join(a.mode or "" for a in ACTIONS if a.slot.value == slot)


UNKNOWN_ACTION_MESSAGE: Final = (
    "not a known action: write one of "
    + ", ".join(SLOT_KEYS[:-1])
    + f" or {SLOT_KEYS[-1]} ("
    + "; ".join(f"{slot}: {_modes_of(slot)}" for slot in sorted(MODED_SLOTS, key=SLOT_KEYS.index))
    + ")"
)


def action_tag(value: Any) -> str | None:
    """Which action model a ``then`` item is.

    The tag is the slot key, plus the mode for slots whose arguments depend on it.
    """
    if isinstance(value, BaseModel):
        value = value.model_dump()
    if not isinstance(value, dict):
        return None
    for slot in SLOT_KEYS:
        if slot in value:
            if slot in MODED_SLOTS:
                tag = f"{slot}:{value[slot]}"
                return tag if tag in ACTION_TAGS else None
            return slot
    return None


if TYPE_CHECKING:
    Action = Strict
else:
    # The discriminated union of every action model, built from the registry so a
    # new action cannot be forgotten here.
    Action = Annotated[
        Union[tuple(Annotated[a.model, Tag(a.tag)] for a in ACTIONS)],  # noqa: UP007 - built at runtime
        Discriminator(action_tag, custom_error_type="unknown_action", custom_error_message=UNKNOWN_ACTION_MESSAGE),
    ]


def _check_registry() -> None:
    """Every slot has an action and every moded tag names a mode of its slot (checked on import)."""
    missing = [s for s in Slot if s.value not in SLOT_KEYS]
    bad = [a.tag for a in ACTIONS if a.mode is not None and a.mode not in {m.value for m in SLOT_MODES[a.slot]}]
    if missing or bad:
        raise RuntimeError(f"vocabulary registry is inconsistent: slots without actions {missing}, bad tags {bad}")


_check_registry()


# ----------------------------------------------------------------------------- parameters
@dataclass(frozen=True, slots=True)
class WellKnownParameter:
    """A parameter the planner machinery or an invariant reads by name.

    ``computable`` is the range the planner's arithmetic is defined on (a week has
    seven days, pain is 0-10, a plan holds at most 104 weeks, a pace is never 0). It is
    not a clinical bound: those are the ruleset's own ``min`` and ``max``, with sources.
    """

    name: str
    role: str
    computable: tuple[float, float]


_MINUTES = (5.0, 600.0)
_WEEKS = (1.0, 52.0)
_PERCENT = (1.0, 100.0)

WELL_KNOWN_PARAMETERS: Final[dict[str, WellKnownParameter]] = {
    p.name: p
    for p in (
        WellKnownParameter(
            "gate_weekly_miles", "the pain-free weekly volume that opens load progression", (0.5, 200.0)
        ),
        WellKnownParameter("gate_min_runs", "the fewest runs in a week that can open the 10-mile gate", (1.0, 7.0)),
        WellKnownParameter(
            "pain_free_max", "the most pain (0-10) a week may have and still count as pain-free", (0.0, 10.0)
        ),
        WellKnownParameter(
            "early_build_step_miles", "largest weekly rise of continuous running before the gate", (0.1, 100.0)
        ),
        WellKnownParameter("pre_gate_max_run_minutes", "longest single run before the 10-mile gate", _MINUTES),
        WellKnownParameter(
            "weekly_cap_pct", "largest new weekly high over the highest of the previous 4 weeks", _PERCENT
        ),
        WellKnownParameter(
            "single_run_cap_pct", "largest single run over the longest run of the previous 30 days", _PERCENT
        ),
        WellKnownParameter(
            "single_run_allowance_miles", "absolute allowance for the single-run cap on tiny bases", (0.0, 50.0)
        ),
        WellKnownParameter("max_run_minutes", "absolute ceiling on any single run, the long run included", _MINUTES),
        WellKnownParameter("max_easy_run_minutes", "longest run that is not the long run", _MINUTES),
        WellKnownParameter(
            "min_run_minutes", "shortest run worth adding: runs are added only while each stays this long", (1.0, 600.0)
        ),
        WellKnownParameter(
            "over_plan_miles", "how far over the prescribed week a check-in may run before the next holds", (0.0, 50.0)
        ),
        WellKnownParameter("cutback_after_weeks", "most weeks in a row without a down week after the gate", _WEEKS),
        WellKnownParameter("cutback_pct", "volume cut of a cutback week, long run included", (1.0, 90.0)),
        WellKnownParameter("masters_age", "age from which the masters cutback rhythm applies", (1.0, 120.0)),
        WellKnownParameter(
            "masters_cutback_after_weeks", "most weeks in a row without a down week for masters", _WEEKS
        ),
        WellKnownParameter("strength_block_min_weeks", "shortest strength block", _WEEKS),
        WellKnownParameter("strength_block_max_weeks", "longest strength block", _WEEKS),
        WellKnownParameter("strength_min_heavy_sessions", "fewest heavy sessions in a strength-block week", (0.0, 7.0)),
        WellKnownParameter("strength_max_heavy_sessions", "most heavy sessions in a strength-block week", (0.0, 7.0)),
        WellKnownParameter("easy_pace_min_per_mile", "easy pace used to turn minutes into miles", (3.0, 30.0)),
        WellKnownParameter(
            "long_run_share_pct", "share of the weekly volume the long run aims for without a race", _PERCENT
        ),
        WellKnownParameter(
            "long_run_max_share_pct", "most of the weekly volume the long run may take (3+ runs)", _PERCENT
        ),
        WellKnownParameter("max_runs_per_week", "most runs in a week", (1.0, 7.0)),
        WellKnownParameter("horizon_weeks", "longest plan the planner projects", (1.0, 104.0)),
    )
}
