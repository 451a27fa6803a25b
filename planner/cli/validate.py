"""``rtr validate``: check a plan file against the invariants of a ruleset."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from planner.api import ruleset_named
from planner.cli.common import DiagnosticFormat, ExitCode, echo, parse_today, reported_errors
from planner.cli.inputs import one_stdin, show_warnings
from planner.diagnostics import display_path
from planner.plans import check_plan, read_plan
from planner.profiles import load_profile
from planner.rules.loader import load_ruleset_cached, resolve_ruleset_path
from planner.validation import INVARIANTS


def validate(
    plan_file: Annotated[
        Path, typer.Argument(metavar="PLAN", help="A plan file (rtr.plan/v1, JSON); - reads standard input.")
    ],
    ruleset: Annotated[
        str | None,
        typer.Option(
            "--ruleset",
            "-r",
            metavar="RULESET",
            help="Ruleset id or file to check against. Default: the one named in the plan.",
        ),
    ] = None,
    profile: Annotated[
        Path | None,
        typer.Option("--profile", "-p", metavar="PROFILE", help="Also check the plan's baseline against this profile."),
    ] = None,
    fmt: Annotated[DiagnosticFormat, typer.Option("--format", "-f", help="text or json")] = DiagnosticFormat.TEXT,
    today: Annotated[
        str | None, typer.Option("--today", metavar="DATE", help="Today's date, YYYY-MM-DD, for --profile.")
    ] = None,
) -> None:
    """Check a plan against every invariant; exit 1 if any is broken.

    Example:  rtr validate plan.json --profile examples/shin-pain-10k.yaml
    """
    one_stdin({"PLAN": plan_file, "--profile": profile})
    with reported_errors(fmt):
        plan = read_plan(plan_file)
        # The plan names its ruleset by id; an id is looked up among the shipped rulesets only.
        rules = (
            ruleset_named(ruleset)
            if ruleset
            else load_ruleset_cached(resolve_ruleset_path(plan.ruleset.id, shipped_only=True))
        )
        runner = None
        if profile is not None:
            loaded = load_profile(profile, rules, parse_today(today))
            show_warnings(loaded.warnings, loaded.source, fmt)
            runner = loaded.profile
        result = check_plan(plan, rules, profile=runner, today=parse_today(today) if today else None)
    shown = display_path(plan_file)
    if fmt is DiagnosticFormat.JSON:
        echo(
            json.dumps(
                {
                    "plan": shown,
                    "ruleset": {"id": rules.spec.id, "version": rules.spec.version, "sha256": rules.sha256},
                    "invariants": [{"id": i.id, "statement": i.statement} for i in INVARIANTS],
                    "violations": [v.as_dict() for v in result.violations],
                    "warnings": list(result.warnings),
                },
                indent=2,
            )
        )
    else:
        for warning in result.warnings:
            echo(f"warning: {warning}", err=True)
        count = len(result.violations)
        summary = f"{count} violation{'s' if count != 1 else ''}" if count else "no violations"
        echo(
            f"{shown}: {summary} of {len(INVARIANTS)} invariants "
            f"(ruleset {rules.spec.id} {rules.spec.version}, {len(plan.weeks)} weeks)"
        )
        for v in result.violations:
            weeks = ", ".join(str(w) for w in v.weeks)
            where = f"week {weeks}" if len(v.weeks) == 1 else (f"weeks {weeks}" if v.weeks else "plan")
            echo(f"  {where}: {v.invariant}: {v.message} [{v.field}]")
    raise typer.Exit(ExitCode.FINDINGS if result.violations else ExitCode.OK)
