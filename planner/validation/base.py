"""What every invariant check shares: the violation record and the plan as the checks see it.

The checks read only the plan document (its weeks, its baseline and the runner's
availability) and the ruleset's numbers, never the planner's internals: a plan
edited by hand or made by another tool is checked the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

from planner.loads import restarts_load
from planner.models.plan import Plan, Session, Week
from planner.rules.compiler import CompiledRuleset
from planner.rules.spec import PainAllowanceRow, RaceRow
from planner.rules.vocabulary import RUNNING_KINDS, SessionKind
from planner.units import floor_tenth

TOLERANCE = 0.05  # miles: plans show distances to 0.1 mi


@dataclass(frozen=True, slots=True)
class Violation:
    """One broken invariant: which, where, and the values that break it."""

    invariant: str
    weeks: tuple[int, ...]
    field: str
    message: str
    values: dict[str, Any] = dataclass_field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping."""
        return {
            "invariant": self.invariant,
            "weeks": list(self.weeks),
            "field": self.field,
            "message": self.message,
            "values": self.values,
        }


@dataclass(frozen=True, slots=True)
class Invariant:
    """A named property of every plan."""

    id: str
    statement: str
    check: Callable[[Checked], Iterator[Violation]]


def violation(inv: str, weeks: Sequence[int], fld: str, message: str, **values: Any) -> Violation:
    """A violation of ``inv`` in ``weeks`` at ``fld``."""
    return Violation(inv, tuple(weeks), fld, message, values)


def run_sessions(w: Week) -> list[Session]:
    """The week's training runs (walk-run sessions included, the race and walks excluded)."""
    return [s for s in w.running.sessions if s.kind in RUNNING_KINDS]


def race_session(w: Week) -> Session | None:
    """The week's race, if it holds one."""
    return next((s for s in w.running.sessions if s.kind == SessionKind.RACE), None)


