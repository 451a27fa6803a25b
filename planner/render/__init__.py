"""Renderers: a plan as JSON (the contract), text (terminal), Markdown (handout) or HTML (report)."""

from __future__ import annotations

from planner.models.plan import Plan
from planner.render.html import render_html
from planner.render.markdown import render_markdown
from planner.render.text import render_text
from planner.rules.compiler import CompiledRuleset

FORMATS = ("text", "json", "markdown", "html")
VIEWS = ("runner", "clinician")


def render(plan: Plan, fmt: str, view: str = "runner", ruleset: CompiledRuleset | None = None) -> str:
    """Render a plan in one of :data:`FORMATS`; text and Markdown in one of :data:`VIEWS`.

    HTML is the runner's report (``view`` does not apply); with ``ruleset`` it shows the
    evidence behind each rule the plan used.
    """
    if fmt == "html":
        return render_html(plan, ruleset)
    if fmt == "json":
        return plan.to_json()
    if fmt == "markdown":
        return render_markdown(plan, view, ruleset)
    if fmt == "text":
        return render_text(plan, view)
    raise ValueError(f"unknown format {fmt!r}; known: {', '.join(FORMATS)}")
