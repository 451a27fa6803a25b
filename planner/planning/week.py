"""Close a week: resolve the rules' decisions into a concrete week and the next state.

This is where the closed vocabulary of actions gets its meaning (what
``running: progress`` or ``hops: advance`` does); every number it uses comes
from the ruleset's parameters and tables. Each slot's modes are dispatched with an
exhaustive ``match``, so a mode added to the vocabulary without a meaning here is a
type error.
"""

from __future__ import annotations

from collections.abc import Mapping, Set
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, assert_never

from planner.dates import day_gap
from planner.loads import long_run_aim, single_run_cap, split_week
from planner.models.plan import (
    Criteria,
    GateResult,
    RedFlagNote,
    Referral,
    Running,
    Session,
    WalkRun,
    Week,
)
from planner.planning.context import PlanContext
from planner.planning.sessions import blocked_after, choose_days
from planner.planning.state import RunnerState, walk_run_complete
from planner.planning.training import StrengthState, TrainingBuilder, WeekShape, day_before, none_hops, none_strength
from planner.planning.transition import Prescribed, as_prescribed, transition
from planner.planning.wording import Wording
from planner.rules.compiler import CompiledRuleset, Decision
from planner.rules.conditions import comparisons, failing
from planner.rules.vocabulary import (
    QUALITY_KINDS,
    RUNNING_KINDS,
    WEEKDAYS,
    CrossTrainingMode,
    FrequencyMode,
    HopsMode,
    IntensityMode,
    RaceDayMode,
    RunningMode,
    SessionKind,
    Slot,
    Spacing,
    StageStep,
    StrengthMode,
    Urgency,
    VolumeCapMode,
    WalkingMode,
    WarmupMode,
)
from planner.units import floor_tenth


@dataclass(frozen=True, slots=True)
class Resolved:
    """The winning decision per slot, and the accumulated notes, warnings and referrals."""

    winners: Mapping[Slot, Decision]
    notes: tuple[Decision, ...]
    warnings: tuple[Decision, ...]
    referrals: tuple[Decision, ...]

    def mode(self, slot: Slot, default: str) -> str:
        """The winning mode of a slot, or ``default`` when no rule decided it."""
        d = self.winners.get(slot)
        return d.mode if d is not None else default

    def arg(self, slot: Slot, name: str) -> float:
        """A numeric argument of the winning decision of a slot."""
        return float(self.winners[slot].args[name])


def resolve(ruleset: CompiledRuleset, fired: Set[str]) -> Resolved:
    """Per slot, the decision of the lowest priority number among fired rules."""
    winners: dict[Slot, Decision] = {}
    piles: dict[Slot, list[Decision]] = {Slot.NOTE: [], Slot.WARNING: [], Slot.REFER: []}
    for rule in ruleset.rules:
        if rule.id not in fired:
            continue
        for d in rule.decisions:
            if d.slot in piles:
                piles[d.slot].append(d)
                continue
            best = winners.get(d.slot)
            if best is None or (d.priority, d.order) < (best.priority, best.order):
                winners[d.slot] = d

    def ordered(slot: Slot) -> tuple[Decision, ...]:
        return tuple(sorted(piles[slot], key=lambda d: (d.priority, d.order)))

    return Resolved(winners, ordered(Slot.NOTE), ordered(Slot.WARNING), ordered(Slot.REFER))


@dataclass
class _RunningOut:
    mode: RunningMode
    spacing: Spacing
    sessions: list[Session] = field(default_factory=list)
    walk_run_stage: int = 0
    walk_run_weeks: int = 0
    walk_run_sessions: int = 0
    notes: list[str] = field(default_factory=list)
    # Resting after a race leaves runs out; the frequency the books keep is the one before it.
    frequency: int | None = None

    @property
    def runs(self) -> int:
        return sum(1 for s in self.sessions if s.kind in RUNNING_KINDS)

    @property
    def continuous(self) -> bool:
        return any(s.kind != SessionKind.WALK_RUN for s in self.sessions if s.kind in RUNNING_KINDS)


@dataclass(frozen=True, slots=True)
class WeekOutcome:
    """A closed week, the state after it, and the plan-level warnings its rules raised."""

    week: Week
    next_state: RunnerState
    warnings: tuple[str, ...]


