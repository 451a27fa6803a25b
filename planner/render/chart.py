"""The plan at a glance as an inline SVG chart, written by hand (no dependency, no script).

Bars are the week's running (lived weeks solid, planned weeks hatched; a check-in's logged
distance is a tick on its bar), the line is the longest run, the background bands are the
phases; under the axis, tracks show the phases, strength blocks, hop stages and the week
each check is passed; the race and the taper are marked above the plot. Every text is
escaped: names come from the profile and the ruleset. Same plan, same bytes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from html import escape
from typing import TypeVar

from planner.models.plan import Plan, Week
from planner.render.common import distance, long_date, phase_label
from planner.render.handout import gate_changes, gate_order
from planner.units import KM_PER_MILE

LEFT, RIGHT, TOP = 76, 18, 58
PLOT_H, AXIS_H, TRACK_H, TRACK_GAP = 210, 34, 22, 6
MIN_PLOT_W = 420
COL_W = 28
CHECK_STEP = 16  # one check marker per row of the checks track
FONT = 11
CHAR_W = 6.4  # a generous width of one character at FONT, to decide whether a label fits

# Pale tints behind the plot and the stronger tints of the phase track, by order of appearance.
PHASE_TINTS = ("#eef3f8", "#f6efe2", "#e9f3e6", "#f5e9f0", "#f1f1df", "#e4f0f3", "#f4e6df", "#eae8f5")
PHASE_FILLS = ("#c5d6e8", "#ead7b3", "#c4dfbd", "#e6c7d8", "#dcdcae", "#b9dbe3", "#e6c3b3", "#cdc8ea")
STRENGTH_FILLS = ("#d9c6a5", "#b8d0b0", "#b7c3de", "#dcb9cf", "#d6d6a6", "#b3d6d6")
HOP_FILLS = ("#f3e3c4", "#ecd3a3", "#e4c283", "#dbb264", "#d1a247", "#c6922c", "#bb8215")
K = TypeVar("K")
INK, GRID, BAR_LIVED, BAR_PLANNED, RACE, LONG = "#1a1a1a", "#c8c8c8", "#1f4e79", "#5b8ec2", "#b2182b", "#c25e00"


@dataclass(frozen=True)
class Geometry:
    """Where things go: the x of each week, the y of each distance."""

    weeks: int
    col: float
    top_y: float
    ymax: float
    units: str

    def x(self, index: float) -> float:
        """The left edge of the week at ``index`` (0-based; fractions within the week)."""
        return LEFT + index * self.col

    def y(self, miles: float) -> float:
        """The y of a distance (in miles), on the runner's unit scale."""
        value = miles * KM_PER_MILE if self.units == "km" else miles
        return TOP + PLOT_H - (value / self.ymax) * PLOT_H if self.ymax else TOP + PLOT_H

    @property
    def bottom(self) -> float:
        """The plot's base line."""
        return TOP + PLOT_H

    @property
    def width(self) -> float:
        """The width of the plot."""
        return self.weeks * self.col


