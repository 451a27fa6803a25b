"""Place a week's sessions on the runner's days.

Days are chosen deterministically: among the runner's available days, the set
that keeps the long-run day, respects spacing (no two runs on consecutive days,
Sunday to Monday included, when the rules ask for it) and spreads the sessions
out the most; ties go to the earliest days.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from itertools import combinations

from planner.rules.vocabulary import WEEKDAYS
from planner.units import floor_tenth


def _too_close(a: int, b: int, rest_days: int) -> bool:
    gap = abs(a - b)
    return min(gap, 7 - gap) <= rest_days  # round the week: Sunday and the next Monday touch


def blocked_after(previous_days: Sequence[str], rest_days: int) -> list[str]:
    """This week's days too close to last week's runs for ``rest_days`` days off."""
    if not rest_days:
        return []
    return [d for d in WEEKDAYS if any(WEEKDAYS.index(d) + 7 - WEEKDAYS.index(p) <= rest_days for p in previous_days)]


def _spread(days: Sequence[int]) -> tuple[int, ...]:
    """The gaps between the days round the week, smallest first.

    Comparing these tuples prefers the evenest week (Mon-Tue-Fri over Mon-Tue-Wed).
    """
    if len(days) < 2:
        return (7,)
    ordered = sorted(days)
    gaps = [b - a for a, b in itertools.pairwise(ordered)]
    gaps.append(ordered[0] + 7 - ordered[-1])
    return tuple(sorted(gaps))


def choose_days(
    available: Sequence[str],
    count: int,
    *,
    keep: str | None = None,
    rest_days: int = 0,
    blocked: Sequence[str] = (),
) -> list[str]:
    """Up to ``count`` of ``available`` days, as spread out as possible.

    ``rest_days`` is the fewest days off between two of them (round the week, so
    Sunday to Monday counts); ``keep`` must be among them when possible; ``blocked``
    days are never used (e.g. Monday after a Sunday run of the previous week).
    """
    pool = [WEEKDAYS.index(d) for d in WEEKDAYS if d in available and d not in blocked]
    must = WEEKDAYS.index(keep) if keep in available and keep not in blocked else None
    for size in range(min(count, len(pool)), 0, -1):
        best: tuple[int, ...] | None = None
        for combo in combinations(pool, size):
            if must is not None and must not in combo:
                continue
            if rest_days and any(_too_close(a, b, rest_days) for a, b in combinations(combo, 2)):
                continue
            if best is None or _spread(combo) > _spread(best):
                best = combo
        if best is not None:
            return [WEEKDAYS[i] for i in best]
    return []


def single_run_cap(longest_30d: float, cap_pct: float, allowance: float) -> float:
    """The longest run allowed.

    That is cap_pct over the recent longest run, or the absolute allowance over it
    for tiny bases, whichever is larger.
    """
    return floor_tenth(max(longest_30d * (1 + cap_pct / 100), longest_30d + allowance))


def split_volume(weekly: float, runs: int, *, long_share: float, cap: float, with_long_run: bool) -> list[float]:
    """Split a weekly volume into ``runs`` runs, the first being the long run.

    Works in whole tenths of a mile so the runs add up to the volume exactly
    (three runs of 3.3 would leave a 10-mile week at 9.9 and the gate shut).
    Every run stays within ``cap``; if the volume cannot fit, the week is smaller.
    """
    total, cap_t = math.floor(weekly * 10 + 1e-6), math.floor(cap * 10 + 1e-6)
    if runs <= 0 or total <= 0 or cap_t <= 0:
        return []
    if runs == 1:
        return [min(total, cap_t) / 10]
    if with_long_run:
        long_t = min(max(math.floor(total * long_share + 1e-6), -(-total // runs)), cap_t)
        rest, n_rest, ceiling = total - long_t, runs - 1, long_t
        head = [long_t]
    else:
        rest, n_rest, ceiling, head = total, runs, cap_t, []
    base, extra = divmod(rest, n_rest)
    others = [min(base + (1 if i < extra else 0), ceiling) for i in range(n_rest)]
    return [t / 10 for t in head + others if t > 0]  # a volume too small to split gives fewer runs