class WeekBuilder:
    """Turns (state, facts, fired rules, passed gates) into a Week and the next state."""

    def __init__(self, ctx: PlanContext) -> None:
        self.ctx = ctx
        self.rs = ctx.ruleset
        self.availability = ctx.profile.availability
        self.pace = ctx.p("easy_pace_min_per_mile")
        self.gate_id = self.rs.spec.readiness.criteria["pain_free_10_mpw"]
        self.entry_gate = self.rs.spec.readiness.entry_gate
        self.sticky = frozenset(g.id for g in self.rs.gates if g.sticky)
        self.wording = Wording(self.rs, ctx.profile.units)
        self.training = TrainingBuilder(ctx)
        self._tendon_blocked: frozenset[str] = frozenset()  # this week's days too close to last week's load
        self._race_rest: list[str] = []  # this week's days too soon after last week's race to run
        self.race_phases = frozenset(p.id for p in self.rs.spec.phases if p.race_specific)
        self._by_priority = [x.id for x in sorted(self.rs.rules, key=lambda x: (x.priority, x.order))]

    # ------------------------------------------------------------------ helpers
    def _date(self, week: int, day: str) -> date:
        return self.ctx.week_start(week) + timedelta(days=WEEKDAYS.index(day))

    def _session(self, week: int, day: str, kind: SessionKind, miles: float, **extra: Any) -> Session:
        minutes = extra.pop("minutes", round(miles * self.pace))
        return Session(day=day, date=self._date(week, day), kind=kind.value, miles=miles, minutes=minutes, **extra)

    # ------------------------------------------------------------------ running
    def running(self, s: RunnerState, r: Resolved, facts: Mapping[str, Any], prev: Week | None) -> _RunningOut:
        """The week's running from the winning running, spacing, frequency and cap decisions."""
        mode = RunningMode(r.mode(Slot.RUNNING, RunningMode.NONE))
        prev_runs = [x for x in prev.running.sessions if x.kind in RUNNING_KINDS] if prev else []
        prev_days = [x.day for x in prev_runs]
        # Race week's runs stay within last week's shorter runs: the race is the week's long effort.
        prev_short = max((x.miles for x in prev_runs if x.kind is not SessionKind.LONG), default=None)
        # Where tendon load is grouped, hills keep the table's gap from last week's loaded days too.
        self._tendon_blocked = frozenset(blocked_after(self.training.loaded_days(prev), self.training.tendon_rest()))
        spacing = Spacing(r.mode(Slot.SPACING, Spacing.ALTERNATE_DAYS))
        # Rest days count across the week boundary: a Sunday run rules out Monday.
        blocked = blocked_after(prev_days, spacing.rest_days)
        self._race_rest = self._rest_after_race(prev)
        in_walk_run = s.walk_run_stage >= 1 and not walk_run_complete(self.ctx, s)
        match mode:
            case RunningMode.NONE:
                # A week without running steps a runner who had started back one walk-run stage,
                # so a layoff re-enters through walk-run rather than at the volume left behind.
                stage = max(1, s.walk_run_stage - 1) if s.walk_run_stage >= 1 else 0
                return _RunningOut(mode, spacing, walk_run_stage=stage, walk_run_weeks=0, walk_run_sessions=0)
            case RunningMode.WALK_RUN:
                step = StageStep(str(r.winners[Slot.RUNNING].args["stage"]))
                return self._walk_run(s, r, step, spacing, blocked)
            case RunningMode.HOLD | RunningMode.REDUCE if in_walk_run:
                step = StageStep.HOLD if mode is RunningMode.HOLD else StageStep.REGRESS
                return self._walk_run(s, r, step, spacing, blocked)
            case (
                RunningMode.HOLD
                | RunningMode.REDUCE
                | RunningMode.TAPER
                | RunningMode.BUILD
                | RunningMode.PROGRESS
                | RunningMode.CUTBACK
                | RunningMode.RECOVERY
            ):
                return self._continuous(s, r, facts, mode, spacing, blocked, prev_short)
            case _:
                assert_never(mode)

    def _rest_after_race(self, prev: Week | None) -> list[str]:
        """This week's days too soon after last week's race to run (the race_week table, by race)."""
        race = next((x for x in prev.running.sessions if x.kind is SessionKind.RACE), None) if prev else None
        if race is None or self.ctx.race is None:
            return []
        rest = self.rs.spec.tables.race_week.rest_days_after.get(self.ctx.race.race, 0)
        # Monday is 7 - (race weekday) days after the race: a Sunday race, 1 day.
        return [d for d in WEEKDAYS if 7 - WEEKDAYS.index(race.day) + WEEKDAYS.index(d) <= rest]

    def _volume_cap(self, r: Resolved) -> float | None:
        cap_mode = VolumeCapMode(r.mode(Slot.VOLUME_CAP, VolumeCapMode.NONE))
        match cap_mode:
            case VolumeCapMode.AT:
                return r.arg(Slot.VOLUME_CAP, "miles")
            case VolumeCapMode.NONE:
                return None
            case _:
                assert_never(cap_mode)

    def _walk_run(
        self, s: RunnerState, r: Resolved, step: StageStep, spacing: Spacing, blocked: list[str]
    ) -> _RunningOut:
        last = len(self.ctx.walk_run_rows)
        stage = max(s.walk_run_stage, 1)
        match step:
            case StageStep.ADVANCE:
                if s.walk_run_stage >= 1:
                    stage = min(s.walk_run_stage + 1, last)
            case StageStep.REGRESS:
                stage = max(1, s.walk_run_stage - 1)
            case StageStep.HOLD:
                pass
            case _:
                assert_never(step)
        same = stage == s.walk_run_stage
        row = self.ctx.walk_run_row(stage)
        count = min(self.rs.spec.tables.walk_run.sessions_per_week, self.ctx.max_runs)
        days = choose_days(
            self.availability.run_days,
            count,
            keep=self.availability.long_run_day,
            rest_days=spacing.rest_days,
            blocked=blocked,
        )
        miles = self.ctx.walk_run_session_miles(stage)
        cap = self._volume_cap(r)
        if cap is not None and miles > 0:
            days = days[: max(1, int(cap // miles + 1e-9))]  # fewer sessions, never more volume than the cap
        if step is StageStep.REGRESS and miles > 0:
            # Dropping back answers pain: the week may not hold more running than the last one.
            days = days[: int(s.last_miles // miles + 1e-9)]
        sessions = []
        for day in days:
            if row.continuous_min is not None:
                sessions.append(
                    self._session(
                        s.week,
                        day,
                        SessionKind.EASY,
                        miles,
                        minutes=row.continuous_min,
                        description=f"{row.continuous_min:g} min continuous easy running",
                    )
                )
            else:
                run_min, walk_min, reps = row.run_min or 0, row.walk_min or 0, row.reps or 0
                sessions.append(
                    self._session(
                        s.week,
                        day,
                        SessionKind.WALK_RUN,
                        miles,
                        minutes=(run_min + walk_min) * reps,
                        walk_run=WalkRun(run_min=run_min, walk_min=walk_min, reps=reps),
                        description=f"{reps} x ({run_min:g} min run / {walk_min:g} min walk), walk-run stage {stage}",
                    )
                )
        # Projected sessions are pain-free by the plan's assumption, so each counts toward the stage.
        done = (s.walk_run_sessions if same else 0) + len(sessions)
        weeks = s.walk_run_weeks + 1 if same else 1
        return _RunningOut(RunningMode.WALK_RUN, spacing, sessions, stage, weeks, done)

    def _targets(
        self, s: RunnerState, r: Resolved, facts: Mapping[str, Any], mode: RunningMode, runs: int
    ) -> tuple[float, float | None]:
        """The week's volume and the long run it aims for (None: no long run, equal runs)."""
        last, peak, longest = s.last_miles, s.peak_recent, s.longest_recent
        limits, need = self.ctx.limits, self.ctx.race_long_need
        races = self.rs.spec.tables.races
        # Before the race block the long run plateaus below the race's need; the need itself is
        # built in the block (and in projections without a race week, which look for it).
        if need > 0 and self.ctx.race_week is not None and not facts["race.in_build_window"]:
            need = floor_tenth(need * races.pre_build_long_run_pct / 100)
        match mode:
            case RunningMode.BUILD:
                step, up_to = r.arg(Slot.RUNNING, "step_miles"), r.arg(Slot.RUNNING, "up_to_miles")
                weekly = floor_tenth(min(last + step, up_to))
                return weekly, long_run_aim(weekly, runs, limits, need)
            case RunningMode.PROGRESS:
                cap = r.arg(Slot.RUNNING, "cap_pct")
                weekly = floor_tenth(min(peak * (1 + cap / 100), self.ctx.target_miles))
                return weekly, long_run_aim(weekly, runs, limits, need)
            case RunningMode.CUTBACK:
                # Against the 4-week peak, but a cutback week never rises: when the caps kept
                # the last weeks well under that peak, the cut applies to last week instead.
                # The long run is cut as much: a down week is down for the longest run too.
                keep = 1 - r.arg(Slot.RUNNING, "cut_pct") / 100
                base = last if last < peak * keep else peak
                return floor_tenth(base * keep), floor_tenth(longest * keep)
            case RunningMode.REDUCE:
                keep = 1 - r.arg(Slot.RUNNING, "cut_pct") / 100
                return floor_tenth(last * keep), floor_tenth(s.last_long * keep)
            case RunningMode.TAPER:
                rows = {row.weeks_to_race: row.cut_pct for row in self.rs.spec.tables.taper.rows}
                cut = rows.get(int(facts["race.weeks_to_race"]), rows[max(rows)])
                return floor_tenth(peak * (1 - cut / 100)), floor_tenth(longest * (1 - cut / 100))
            case RunningMode.HOLD:
                return last, s.last_long
            case RunningMode.RECOVERY:
                # After the race: easy running only, a share of the plan's peak (race_week table).
                rows = {row.week: row.volume_pct for row in self.rs.spec.tables.race_week.recovery}
                pct = rows.get(int(facts["race.weeks_after_race"]), max(rows.values(), default=100.0))
                return floor_tenth(s.peak_miles * pct / 100), None
            case RunningMode.NONE | RunningMode.WALK_RUN:
                return 0.0, None
            case _:
                assert_never(mode)

    def _run_count(self, s: RunnerState, r: Resolved) -> int:
        """Runs this week: last week's, one more when a rule adds one, within the days."""
        frequency = FrequencyMode(r.mode(Slot.FREQUENCY, FrequencyMode.HOLD))
        if s.runs_last_week == 0:  # starting (again) to run: the walk-run table's frequency
            want = self.rs.spec.tables.walk_run.sessions_per_week
        else:
            match frequency:
                case FrequencyMode.ADD:
                    want = s.runs_last_week + 1
                case FrequencyMode.HOLD:
                    want = s.runs_last_week
                case _:
                    assert_never(frequency)
        return min(want, self.ctx.max_runs)

    def _continuous(
        self,
        s: RunnerState,
        r: Resolved,
        facts: Mapping[str, Any],
        mode: RunningMode,
        spacing: Spacing,
        blocked: list[str],
        prev_short: float | None,
    ) -> _RunningOut:
        ctx, limits = self.ctx, self.ctx.limits
        race_day = self._race_day(s, r)
        available, shakeout_day = self._before_the_race(race_day, spacing)
        days, planned = self._run_days(s, r, available, spacing, blocked, mode)
        weekly, long_aim = self._targets(s, r, facts, mode, len(days))
        if len(days) < planned:
            # The days right after the race are rest: their runs are left out, not moved onto the others.
            weekly = floor_tenth(weekly * len(days) / planned)
        shakeout_miles = 0.0
        if shakeout_day is not None:
            minutes = self.rs.spec.tables.race_week.shakeout_minutes
            shakeout_miles = floor_tenth(minutes / self.pace)
            weekly = max(0.0, floor_tenth(weekly - shakeout_miles))
        cap_volume = self._volume_cap(r)
        if cap_volume is not None:
            weekly = min(weekly, floor_tenth(cap_volume))
        past_gate = bool(facts.get("_gate_now", False))  # passed this week (a lived week can take it away)
        cap = min(
            single_run_cap(s.longest_recent, ctx.p("single_run_cap_pct"), ctx.p("single_run_allowance_miles")),
            limits.max_run if past_gate else limits.pre_gate_max,
        )
        with_long = past_gate and race_day is None and mode is not RunningMode.RECOVERY and len(days) >= 2
        if past_gate and not with_long:  # no long run this week: every run is an easy run
            cap = min(cap, limits.easy_max)
        race_week_cap = race_day is not None and prev_short is not None and prev_short < cap
        if race_week_cap and prev_short is not None:
            cap = prev_short
        runs = split_week(
            weekly, len(days), long_run=long_aim if with_long else None, cap=cap, easy_max=min(limits.easy_max, cap)
        )
        # Continuous running completes the walk-run table, whatever stage came before.
        last_stage = len(ctx.walk_run_rows)
        out = _RunningOut(
            mode,
            spacing,
            walk_run_stage=last_stage,
            walk_run_weeks=s.walk_run_weeks + 1,
            walk_run_sessions=max(s.walk_run_sessions, ctx.walk_run_sessions_needed(last_stage)),
            frequency=planned if len(days) < planned else None,
        )
        if shakeout_day is not None:
            table = self.rs.spec.tables.race_week
            out.sessions.append(
                self._session(
                    s.week,
                    shakeout_day,
                    SessionKind.SHAKEOUT,
                    shakeout_miles,
                    minutes=table.shakeout_minutes,
                    description=table.shakeout,
                )
            )
        if not runs:
            return out
        if sum(runs) + 0.05 < weekly and race_week_cap:
            out.notes.append(
                f"Race week: no run longer than last week's shorter runs ({self.wording.distance(cap)}), "
                "so you start the race fresh."
            )
        elif sum(runs) + 0.05 < weekly:
            longest, say = max(runs), self.wording.distance
            out.notes.append(
                f"This week's running stays at {say(sum(runs))} over {len(runs)} run(s): no run goes past "
                f"{say(cap)} yet (a single run grows only a little at a time, up to the longest run allowed), "
                f"and no easy run is longer than the long run ({say(longest)})."
            )
        long_day = self.availability.long_run_day if self.availability.long_run_day in days else days[-1]
        # The quality run goes on the day farthest from the long run (never the day before it).
        others = sorted((d for d in days if d != long_day), key=lambda d: (-day_gap(d, long_day), WEEKDAYS.index(d)))
        order = [long_day, *others][: len(runs)]  # a tiny volume may need fewer runs than days
        quality = self._quality_kind(s, r, mode, out.notes) if len(runs) >= 2 else None
        if quality is SessionKind.HILLS and len(order) >= 2 and not self._hills_fit(order[1]):
            quality = self._instead_of_hills(out.notes)
        for i, (day, miles) in enumerate(zip(order, runs, strict=True)):
            kind = SessionKind.LONG if i == 0 and with_long and miles > runs[-1] else SessionKind.EASY
            description = "long run, easy pace" if kind is SessionKind.LONG else "easy run, conversational pace"
            if quality is not None and i == 1:
                kind, description = quality, self._quality_text(s, mode, quality)
            out.sessions.append(self._session(s.week, day, kind, miles, description=description))
        out.sessions.sort(key=lambda x: WEEKDAYS.index(x.day))
        return out

    def _before_the_race(self, race_day: str | None, spacing: Spacing) -> tuple[list[str], str | None]:
        """The run days a week may use, and its shake-out day: none on or after race day."""
        available = list(self.availability.run_days)
        if race_day is None:
            return available, None
        # The day before holds at most a short shake-out; where runs need rest days between
        # them (a high-risk bone), it is rest.
        before, shakeout_day = day_before(race_day), None
        if before in available and WEEKDAYS.index(before) < WEEKDAYS.index(race_day) and not spacing.rest_days:
            shakeout_day = before if self.rs.spec.tables.race_week.shakeout_minutes > 0 else None
        return [d for d in available if WEEKDAYS.index(d) < WEEKDAYS.index(race_day) and d != before], shakeout_day

    def _run_days(
        self, s: RunnerState, r: Resolved, available: list[str], spacing: Spacing, blocked: list[str], mode: RunningMode
    ) -> tuple[list[str], int]:
        """The week's run days, and how many there would be without the rest days after a race."""
        want, keep = self._run_count(s, r), self.availability.long_run_day
        days = choose_days(available, want, keep=keep, rest_days=spacing.rest_days, blocked=blocked)
        rested = self._race_rest if mode is RunningMode.RECOVERY else []
        if not rested or not days:
            return days, len(days)
        # The first runs after a race's rest days have a day between them.
        gap = max(spacing.rest_days, 1)
        return choose_days(available, want, keep=keep, rest_days=gap, blocked=[*blocked, *rested]), len(days)

    def _race_day(self, s: RunnerState, r: Resolved) -> str | None:
        race_mode = RaceDayMode(r.mode(Slot.RACE_DAY, RaceDayMode.SKIP))
        match race_mode:
            case RaceDayMode.SKIP:
                return None
            case RaceDayMode.RUN:
                if self.ctx.race_week != s.week:
                    return None
                return WEEKDAYS[self._race_date().weekday()]
            case _:
                assert_never(race_mode)

    def _race_date(self) -> date:
        """The date the plan's race falls on: the runner's weekday in the planned race week."""
        goal = self.ctx.profile.goal.race_date
        if goal is None or self.ctx.race_week is None or self.ctx.goal_week is None:
            raise ValueError("no race date")  # only called for plans with a race
        return goal + timedelta(weeks=self.ctx.race_week - self.ctx.goal_week)

    def _quality_kind(self, s: RunnerState, r: Resolved, mode: RunningMode, notes: list[str]) -> SessionKind | None:
        """The week's quality session: strides first, then the race's rotation; none in an early cutback."""
        intensity = IntensityMode(r.mode(Slot.INTENSITY, IntensityMode.NONE))
        match intensity:
            case IntensityMode.NONE:
                return None
            case IntensityMode.RACE_SPECIFIC:
                pass
            case _:
                assert_never(intensity)
        if self.ctx.race is None:
            return None
        table = self.rs.spec.tables.quality
        k = s.quality_weeks
        if mode is RunningMode.CUTBACK and k < table.early_cutback_weeks:
            notes.append("No faster running in this cutback week: early in race training a down week is all easy.")
            return None
        rotation = self.ctx.race.quality
        strides = SessionKind.STRIDES.value
        if table.strides_weeks > 0 and strides in rotation:
            if k < table.strides_weeks:
                return SessionKind.STRIDES
            rest = [q for q in rotation if q != strides] or [strides]
            return SessionKind(rest[(k - table.strides_weeks) % len(rest)])
        if k == 0 or len(rotation) == 1:
            return SessionKind(rotation[0])
        rest = rotation[1:]
        return SessionKind(rest[(k - 1) % len(rest)])

    def _quality_text(self, s: RunnerState, mode: RunningMode, kind: SessionKind) -> str:
        """The session's words: a lighter dose in the taper, a gentler first time, else the usual session."""
        table = self.rs.spec.tables.quality
        usual = table.sessions.get(kind.value, kind.value)  # type: ignore[call-overload]
        if mode is RunningMode.TAPER:
            return str(table.taper_sessions.get(kind.value, usual))  # type: ignore[call-overload]
        if kind.value not in s.quality_kinds:
            return str(table.first_sessions.get(kind.value, usual))  # type: ignore[call-overload]
        return str(usual)

    def _hills_fit(self, day: str) -> bool:
        """Hills may go on ``day``: tendon load is not grouped, or a strength day clear of last week's load."""
        if self.rs.spec.tables.tendon_load is None:
            return True
        return day in self.availability.strength_days and day not in self._tendon_blocked

    def _instead_of_hills(self, notes: list[str]) -> SessionKind | None:
        """Where tendon load is grouped and hills cannot share a strength day, another quality kind."""
        rotation = self.ctx.race.quality if self.ctx.race is not None else []
        other = next((q for q in rotation if q not in ("hills", "strides")), None)
        notes.append(
            "No hills this week: hills load the tendon like heavy calf work and hops, so they go on a strength "
            "day, and none of this week's strength days is free for them."
        )
        return SessionKind(other) if other is not None else SessionKind.STRIDES

    def _walking(self, s: RunnerState, r: Resolved) -> tuple[int, list[Session]]:
        mode = WalkingMode(r.mode(Slot.WALKING, WalkingMode.NONE))
        match mode:
            case WalkingMode.NONE:
                return 0, []
            case WalkingMode.BUILD:
                pass
            case _:
                assert_never(mode)
        add, up_to = r.arg(Slot.WALKING, "add_minutes"), r.arg(Slot.WALKING, "up_to_minutes")
        minutes = int(min(s.walk_minutes + add, up_to)) if s.walk_minutes < up_to else int(up_to)
        sessions = [
            self._session(
                s.week, day, SessionKind.WALK, 0.0, minutes=minutes, description=f"{minutes} min brisk walk, pain-free"
            )
            for day in choose_days(self.availability.run_days, 7)
        ]
        return minutes, sessions

    def _race_session(self, s: RunnerState, r: Resolved) -> list[Session]:
        day = self._race_day(s, r)
        race = self.ctx.race
        if day is None or race is None:
            return []
        description = f"{self.ctx.profile.goal.race} race"
        return [self._session(s.week, day, SessionKind.RACE, race.miles, description=description)]

    # ------------------------------------------------------------------ gates
    def gates(self, facts: Mapping[str, Any], passed: Set[str], before: Set[str]) -> list[GateResult]:
        """Every gate with whether it passed and why (or why not)."""
        out = []
        plain = {g.id: self.wording.fill(g.runner_text, facts) for g in self.rs.spec.gates}
        for gate in self.rs.gates:
            says = plain.get(gate.id, "")
            if gate.id in passed:
                detail = (
                    "passed in an earlier week"
                    if gate.id in before
                    else ("; ".join(c.text for c in comparisons(gate.condition)) or "all required gates passed")
                )
                out.append(GateResult(id=gate.id, passed=True, detail=detail, title=gate.title, runner_text=says))
                continue
            reasons = [f"needs gate {g}" for g in gate.requires if g not in passed]
            reasons += [c.describe(facts) for c in failing(gate.condition, facts)]
            out.append(
                GateResult(
                    id=gate.id,
                    passed=False,
                    detail="; ".join(reasons) or "not evaluated",
                    title=gate.title,
                    runner_text=says,
                )
            )
        return out

    def criteria(self, passed: Set[str]) -> Criteria:
        """The four readiness criteria, from the gates that stand for them."""
        names = self.rs.spec.readiness.criteria
        return Criteria(**{name: names[name] in passed for name in names})

    # ------------------------------------------------------------------ referral
    def referrals(self, r: Resolved, facts: Mapping[str, Any], red_flags: tuple[str, ...] = ()) -> list[Referral]:
        """Each referral of the week, with its urgency, the red flags it names, what stops, what is allowed."""
        table = self.rs.spec.tables.red_flags
        out = []
        for d in r.referrals:
            urgency = Urgency(str(d.args.get("urgency", Urgency.ROUTINE)))
            flags: list[RedFlagNote] = []
            if d.args.get("list_red_flags"):
                for flag in red_flags:  # the profile's, or the last check-in's
                    row = self.ctx.red_flag(flag)
                    if row is None:
                        continue
                    tier = (
                        row.urgency_high_risk_site
                        if self.ctx.high_risk_site and row.urgency_high_risk_site
                        else row.urgency
                    )
                    flags.append(RedFlagNote(flag=flag, name=row.name, urgency=tier.value, advice=row.advice))
                    urgency = min(urgency, tier, key=lambda u: u.rank)
            out.append(
                Referral(
                    rule=d.rule_id,
                    reason=self.wording.fill(str(d.args["text"]), facts),
                    urgency=urgency.value,
                    red_flags=flags,
                    stop=str(d.args.get("stop") or table.stop),
                    allowed=str(d.args.get("allowed") or table.allowed),
                )
            )
        return out

    def _referral_week(
        self,
        s: RunnerState,
        r: Resolved,
        facts: Mapping[str, Any],
        fired: Set[str],
        passed: Set[str],
        prev: Week | None,
    ) -> Week:
        """A referral week holds the referral and nothing else: no running, training, gates or other advice."""
        referrals = self.referrals(r, facts, s.red_flag_names)
        phase = r.mode(Slot.PHASE, prev.phase if prev else self.rs.spec.phases[0].id)
        return Week(
            week=s.week,
            start_date=self.ctx.week_start(s.week),
            phase=phase,
            running=Running(
                weekly_miles=0.0,
                long_run_miles=0.0,
                intensity=False,
                mode=RunningMode.NONE.value,
                spacing=Spacing.ALTERNATE_DAYS.value,
                sessions=[],
            ),
            strength=none_strength(),
            plyometrics=none_hops(),
            warmup=[],
            criteria=self.criteria(passed),
            gates=[],
            rules_fired=self._trace(fired, passed),
            decided_by={Slot.PHASE.value: r.winners[Slot.PHASE].rule_id} if Slot.PHASE in r.winners else {},
            referral=[x.reason for x in referrals],
            referrals=referrals,
        )

    # ------------------------------------------------------------------ the week
    def build(
        self, s: RunnerState, facts: Mapping[str, Any], fired: Set[str], passed: Set[str], prev: Week | None
    ) -> WeekOutcome:
        """The week's plan, the state the next week starts from (done as prescribed), and its warnings."""
        p = self.prescribe(s, facts, fired, passed, prev)
        if p.referral:  # a projection ends at a referral, which says nothing else: the state stays
            return WeekOutcome(p.week, s, ())
        return WeekOutcome(p.week, transition(self.ctx, s, p, as_prescribed(s, p), self.sticky), p.warnings)

    def prescribe(
        self, s: RunnerState, facts: Mapping[str, Any], fired: Set[str], passed: Set[str], prev: Week | None
    ) -> Prescribed:
        """The week the rules decided, and the books it keeps if it is done as written."""
        r = resolve(self.rs, fired)
        warnings = tuple(self.wording.fill(str(d.args["text"]), facts) for d in r.warnings)
        if r.referrals:  # a referral week says nothing else, warnings included
            week = self._referral_week(s, r, facts, fired, passed, prev)
            unchanged = StrengthState(s.heavy_weeks, s.block, s.block_weeks_done, s.block_complete, s.novice_weeks_left)
            return Prescribed(
                week=week,
                warnings=warnings,  # kept for a plan that goes on past a lived referral
                passed=frozenset(passed),
                referral=True,
                mode=RunningMode.NONE,
                spacing=Spacing.ALTERNATE_DAYS,
                # Lived through, a week without running steps walk-run back a stage, as in a projection.
                walk_run=(max(1, s.walk_run_stage - 1) if s.walk_run_stage >= 1 else 0, 0, 0),
                strength=unchanged,
                hops=(s.hop_stage, s.hop_weeks, s.hop_readiness_done),
                warmup=False,
                walk_minutes=0,
                quality=None,
                race=False,
                in_block=False,
            )
        facts = {**facts, "_gate_now": self.gate_id in passed}
        run = self.running(s, r, facts, prev)
        race = self._race_session(s, r)
        phase = r.mode(Slot.PHASE, prev.phase if prev else self.rs.spec.phases[0].id)
        shape = self._shape(run, race, phase)
        strength, after = self.training.strength(s, StrengthMode(r.mode(Slot.STRENGTH, StrengthMode.NONE)), shape, prev)
        plyo, hops_after, hop_notes = self.training.hops(
            s, HopsMode(r.mode(Slot.HOPS, HopsMode.NONE)), shape, strength, prev
        )
        warmup, warmup_quality = self.training.warmup(s, WarmupMode(r.mode(Slot.WARMUP, WarmupMode.NONE)), shape)
        walk_minutes, walk_sessions = self._walking(s, r)
        cross = self.training.cross_training(
            s, CrossTrainingMode(r.mode(Slot.CROSS_TRAINING, CrossTrainingMode.NONE)), shape, self._session
        )
        sessions = sorted([*run.sessions, *walk_sessions, *race, *cross], key=lambda x: (WEEKDAYS.index(x.day), x.kind))
        runs = [x for x in run.sessions if x.kind in RUNNING_KINDS]
        volume = round(sum(x.miles for x in runs), 1)
        longest = max((x.miles for x in runs), default=0.0)
        intensity = shape.quality is not None
        notes = [self.wording.fill(str(d.args["text"]), facts) for d in r.notes] + run.notes + hop_notes
        if race:
            notes.append(self.rs.spec.tables.race_week.race_effort)
            if self.ctx.race is not None and self.ctx.race.cap_exception is not None:
                notes.append(self.ctx.race.cap_exception.note)
        if strength.novice:
            notes.append(self.rs.spec.tables.strength_blocks.novice.note)
        if strength.deload:
            notes.append(self.rs.spec.tables.strength_blocks.deload.note)
        if run.mode is RunningMode.RECOVERY:
            notes.append(self.rs.spec.tables.race_week.recovery_note)
            rest_note = self.rs.spec.tables.race_week.rest_note
            if self._race_rest and rest_note:
                notes.append(rest_note)
        week = Week(
            week=s.week,
            start_date=self.ctx.week_start(s.week),
            phase=phase,
            running=Running(
                weekly_miles=volume,
                total_miles=round(volume + sum(x.miles for x in race), 1),
                long_run_miles=longest,
                intensity=intensity,
                mode=run.mode.value,
                spacing=run.spacing.value,
                sessions=sessions,
            ),
            strength=strength,
            plyometrics=plyo,
            warmup=warmup,
            warmup_before_quality=warmup_quality,
            walking_minutes=walk_minutes,
            criteria=self.criteria(passed),
            gates=self.gates(facts, passed, s.passed_before),
            rules_fired=self._trace(fired, passed),
            decided_by={slot.value: d.rule_id for slot, d in sorted(r.winners.items(), key=lambda kv: kv[0].value)},
            notes=notes,
        )
        return Prescribed(
            week=week,
            warnings=warnings,
            passed=frozenset(passed),
            referral=False,
            frequency=run.frequency,
            mode=run.mode,
            spacing=run.spacing,
            walk_run=(run.walk_run_stage, run.walk_run_weeks, run.walk_run_sessions),
            strength=after,
            hops=hops_after,
            warmup=bool(warmup),
            walk_minutes=walk_minutes,
            quality=shape.quality,
            race=bool(race),
            # A race-block week: faster running, or the block's cutback (an early one holds no quality).
            in_block=intensity or (run.mode is RunningMode.CUTBACK and phase in self.race_phases),
        )

    def _shape(self, run: _RunningOut, race: list[Session], phase: str) -> WeekShape:
        runs = [x for x in run.sessions if x.kind in RUNNING_KINDS]
        long_day = next((x.day for x in runs if x.kind == SessionKind.LONG), None)
        quality = next((x for x in runs if x.kind in QUALITY_KINDS), None)
        return WeekShape(
            mode=run.mode,
            phase=phase,
            run_days=tuple(x.day for x in runs),
            long_day=long_day,
            race_day=race[0].day if race else None,
            quality=SessionKind(quality.kind) if quality is not None else None,
            quality_day=quality.day if quality is not None else None,
        )

    def _trace(self, fired: Set[str], passed: Set[str]) -> list[str]:
        gates = [g.id for g in self.rs.gates if g.id in passed]
        rules = [rule for rule in self._by_priority if rule in fired]
        return gates + rules
