"""The week's training around its running: strength, hops, warm-up and cross-training.

The rules decide each slot's mode (progress, maintain, advance, taper, fill ...); this
module turns a mode into sessions on days, with the doses of the ruleset's tables. It
needs the shape of the week's running first (which days hold runs, the long run, the
quality session, the race), because the rest of the week is fitted around it:

* hop sessions are never on consecutive days, on the day before the long run, or on
  the long-run day; in a taper week they keep the stage at a lighter dose;
* a new hop stage never starts in the week new faster running starts (one change at a time);
* a strength block ends with a deload week (early at a running cutback once the block has
  its minimum length, so the two easy weeks coincide);
* where the ruleset groups tendon load (a ``tendon_load`` table), heavy strength, hops
  and hills share days, with the table's gap between such days.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import assert_never

from planner.models.plan import Plyometrics, Session, Strength, Week
from planner.planning.context import PlanContext
from planner.planning.prescribe import block_exercises, dosed, hop_dose, summary, warmup_drills
from planner.planning.sessions import blocked_after, choose_days
from planner.planning.state import RunnerState
from planner.rules.vocabulary import (
    WEEKDAYS,
    CrossTrainingMode,
    HopsMode,
    RunningMode,
    SessionKind,
    StrengthMode,
    WarmupMode,
)

SessionMaker = Callable[..., Session]


@dataclass(frozen=True, slots=True)
class WeekShape:
    """What the week's running decided, that everything else is fitted around."""

    mode: RunningMode
    phase: str
    run_days: tuple[str, ...]  # days with a run or walk-run session, the race excluded
    long_day: str | None
    race_day: str | None
    quality: SessionKind | None
    quality_day: str | None

    @property
    def continuous(self) -> bool:
        """The week's running is continuous (not walk-run, not none)."""
        return self.mode not in (RunningMode.NONE, RunningMode.WALK_RUN)


@dataclass(frozen=True, slots=True)
class StrengthState:
    """Where the runner stands in the strength table after the week."""

    heavy_weeks: int
    block: int
    block_weeks_done: int
    block_complete: bool
    novice_weeks_left: int


def _within(a: str, b: str, rest_days: int) -> bool:
    """Days ``a`` and ``b`` have fewer than ``rest_days`` days off between them, round the week."""
    gap = abs(WEEKDAYS.index(a) - WEEKDAYS.index(b))
    return min(gap, 7 - gap) <= rest_days


def day_after(day: str) -> str:
    """The weekday after ``day`` (Sunday's is Monday)."""
    return WEEKDAYS[(WEEKDAYS.index(day) + 1) % 7]


def day_before(day: str) -> str:
    """The weekday before ``day`` (Monday's is Sunday)."""
    return WEEKDAYS[(WEEKDAYS.index(day) - 1) % 7]


def none_strength() -> Strength:
    """No strength work this week."""
    return Strength(block=None, block_week=None, focus="none this week", sessions=0, heavy=False, name="none")


def none_hops() -> Plyometrics:
    """No hop work this week."""
    return Plyometrics(stage=0, name="none this week", single_leg=False, sets=0, seconds=0)


