"""Plan invariants: what every plan from every ruleset must satisfy.

Each invariant has a stable id and a one-line statement, and reads its numbers
from the ruleset the plan is checked against, so a stricter ruleset is held to
its own numbers. The checks read only the plan document and the ruleset, never the
planner's internals: a plan edited by hand or made by another tool is checked the
same way (see :mod:`planner.validation.base`).
"""

from __future__ import annotations

from collections.abc import Sequence

from planner.models.plan import Plan
from planner.rules.compiler import CompiledRuleset
from planner.validation import lived, load, pain, prescription, race, structure
from planner.validation.base import Checked, Invariant, Violation

__all__ = ["INVARIANTS", "INVARIANT_IDS", "Invariant", "Violation", "validate_plan"]

INVARIANTS: tuple[Invariant, ...] = (
    Invariant(
        "gate-10mpw",
        "No volume above the gate, and no intensity, before a pain-free week at the gate over at least N runs.",
        load.gate_10mpw,
    ),
    Invariant(
        "weekly-cap",
        "After the gate a new weekly high stays within the cap over the 4-week peak; "
        "before it, continuous running rises at most the early-build step.",
        load.weekly_cap,
    ),
    Invariant(
        "single-run-cap",
        "No run, the race included, exceeds the longest run of the previous four weeks by more than the "
        "session cap (or its small absolute allowance), unless the ruleset documents a race-day exception "
        "the plan states.",
        load.single_run_cap,
    ),
    Invariant(
        "run-ceiling",
        "No run is longer than the ruleset's ceiling in minutes, no easy run longer than the easy-run ceiling, "
        "and before the gate no run longer than the pre-gate ceiling.",
        load.run_ceiling,
    ),
    Invariant(
        "cutback",
        "After the gate, a down week at least every N+1 weeks whatever the trend (sooner for masters when the "
        "ruleset says so), and a down week cuts the long run too.",
        load.cutback,
    ),
    Invariant(
        "one-change",
        "Runs a week rise by at most one from one week to the next; in a week they rise, volume and hop stage hold.",
        load.one_change,
    ),
    Invariant(
        "walk-run-sessions",
        "A walk-run stage moves on only after its pain-free sessions (not weeks), one stage at a time.",
        load.walk_run_sessions,
    ),
    Invariant(
        "strength-blocks",
        "Strength blocks last their bounds in weeks, go in the ruleset's order, with "
        "the bounded number of heavy sessions a week.",
        structure.strength_blocks,
    ),
    Invariant(
        "hop-progression",
        "Hop stages never skip, are held their minimum weeks, never go backwards in a "
        "projection, and the readiness stage precedes race-specific work.",
        structure.hop_progression,
    ),
    Invariant(
        "readiness",
        "Race-specific phases and intensity only once every readiness criterion holds.",
        structure.readiness,
    ),
    Invariant(
        "race-readiness",
        "A race the plan builds to has its long runs: the races table's need reached in the four weeks "
        "before the taper, and the table's number of long runs near it in the race block.",
        race.race_readiness,
    ),
    Invariant(
        "taper",
        "With a race the plan builds to, the final weeks cut volume by the taper table and end with the race.",
        race.taper,
    ),
    Invariant(
        "pain-free",
        "The 10-mile criterion holds only after a pain-free week (pain at most pain_free_max) at the gate; after a "
        "week that was not pain-free, no hop stage advances and no intensity.",
        pain.pain_free,
    ),
    Invariant(
        "pain-response",
        "No load increase after a week with pain over the allowance; no running with red "
        "flags, without clearance, or in a referral week.",
        pain.pain_response,
    ),
    Invariant(
        "tissue-referral",
        "Pain over the tissue's referral threshold, or a red flag, makes the week a referral; a referral week "
        "names each red flag with the ruleset's urgency and holds nothing else.",
        pain.tissue_referral,
    ),
    Invariant(
        "running-gate",
        "No running before the entry gate (walking and daily life pain-free) has passed, and none in the first phase.",
        pain.running_gate,
    ),
    Invariant(
        "bone-high-risk",
        "At a high-risk bone site, runs stay on alternate days and intensity waits for the ruleset's weeks of running, "
        "and single-leg hops wait for its weeks of continuous running.",
        pain.bone_high_risk,
    ),
    Invariant(
        "honest-status",
        "Status ready only if readiness and the full race block and taper fit; otherwise race_at_risk, "
        "and the plan carries on to the later earliest date.",
        race.honest_status,
    ),
    Invariant(
        "run-days",
        "Run days that cannot hold the gate, or a target they cannot hold, are warned about and never ready.",
        race.run_days,
    ),
    Invariant(
        "strength-rhythm",
        "Every strength block that ends inside the plan ends with one deload week at the table's share of sets; "
        "novice ramp weeks are light, not counted as heavy, and come before heavy lifting.",
        prescription.strength_rhythm,
    ),
    Invariant(
        "injury-exercises",
        "Every strength week holds the exercises the ruleset adds for the injury (room allowing), and none it swaps "
        "out in that phase.",
        prescription.injury_exercises,
    ),
    Invariant(
        "hop-dose",
        "Hop sessions at the table's dose on non-consecutive days, never on the long-run or race day, the day before "
        "either or the day after the long run; fewer sets in cutback and taper weeks, none in race week; no new stage "
        "in a cutback week or the week new faster running starts; the last stage keeps its maintenance sessions "
        "once established.",
        prescription.hop_dose,
    ),
    Invariant(
        "quality-progression",
        "Strides for the table's weeks before tempo, intervals or hills; no faster running in an early cutback week; "
        "running drills before every quality session.",
        prescription.quality_progression,
    ),
    Invariant(
        "race-week",
        "Race week holds at most the short shake-out the day before (none where runs need rest days between), "
        "no run longer than last week's shorter runs, no hops, no strength close to the race; no run in the "
        "table's rest days after it (by race) and no strength in its days after it; the recovery weeks "
        "follow, within the table's share of the peak and all easy; every week's total is its running plus any race.",
        prescription.race_week,
    ),
    Invariant(
        "tendon-load",
        "Where the ruleset groups tendon load, heavy strength, hop and hill days are at least its gap apart.",
        prescription.tendon_load,
    ),
    Invariant(
        "trace",
        "Every fired rule exists; every prescription comes from a rule that fired.",
        structure.trace,
    ),
    Invariant(
        "calendar",
        "Sessions on the runner's run days and right dates, the long run on the long-run day, "
        "no back-to-back runs where spacing is asked for.",
        structure.calendar,
    ),
    Invariant(
        "lived-pain",
        "After a lived week with pain over the allowance, worse the next morning, in daily life, or unanswered, "
        "the next week's volume and longest run do not rise, with no faster running and no new hop stage.",
        lived.lived_pain,
    ),
    Invariant(
        "lived-clearance",
        "After a red flag or pain above the tissue's referral threshold (in the profile or a check-in), no running "
        "until a check-in records a clinician's clearance, and none the week after a red flag.",
        lived.lived_clearance,
    ),
    Invariant(
        "nothing-made-up",
        "After a lived week that ran less than prescribed, or had no check-in, the next week grows only from what "
        "was run (the weekly cap or the early-build step over it), with at most one run more.",
        lived.nothing_made_up,
    ),
)
INVARIANT_IDS: tuple[str, ...] = tuple(i.id for i in INVARIANTS)


def validate_plan(plan: Plan, ruleset: CompiledRuleset, *, only: Sequence[str] = ()) -> list[Violation]:
    """Every violation of every invariant (or of those in ``only``), in order."""
    checked = Checked(plan, ruleset)
    found: list[Violation] = []
    for inv in INVARIANTS:
        if only and inv.id not in only:
            continue
        found.extend(inv.check(checked))
    return found