class Checked:
    """The plan plus what the checks derive from it once."""

    def __init__(self, plan: Plan, ruleset: CompiledRuleset) -> None:
        self.plan = plan
        self.rs = ruleset
        self.weeks = plan.weeks
        self.base = plan.baseline
        self.pace = self.p("easy_pace_min_per_mile")
        # The load history as lived: [0] is the baseline; a lived week counts what its check-in ran.
        self.volumes, self.longest, self.runs = self._books()
        self.race_row: RaceRow | None = next(
            (r for r in ruleset.spec.tables.races.rows if r.race == plan.runner.race), None
        )
        rows = {r.injury: r for r in ruleset.spec.tables.pain_allowance.rows}
        self.pain_row: PainAllowanceRow = rows.get(plan.runner.injury, rows["default"])
        self.baseline_pain_free = self.pain_free(self.base.running_pain, self.base.next_morning_pain)
        self.baseline_pain_over = (
            self.base.running_pain > self.pain_row.during or self.base.next_morning_pain > self.pain_row.next_morning
        )
        self.gate_open = self._gate_open()
        self._restarts = [
            i
            for i, w in enumerate(plan.weeks, start=1)
            if restarts_load(w.running.mode, self.volumes[i], self.volumes[i - 1])
        ]

    def _books(self) -> tuple[list[float], list[float], list[int]]:
        """Weekly volume, longest run and runs, as the load history counts them.

        A projected week counts its prescription. A lived week counts what was run (extra runs
        too), but never more than its prescription (or the week before, in a down week) when
        it went over by more than ``over_plan_miles``; a lived week without any running keeps
        the books at the last week that ran. The planner keeps the same books.
        """
        b = self.plan.baseline
        volumes, longest, runs = [b.weekly_miles], [b.longest_run_miles], [b.runs_per_week]
        ran_before = b.weekly_miles > 0
        slack = self.p("over_plan_miles")
        for w in self.weeks:
            log = w.logged
            if not w.observed or log is None:
                volumes.append(w.running.weekly_miles)
                longest.append(max((s.miles for s in run_sessions(w)), default=0.0))
                runs.append(len(run_sessions(w)))
            elif not run_sessions(w) or log.ran_against_advice:
                # No running prescribed (a referral, before the gate): running done anyway never
                # counts toward the load, and the week counts as the projection's week without running.
                volumes.append(0.0)
                longest.append(0.0)
                runs.append(0)
            elif log.runs == 0:
                # Running prescribed, none done (missed, or no check-in): the books stay at the last week run.
                volumes.append(volumes[-1] if ran_before else 0.0)
                longest.append(longest[-1] if ran_before else 0.0)
                runs.append(runs[-1] if ran_before else 0)
            else:
                over = (
                    log.miles > w.running.weekly_miles + slack or log.long_run_miles > w.running.long_run_miles + slack
                )
                volumes.append(min(log.miles, max(w.running.weekly_miles, volumes[-1])) if over else log.miles)
                longest.append(
                    min(log.long_run_miles, max(w.running.long_run_miles, longest[-1])) if over else log.long_run_miles
                )
                runs.append(len(run_sessions(w)))  # a missed run lowers the volume, not the frequency
            ran_before = ran_before or volumes[-1] > 0
        return volumes, longest, runs

    def lived_pain_free(self, w: Week) -> bool:
        """A lived week was pain-free: every pain question answered, each at most pain_free_max."""
        log = w.logged
        if log is None or log.daily_life_pain is None:
            return False
        if log.runs and (log.running_pain is None or log.next_morning_pain is None):
            return False
        return self.pain_free(log.running_pain or 0, log.next_morning_pain or 0, log.daily_life_pain)

    def lived_over_allowance(self, w: Week) -> bool:
        """A lived week's running or next-morning pain was above the tissue's allowance."""
        log = w.logged
        if log is None:
            return False
        row = self.pain_row
        return (log.running_pain or 0) > row.during or (log.next_morning_pain or 0) > row.next_morning

    def after_lived(self, w: Week) -> bool:
        """The week follows a lived week (or is one): its changes may answer what was logged."""
        return w.observed or any(x.week == w.week - 1 and x.observed for x in self.weeks)

    def strength_counted(self, w: Week) -> bool:
        """The week's strength counts toward its block: projected, or logged as done."""
        st, log = w.strength, w.logged
        if not w.observed or log is None or not st.sessions:
            return True
        needed = min(st.sessions, int(self.p("strength_min_heavy_sessions")))
        return log.strength_sessions is not None and log.strength_sessions >= needed

    def hops_counted(self, w: Week) -> bool:
        """The week's hop work counts toward its stage: projected, or logged done at the stage, pain-free."""
        ply, log = w.plyometrics, w.logged
        if not w.observed or log is None or not ply.stage:
            return True
        return (
            log.hop_stage is not None
            and log.hop_stage >= ply.stage
            and (log.hop_sets or 0) >= ply.sets
            and bool(log.hops_pain_free)
        )

    def window(self, i: int) -> int:
        """Where the "previous four weeks" of week ``i`` begin (index into volumes).

        Four weeks back, but never before the last week that restarted the load history
        (a drop for pain or the gate's ceiling: rises are measured from there).
        """
        restart = max((r for r in self._restarts if r < i), default=0)
        return max(0, i - 4, restart)

    def p(self, name: str) -> float:
        """A ruleset parameter."""
        return self.rs.param(name)

    def miles_for(self, minutes_param: str) -> float:
        """A ruleset duration in miles at the easy pace, as the planner counts it."""
        return floor_tenth(self.p(minutes_param) / self.pace)

    def pain_free(self, running: int, next_morning: int, daily_life: int | None = None) -> bool:
        """Every pain answer at most the ruleset's pain_free_max (daily life: the baseline's)."""
        most = self.p("pain_free_max")
        daily = self.base.daily_life_pain if daily_life is None else daily_life
        return running <= most and next_morning <= most and daily <= most

    def qualifies_for_gate(self, miles: float, runs: int, pain_free: bool) -> bool:
        """A week that opens the 10-mile gate: the volume, the runs, and pain-free."""
        return miles >= self.p("gate_weekly_miles") - TOLERANCE and runs >= self.p("gate_min_runs") and pain_free

    def _gate_open(self) -> list[bool]:
        """gate_open[i]: some week before plan week i (the baseline is week 0) opened the gate."""
        opened = self.qualifies_for_gate(self.base.weekly_miles, self.base.runs_per_week, self.baseline_pain_free)
        out = [opened]
        gate = self.rs.spec.readiness.criteria["pain_free_10_mpw"]
        lived = False
        for i, w in enumerate(self.weeks, start=1):
            # A lived week can take the gate away again (the ruleset's kept_when); the plan says so in
            # the week's gates, and from then on the stricter pre-gate checks apply.
            if lived and any(g.id == gate and not g.passed for g in w.gates):
                opened = False
            lived = lived or w.observed
            out.append(opened)
            # Projected weeks are pain-free by the plan's stated assumption; lived weeks as logged.
            pain_free = self.lived_pain_free(w) if w.observed else True
            idle = w.observed and (w.logged is None or not w.logged.runs or not run_sessions(w))
            if not w.referral and not idle and self.qualifies_for_gate(self.volumes[i], self.runs[i], pain_free):
                opened = True
        return out

    def walk_run_week(self, w: Week) -> bool:
        """A week run by the walk-run table (its sessions follow the table, not the caps)."""
        return w.running.mode == "walk_run"

    def week_of(self, day: Any) -> int:
        """The plan week a date falls in."""
        return int((day - self.plan.start_date).days // 7 + 1)

    def planned_race_week(self) -> int | None:
        """The week the plan builds its race into, when it claims to build one."""
        plan = self.plan
        if self.race_row is None:
            return None
        if plan.status == "ready" and plan.race_date is not None:
            return self.week_of(plan.planned_race_date or plan.race_date)
        if plan.status == "race_at_risk" and plan.planned_race_date is not None:
            return self.week_of(plan.planned_race_date)
        return None
