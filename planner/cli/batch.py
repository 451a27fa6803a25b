"""``rtr plan-batch``: plan a folder of runners at once, on worker processes.

A clinic re-plans all its runners after a ruleset update. Each profile's plan is written
to ``OUTDIR/<profile name>.<format's extension>`` (atomically, never over an input); a
profile that cannot be planned is reported with its file, line and column and the rest go
on. Exit 0 when every profile was planned, 2 when any was bad input, 3 on an engine error.
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer

from planner.batch import (
    PlanJob,
    PlanOutcome,
    default_jobs,
    output_names,
    plan_one,
    profile_files,
    resolved_path,
    run_all,
)
from planner.checkins import default_log_path
from planner.cli.common import NO_CACHE_HELP, ExitCode, caches, echo, input_files, parse_today, reported_errors
from planner.cli.plan import EngineChoice, PlanFormat, PlanView
from planner.cli.progress import progress
from planner.cluster import connect
from planner.diagnostics import Diagnostic, Span, safe_text
from planner.errors import InputError

STATUS_ORDER = ("ready", "race_at_risk", "not_ready_by_horizon", "referral")
SCHEDULER_HELP = (
    "Plan on this dask cluster (install the dask extra of rtr-planner) instead of local workers; "
    "its workers must see the same files at the same paths."
)


def summary(outcomes: list[PlanOutcome], jobs: int, seconds: float, scheduler: str | None = None) -> str:
    """The table printed at the end: how many plans of each status, the failures, the time taken."""
    counts = Counter(o.status for o in outcomes if o.status is not None)
    failed = [o for o in outcomes if o.status is None]
    rate = len(outcomes) / seconds if seconds > 0 else 0.0
    where = f"{jobs} dask worker(s) at {scheduler}" if scheduler else f"{jobs} worker(s)"
    lines = [
        f"rtr plan-batch: {len(outcomes)} profile(s) on {where} in {seconds:.1f} s ({rate:.0f} plans/s)",
        "",
        f"  {'status':<22} {'plans':>7}",
    ]
    lines += [f"  {status:<22} {counts[status]:>7}" for status in STATUS_ORDER if counts[status]]
    lines += [f"  {status:<22} {n:>7}" for status, n in sorted(counts.items()) if status not in STATUS_ORDER]
    if failed:
        lines.append(f"  {'not planned (above)':<22} {len(failed):>7}")
    return "\n".join(lines) + "\n"


def _make_folder(output: Path) -> None:
    """``-o OUTDIR``: made when missing, as ``mkdir -p`` would; a file there is bad input."""
    try:
        output.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        not_a_folder = isinstance(error, FileExistsError | NotADirectoryError)
        message = (
            f"-o {output}: a file stands where a folder is needed"
            if not_a_folder
            else (f"-o {output}: {error.strerror or error}")
        )
        hint = "give a folder for the plans" if not_a_folder else "give a folder you can write to"
        raise InputError(
            f"cannot use {output} as the plans' folder",
            [Diagnostic("output-unwritable", message, Span(str(output), 1, 1), hint=hint)],
        ) from None


def plan_batch(
    profiles: Annotated[
        list[str],
        typer.Argument(
            metavar="DIR_OR_GLOB...",
            help="Folders (their *.yaml, *.yml and *.json files), globs such as 'clinic/*.yaml', or files.",
        ),
    ],
    output: Annotated[
        Path,
        typer.Option("--output", "-o", metavar="OUTDIR", help="The folder the plans are written to (made if missing)."),
    ],
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", "-j", min=1, max=256, metavar="N", help="Worker processes (default: every core)."),
    ] = None,
    fmt: Annotated[
        PlanFormat, typer.Option("--format", "-f", help="json (default), text, markdown, html or ics.")
    ] = PlanFormat.JSON,
    view: Annotated[PlanView, typer.Option("--view", help="text and markdown: runner or clinician.")] = (
        PlanView.RUNNER
    ),
    ruleset: Annotated[
        str | None,
        typer.Option(
            "--ruleset", "-r", metavar="RULESET", help="One ruleset for all. Default: each profile's by its injury."
        ),
    ] = None,
    today: Annotated[
        str | None, typer.Option("--today", metavar="DATE", help="Today's date, YYYY-MM-DD (default: the system date).")
    ] = None,
    engine: Annotated[
        EngineChoice, typer.Option("--engine", help="durable (the product) or reference (the test oracle).")
    ] = EngineChoice.DURABLE,
    no_color: Annotated[bool, typer.Option("--no-color", help="No colours in the progress bar.")] = False,
    no_cache: Annotated[bool, typer.Option("--no-cache", help=NO_CACHE_HELP)] = False,
    scheduler: Annotated[str | None, typer.Option("--scheduler", metavar="ADDRESS", help=SCHEDULER_HELP)] = None,
) -> None:
    """Plan many runner profiles at once; one bad profile is reported without stopping the rest.

    Example:  rtr plan-batch clinic/ -o plans/ --jobs 2
              rtr plan-batch 'clinic/*.yaml' -o plans/ --format markdown
              rtr plan-batch /shared/clinic -o /shared/plans --scheduler tcp://10.0.0.5:8786
    """
    when = parse_today(today)
    with reported_errors(), caches(not no_cache), contextlib.ExitStack() as stack:
        files, unreadable = profile_files(profiles)
        if not files and not unreadable:
            raise InputError(
                "no profiles to plan",
                [
                    Diagnostic(
                        "no-profiles",
                        f"nothing found in {' '.join(profiles)}",
                        None,
                        hint="give a folder, a glob or files",
                    )
                ],
            )
        # On a cluster: connected and its workers checked before anything is made.
        cluster = stack.enter_context(connect(scheduler)) if scheduler is not None else None
        _make_folder(output)
        names = output_names(files, output, fmt.value)
        if cluster is None:
            tasks = [PlanJob(p, names[p], fmt.value, view.value, when, engine.value, ruleset) for p in files]
        else:  # the cluster's workers run elsewhere: absolute paths (on a filesystem they share)
            given = str(Path(ruleset).absolute()) if ruleset is not None and Path(ruleset).exists() else ruleset
            tasks = [
                PlanJob(
                    p.absolute(),
                    names[p].absolute(),
                    fmt.value,
                    view.value,
                    when,
                    engine.value,
                    given,
                    shown=str(p),
                    shown_output=str(names[p]),
                )
                for p in files
            ]
        # Every file the batch reads, so that no plan is written over one of them.
        logs = [default_log_path(p) for p in files]
        reads = frozenset(resolved_path(p) for p in [*files, *logs, *input_files(ruleset)])
        workers = cluster.workers if cluster is not None else max(1, min(jobs or default_jobs(), len(tasks)))
        start = time.perf_counter()
        with progress(len(tasks), "planning", no_color=no_color) as advance:
            planned = run_all(plan_one, tasks, shared=reads, jobs=workers, advance=advance, scheduler=cluster)
            outcomes = [*unreadable, *planned]
        seconds = time.perf_counter() - start
    for outcome in outcomes:  # in input order, whatever order the workers finished in
        if outcome.error:
            print(safe_text(outcome.error.rstrip("\n")), file=sys.stderr)
    echo(summary(outcomes, workers, seconds, scheduler).rstrip("\n"))
    worst = max((o.exit_code for o in outcomes), default=0)
    if worst:
        raise typer.Exit(ExitCode.INTERNAL if worst == 3 else ExitCode.BAD_INPUT)
