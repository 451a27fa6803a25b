"""Renderers: a plan as JSON (the contract), text (terminal), Markdown (handout), HTML (report) or iCalendar."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from planner.models.plan import Plan
    from planner.rules.compiler import CompiledRuleset

# Each renderer is imported when its format is asked for: the calendar library, the HTML
# report's chart and the terminal's tables are not a JSON plan's start-up.
PLAIN_WIDTH = 100  # columns of plain text for pipes and files (planner.render.console uses it)

FORMATS = ("text", "json", "markdown", "html", "ics")
VIEWS = ("runner", "clinician")


def render(
    plan: Plan,
    fmt: str,
    view: str = "runner",
    ruleset: CompiledRuleset | None = None,
    *,
    today: date | None = None,
    width: int = PLAIN_WIDTH,
    color: bool = False,
) -> str:
    """Render a plan in one of :data:`FORMATS`; text and Markdown in one of :data:`VIEWS`.

    HTML is the runner's report (``view`` does not apply); with ``ruleset``, HTML and Markdown
    show the evidence behind each rule the plan used. ``today`` stamps a calendar (DTSTAMP,
    SEQUENCE); ``width`` and ``color`` lay out text (plain, 100 columns, unless told otherwise).
    """
    if fmt == "html":
        from planner.render.html import render_html

        return render_html(plan, ruleset)
    if fmt == "json":
        return plan.to_json()
    if fmt == "ics":
        from planner.render.ics import render_ics

        return render_ics(plan, today)
    if fmt == "markdown":
        from planner.render.markdown import render_markdown

        return render_markdown(plan, view, ruleset)
    if fmt == "text":
        from planner.render.text import render_text

        return render_text(plan, view, width, color)
    raise ValueError(f"unknown format {fmt!r}; known: {', '.join(FORMATS)}")