def _f(value: float) -> str:
    """A coordinate, short and stable."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _text(x: float, y: float, text: str, *, anchor: str = "start", cls: str = "", size: int = FONT) -> str:
    klass = f' class="{cls}"' if cls else ""
    return f'<text x="{_f(x)}" y="{_f(y)}" font-size="{size}" text-anchor="{anchor}"{klass}>{escape(text)}</text>'


def _fits(text: str, width: float) -> bool:
    return len(text) * CHAR_W + 6 <= width


def _step(top: float) -> float:
    """A round tick step giving at most six intervals up to ``top``."""
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 500):
        if top / step <= 6:
            return step
    return 1000


def _runs(weeks: list[Week], key: Callable[[Week], K]) -> list[tuple[int, int, K]]:
    """Consecutive weeks with the same key: (first index, last index, key)."""
    out: list[tuple[int, int, K]] = []
    for i, w in enumerate(weeks):
        k = key(w)
        if out and out[-1][2] == k and out[-1][1] == i - 1:
            out[-1] = (out[-1][0], i, k)
        else:
            out.append((i, i, k))
    return out


def _segment(
    g: Geometry, first: int, last: int, y: float, fill: str, label: str, tip: str, *, height: float = TRACK_H
) -> list[str]:
    x0, x1 = g.x(first) + 0.5, g.x(last + 1) - 0.5
    out = [
        f'<rect x="{_f(x0)}" y="{_f(y)}" width="{_f(x1 - x0)}" height="{_f(height)}" fill="{fill}" '
        f'stroke="#ffffff" stroke-width="1"><title>{escape(tip)}</title></rect>'
    ]
    if label and _fits(label, x1 - x0):
        out.append(_text((x0 + x1) / 2, y + height / 2 + 4, label, anchor="middle"))
    return out


# ----------------------------------------------------------------------------- parts
def _scale(plan: Plan) -> float:
    most = 0.0
    for w in plan.weeks:
        r = w.running
        most = max(most, r.weekly_miles, r.total_miles or 0.0, r.long_run_miles)
        if w.logged is not None:
            most = max(most, w.logged.miles)
    value = most * KM_PER_MILE if plan.units == "km" else most
    step = _step(max(value, 1.0))
    return step * -(-max(value, 1.0) // step)


def _phase_bands(plan: Plan, g: Geometry, tints: dict[str, int]) -> list[str]:
    out = []
    for first, last, phase in _runs(plan.weeks, lambda w: w.phase):
        i = tints[phase]
        out.append(
            f'<rect x="{_f(g.x(first))}" y="{TOP}" width="{_f(g.x(last + 1) - g.x(first))}" height="{PLOT_H}" '
            f'fill="{PHASE_TINTS[i % len(PHASE_TINTS)]}"/>'
        )
    return out


def _axes(plan: Plan, g: Geometry) -> list[str]:
    out = []
    step = _step(g.ymax)
    value = 0.0
    while value <= g.ymax + 1e-9:
        y = TOP + PLOT_H - value / g.ymax * PLOT_H
        out.append(f'<line x1="{LEFT}" y1="{_f(y)}" x2="{_f(LEFT + g.width)}" y2="{_f(y)}" stroke="{GRID}"/>')
        out.append(_text(LEFT - 6, y + 4, f"{value:g}", anchor="end"))
        value += step
    mid = TOP + PLOT_H / 2
    out.append(
        f'<text x="16" y="{_f(mid)}" font-size="{FONT}" text-anchor="middle" transform="rotate(-90 16 {_f(mid)})">'
        f"{escape(plan.units)} of running a week</text>"
    )
    every = 1 if g.col >= 22 else 2 if g.col >= 12 else 4
    for i, w in enumerate(plan.weeks):
        if i % every == 0 or i == len(plan.weeks) - 1:
            out.append(_text(g.x(i + 0.5), g.bottom + 15, str(w.week), anchor="middle"))
    out.append(_text(LEFT + g.width / 2, g.bottom + 29, "week", anchor="middle"))
    out.append(f'<line x1="{LEFT}" y1="{_f(g.bottom)}" x2="{_f(LEFT + g.width)}" y2="{_f(g.bottom)}" stroke="{INK}"/>')
    return out


def _bars(plan: Plan, g: Geometry) -> list[str]:
    out = []
    bar = min(g.col * 0.64, 44)
    for i, w in enumerate(plan.weeks):
        r = w.running
        x = g.x(i + 0.5) - bar / 2
        lived = "lived" if w.observed else "planned"
        tip = f"Week {w.week} ({lived}): {distance(r.weekly_miles, plan.units)} of running"
        if r.weekly_miles > 0:
            fill = BAR_LIVED if w.observed else "url(#planned)"
            y = g.y(r.weekly_miles)
            out.append(
                f'<rect class="bar {lived}" x="{_f(x)}" y="{_f(y)}" width="{_f(bar)}" height="{_f(g.bottom - y)}" '
                f'fill="{fill}" stroke="{BAR_LIVED if w.observed else BAR_PLANNED}"><title>{escape(tip)}</title></rect>'
            )
        race = (r.total_miles or 0.0) - r.weekly_miles
        if race > 0.05:
            y0, y1 = g.y(r.weekly_miles), g.y(r.total_miles or 0.0)
            out.append(
                f'<rect class="bar race" x="{_f(x)}" y="{_f(y1)}" width="{_f(bar)}" height="{_f(y0 - y1)}" '
                f'fill="{RACE}"><title>The race: {escape(distance(race, plan.units))}</title></rect>'
            )
        if w.observed and w.logged is not None:
            y = g.y(w.logged.miles)
            out.append(
                f'<line class="logged" x1="{_f(x - 3)}" y1="{_f(y)}" x2="{_f(x + bar + 3)}" y2="{_f(y)}" '
                f'stroke="{INK}" stroke-width="3"><title>Week {w.week}: your check-in logged '
                f"{escape(distance(w.logged.miles, plan.units))}</title></line>"
            )
    return out


def _long_runs(plan: Plan, g: Geometry) -> list[str]:
    points = [(i, w) for i, w in enumerate(plan.weeks) if w.running.long_run_miles > 0]
    if not points:
        return []
    path = " ".join(f"{_f(g.x(i + 0.5))},{_f(g.y(w.running.long_run_miles))}" for i, w in points)
    out = [f'<polyline points="{path}" fill="none" stroke="{LONG}" stroke-width="2"/>']
    for i, w in points:
        fill = LONG if w.observed else "#ffffff"
        tip = f"Week {w.week}: longest run {distance(w.running.long_run_miles, plan.units)}"
        out.append(
            f'<circle cx="{_f(g.x(i + 0.5))}" cy="{_f(g.y(w.running.long_run_miles))}" r="3.5" fill="{fill}" '
            f'stroke="{LONG}" stroke-width="2"><title>{escape(tip)}</title></circle>'
        )
    return out


def _marker(g: Geometry, x: float, row: int, label: str, colour: str, *, dashed: bool) -> list[str]:
    y = 13 + row * 15
    dash = ' stroke-dasharray="4 3"' if dashed else ""
    anchor = "end" if x > LEFT + g.width - len(label) * CHAR_W / 2 else "start" if x < LEFT + 60 else "middle"
    return [
        f'<line x1="{_f(x)}" y1="{_f(y + 3)}" x2="{_f(x)}" y2="{_f(g.bottom)}" stroke="{colour}" '
        f'stroke-width="2"{dash}/>',
        _text(x, y, label, anchor=anchor, cls="marker"),
    ]


def _day_x(plan: Plan, g: Geometry, day: date) -> float | None:
    offset = (day - plan.start_date).days
    if offset < 0 or offset >= 7 * len(plan.weeks):
        return None
    return g.x(offset / 7 + 1 / 14)


def _race_marks(plan: Plan, g: Geometry) -> list[str]:
    out = []
    race_day = next((s.date for w in plan.weeks for s in w.running.sessions if s.kind == "race"), None)
    if race_day is not None:
        x = _day_x(plan, g, race_day)
        if x is not None:
            out += _marker(g, x, 0, f"Race: {plan.runner.race}", RACE, dashed=False)
    if plan.race_date is not None and plan.race_date != race_day:
        x = _day_x(plan, g, plan.race_date)
        if x is not None:
            out += _marker(g, x, 1, "your race date: not advised", INK, dashed=True)
    race_index = next((i for i, w in enumerate(plan.weeks) if any(s.kind == "race" for s in w.running.sessions)), None)
    if race_index is not None and plan.race is not None and plan.race.taper_weeks:
        # The taper's weeks end with the race week (the taper rule: the last weeks before the race).
        first = max(0, race_index - plan.race.taper_weeks + 1)
        x0, x1 = g.x(first) + 2, g.x(race_index + 1) - 2
        y = TOP - 8
        out.append(f'<path d="M{_f(x0)},{_f(y + 5)} V{_f(y)} H{_f(x1)} V{_f(y + 5)}" fill="none" stroke="{INK}"/>')
        out.append(_text((x0 + x1) / 2, y - 3, "taper", anchor="middle"))
    return out


def _lived_mark(plan: Plan, g: Geometry) -> list[str]:
    lived = [i for i, w in enumerate(plan.weeks) if w.observed]
    if not lived:
        return []
    x0, x1 = g.x(lived[0]) + 2, g.x(lived[-1] + 1) - 2
    y = TOP - 8
    label = "lived (check-ins)" if _fits("lived (check-ins)", x1 - x0 + 40) else "lived"
    return [
        f'<path d="M{_f(x0)},{_f(y + 5)} V{_f(y)} H{_f(x1)} V{_f(y + 5)}" fill="none" stroke="{BAR_LIVED}" '
        f'stroke-width="2"/>',
        _text(x0, y - 3, label, cls="marker"),
    ]


def _tracks(plan: Plan, g: Geometry, tints: dict[str, int], y: float) -> tuple[list[str], float]:
    out: list[str] = []
    # Phases.
    out.append(_text(LEFT - 6, y + TRACK_H / 2 + 4, "Phase", anchor="end", cls="track"))
    for first, last, phase in _runs(plan.weeks, lambda w: w.phase):
        label = phase_label(plan, phase)
        fill = PHASE_FILLS[tints[phase] % len(PHASE_FILLS)]
        out += _segment(g, first, last, y, fill, label, f"Weeks {first + 1}-{last + 1}: {label}")
    y += TRACK_H + TRACK_GAP
    # Strength blocks.
    colours = strength_colours(plan)
    out.append(_text(LEFT - 6, y + TRACK_H / 2 + 4, "Strength", anchor="end", cls="track"))
    for first, last, key in _runs(plan.weeks, lambda w: (w.strength.block, w.strength.label or w.strength.name)):
        label = key[1]
        if not plan.weeks[first].strength.sessions:
            continue
        tip = f"Weeks {plan.weeks[first].week}-{plan.weeks[last].week}: {label}"
        out += _segment(g, first, last, y, colours[label], label, tip)
    y += TRACK_H + TRACK_GAP
    # Hop stages.
    out.append(_text(LEFT - 6, y + TRACK_H / 2 + 4, "Hops", anchor="end", cls="track"))
    for first, last, stage in _runs(plan.weeks, lambda w: w.plyometrics.stage):
        if not stage:
            continue
        s = stage
        name = plan.weeks[first].plyometrics.name
        label = f"stage {s}" if _fits(f"stage {s}", g.x(last + 1) - g.x(first)) else str(s)
        tip = f"Weeks {plan.weeks[first].week}-{plan.weeks[last].week}: hops stage {s}, {name}"
        out += _segment(g, first, last, y, HOP_FILLS[min(s, len(HOP_FILLS)) - 1], label, tip)
    y += TRACK_H + TRACK_GAP
    # Checks passed.
    numbers = {gid: n for n, gid in enumerate(gate_order(plan), start=1)}
    changes = gate_changes(plan)
    rows = max([1, *(len(up) for up, _ in changes.values())])
    out.append(_text(LEFT - 6, y + 12, "Checks", anchor="end", cls="track"))
    for i, w in enumerate(plan.weeks):
        for row, gid in enumerate(changes[w.week][0]):
            cx, cy = g.x(i + 0.5), y + 8 + row * CHECK_STEP
            tip = f"Check {numbers[gid]} passed as week {w.week} starts"
            out.append(
                f'<g class="check"><circle cx="{_f(cx)}" cy="{_f(cy)}" r="7.5" fill="#ffffff" stroke="{INK}">'
                f"<title>{escape(tip)}</title></circle>"
                + _text(cx, cy + 3.5, str(numbers[gid]), anchor="middle", size=10)
                + "</g>"
            )
    y += rows * CHECK_STEP + 4
    return out, y


def phase_colours(plan: Plan) -> dict[str, str]:
    """Each phase's colour in the phase track, by order of appearance (the legend's swatches)."""
    order: dict[str, int] = {}
    for w in plan.weeks:
        order.setdefault(w.phase, len(order))
    return {phase: PHASE_FILLS[i % len(PHASE_FILLS)] for phase, i in order.items()}


def strength_colours(plan: Plan) -> dict[str, str]:
    """Each kind of strength block's colour in the strength track (the legend's swatches)."""
    order: dict[str, int] = {}
    for w in plan.weeks:
        if w.strength.sessions:
            order.setdefault(w.strength.label or w.strength.name, len(order))
    return {label: STRENGTH_FILLS[i % len(STRENGTH_FILLS)] for label, i in order.items()}


def _defs() -> str:
    return (
        '<defs><pattern id="planned" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#d4e3f2"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="{BAR_PLANNED}" stroke-width="3"/></pattern></defs>'
    )


def chart_description(plan: Plan) -> str:
    """What the chart shows, in a few sentences (the SVG's desc)."""
    u = plan.units
    weeks = plan.weeks
    if not any(w.running.weekly_miles for w in weeks):
        return f"{len(weeks)} week(s), no running planned. The overview table below lists every week."
    peak = max(weeks, key=lambda w: w.running.weekly_miles)
    longest = max(weeks, key=lambda w: w.running.long_run_miles)
    lived = sum(1 for w in weeks if w.observed)
    parts = [
        f"Weekly running over {len(weeks)} weeks from {long_date(plan.start_date)}, "
        f"rising to {distance(peak.running.weekly_miles, u)} in week {peak.week}; "
        f"the longest run reaches {distance(longest.running.long_run_miles, u)} in week {longest.week}."
    ]
    if lived:
        parts.append(f"The first {lived} week(s) are lived weeks from your check-ins; the rest are planned.")
    race = next((w for w in weeks if any(s.kind == "race" for s in w.running.sessions)), None)
    if race is not None:
        parts.append(f"The race is in week {race.week}, after the taper.")
    parts.append("Tracks below show the phases, strength blocks, hop stages and the week each check is passed.")
    parts.append("The overview table below gives the same figures week by week.")
    return " ".join(parts)


def render_chart(plan: Plan, *, title: str) -> str:
    """The chart as an ``<svg>`` element, with its title and description."""
    n = max(len(plan.weeks), 1)
    col = max(COL_W, MIN_PLOT_W / n)
    g = Geometry(n, col, TOP, _scale(plan), plan.units)
    tints: dict[str, int] = {}
    for w in plan.weeks:
        tints.setdefault(w.phase, len(tints))
    body = _phase_bands(plan, g, tints) + _axes(plan, g) + _bars(plan, g) + _long_runs(plan, g)
    if not any(w.running.weekly_miles for w in plan.weeks):
        empty = "No running: see a clinician first" if plan.status == "referral" else "No running in these weeks"
        body.append(_text(LEFT + g.width / 2, TOP + PLOT_H / 2, empty, anchor="middle"))
    body += _race_marks(plan, g) + _lived_mark(plan, g)
    tracks, bottom = _tracks(plan, g, tints, g.bottom + AXIS_H + 4)
    width, height = LEFT + g.width + RIGHT, bottom + 6
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" id="chart" role="img" viewBox="0 0 {_f(width)} {_f(height)}" '
        f'width="{_f(width)}" height="{_f(height)}" style="--w:{_f(width * 1.35)}px" '
        'aria-labelledby="chart-title" aria-describedby="chart-desc" '
        f'font-family="system-ui, -apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif" fill="{INK}">'
        f'<title id="chart-title">{escape(title)}</title>'
        f'<desc id="chart-desc">{escape(chart_description(plan))}</desc>'
        + _defs()
        + "".join(body)
        + "".join(tracks)
        + "</svg>"
    )
