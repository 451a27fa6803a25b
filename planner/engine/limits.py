"""What the durable_rules engine can take, measured (shared/reference/durable-rules.md and probes).

The ruleset checker refuses a ruleset past any of these with a diagnostic at its line,
and the planner never hands the engine a number it cannot represent. Each limit sits
well below where the engine was seen to fail:

* a rule joined to 13-15 gates crashed the process (SIGSEGV) or hung; 16-17 gave error 304;
* 48 or more sticky gates gave errors 303/302 in the middle of a plan;
* 260 rules gave error 108;
* an ``any:`` nested 100 deep gave error 113 (more than 32 expressions in one join);
* numbers the JSON encoder writes with an exponent (1e-05, 1e+16) gave error 204.
"""

from __future__ import annotations

from typing import Final

MAX_REQUIRES: Final = 8  # gates one rule or gate may require
MAX_GATES: Final = 32  # gates in a ruleset (sticky or not)
MAX_RULES: Final = 200  # rules in a ruleset
MAX_NESTING: Final = 4  # any:/all: inside one another
MAX_COMPARISONS: Final = 30  # comparisons in one rule's conditions (the engine takes 32 expressions)
# Numbers the engine reads: 0, or a magnitude in [SMALLEST, LARGEST) (written without an exponent).
SMALLEST_NUMBER: Final = 1e-4
LARGEST_NUMBER: Final = 1e12


def representable(value: float) -> bool:
    """A number the engine's number format takes."""
    magnitude = abs(value)
    return magnitude == 0 or SMALLEST_NUMBER <= magnitude < LARGEST_NUMBER


def engine_number(value: float) -> float:
    """A fact value snapped to what the engine takes: tiny values are 0, four decimals kept."""
    rounded = round(value, 4)
    return 0.0 if abs(rounded) < SMALLEST_NUMBER else rounded
