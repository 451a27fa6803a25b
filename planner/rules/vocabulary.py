"""The closed vocabulary of the ruleset language: facts, slots and well-known parameters.

Rules are data; this module is the only place where Python decides what a rule
may read (facts) and what it may decide (slots and their modes). A new rule never
needs a code change; a new *kind* of fact or decision does, with a review.

Every fact is computed by the planner for the start of each week from the
profile and the weeks already planned. Distances are in miles.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final


class FactType(StrEnum):
    """The value type of a fact; it decides which operators and values fit."""

    INT = "int"
    NUMBER = "number"
    BOOL = "bool"
    CHOICE = "choice"


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
WEEKDAYS: Final = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
READINESS_CRITERIA: Final = (
    "pain_free_10_mpw",
    "heavy_strength_block",
    "single_leg_hops_3x30s",
    "dynamic_warmup",
)


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

    @property
    def engine_key(self) -> str:
        """The flat key of this fact in the engine's week fact."""
        return engine_key(self.name)


def engine_key(name: str) -> str:
    """Flatten a dotted fact name into an engine key (``a.b`` -> ``a__b``).

    The mapping is injective because fact names never contain a double underscore.
    """
    return name.replace(".", "__")


_I, _N, _B, _C = FactType.INT, FactType.NUMBER, FactType.BOOL, FactType.CHOICE

FACTS: Final[dict[str, FactDef]] = {
    f.name: f
    for f in (
        FactDef("week", _I, "plan week number, 1-based", low=1),
        FactDef("injury.kind", _C, "the injury the runner is returning from", choices=INJURY_KINDS),
        FactDef(
            "injury.high_risk_site",
            _B,
            "a bone stress injury at a site the ruleset's bsi_sites table lists as high risk",
        ),
        FactDef("injury.cleared_to_run", _B, "a clinician has cleared the runner to run"),
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
        FactDef("running.weeks_done", _I, "weeks of this plan with any running so far", "weeks"),
        FactDef("load.peak_4wk_miles", _N, "highest weekly volume of the previous four weeks", "mi"),
        FactDef("load.longest_run_30d_miles", _N, "longest single run of the previous four weeks", "mi"),
        FactDef("load.rising_weeks", _I, "consecutive weeks of rising volume, ending last week", "weeks"),
        FactDef("load.target_miles", _N, "weekly volume aimed for: the race peak or the runner's target", "mi"),
        FactDef("load.target_reached", _B, "last week's volume reached load.target_miles"),
        FactDef("walk_run.stage", _I, "current walk-run stage (0 = not started)"),
        FactDef("walk_run.weeks_at_stage", _I, "completed weeks at the current walk-run stage", "weeks"),
        FactDef("walk_run.stage_done", _B, "the current walk-run stage has been held its minimum weeks"),
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
        FactDef("race.is_race_week", _B, "this is the race week"),
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


class Slot(StrEnum):
    """What a rule's action decides for the week.

    Per slot, the lowest priority number among the rules that fired wins; notes and
    referrals accumulate.
    """

    PHASE = "phase"
    RUNNING = "running"
    VOLUME_CAP = "volume_cap"
    SPACING = "spacing"
    INTENSITY = "intensity"
    STRENGTH = "strength"
    HOPS = "hops"
    WARMUP = "warmup"
    WALKING = "walking"
    RACE_DAY = "race_day"
    REFER = "refer"
    NOTE = "note"


ACCUMULATING_SLOTS: Final = frozenset({Slot.REFER, Slot.NOTE})


@dataclass(frozen=True, slots=True)
class WellKnownParameter:
    """A parameter the planner machinery or an invariant reads by name."""

    name: str
    role: str


WELL_KNOWN_PARAMETERS: Final[dict[str, WellKnownParameter]] = {
    p.name: p
    for p in (
        WellKnownParameter("gate_weekly_miles", "the pain-free weekly volume that opens load progression"),
        WellKnownParameter("early_build_step_miles", "largest weekly rise of continuous running before the gate"),
        WellKnownParameter("weekly_cap_pct", "largest new weekly high over the highest of the previous 4 weeks"),
        WellKnownParameter("single_run_cap_pct", "largest single run over the longest run of the previous 30 days"),
        WellKnownParameter("single_run_allowance_miles", "absolute allowance for the single-run cap on tiny bases"),
        WellKnownParameter("cutback_after_rising_weeks", "most consecutive weeks of rising volume after the gate"),
        WellKnownParameter("strength_block_min_weeks", "shortest strength block"),
        WellKnownParameter("strength_block_max_weeks", "longest strength block"),
        WellKnownParameter("strength_min_heavy_sessions", "fewest heavy sessions in a strength-block week"),
        WellKnownParameter("strength_max_heavy_sessions", "most heavy sessions in a strength-block week"),
        WellKnownParameter("easy_pace_min_per_mile", "easy pace used to turn minutes into miles"),
        WellKnownParameter("long_run_share_pct", "share of the weekly volume given to the long run"),
        WellKnownParameter("max_runs_per_week", "most runs in a week"),
        WellKnownParameter("horizon_weeks", "longest plan the planner projects"),
    )
}
