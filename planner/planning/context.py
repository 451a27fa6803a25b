"""What stays fixed for one plan.

The runner (in miles), their calendar, and the ruleset's tables looked up once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING

from planner.dates import monday_after
from planner.loads import RunLimits, holdable_volume, run_limits
from planner.models.profile import Profile
from planner.planning.sessions import max_spaced_runs
from planner.rules.compiler import CompiledRuleset
from planner.rules.prescription import HopStageRow, StrengthBlockRow
from planner.rules.spec import PainAllowanceRow, RaceRow, RedFlagRow, WalkRunRow
from planner.rules.vocabulary import Spacing
from planner.units import floor_tenth, to_miles

if TYPE_CHECKING:
    from planner.planning.observed import ObservedWeek


@dataclass(frozen=True)
class PlanContext:
    """Everything the week builder needs that does not change week to week."""

    ruleset: CompiledRuleset
    profile: Profile
    start_date: date
    race_week: int | None  # 1-based week the plan builds the race into
    goal_week: int | None  # 1-based week of the runner's own race date
    race: RaceRow | None
    race_long_need: float  # miles; 0 without a race
    target_miles: float  # what the plan builds to: the requested target, held to what the days hold
    requested_target_miles: float
    holdable_miles: float
    pain: PainAllowanceRow
    high_risk_site: bool
    limits: RunLimits
    # Lived weeks from a check-in log (week -> what it did); empty: the whole plan is projected.
    observed: Mapping[int, ObservedWeek] = field(default_factory=dict)

    @property
    def lived_through(self) -> int:
        """The last observed week (0: none)."""
        return max(self.observed, default=0)

    # ------------------------------------------------------------ tables, typed
    @property
    def walk_run_rows(self) -> list[WalkRunRow]:
        """Walk-run stages, in order."""
        return self.ruleset.spec.tables.walk_run.rows

    @property
    def hop_rows(self) -> list[HopStageRow]:
        """Hop stages, in order."""
        return self.ruleset.spec.tables.hop_stages.rows

    @property
    def strength_rows(self) -> list[StrengthBlockRow]:
        """Strength blocks, in order."""
        return self.ruleset.spec.tables.strength_blocks.rows

    @property
    def allowed_during(self) -> int:
        """Running pain this injury may have and keep running."""
        return self.pain.during

    @property
    def allowed_next_morning(self) -> int:
        """Next-morning pain this injury may have and keep running."""
        return self.pain.next_morning

    def p(self, name: str) -> float:
        """A ruleset parameter."""
        return self.ruleset.param(name)

    def hop_row(self, stage: int) -> HopStageRow | None:
        """The hop table row of ``stage`` (None for stage 0)."""
        return self.hop_rows[stage - 1] if 1 <= stage <= len(self.hop_rows) else None

    @property
    def readiness_hop_stage(self) -> int:
        """The stage marked as the readiness test."""
        return next(r.stage for r in self.hop_rows if r.readiness)

    def strength_row(self, block: int) -> StrengthBlockRow:
        """The table row of block ``block``: the rows in order, then the alternating blocks."""
        return self.ruleset.spec.tables.strength_blocks.row_for(block)

    def walk_run_row(self, stage: int) -> WalkRunRow:
        """The table row of walk-run ``stage`` (1-based)."""
        return self.walk_run_rows[stage - 1]

    def walk_run_sessions_needed(self, stage: int) -> int:
        """Pain-free sessions at ``stage`` before the next."""
        return self.ruleset.spec.tables.walk_run.sessions_needed(stage)

    def walk_run_session_miles(self, stage: int) -> float:
        """Running distance of one session at ``stage``, at the easy pace."""
        row = self.walk_run_row(stage)
        minutes = row.continuous_min if row.continuous_min is not None else (row.run_min or 0) * (row.reps or 0)
        return floor_tenth(minutes / self.p("easy_pace_min_per_mile"))

    def red_flag(self, flag: str) -> RedFlagRow | None:
        """The red-flag table row of ``flag``."""
        return next((r for r in self.ruleset.spec.tables.red_flags.rows if r.flag == flag), None)

    def week_start(self, week: int) -> date:
        """The Monday of plan week ``week``."""
        return self.start_date + timedelta(weeks=week - 1)

    @property
    def run_days(self) -> list[str]:
        """The runner's run days."""
        return list(self.profile.availability.run_days)

    @property
    def max_runs(self) -> int:
        """The most runs a week the runner's days and the ruleset allow."""
        return min(int(self.p("max_runs_per_week")), len(self.run_days))


def build_context(
    profile: Profile, ruleset: CompiledRuleset, today: date, *, race_week: int | None = None
) -> PlanContext:
    """Look up everything fixed for this runner (the profile is already checked).

    ``race_week`` plans the race into another week than the runner's own date (the
    earliest feasible one); by default the race goes where the runner put it.
    """
    tables = ruleset.spec.tables
    start = profile.start_date or monday_after(today)
    race_row = next((r for r in tables.races.rows if r.race == profile.goal.race), None)
    goal_week = None
    if race_row is not None and profile.goal.race_date is not None:
        goal_week = (profile.goal.race_date - start).days // 7 + 1
    units = profile.units
    if profile.goal.target_weekly_miles is not None:
        requested = to_miles(profile.goal.target_weekly_miles, units)
    elif race_row is not None:
        requested = race_row.peak_weekly_miles
    else:
        requested = to_miles(profile.pre_injury_weekly_miles, units)
    # The gate is the floor of any plan: readiness needs a pain-free week at the gate volume.
    requested = floor_tenth(max(requested, ruleset.param("gate_weekly_miles")))
    limits = run_limits(ruleset)
    need = race_row.long_run_need(ruleset.param("easy_pace_min_per_mile")) if race_row is not None else 0.0
    max_runs = min(int(ruleset.param("max_runs_per_week")), len(profile.availability.run_days))
    holdable = holdable_volume(max_runs, limits, need)
    rows = {r.injury: r for r in tables.pain_allowance.rows}
    site = profile.injury.site
    return PlanContext(
        ruleset=ruleset,
        profile=profile,
        start_date=start,
        race_week=goal_week if race_week is None else race_week,
        goal_week=goal_week,
        race=race_row,
        race_long_need=need,
        target_miles=min(requested, max(holdable, ruleset.param("gate_weekly_miles"))),
        requested_target_miles=requested,
        holdable_miles=holdable,
        pain=rows.get(profile.injury.kind, rows["default"]),
        high_risk_site=site is not None and site in tables.bsi_sites.high_risk,
        limits=limits,
    )


def without_race(ctx: PlanContext) -> PlanContext:
    """The same runner with no race: the target and what the days hold, recomputed without the race's need."""
    profile = ctx.profile.model_copy(update={"goal": ctx.profile.goal.model_copy(update={"race": "none"})})
    requested = ctx.requested_target_miles
    holdable = holdable_volume(ctx.max_runs, ctx.limits, 0.0)
    gate = ctx.p("gate_weekly_miles")
    return replace(
        ctx,
        profile=profile,
        race_week=None,
        goal_week=None,
        race=None,
        race_long_need=0.0,
        holdable_miles=holdable,
        target_miles=min(requested, max(holdable, gate)),
    )


def alternate_day_runs(run_days: list[str]) -> int:
    """The most runs ``run_days`` hold with a rest day between each, round the week."""
    return max_spaced_runs(run_days, Spacing.ALTERNATE_DAYS.rest_days)
