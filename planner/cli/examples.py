"""``rtr examples``: the shipped example runners, reachable after a plain ``pip install``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from planner.cli.common import Command, Group, echo, emit, reported_errors, write_atomically
from planner.diagnostics import Diagnostic, Span
from planner.errors import InputError
from planner.examples import example_named, files_to_copy, headline, shipped_examples

app = typer.Typer(
    name="examples",
    cls=Group,
    help="The example runners: list them, print one, or copy them all.",
    no_args_is_help=True,
)


@app.command("list", cls=Command)
def list_examples() -> None:
    """Each example runner's name and what it shows."""
    with reported_errors():
        examples = shipped_examples()
    width = max(len(example.name) for example in examples) + 1
    for example in examples:
        name = example.name + ("*" if example.log else "")
        echo(f"{name:<{width}}  {headline(example.summary, 79 - width - 2)}")  # fits 80 columns
    echo("* with a check-in log beside it")
    echo("\nrtr examples copy DIR   copies them all; then: rtr plan DIR/shin-pain-10k.yaml")


@app.command("show", cls=Command)
def show_example(
    name: Annotated[str, typer.Argument(metavar="NAME", help="an example's name, e.g. shin-pain-10k")],
) -> None:
    """Print an example's profile (save it with `> my-profile.yaml` and edit it)."""
    with reported_errors():
        emit(example_named(name).profile.read_text(encoding="utf-8"), None)


@app.command("copy", cls=Command)
def copy_examples(
    target: Annotated[Path, typer.Argument(metavar="DIR", help="the folder to copy into (created if missing)")] = Path(
        "rtr-examples"
    ),
) -> None:
    """Copy every example profile and check-in log into DIR, never overwriting a file."""
    with reported_errors():
        if target.exists() and not target.is_dir():
            raise InputError(
                f"cannot copy the examples into {target}",
                [
                    Diagnostic(
                        "output-unwritable", f"{target} is not a folder", Span(str(target), 1, 1), hint="give a folder"
                    )
                ],
            )
        pairs = files_to_copy(target)
        try:
            target.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise InputError(f"cannot create {target}: {error.strerror or error}") from error
        for source, destination in pairs:
            write_atomically(destination, source.read_text(encoding="utf-8"))
    echo(f"copied {len(pairs)} files into {target}; try: rtr plan {target / 'shin-pain-10k.yaml'}")
