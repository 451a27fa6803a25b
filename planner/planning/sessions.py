"""Place a week's sessions on the runner's days.

Days are chosen deterministically: among the runner's available days, the set
that keeps the long-run day, respects spacing (no two runs on consecutive days,
Sunday to Monday included, when the rules ask for it) and spreads the sessions
out the most; ties go to the earliest days.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Sequence
from itertools import combinations

from planner.rules.vocabulary import WEEKDAYS


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


def max_spaced_runs(available: Sequence[str], rest_days: int) -> int:
    """The most runs ``available`` days hold with ``rest_days`` days off between each."""
    return _max_spaced_runs(tuple(available), rest_days)


@functools.lru_cache(maxsize=512)
def _max_spaced_runs(available: tuple[str, ...], rest_days: int) -> int:
    return len(choose_days(available, 7, rest_days=rest_days))
