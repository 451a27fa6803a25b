"""``rtr plan``: a week-by-week return-to-run plan for a profile."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from planner.api import evaluator_named
from planner.cli.common import NO_CACHE_HELP, caches, emit, input_files, logs, parse_today, reported_errors
from planner.cli.inputs import load_runner
from planner.diagnostics import is_stdin
from planner.planning.planner import make_plan
from planner.render import PLAIN_WIDTH, render


class PlanFormat(StrEnum):
    """Output formats of ``rtr plan``."""

    TEXT = "text"
    JSON = "json"
    MARKDOWN = "markdown"
    HTML = "html"
    ICS = "ics"


class PlanView(StrEnum):
    """Who a text or Markdown plan is written for."""

    RUNNER = "runner"
    CLINICIAN = "clinician"


class EngineChoice(StrEnum):
    """Which evaluator runs the rules."""

    DURABLE = "durable"
    REFERENCE = "reference"


def plan(
    profile: Annotated[
        Path,
        typer.Argument(
            metavar="PROFILE", help="Runner profile (YAML or JSON, schema rtr.profile/v1); - reads standard input."
        ),
    ],
    ruleset: Annotated[
        str | None,
        typer.Option(
            "--ruleset", "-r", metavar="RULESET", help="A shipped ruleset id or a ruleset file. Default: return-to-run."
        ),
    ] = None,
    fmt: Annotated[
        PlanFormat,
        typer.Option(
            "--format",
            "-f",
            help="text, json (rtr.plan/v1), markdown, html (a report for a browser) or ics (a calendar).",
        ),
    ] = (PlanFormat.TEXT),
    view: Annotated[
        PlanView,
        typer.Option(
            "--view",
            help=(
                "text and markdown: runner (plain words, your units) or clinician (gate ids and conditions); "
                "html is the runner's report."
            ),
        ),
    ] = PlanView.RUNNER,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write to this file instead of stdout (- is stdout)."),
    ] = None,
    today: Annotated[
        str | None, typer.Option("--today", metavar="DATE", help="Today's date, YYYY-MM-DD (default: the system date).")
    ] = None,
    engine: Annotated[
        EngineChoice, typer.Option("--engine", help="durable (the product) or reference (the test oracle).")
    ] = EngineChoice.DURABLE,
    log: Annotated[
        Path | None,
        typer.Option(
            "--log",
            metavar="FILE",
            help="Check-in log (rtr.checkins/v1). Default: <profile>.checkins.jsonl, if it exists.",
        ),
    ] = None,
    skip_bad_lines: Annotated[
        bool, typer.Option("--skip-bad-lines", help="Read the check-in log's good lines; report the bad ones.")
    ] = False,
    no_color: Annotated[
        bool, typer.Option("--no-color", help="No colours on a terminal (as NO_COLOR=1 does).")
    ] = False,
    no_cache: Annotated[bool, typer.Option("--no-cache", help=NO_CACHE_HELP)] = False,
) -> None:
    """Print a week-by-week return-to-run plan for a runner profile.

    Example:  rtr plan examples/shin-pain-10k.yaml --format markdown -o plan.md
              rtr plan examples/shin-pain-10k.yaml --format ics -o plan.ics
              rtr plan examples/shin-pain-10k.yaml --format html -o plan.html
    """
    when = parse_today(today)
    with reported_errors(), caches(not no_cache):
        given = load_runner(profile, ruleset, when, log=log, skip_bad_lines=skip_bad_lines)
        result = make_plan(
            given.loaded.profile,
            given.ruleset,
            today=when,
            evaluator=evaluator_named(engine.value),
            checkins=given.checkins.weeks if given.checkins is not None else None,
        )
        # A terminal gets its width and, unless told not to, colours; a file or a pipe plain text.
        to_stdout = output is None or is_stdin(output)
        width, color = PLAIN_WIDTH, False
        if fmt is PlanFormat.TEXT:  # rich, the terminal's tables, only for text
            from planner.render.console import plain_width, terminal_settings

            width, color = terminal_settings(sys.stdout, no_color) if to_stdout else (plain_width(), False)
        emit(
            render(result, fmt.value, view.value, given.ruleset, today=when, width=width, color=color),
            output,
            protect=(*input_files(profile, ruleset), *logs(profile, log)),
            # The renderer escaped the user's text: the controls left are the format's own
            # (a calendar's CRLF line ends, a terminal's colours).
            escaped=fmt is PlanFormat.ICS or (color and fmt is PlanFormat.TEXT),
        )
