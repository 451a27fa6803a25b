"""``rtr plan``: a week-by-week return-to-run plan for a profile."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from planner.api import evaluator_named
from planner.cli.common import emit, input_files, logs, parse_today, reported_errors
from planner.cli.inputs import load_runner
from planner.planning.planner import make_plan
from planner.render import render


class PlanFormat(StrEnum):
    """Output formats of ``rtr plan``."""

    TEXT = "text"
    JSON = "json"
    MARKDOWN = "markdown"
    HTML = "html"


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
        typer.Option("--format", "-f", help="text, json (rtr.plan/v1), markdown or html (a report for a browser)."),
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
) -> None:
    """Print a week-by-week return-to-run plan for a runner profile.

    Example:  rtr plan examples/shin-pain-10k.yaml --format markdown -o plan.md
              rtr plan examples/shin-pain-10k.yaml --format html -o plan.html
    """
    when = parse_today(today)
    with reported_errors():
        given = load_runner(profile, ruleset, when, log=log, skip_bad_lines=skip_bad_lines)
        result = make_plan(
            given.loaded.profile,
            given.ruleset,
            today=when,
            evaluator=evaluator_named(engine.value),
            checkins=given.checkins.weeks if given.checkins is not None else None,
        )
        emit(
            render(result, fmt.value, view.value, given.ruleset),
            output,
            protect=(*input_files(profile, ruleset), *logs(profile, log)),
        )
