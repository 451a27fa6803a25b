"""What stays fixed for one plan.

The runner (in miles), their calendar, and the ruleset's tables looked up once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from planner.dates import monday_after
from planner.models.profile import Profile
from planner.rules.compiler import CompiledRuleset
from planner.rules.spec import HopStageRow, RaceRow, StrengthBlockRow, WalkRunRow
from planner.units import floor_tenth, to_miles


@dataclass(frozen=True)
class PlanContext:
    """Everything the week builder needs that does not change week to week."""

    ruleset: CompiledRuleset
    profile: Profile
    start_date: date
    race_week: int | None  # 1-based week that holds the race date
    race: RaceRow | None
    target_miles: float
    allowed_during: int
    allowed_next_morning: int
    high_risk_site: bool

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
        """The table row of block ``block``; blocks past the table repeat the last row."""
        return self.strength_rows[min(block, len(self.strength_rows)) - 1]

    def walk_run_row(self, stage: int) -> WalkRunRow:
        """The table row of walk-run ``stage`` (1-based)."""
        return self.walk_run_rows[stage - 1]

    def walk_run_session_miles(self, stage: int) -> float:
        """Running distance of one session at ``stage``, at the easy pace."""
        row = self.walk_run_row(stage)
        minutes = row.continuous_min if row.continuous_min is not None else (row.run_min or 0) * (row.reps or 0)
        return floor_tenth(minutes / self.p("easy_pace_min_per_mile"))

    def week_start(self, week: int) -> date:
        """The Monday of plan week ``week``."""
        return self.start_date + timedelta(weeks=week - 1)


def build_context(profile: Profile, ruleset: CompiledRuleset, today: date) -> PlanContext:
    """Look up everything fixed for this runner (the profile is already checked)."""
    tables = ruleset.spec.tables
    start = profile.start_date or monday_after(today)
    race_row = next((r for r in tables.races.rows if r.race == profile.goal.race), None)
    race_week = None
    if race_row is not None and profile.goal.race_date is not None:
        race_week = (profile.goal.race_date - start).days // 7 + 1
    units = profile.units
    if profile.goal.target_weekly_miles is not None:
        target = to_miles(profile.goal.target_weekly_miles, units)
    elif race_row is not None:
        target = race_row.peak_weekly_miles
    else:
        target = to_miles(profile.pre_injury_weekly_miles, units)
    # The gate is the floor of any plan: readiness needs a pain-free week at the gate volume.
    target = floor_tenth(max(target, ruleset.param("gate_weekly_miles")))
    rows = {r.injury: r for r in tables.pain_allowance.rows}
    allowance = rows.get(profile.injury.kind, rows["default"])
    site = profile.injury.site
    return PlanContext(
        ruleset=ruleset,
        profile=profile,
        start_date=start,
        race_week=race_week,
        race=race_row,
        target_miles=target,
        allowed_during=allowance.during,
        allowed_next_morning=allowance.next_morning,
        high_risk_site=site is not None and site in tables.bsi_sites.high_risk,
    )
