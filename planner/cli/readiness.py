"""``rtr readiness``: is the runner ready to train again? A verdict, what is missing, what the plan does.

With a profile, its facts answer the questions and the plan ``rtr plan`` would make says
when each missing criterion comes and how. Without one, in a terminal, the runner answers
the questions; without a terminal either, it is bad input (exit 2). Exit 0 when ready,
1 when not.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from planner.api import evaluator_named, ruleset_named
from planner.cli.common import ExitCode, echo, emit, input_files, logs, parse_today, reported_errors
from planner.cli.inputs import load_runner
from planner.cli.prompts import ask_yes_no, interactive
from planner.diagnostics import Diagnostic
from planner.errors import InputError
from planner.models.readiness import Readiness
from planner.planning.planner import make_plan
from planner.readiness import from_answers, from_profile, questions, render_text
from planner.rules.compiler import CompiledRuleset


class ReadinessFormat(StrEnum):
    """Output formats of ``rtr readiness``."""

    TEXT = "text"
    JSON = "json"


def _ask(ruleset: CompiledRuleset) -> Readiness:
    echo("Answer each question about your rehab and your running now (yes or no; Ctrl-C stops).")
    said = {qid: ask_yes_no(text) for qid, text in questions(ruleset)}
    echo("")
    return from_answers(ruleset, said)


def readiness(
    profile: Annotated[
        Path | None,
        typer.Argument(
            metavar="PROFILE",
            help="Runner profile (rtr.profile/v1); - reads standard input. Without one, in a terminal: questions.",
        ),
    ] = None,
    ruleset: Annotated[
        str | None,
        typer.Option("--ruleset", "-r", metavar="RULESET", help="A shipped ruleset id or a ruleset file."),
    ] = None,
    fmt: Annotated[
        ReadinessFormat, typer.Option("--format", "-f", help="text or json (rtr.readiness/v1).")
    ] = ReadinessFormat.TEXT,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write to this file instead of stdout (- is stdout)."),
    ] = None,
    today: Annotated[
        str | None, typer.Option("--today", metavar="DATE", help="Today's date, YYYY-MM-DD (default: the system date).")
    ] = None,
    log: Annotated[
        Path | None,
        typer.Option("--log", metavar="FILE", help="Check-in log. Default: <profile>.checkins.jsonl, if it exists."),
    ] = None,
) -> None:
    """Check whether you are ready to train again: a verdict, what is missing, and what the plan does about it.

    Exit 0 when every readiness criterion holds, 1 when not.

    Example:  rtr readiness examples/half-marathon-16wk.yaml
    """
    when = parse_today(today)
    with reported_errors():
        if profile is None:
            if not interactive():
                message = "no profile given, and no terminal to ask the questions in"
                hint = "give a profile (rtr readiness PROFILE; rtr init makes one), or run it in a terminal"
                raise InputError(message, [Diagnostic("bad-input", message, None, subject="PROFILE", hint=hint)])
            compiled = ruleset_named(ruleset)
            result = _ask(compiled)
            protect = input_files(ruleset)
        else:
            given = load_runner(profile, ruleset, when, log=log, skip_bad_lines=False)
            plan = make_plan(
                given.loaded.profile,
                given.ruleset,
                today=when,
                evaluator=evaluator_named("durable"),
                checkins=given.checkins.weeks if given.checkins is not None else None,
            )
            result = from_profile(given.loaded.profile, given.ruleset, plan, when)
            protect = (*input_files(profile, ruleset), *logs(profile, log))
        text = result.to_json() if fmt is ReadinessFormat.JSON else render_text(result)
        emit(text, output, protect=protect)
    raise typer.Exit(ExitCode.OK if result.ready else ExitCode.FINDINGS)