class TrainingBuilder:
    """Strength, hops, warm-up and cross-training for one plan's weeks."""

    def __init__(self, ctx: PlanContext) -> None:
        self.ctx = ctx
        self.tables = ctx.ruleset.spec.tables
        self.availability = ctx.profile.availability
        self.injury = ctx.profile.injury.kind
        self.deficits = tuple(ctx.profile.current.deficits)
        self.grouped = self.tables.tendon_load is not None

    # ------------------------------------------------------------------ strength
    def hop_avoid(self, shape: WeekShape) -> set[str]:
        """Days that take no hop work: the long run (and the days either side of it), the race and the day before."""
        avoid: set[str] = set()
        if shape.long_day is not None:
            avoid |= {shape.long_day, day_before(shape.long_day), day_after(shape.long_day)}
        if shape.race_day is not None:
            avoid |= {shape.race_day, day_before(shape.race_day)}
        return avoid

    def tendon_rest(self) -> int:
        """Days off between two high tendon-load days (0 where the ruleset does not group tendon load)."""
        return self.tables.tendon_load.min_gap_days - 1 if self.tables.tendon_load is not None else 0

    def loaded_days(self, week: Week | None) -> list[str]:
        """A week's high tendon-load days: heavy strength, hops and hills."""
        if week is None:
            return []
        days = set(week.plyometrics.days)
        if week.strength.block is not None:
            days |= set(week.strength.days)
        days |= {x.day for x in week.running.sessions if x.kind is SessionKind.HILLS}
        return sorted(days, key=WEEKDAYS.index)

    def strength_days(self, shape: WeekShape, count: int, prev: Week | None, *, heavy: bool) -> list[str]:
        """Strength days: spread; clear of the race.

        Where tendon load is grouped, heavy days share the hill day, keep the table's gap from
        last week's loaded days, and stay off the days hop work avoids, so the hops can join them.
        """
        available = list(self.availability.strength_days)
        if shape.race_day is not None:
            clear = self.tables.race_week.strength_days_before
            race = WEEKDAYS.index(shape.race_day)
            available = [d for d in available if race - WEEKDAYS.index(d) > clear]
        raced = next((x.day for x in prev.running.sessions if x.kind is SessionKind.RACE), None) if prev else None
        if raced is not None:  # the days right after last week's race: no strength either
            after = self.tables.race_week.strength_days_after
            available = [d for d in available if 7 - WEEKDAYS.index(raced) + WEEKDAYS.index(d) > after]
        if not self.grouped:
            return choose_days(available, count)
        rest = self.tendon_rest()
        keep = shape.quality_day if shape.quality is SessionKind.HILLS and shape.quality_day in available else None
        blocked = blocked_after(self.loaded_days(prev), rest) if heavy else []
        preferred = [d for d in available if d not in self.hop_avoid(shape)]
        days = choose_days(preferred, count, keep=keep, rest_days=rest, blocked=blocked)
        if len(days) < count:
            days = choose_days(available, count, keep=keep, rest_days=rest, blocked=blocked) or days
        return days

    def strength(
        self, s: RunnerState, mode: StrengthMode, shape: WeekShape, prev: Week | None
    ) -> tuple[Strength, StrengthState]:
        """The week's strength sessions with their exercises and doses, and the strength state after it."""
        table = self.tables.strength_blocks
        unchanged = StrengthState(s.heavy_weeks, s.block, s.block_weeks_done, s.block_complete, s.novice_weeks_left)
        match mode:
            case StrengthMode.PROGRESS:
                block, week = s.block, s.block_weeks_done + 1
                if block == 0:
                    block, week = 1, 1
                elif s.block_complete or s.block_weeks_done >= table.row_for(block).weeks:
                    block, week = block + 1, 1
                row = table.row_for(block)
                novice = s.novice_weeks_left > 0
                # The block's last week is its deload; a running cutback once the block has its
                # minimum length brings it forward, so the easy weeks coincide.
                shortest = int(self.ctx.p("strength_block_min_weeks"))
                early = shape.mode is RunningMode.CUTBACK and week >= shortest
                deload = not novice and (week >= row.weeks or early)
                days = self.strength_days(shape, row.sessions, prev, heavy=True)
                ids = block_exercises(self.tables.exercises, row.exercises, self.injury, shape.phase, self.deficits)
                if novice:
                    ramp = table.novice.dose
                    exercises = dosed(self.tables.exercises, ids, ramp, load=ramp.load)
                    exercises = [e.model_copy(update={"sets": ramp.sets}) for e in exercises]
                elif deload:
                    exercises = dosed(
                        self.tables.exercises, ids, row.dose, sets_pct=table.deload.sets_pct, load=table.deload.load
                    )
                else:
                    exercises = dosed(self.tables.exercises, ids, row.dose)
                heavy = len(days) >= self.ctx.p("strength_min_heavy_sessions") and not novice
                out = Strength(
                    block=block,
                    block_week=week,
                    focus=summary(exercises),
                    sessions=len(days),
                    heavy=heavy,
                    name=row.name,
                    days=days,
                    label=row.label,
                    deload=deload,
                    novice=novice,
                    exercises=exercises,
                )
                after = StrengthState(
                    heavy_weeks=s.heavy_weeks + (1 if heavy else 0),
                    block=block,
                    block_weeks_done=week,
                    block_complete=deload,
                    novice_weeks_left=max(0, s.novice_weeks_left - 1),
                )
                return out, after
            case StrengthMode.MAINTAIN:
                keep = table.maintenance
                days = self.strength_days(shape, keep.sessions, prev, heavy=False)
                if not days:
                    return none_strength(), unchanged
                ids = block_exercises(self.tables.exercises, keep.exercises, self.injury, shape.phase, ())
                exercises = dosed(self.tables.exercises, ids, keep.dose)
                out = Strength(
                    block=None,
                    block_week=None,
                    focus=summary(exercises),
                    sessions=len(days),
                    heavy=False,
                    name="maintenance",
                    days=days,
                    label=keep.label,
                    exercises=exercises,
                )
                return out, unchanged
            case StrengthMode.NONE:
                return none_strength(), unchanged
            case _:
                assert_never(mode)

    # ------------------------------------------------------------------ hops
    def hop_days(self, shape: WeekShape, count: int, strength: Strength, prev: Week | None) -> list[str]:
        """Hop days: never consecutive (last week's included), never the long-run or race day or the day before.

        Where tendon load is grouped they go on the heavy strength days; failing that, on days
        the table's gap away from this week's and last week's loaded days.
        """
        avoid = self.hop_avoid(shape)
        blocked = set(blocked_after(prev.plyometrics.days if prev else [], 1))
        # Nor the day after last week's long run (a Sunday long run rules out Monday).
        blocked |= set(
            blocked_after([x.day for x in prev.running.sessions if x.kind == SessionKind.LONG] if prev else [], 1)
        )
        everyday = sorted(set(self.availability.run_days) | set(self.availability.strength_days), key=WEEKDAYS.index)
        if not self.grouped:
            return choose_days([d for d in everyday if d not in avoid], count, rest_days=1, blocked=sorted(blocked))
        rest = self.tendon_rest()
        blocked |= set(blocked_after(self.loaded_days(prev), rest))
        heavy_days = strength.days if strength.block is not None else []
        days = choose_days([d for d in heavy_days if d not in avoid], count, rest_days=rest, blocked=sorted(blocked))
        if days:
            return days
        loaded = [
            *heavy_days,
            *([shape.quality_day] if shape.quality is SessionKind.HILLS and shape.quality_day else []),
        ]
        apart = [d for d in everyday if d not in avoid and all(d == x or not _within(d, x, rest) for x in loaded)]
        return choose_days(apart, count, rest_days=rest, blocked=sorted(blocked))

    def new_intensity(self, s: RunnerState, shape: WeekShape) -> bool:
        """This week brings faster running the runner has not done yet."""
        return shape.quality is not None and shape.quality.value not in s.quality_kinds

    def hops(
        self, s: RunnerState, mode: HopsMode, shape: WeekShape, strength: Strength, prev: Week | None
    ) -> tuple[Plyometrics, tuple[int, int, bool], list[str]]:
        """The week's hop sessions with their dose; (stage, weeks at it, readiness done) after it; notes."""
        last = len(self.ctx.hop_rows)
        unchanged = (s.hop_stage, s.hop_weeks, s.hop_readiness_done)
        notes: list[str] = []
        taper = False
        match mode:
            case HopsMode.NONE:
                return none_hops(), unchanged, notes
            case HopsMode.HOLD:
                if s.hop_stage == 0:
                    return none_hops(), unchanged, notes
                stage = s.hop_stage
            case HopsMode.TAPER:
                if s.hop_stage == 0:
                    return none_hops(), unchanged, notes
                stage, taper = s.hop_stage, True
            case HopsMode.ADVANCE:
                stage = min(s.hop_stage + 1, last)
                if stage != s.hop_stage and s.hop_stage >= 1 and shape.mode is RunningMode.CUTBACK:
                    stage = s.hop_stage
                    notes.append("The hop stage holds this week: a cutback week is for recovery, not a harder stage.")
                elif stage != s.hop_stage and s.hop_stage >= 1 and self.new_intensity(s, shape):
                    stage = s.hop_stage
                    notes.append(
                        "The hop stage holds this week: faster running starts this week, and only one thing "
                        "changes at a time."
                    )
            case HopsMode.REGRESS:
                stage = max(0, s.hop_stage - 1)
            case _:
                assert_never(mode)
        row = self.ctx.hop_row(stage)
        if row is None:
            return none_hops(), (0, 0, s.hop_readiness_done), notes
        weeks = s.hop_weeks + 1 if stage == s.hop_stage else 1
        done = s.hop_readiness_done or stage >= self.ctx.readiness_hop_stage
        hop_table = self.tables.hop_stages
        cutback = shape.mode is RunningMode.CUTBACK and not taper
        share = hop_table.taper_sets_pct if taper else hop_table.cutback_sets_pct if cutback else 100.0
        sets = max(1, round(row.sets * share / 100))
        # Once the last stage is established, it is kept with fewer sessions (running carries the load).
        sessions = row.sessions
        if stage == last and weeks > hop_table.top_stage_weeks:
            sessions = min(sessions, hop_table.maintenance_sessions)
        days = self.hop_days(shape, sessions, strength, prev)
        if not days:
            notes.append(
                "No day this week suits hop work (never the long-run day, the day before it, or the day after "
                "a hop session): the hop stage holds until next week."
            )
            return none_hops(), unchanged, notes
        out = Plyometrics(
            stage=stage,
            name=row.name,
            single_leg=row.single_leg,
            sets=sets,
            seconds=row.seconds,
            reps=row.reps,
            contacts=row.contacts,
            rest_seconds=row.rest_seconds,
            sessions=len(days),
            days=days,
            taper=taper,
            cutback=cutback and sets < row.sets,
            dose=hop_dose(row, sets),
            how=self.tables.hop_stages.how,
        )
        return out, (stage, weeks, done), notes

    # ------------------------------------------------------------------ warm-up
    def warmup(self, s: RunnerState, mode: WarmupMode, shape: WeekShape) -> tuple[list[str], list[str]]:
        """The warm-up before every run, and the running drills before a quality session."""
        match mode:
            case WarmupMode.NONE:
                return [], []
            case WarmupMode.FITTED:
                pass
            case _:
                assert_never(mode)
        table = self.tables.warmup
        drills = warmup_drills(table, self.injury, self.deficits, s.continuous_weeks)
        return drills, (list(table.before_quality) if shape.quality is not None else [])

    # ------------------------------------------------------------------ cross-training
    def cross_training(
        self, s: RunnerState, mode: CrossTrainingMode, shape: WeekShape, session: SessionMaker
    ) -> list[Session]:
        """Cross-training on the runner's cross-training days, else on run days left free by walk-run or few runs."""
        match mode:
            case CrossTrainingMode.NONE:
                return []
            case CrossTrainingMode.FILL:
                pass
            case _:
                assert_never(mode)
        if shape.race_day is not None:
            return []
        table = self.tables.cross_training
        busy = set(shape.run_days)
        pool = [d for d in self.availability.cross_train_days if d not in busy]
        few_runs = len(shape.run_days) < self.ctx.p("gate_min_runs")
        if not pool and (few_runs or not shape.continuous):
            # Before continuous running, or when the days hold fewer runs than the gate needs,
            # the run days left free take the cross-training instead.
            pool = [d for d in self.availability.run_days if d not in busy]
        option = table.options.get(self.injury, table.options["default"])
        return [
            session(
                s.week,
                day,
                SessionKind.CROSS_TRAIN,
                0.0,
                minutes=table.minutes,
                description=f"{table.minutes} min {option}: {table.effort}",
            )
            for day in choose_days(pool, table.sessions)
        ]
