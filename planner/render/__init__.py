"""Renderers: a plan as JSON (the contract), text (terminal) or Markdown (handout)."""

from __future__ import annotations

from planner.models.plan import Plan
from planner.render.markdown import render_markdown
from planner.render.text import render_text

FORMATS = ("text", "json", "markdown")
VIEWS = ("runner", "clinician")


def render(plan: Plan, fmt: str, view: str = "runner") -> str:
    """Render a plan in one of :data:`FORMATS`; text and Markdown in one of :data:`VIEWS`."""
    if fmt == "json":
        return plan.to_json()
    if fmt == "markdown":
        return render_markdown(plan, view)
    if fmt == "text":
        return render_text(plan, view)
    raise ValueError(f"unknown format {fmt!r}; known: {', '.join(FORMATS)}")
