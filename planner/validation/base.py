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
        self.volumes = [plan.baseline.weekly_miles, *(w.running.weekly_miles for w in plan.weeks)]  # [0] = baseline
        self.runs = [plan.baseline.runs_per_week, *(len(run_sessions(w)) for w in plan.weeks)]
        self.pace = self.p("easy_pace_min_per_mile")
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
            if restarts_load(w.running.mode, w.running.weekly_miles, self.volumes[i - 1])
        ]

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
        for i, w in enumerate(self.weeks, start=1):
            out.append(opened)
            # Projected weeks are pain-free by the plan's stated assumption.
            if not w.referral and self.qualifies_for_gate(w.running.weekly_miles, self.runs[i], True):
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
