"""Load arithmetic shared by the planner and the plan invariants.

How a week's volume splits into runs under the caps, the ceilings on single runs,
what the runner's days can hold, and what counts as a down week. The planner plans
with these and the validator checks with the same definitions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from planner.rules.compiler import CompiledRuleset
from planner.units import floor_tenth


@dataclass(frozen=True, slots=True)
class RunLimits:
    """The ceilings on single runs, in miles at the ruleset's easy pace."""

    max_run: float  # any run, the long run included
    easy_max: float  # a run that is not the long run
    pre_gate_max: float  # any run before the 10-mile gate
    long_share: float  # the long run's aim without a race (fraction of the week)
    long_max_share: float  # the most of the week the long run may take (3+ runs)


DOWN_SLACK_MILES = 0.05  # plans show distances to 0.1 mi


def is_down_week(volume: float, peak_4wk: float, cut_pct: float) -> bool:
    """A week at least ``cut_pct`` below the highest of the previous four (a cutback, a taper, a pain cut).

    A week without running is a down week too.
    """
    return volume <= peak_4wk * (1 - cut_pct / 100) + DOWN_SLACK_MILES


PLANNED_DOWN_MODES = frozenset({"cutback", "taper", "recovery"})  # down weeks the plan meant (after the race too)


def restarts_load(mode: str, volume: float, last_week: float) -> bool:
    """A week that restarts the load history: below last week, and not a planned cutback or taper.

    A cut for pain or a drop to the 10-mile ceiling is measured from, not bounced back from.
    """
    return mode not in PLANNED_DOWN_MODES and mode != "walk_run" and volume < last_week - DOWN_SLACK_MILES


def single_run_cap(longest_30d: float, cap_pct: float, allowance: float) -> float:
    """The longest run allowed.

    That is cap_pct over the recent longest run, or the absolute allowance over it
    for tiny bases, whichever is larger.
    """
    return floor_tenth(max(longest_30d * (1 + cap_pct / 100), longest_30d + allowance))


def split_week(weekly: float, runs: int, *, long_run: float | None, cap: float, easy_max: float) -> list[float]:
    """Split a weekly volume into at most ``runs`` runs; with ``long_run``, the first is the long run.

    Works in whole tenths of a mile so the runs add up to the volume exactly (three
    runs of 3.3 would leave a 10-mile week at 9.9 and the gate shut). Every run stays
    within ``cap``; the long run is at most ``long_run`` and the others are never
    longer than it nor than ``easy_max`` -- easy runs are shortened to make room for
    the long run, never the other way round. If the volume cannot fit, the week is
    smaller; a volume too small to split gives fewer runs.
    """
    total, cap_t = math.floor(weekly * 10 + 1e-6), math.floor(cap * 10 + 1e-6)
    if runs <= 0 or total <= 0 or cap_t <= 0:
        return []
    if long_run is None or runs == 1:
        ceiling = cap_t if long_run is None else min(cap_t, math.floor(long_run * 10 + 1e-6))
        total = min(total, ceiling * runs)
        base, extra = divmod(total, runs)
        return [t / 10 for t in (base + (1 if i < extra else 0) for i in range(runs)) if t > 0]
    long_t = min(math.floor(long_run * 10 + 1e-6), cap_t, total)
    n_rest = runs - 1
    ceiling = min(long_t, math.floor(easy_max * 10 + 1e-6), cap_t)
    rest = min(total - long_t, ceiling * n_rest)
    base, extra = divmod(rest, n_rest)
    others = [base + (1 if i < extra else 0) for i in range(n_rest)]
    return [t / 10 for t in [long_t, *others] if t > 0]


def run_limits(ruleset: CompiledRuleset) -> RunLimits:
    """The ruleset's single-run ceilings in miles."""
    pace = ruleset.param("easy_pace_min_per_mile")
    return RunLimits(
        max_run=floor_tenth(ruleset.param("max_run_minutes") / pace),
        easy_max=floor_tenth(ruleset.param("max_easy_run_minutes") / pace),
        pre_gate_max=floor_tenth(ruleset.param("pre_gate_max_run_minutes") / pace),
        long_share=ruleset.param("long_run_share_pct") / 100,
        long_max_share=ruleset.param("long_run_max_share_pct") / 100,
    )


def long_run_aim(weekly: float, runs: int, limits: RunLimits, race_need: float) -> float:
    """The long run a week of ``weekly`` miles aims for, before the single-run cap.

    The ruleset's share of the week, or the race's need when that is more; without a
    race, also what the other runs cannot hold at their ceiling. Either way within the
    absolute ceiling and the share bound (with one or two runs, the long run is simply
    the longer half).
    """
    if race_need > 0:  # a race's long run grows to its need, and no further to carry volume
        aim = max(race_need, weekly * limits.long_share)
    else:
        aim = max(weekly * limits.long_share, weekly - (runs - 1) * limits.easy_max)
    even = math.ceil(weekly / runs * 10 - 1e-6) / 10 if runs > 0 else weekly  # never shorter than an even split
    share = max(limits.long_max_share, 1 / runs) if runs > 0 else 1.0
    return floor_tenth(min(max(aim, even), limits.max_run, max(weekly * share, even)))


def holdable_volume(runs: int, limits: RunLimits, race_need: float) -> float:
    """The most weekly volume ``runs`` runs hold within the run ceilings (to 0.1 mi)."""
    if runs <= 0:
        return 0.0
    lo, hi = 0, 3000  # tenths of a mile
    while lo < hi:  # the largest volume whose split loses nothing
        mid = (lo + hi + 1) // 2
        weekly = mid / 10
        split = split_week(
            weekly,
            runs,
            long_run=long_run_aim(weekly, runs, limits, race_need) if runs > 1 else None,
            cap=limits.max_run,
            easy_max=limits.easy_max,
        )
        if abs(sum(split) - weekly) < 1e-6:
            lo = mid
        else:
            hi = mid - 1
    return lo / 10
