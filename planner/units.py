"""Distances: the plan stores miles; profiles and renderers may speak kilometres."""

from __future__ import annotations

import math

KM_PER_MILE = 1.609344


def to_miles(value: float, units: str) -> float:
    """A profile distance in miles, to the nearest hundredth."""
    return round(value / KM_PER_MILE, 2) if units == "km" else float(value)


def floor_tenth(miles: float) -> float:
    """Round down to 0.1 mi, so a cap computed in floats is never exceeded."""
    return math.floor(miles * 10 + 1e-6) / 10
