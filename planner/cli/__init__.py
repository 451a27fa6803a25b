"""The ``rtr`` command line. The root only assembles the command modules.

Exit codes: 0 ok (a plan whose status is race_at_risk or referral included),
1 findings (a checking command found problems), 2 bad input, 3 internal error,
4 the output could not be written (standard output closed or full).
"""

from __future__ import annotations

import os
import sys
import traceback
from typing import Annotated, NoReturn

import typer

from planner import __version__
from planner.cli import batch as batch_cmd
from planner.cli import checkin as checkin_cmd
from planner.cli import examples as examples_cmd
from planner.cli import explain as explain_cmd
from planner.cli import init as init_cmd
from planner.cli import plan as plan_cmd
from planner.cli import readiness as readiness_cmd
from planner.cli import rules as rules_cmd
from planner.cli import schema as schema_cmd
from planner.cli import validate as validate_cmd
from planner.cli.common import Command, ExitCode, Group, echo, is_output_error, output_failed

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


def _version(value: bool) -> None:
    if value:
        echo(f"rtr {__version__}")
        raise typer.Exit(ExitCode.OK)


@app.callback()
def root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Return-to-run planner."""


app.command("plan", cls=Command)(plan_cmd.plan)
app.command("plan-batch", cls=Command)(batch_cmd.plan_batch)
app.command("checkin", cls=Command)(checkin_cmd.checkin)
app.command("validate", cls=Command)(validate_cmd.validate)
app.command("explain", cls=Command)(explain_cmd.explain)
app.command("schema", cls=Command)(schema_cmd.schema)
app.command("readiness", cls=Command)(readiness_cmd.readiness)
app.command("init", cls=Command)(init_cmd.init)
app.add_typer(rules_cmd.app)
app.add_typer(examples_cmd.app)


def main() -> None:
    """Console entry point: run the app; a bug becomes exit code 3, not a traceback."""
    if sys.stdout is None:  # started with stdout closed (`>&-`)
        print("rtr: cannot write the output: standard output is closed", file=sys.stderr)
        sys.exit(ExitCode.OUTPUT)
    try:
        try:
            app()
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
