"""What the runner is handed besides running: exercises with doses, hop sessions, warm-up drills.

Pure lookups in the ruleset's prescription tables. The week builder decides *whether*
(the rules' strength, hops and warm-up decisions) and *which day*; these functions say
*what*, with every exercise, dose and drill read from the tables.
"""

from __future__ import annotations

from collections.abc import Sequence

from planner.models.plan import StrengthExercise
from planner.rules.prescription import Dose, ExerciseTable, HopStageRow, WarmupTable


def block_exercises(
    table: ExerciseTable, names: Sequence[str], injury: str, phase: str, deficits: Sequence[str]
) -> list[str]:
    """A block's exercise ids for this runner, at most the table's number a session.

    The block's own and the injury's (swaps and additions) come first; then the deficits
    take turns, one exercise each per round, so every deficit gets one before any gets two.
    """
    chosen = list(names)
    swaps: dict[str, str] = {}
    for row in table.by_injury:
        if row.injury != injury or (row.phases and phase not in row.phases):
            continue
        chosen = [row.swap.get(name, name) for name in chosen]
        chosen += row.add
        swaps.update(row.swap)
    chosen = list(dict.fromkeys(chosen))  # in order, each once
    # A deficit's exercise the injury swaps out in this phase is swapped too (e.g. no loaded knee bend).
    queues = [[swaps.get(x, x) for x in table.by_deficit.get(d, [])] for d in deficits]
    while any(queues) and len(chosen) < table.max_per_session:
        for queue in queues:
            while queue and queue[0] in chosen:
                queue.pop(0)
            if queue and len(chosen) < table.max_per_session:
                chosen.append(queue.pop(0))
    return chosen


def dosed(
    table: ExerciseTable, ids: Sequence[str], dose: Dose, *, sets_pct: float = 100, load: str | None = None
) -> list[StrengthExercise]:
    """Each exercise with its dose: its own sets, reps and load where the table gives them, else the block's.

    ``sets_pct`` keeps a share of the sets (a deload); ``load`` replaces every load (a deload or a novice week).
    """
    out = []
    for name in ids:
        ex = table.exercises[name]
        sets = ex.sets or dose.sets
        out.append(
            StrengthExercise(
                name=ex.name,
                sets=max(1, round(sets * sets_pct / 100)),
                reps=ex.reps or dose.reps,
                load=load or ex.load or dose.load,
                rest=ex.rest or dose.rest,
                how=ex.how,
            )
        )
    return out


def summary(exercises: Sequence[StrengthExercise]) -> str:
    """One line for a table cell: ``3 x 8-12: heel raises, split squats``."""
    if not exercises:
        return ""
    first = exercises[0]
    return f"{first.sets} x {first.reps}: " + ", ".join(e.name for e in exercises)


def hop_dose(row: HopStageRow, sets: int) -> str:
    """``3 x 30 s each leg, 90 s rest`` - contacts, reps or seconds, whichever the stage counts."""
    each = " each leg" if row.single_leg else ""
    if row.contacts is not None:
        per_set = f"{row.contacts} ground contacts{each}"
    elif row.reps is not None:
        per_set = f"{row.reps}{each}"
    else:
        per_set = f"{row.seconds} s{each}"
    return f"{sets} x {per_set}, {row.rest_seconds} s rest between sets"


def warmup_drills(table: WarmupTable, injury: str, deficits: Sequence[str], continuous_weeks: int) -> list[str]:
    """The warm-up for this week, at most the table's number of drills.

    Always first, then the injury's, then the deficits' taking turns (every deficit gets one
    before any gets two), then the stages reached: a short warm-up a runner does keeps the
    drills that fit them, and grows with the return while there is room.
    """
    drills = [*table.always, *table.by_injury.get(injury, [])]
    queues = [list(table.by_deficit.get(d, [])) for d in deficits]
    while any(queues):
        for queue in queues:
            if queue:
                drills.append(queue.pop(0))
    for stage in table.stages:
        if continuous_weeks >= stage.after_running_weeks:
            drills += stage.add
    return list(dict.fromkeys(drills))[: table.max_drills]
