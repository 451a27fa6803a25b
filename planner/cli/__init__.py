"""The ``rtr`` command line. The root only assembles the command modules.

Exit codes: 0 ok (a plan whose status is race_at_risk or referral included),
1 findings (a checking command found problems), 2 bad input, 3 internal error,
4 the output could not be written (standard output closed or full).
"""

from __future__ import annotations

import importlib
import os
import sys
import traceback
from typing import Annotated, NoReturn

import typer

from planner import __version__
from planner.cli.common import Command, ExitCode, Group, echo, is_output_error, output_failed

# Each command's module, imported only when that command runs (or when help lists them all):
# importing every command's dependencies was most of `rtr plan`'s start-up.
COMMANDS = {
    "plan": ("planner.cli.plan", "plan"),
    "plan-batch": ("planner.cli.batch", "plan_batch"),
    "checkin": ("planner.cli.checkin", "checkin"),
    "validate": ("planner.cli.validate", "validate"),
    "explain": ("planner.cli.explain", "explain"),
    "schema": ("planner.cli.schema", "schema"),
    "readiness": ("planner.cli.readiness", "readiness"),
    "init": ("planner.cli.init", "init"),
}
GROUPS = {"rules": "planner.cli.rules", "examples": "planner.cli.examples"}


def _version(value: bool) -> None:
    if value:
        echo(f"rtr {__version__}")
        raise typer.Exit(ExitCode.OK)


def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Return-to-run planner."""


def build_app(only: str | None = None) -> typer.Typer:
    """The ``rtr`` app with every command, or with only the command named ``only`` ("": none)."""
    app = typer.Typer(
        name="rtr",
        cls=Group,
        help="Return-to-run planner: gates, not guesses. Plans support a clinician; they do not replace one.",
        no_args_is_help=True,
        pretty_exceptions_enable=False,  # main() reports bugs itself, without locals
        add_completion=True,  # --install-completion / --show-completion SHELL
        # Children inherit the help options from the root's context, so `-h` works on every subcommand too.
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    app.callback()(_root)
    for name, (module, function) in COMMANDS.items():
        if only in (None, name):
            app.command(name, cls=Command)(getattr(importlib.import_module(module), function))
    for name, module in GROUPS.items():
        if only in (None, name):
            app.add_typer(importlib.import_module(module).app)
    return app


def _command_named(argv: list[str]) -> str | None:
    """The command the arguments run, when they name one (else None: build them all)."""
    first = next((a for a in argv if not a.startswith("-")), None)
    if os.environ.get("_RTR_COMPLETE"):  # shell completion: every command
        return None
    if first is None:  # `rtr --version` needs no command; `rtr` and `rtr --help` list them all
        return "" if "--version" in argv else None
    if argv.index(first) and argv[0] in ("-h", "--help"):  # `rtr --help plan` lists everything
        return None
    return first if first in COMMANDS or first in GROUPS else None


def __getattr__(name: str) -> typer.Typer:
    # ``from planner.cli import app`` (tests, the docs): the app with every command.
    if name == "app":
        return build_app()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> None:
    """Console entry point: run the app; a bug becomes exit code 3, not a traceback."""
    if sys.stdout is None:  # started with stdout closed (`>&-`)
        print("rtr: cannot write the output: standard output is closed", file=sys.stderr)
        sys.exit(ExitCode.OUTPUT)
    try:
        try:
            build_app(_command_named(sys.argv[1:]))()
        finally:
            sys.stdout.flush()  # here, so that a full disk or a closed pipe is reported, not ignored at exit
    except SystemExit:
        raise
    except OSError as error:
        if not is_output_error(error):
            _internal(error)
        output_failed(error)
    except KeyboardInterrupt:
        print("rtr: interrupted", file=sys.stderr)
        sys.exit(130)
    except Exception as error:
        _internal(error)


def _internal(error: Exception) -> NoReturn:
    print(f"rtr: internal error: {type(error).__name__}: {error}", file=sys.stderr)
    if os.environ.get("RTR_DEBUG"):
        traceback.print_exc()
    else:
        print("rtr: this is a bug in rtr; run with RTR_DEBUG=1 to see the traceback", file=sys.stderr)
    sys.exit(ExitCode.INTERNAL)
