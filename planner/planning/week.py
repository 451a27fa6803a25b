"""Close a week: resolve the rules' decisions into a concrete week and the next state.

This is where the closed vocabulary of actions gets its meaning (what
``running: progress`` or ``hops: advance`` does); every number it uses comes
from the ruleset's parameters and tables.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from planner.models.plan import (
    Criteria,
    GateResult,
    Plyometrics,
    Running,
    Session,
    Strength,
    WalkRun,
    Week,
)
from planner.planning.context import PlanContext
from planner.planning.sessions import blocked_after, choose_days, single_run_cap, split_volume
from planner.planning.state import RECENT_WEEKS, RunnerState, walk_run_complete
from planner.rules.compiler import CompiledRuleset, Decision, TemplateText
from planner.rules.conditions import comparisons, failing
from planner.rules.vocabulary import WEEKDAYS, Slot, Spacing
from planner.units import floor_tenth


@dataclass(frozen=True, slots=True)
class Resolved:
    """The winning decision per slot, and the accumulated notes and referrals."""

    winners: Mapping[Slot, Decision]
    notes: tuple[Decision, ...]
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
    notes: list[Decision] = []
    referrals: list[Decision] = []
    for rule in ruleset.rules:
        if rule.id not in fired:
            continue
        for d in rule.decisions:
            if d.slot is Slot.NOTE:
                notes.append(d)
            elif d.slot is Slot.REFER:
                referrals.append(d)
            else:
                best = winners.get(d.slot)
                if best is None or (d.priority, d.order) < (best.priority, best.order):
                    winners[d.slot] = d
    by_priority = lambda d: (d.priority, d.order)  # noqa: E731 - a sort key
    return Resolved(winners, tuple(sorted(notes, key=by_priority)), tuple(sorted(referrals, key=by_priority)))


def render_text(text: str, facts: Mapping[str, Any], params: Mapping[str, float]) -> str:
    """Fill ``$param`` and ``${fact}`` placeholders (no attribute access, no format())."""
    values: dict[str, str] = {k: f"{v:g}" for k, v in params.items()}
    for k, v in facts.items():
        values[k] = (
            ("true" if v else "false") if isinstance(v, bool) else (f"{v:g}" if isinstance(v, float) else str(v))
        )
    return TemplateText(text).safe_substitute(values)


def _distance(a: str, b: str) -> int:
    """Days between two weekdays, either way round the week."""
    gap = abs(WEEKDAYS.index(a) - WEEKDAYS.index(b))
    return min(gap, 7 - gap)


@dataclass
class _RunningOut:
    mode: str
    sessions: list[Session] = field(default_factory=list)
    walk_run_stage: int = 0
    walk_run_weeks: int = 0
    notes: list[str] = field(default_factory=list)


class WeekBuilder:
    """Turns (state, facts, fired rules, passed gates) into a Week and the next state."""

    def __init__(self, ctx: PlanContext) -> None:
        self.ctx = ctx
        self.rs = ctx.ruleset
        self.availability = ctx.profile.availability
        self.pace = ctx.p("easy_pace_min_per_mile")

    # ------------------------------------------------------------------ helpers
    def _date(self, week: int, day: str) -> Any:
        return self.ctx.week_start(week) + timedelta(days=WEEKDAYS.index(day))

    def _session(self, week: int, day: str, kind: str, miles: float, **extra: Any) -> Session:
        minutes = extra.pop("minutes", round(miles * self.pace))
        return Session(day=day, date=self._date(week, day), kind=kind, miles=miles, minutes=minutes, **extra)

    # ------------------------------------------------------------------ running
    def running(self, s: RunnerState, r: Resolved, facts: Mapping[str, Any], prev_days: Sequence[str]) -> _RunningOut:
        """The week's running from the winning running, spacing and cap decisions."""
        mode = r.mode(Slot.RUNNING, "none")
        rest = Spacing(r.mode(Slot.SPACING, "alternate_days")).rest_days
        # Rest days count across the week boundary: a Sunday run rules out Monday.
        blocked = blocked_after(prev_days, rest)
        in_walk_run = s.walk_run_stage >= 1 and not walk_run_complete(self.ctx, s)
        if mode == "walk_run" or (mode in ("hold", "reduce") and in_walk_run):
            step = r.winners[Slot.RUNNING].args.get("stage", "hold" if mode == "hold" else "regress")
            return self._walk_run(s, r, str(step), rest, blocked)
        if mode == "none":
            return _RunningOut("none", walk_run_stage=s.walk_run_stage, walk_run_weeks=s.walk_run_weeks)
        return self._continuous(s, r, facts, mode, rest, blocked)

    def _volume_cap(self, r: Resolved) -> float | None:
        return r.arg(Slot.VOLUME_CAP, "miles") if r.mode(Slot.VOLUME_CAP, "none") == "at" else None

    def _walk_run(self, s: RunnerState, r: Resolved, step: str, rest: int, blocked: list[str]) -> _RunningOut:
        last = len(self.ctx.walk_run_rows)
        stage = max(s.walk_run_stage, 1)
        if step == "advance" and s.walk_run_stage >= 1:
            stage = min(s.walk_run_stage + 1, last)
        elif step == "regress":
            stage = max(1, s.walk_run_stage - 1)
        weeks = s.walk_run_weeks + 1 if stage == s.walk_run_stage else 1
        row = self.ctx.walk_run_row(stage)
        count = min(self.rs.spec.tables.walk_run.sessions_per_week, int(self.ctx.p("max_runs_per_week")))
        days = choose_days(
            self.availability.run_days,
            count,
            keep=self.availability.long_run_day,
            rest_days=rest,
            blocked=blocked,
        )
        miles = self.ctx.walk_run_session_miles(stage)
        cap = self._volume_cap(r)
        if cap is not None and miles > 0:
            days = days[: max(1, int(cap // miles + 1e-9))]  # fewer sessions, never more volume than the cap
        if step == "regress" and miles > 0:
            # Dropping back answers pain: the week may not hold more running than the last one.
            days = days[: int(s.last_miles // miles + 1e-9)]
        sessions = []
        for day in days:
            if row.continuous_min is not None:
                sessions.append(
                    self._session(
                        s.week,
                        day,
                        "easy",
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
                        "walk_run",
                        miles,
                        minutes=(run_min + walk_min) * reps,
                        walk_run=WalkRun(run_min=run_min, walk_min=walk_min, reps=reps),
                        description=f"{reps} x ({run_min:g} min run / {walk_min:g} min walk), walk-run stage {stage}",
                    )
                )
        return _RunningOut("walk_run", sessions, stage, weeks)

    def _target_volume(self, s: RunnerState, r: Resolved, facts: Mapping[str, Any], mode: str) -> float:
        last, peak = s.last_miles, max(s.recent_miles, default=0.0)
        if mode == "build":
            step, up_to = r.arg(Slot.RUNNING, "step_miles"), r.arg(Slot.RUNNING, "up_to_miles")
            return floor_tenth(min(last + step, up_to))
        if mode == "progress":
            cap = r.arg(Slot.RUNNING, "cap_pct")
            return floor_tenth(min(peak * (1 + cap / 100), self.ctx.target_miles))
        if mode == "cutback":
            # Against the 4-week peak, but a cutback week never rises: when the caps kept
            # the last weeks well under that peak, the cut applies to last week instead.
            keep = 1 - r.arg(Slot.RUNNING, "cut_pct") / 100
            base = last if last < peak * keep else peak
            return floor_tenth(base * keep)
        if mode == "reduce":
            return floor_tenth(last * (1 - r.arg(Slot.RUNNING, "cut_pct") / 100))
        if mode == "taper":
            rows = {row.weeks_to_race: row.cut_pct for row in self.rs.spec.tables.taper.rows}
            cut = rows.get(int(facts["race.weeks_to_race"]), rows[max(rows)])
            return floor_tenth(peak * (1 - cut / 100))
        return last  # hold

    def _continuous(
        self, s: RunnerState, r: Resolved, facts: Mapping[str, Any], mode: str, rest: int, blocked: list[str]
    ) -> _RunningOut:
        ctx = self.ctx
        weekly = self._target_volume(s, r, facts, mode)
        cap_volume = self._volume_cap(r)
        if cap_volume is not None:
            weekly = min(weekly, floor_tenth(cap_volume))
        race_day = self._race_day(s, r)
        available = list(self.availability.run_days)
        if race_day is not None:  # no runs on or after race day in race week
            available = [d for d in available if WEEKDAYS.index(d) < WEEKDAYS.index(race_day)]
        days = choose_days(
            available,
            int(ctx.p("max_runs_per_week")),
            keep=self.availability.long_run_day,
            rest_days=rest,
            blocked=blocked,
        )
        cap = single_run_cap(
            max(s.recent_long, default=0.0), ctx.p("single_run_cap_pct"), ctx.p("single_run_allowance_miles")
        )
        with_long = rest == 0 and race_day is None
        runs = split_volume(
            weekly, len(days), long_share=ctx.p("long_run_share_pct") / 100, cap=cap, with_long_run=with_long
        )
        # Continuous running completes the walk-run table, whatever stage came before.
        last_stage = len(ctx.walk_run_rows)
        out = _RunningOut(mode, walk_run_stage=last_stage, walk_run_weeks=ctx.walk_run_row(last_stage).min_weeks)
        if not runs or runs[0] <= 0:
            return out
        if sum(runs) + 1e-9 < weekly:
            out.notes.append(
                f"Volume held to {sum(runs):g} mi: no run may exceed {cap:g} mi "
                "(the single-run cap over the longest run of the previous four weeks)."
            )
        long_day = self.availability.long_run_day if self.availability.long_run_day in days else days[-1]
        # The quality run goes on the day farthest from the long run (never the day before it).
        others = sorted((d for d in days if d != long_day), key=lambda d: (-_distance(d, long_day), WEEKDAYS.index(d)))
        order = [long_day, *others][: len(runs)]  # a tiny volume may need fewer runs than days
        quality = self._quality_kind(s, r) if len(runs) >= 2 else None
        for i, (day, miles) in enumerate(zip(order, runs, strict=True)):
            kind = "long" if i == 0 and with_long and miles > runs[-1] else "easy"
            description = "long run, easy pace" if kind == "long" else "easy run, conversational pace"
            if quality is not None and i == 1:
                kind, description = quality, self.rs.spec.tables.quality.sessions.get(quality, quality)  # type: ignore[call-overload]
            out.sessions.append(self._session(s.week, day, kind, miles, description=description))
        out.sessions.sort(key=lambda x: WEEKDAYS.index(x.day))
        return out

    def _race_day(self, s: RunnerState, r: Resolved) -> str | None:
        if r.mode(Slot.RACE_DAY, "skip") != "run" or self.ctx.race_week != s.week:
            return None
        race_date = self.ctx.profile.goal.race_date
        return WEEKDAYS[race_date.weekday()] if race_date is not None else None

    def _quality_kind(self, s: RunnerState, r: Resolved) -> str | None:
        if r.mode(Slot.INTENSITY, "none") != "race_specific" or self.ctx.race is None:
            return None
        rotation = self.ctx.race.quality
        k = s.race_build_weeks
        if k == 0 or len(rotation) == 1:
            return rotation[0]
        rest = rotation[1:]
        return rest[(k - 1) % len(rest)]

    # ------------------------------------------------------------------ strength, hops, warm-up
    def strength(self, s: RunnerState, r: Resolved) -> tuple[Strength, tuple[int, int, int]]:
        """The week's strength sessions, and (heavy weeks, block, weeks done) after it."""
        mode = r.mode(Slot.STRENGTH, "none")
        days_avail = self.availability.strength_days
        table = self.rs.spec.tables.strength_blocks
        if mode == "progress":
            block, week = s.block, s.block_weeks_done + 1
            if block == 0:
                block, week = 1, 1
            elif s.block_weeks_done >= self.ctx.strength_row(block).weeks:
                block, week = block + 1, 1
            row = self.ctx.strength_row(block)
            days = choose_days(days_avail, row.sessions)
            heavy_week = len(days) >= self.ctx.p("strength_min_heavy_sessions")
            out = Strength(
                block=block, block_week=week, focus=row.focus, sessions=len(days), heavy=True, name=row.name, days=days
            )
            return out, (s.heavy_weeks + (1 if heavy_week else 0), block, week)
        if mode == "maintain":
            days = choose_days(days_avail, table.maintenance_sessions)
            out = Strength(
                block=None,
                block_week=None,
                focus=table.maintenance_focus,
                sessions=len(days),
                heavy=False,
                name="maintenance",
                days=days,
            )
            return out, (s.heavy_weeks, s.block, s.block_weeks_done)
        out = Strength(block=None, block_week=None, focus="none this week", sessions=0, heavy=False, name="none")
        return out, (s.heavy_weeks, s.block, s.block_weeks_done)

    def hops(self, s: RunnerState, r: Resolved) -> tuple[Plyometrics, tuple[int, int, bool]]:
        """The week's hop work, and (stage, weeks at it, readiness done) after it."""
        mode = r.mode(Slot.HOPS, "none")
        last = len(self.ctx.hop_rows)
        if mode == "none" or (mode == "hold" and s.hop_stage == 0):
            none = Plyometrics(stage=0, name="none this week", single_leg=False, sets=0, seconds=0)
            return none, (s.hop_stage, s.hop_weeks, s.hop_readiness_done)
        stage = s.hop_stage
        if mode == "advance":
            stage = min(s.hop_stage + 1, last)
        elif mode == "regress":
            stage = max(0, s.hop_stage - 1)
        weeks = s.hop_weeks + 1 if stage == s.hop_stage else 1
        row = self.ctx.hop_row(stage)
        if row is None:
            none = Plyometrics(stage=0, name="none this week", single_leg=False, sets=0, seconds=0)
            return none, (0, 0, s.hop_readiness_done)
        done = s.hop_readiness_done or stage >= self.ctx.readiness_hop_stage
        out = Plyometrics(stage=stage, name=row.name, single_leg=row.single_leg, sets=row.sets, seconds=row.seconds)
        return out, (stage, weeks, done)

    def warmup(self, r: Resolved) -> list[str]:
        """The fitted warm-up: the drills always done, plus those for each deficit."""
        if r.mode(Slot.WARMUP, "none") != "fitted":
            return []
        table = self.rs.spec.tables.warmup
        drills = list(table.always)
        for deficit in self.ctx.profile.current.deficits:
            for drill in table.by_deficit.get(deficit, []):
                if drill not in drills:
                    drills.append(drill)
        return drills

    # ------------------------------------------------------------------ gates
    def gates(self, facts: Mapping[str, Any], passed: Set[str], before: Set[str]) -> list[GateResult]:
        """Every gate with whether it passed and why (or why not)."""
        out = []
        for gate in self.rs.gates:
            if gate.id in passed:
                detail = (
                    "passed in an earlier week"
                    if gate.id in before
                    else ("; ".join(c.text for c in comparisons(gate.condition)) or "all required gates passed")
                )
                out.append(GateResult(id=gate.id, passed=True, detail=detail, title=gate.title))
                continue
            reasons = [f"needs gate {g}" for g in gate.requires if g not in passed]
            reasons += [c.describe(facts) for c in failing(gate.condition, facts)]
            out.append(
                GateResult(id=gate.id, passed=False, detail="; ".join(reasons) or "not evaluated", title=gate.title)
            )
        return out

    def criteria(self, passed: Set[str]) -> Criteria:
        """The four readiness criteria, from the gates that stand for them."""
        names = self.rs.spec.readiness.criteria
        return Criteria(**{name: names[name] in passed for name in names})

    # ------------------------------------------------------------------ the week
    def build(
        self, s: RunnerState, facts: Mapping[str, Any], fired: Set[str], passed: Set[str], prev: Week | None
    ) -> tuple[Week, RunnerState]:
        """The week's plan and the state the next week starts from."""
        r = resolve(self.rs, fired)
        params = self.rs.params
        referral = [render_text(str(d.args["text"]), facts, params) for d in r.referrals]
        if referral:  # a referral prescribes no running, hops or heavy lifting, whatever else fired
            r = Resolved({k: v for k, v in r.winners.items() if k is Slot.PHASE}, r.notes, r.referrals)
        prev_days = [x.day for x in prev.running.sessions if x.kind != "walk"] if prev else []
        run = self.running(s, r, facts, prev_days)
        strength, (heavy, block, block_done) = self.strength(s, r)
        plyo, (hop_stage, hop_weeks, hop_ready) = self.hops(s, r)
        warmup = self.warmup(r)
        walk_minutes, walk_sessions = self._walking(s, r)
        race = self._race_session(s, r)
        sessions = sorted([*run.sessions, *walk_sessions, *race], key=lambda x: (WEEKDAYS.index(x.day), x.kind))
        volume = round(sum(x.miles for x in run.sessions), 1)
        longest = max((x.miles for x in run.sessions), default=0.0)
        intensity = any(x.kind in ("strides", "tempo", "intervals", "hills") for x in sessions)
        first_phase = self.rs.spec.phases[0].id
        week = Week(
            week=s.week,
            start_date=self.ctx.week_start(s.week),
            phase=r.mode(Slot.PHASE, prev.phase if prev else first_phase),
            running=Running(
                weekly_miles=volume,
                long_run_miles=longest,
                intensity=intensity,
                mode=run.mode,
                spacing=r.mode(Slot.SPACING, "alternate_days"),
                sessions=sessions,
            ),
            strength=strength,
            plyometrics=plyo,
            warmup=warmup,
            walking_minutes=walk_minutes,
            criteria=self.criteria(passed),
            gates=self.gates(facts, passed, s.passed_before),
            rules_fired=self._trace(fired, passed),
            decided_by={slot.value: d.rule_id for slot, d in sorted(r.winners.items(), key=lambda kv: kv[0].value)},
            notes=[render_text(str(d.args["text"]), facts, params) for d in r.notes] + run.notes,
            referral=referral,
        )
        sticky = {g.id for g in self.rs.gates if g.sticky}
        nxt = RunnerState(
            week=s.week + 1,
            daily_life_pain=0,  # nominal projection: the week is done pain-free
            walk_minutes=max(s.walk_minutes, walk_minutes),
            red_flags=s.red_flags,
            running_pain=0,
            next_morning_pain=0,
            # A week cut for pain restarts the load history from the reduced level, so the
            # next rises are measured from there, not from the peak that preceded the pain.
            recent_miles=(volume,) if run.mode == "reduce" else (*s.recent_miles, volume)[-RECENT_WEEKS:],
            recent_long=(longest,) if run.mode == "reduce" else (*s.recent_long, longest)[-RECENT_WEEKS:],
            # Walk-run stages follow their own table; only continuous running counts as a rise.
            rising_weeks=s.rising_weeks + 1 if run.mode != "walk_run" and volume > s.last_miles + 1e-9 else 0,
            walk_run_stage=run.walk_run_stage,
            walk_run_weeks=run.walk_run_weeks,
            running_weeks=s.running_weeks + (1 if volume > 0 else 0),
            previous_running_pain=s.running_pain,
            heavy_weeks=heavy,
            block=block,
            block_weeks_done=block_done,
            hop_stage=hop_stage,
            hop_weeks=hop_weeks,
            hop_readiness_done=hop_ready,
            warmup_weeks=s.warmup_weeks + (1 if warmup else 0),
            race_build_weeks=s.race_build_weeks + (1 if intensity else 0),
            taper_weeks=s.taper_weeks + (1 if run.mode == "taper" and not race else 0),
            passed_before=s.passed_before | (frozenset(passed) & sticky),
        )
        return week, nxt

    def _walking(self, s: RunnerState, r: Resolved) -> tuple[int, list[Session]]:
        if r.mode(Slot.WALKING, "none") != "build":
            return 0, []
        add, up_to = r.arg(Slot.WALKING, "add_minutes"), r.arg(Slot.WALKING, "up_to_minutes")
        minutes = int(min(s.walk_minutes + add, up_to)) if s.walk_minutes < up_to else int(up_to)
        sessions = [
            self._session(s.week, day, "walk", 0.0, minutes=minutes, description=f"{minutes} min brisk walk, pain-free")
            for day in choose_days(self.availability.run_days, 7)
        ]
        return minutes, sessions

    def _race_session(self, s: RunnerState, r: Resolved) -> list[Session]:
        day = self._race_day(s, r)
        race = self.ctx.race
        if day is None or race is None:
            return []
        return [self._session(s.week, day, "race", race.miles, description=f"{self.ctx.profile.goal.race} race")]

    def _trace(self, fired: Set[str], passed: Set[str]) -> list[str]:
        gates = [g.id for g in self.rs.gates if g.id in passed]
        rules = [x.id for x in sorted(self.rs.rules, key=lambda x: (x.priority, x.order)) if x.id in fired]
        return gates + rules
