"""``rtr rules``: the shipped rulesets."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from planner.cli.common import DiagnosticFormat
from planner.diagnostics import has_errors
from planner.rules.loader import check_ruleset_file, shipped_ruleset_paths

app = typer.Typer(name="rules", help="Work with rulesets.", no_args_is_help=True)


@app.command("list")
def list_rulesets(
    fmt: Annotated[DiagnosticFormat, typer.Option("--format", "-f", help="text or json")] = DiagnosticFormat.TEXT,
) -> None:
    """List the shipped rulesets with their id, version and title.

    Example:  rtr rules list
    """
    rows: list[dict[str, str]] = []
    for path in shipped_ruleset_paths():
        result = check_ruleset_file(path)
        if result.compiled is not None:
            spec = result.compiled.spec
            rows.append({"id": spec.id, "version": spec.version, "title": spec.title})
        else:
            errors = sum(1 for d in result.diagnostics if has_errors([d]))
            rows.append({"id": path.stem, "version": "?", "title": f"({errors} errors: run rtr rules check)"})
    if fmt is DiagnosticFormat.JSON:
        typer.echo(json.dumps(rows, indent=2))
        return
    width = max((len(r["id"]) for r in rows), default=2)
    for r in rows:
        typer.echo(f"{r['id']:<{width}}  {r['version']:<7}  {r['title']}")
