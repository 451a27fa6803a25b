"""Renderers: a plan as JSON (the contract), text (terminal) or Markdown (handout)."""

from __future__ import annotations

from planner.models.plan import Plan
from planner.render.markdown import render_markdown
from planner.render.text import render_text

FORMATS = ("text", "json", "markdown")


def render(plan: Plan, fmt: str) -> str:
    """Render a plan in one of :data:`FORMATS`."""
    if fmt == "json":
        return plan.to_json()
    if fmt == "markdown":
        return render_markdown(plan)
    if fmt == "text":
        return render_text(plan)
    raise ValueError(f"unknown format {fmt!r}; known: {', '.join(FORMATS)}")
