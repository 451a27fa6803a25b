"""``rtr explain``: why each rule fired (or did not) for a runner, week by week."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer

from planner.api import evaluator_named
from planner.cli.common import DiagnosticFormat, echo, parse_today, reported_errors
from planner.cli.inputs import load_runner
from planner.explain import explain as explain_weeks
from planner.explain import render_explanation


def explain(
    profile: Annotated[
        Path, typer.Argument(metavar="PROFILE", help="Runner profile (YAML or JSON); - reads standard input.")
    ],
    week: Annotated[
        list[int] | None, typer.Option("--week", "-w", metavar="WEEK", help="Only this week (repeatable).")
    ] = None,
    rule: Annotated[
        str | None,
        typer.Option("--rule", metavar="RULE", help="Only this rule or gate, in every week: fired or why not."),
    ] = None,
    ruleset: Annotated[
        str | None, typer.Option("--ruleset", "-r", metavar="RULESET", help="A ruleset id or file.")
    ] = None,
    fmt: Annotated[DiagnosticFormat, typer.Option("--format", "-f", help="text or json")] = DiagnosticFormat.TEXT,
    today: Annotated[str | None, typer.Option("--today", metavar="DATE", help="Today's date, YYYY-MM-DD.")] = None,
    log: Annotated[
        Path | None,
        typer.Option("--log", metavar="FILE", help="Check-in log. Default: <profile>.checkins.jsonl, if it exists."),
    ] = None,
    skip_bad_lines: Annotated[
        bool, typer.Option("--skip-bad-lines", help="Read the check-in log's good lines; report the bad ones.")
    ] = False,
) -> None:
    """Show why each rule fired, week by week, and why each gate did not pass.

    Each rule comes with the facts it matched and their values, its source and evidence
    grade; with --rule, also the weeks it did not fire and why.

    Example:  rtr explain examples/shin-pain-10k.yaml --week 8 --week 9
    """
    when = parse_today(today)
    with reported_errors(fmt):
        given = load_runner(profile, ruleset, when, log=log, skip_bad_lines=skip_bad_lines, fmt=fmt)
        compiled, runner = given.ruleset, given.loaded.profile
        if rule is not None and compiled.find(rule) is None:
            raise typer.BadParameter(f"no rule or gate {rule!r} in ruleset {compiled.spec.id}", param_hint="--rule")
        explained = explain_weeks(
            runner,
            compiled,
            today=when,
            evaluator=evaluator_named("durable"),
            weeks=week or (),
            rule=rule,
            checkins=given.checkins.weeks if given.checkins is not None else None,  # the lived weeks `rtr plan` shows
        )
    if fmt is DiagnosticFormat.JSON:
        echo(json.dumps([asdict(w) for w in explained], indent=2, default=str))
    else:
        echo(f"Ruleset {compiled.spec.id} {compiled.spec.version} for {runner.runner.name}\n")
        echo(render_explanation(explained), nl=False)
