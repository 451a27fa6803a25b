"""Many plans at once, on worker processes that each have their own engine.

``rtr plan-batch`` (a clinic re-planning its runners after a ruleset update) and
``rtr rules diff --generated`` run their plans through :func:`run_all`. The results come
back in the order of the tasks, whatever the number of workers, so a batch's output is
the same bytes as a sequential run. Workers are processes because durable_rules' C engine
never releases the GIL; each one makes its own evaluator (see ``durable_evaluator``).
A task that fails reports itself in its result: one bad profile never stops the rest.
"""

from __future__ import annotations

import functools
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from planner.diagnostics import Diagnostic, Span, render_text
from planner.errors import EngineError, InputError

Task = TypeVar("Task")
Result = TypeVar("Result")

# Tasks a worker takes at a time: big enough to hide the pipe, small enough for a smooth bar.
CHUNK = 16
EXTENSIONS = {"json": ".json", "text": ".txt", "markdown": ".md", "html": ".html", "ics": ".ics"}
PROFILE_SUFFIXES = (".yaml", ".yml", ".json")


def _worker_start() -> None:
    # Ctrl-C goes to the whole process group: the parent stops the pool, workers just end.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


# What every task of the running batch shares (compiled rulesets, the date): set before the
# workers fork, so they inherit it instead of unpickling it with every task.
_SHARED: object = None


def _call(work: Callable[[Any, Task], Result], task: Task) -> Result:
    return work(_SHARED, task)


def run_all(
    work: Callable[[Any, Task], Result],
    tasks: Sequence[Task],
    *,
    shared: object = None,
    jobs: int = 1,
    advance: Callable[[], None] = lambda: None,
) -> list[Result]:
    """``work(shared, task)`` for every task, on ``jobs`` worker processes (1: here), in task order.

    Workers are forked, each making its own evaluator on first use. Where a process cannot
    fork, the tasks run here, one after another: the results are the same.
    """
    global _SHARED
    if jobs <= 1 or len(tasks) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        out = []
        for task in tasks:
            out.append(work(shared, task))
            advance()
        return out
    _SHARED = shared
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_worker_start) as pool:
            results: list[Result] = []
            size = max(1, min(CHUNK, len(tasks) // (4 * jobs)))
            for result in pool.map(functools.partial(_call, work), tasks, chunksize=size):
                results.append(result)
                advance()
            return results
    finally:
        _SHARED = None


def default_jobs() -> int:
    """The cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


# ----------------------------------------------------------------------------- plan-batch
@dataclass(frozen=True)
class PlanJob:
    """One profile to plan and where its plan goes."""

    profile: Path
    output: Path
    fmt: str
    view: str
    today: date
    engine: str
    ruleset: str | None


@dataclass(frozen=True)
class PlanOutcome:
    """What became of one profile: its plan's status, or why it has none."""

    profile: str
    output: str | None
    status: str | None
    weeks: int
    error: str | None  # the diagnostics, rendered as the CLI prints them
    exit_code: int  # 0 planned, 2 bad input, 3 an engine or internal error


def plan_one(_: object, job: PlanJob) -> PlanOutcome:
    """Plan one profile (with its check-in log, if it has one) and write the plan."""
    from planner.api import plan_and_log, ruleset_for_profile
    from planner.checkins import default_log_path
    from planner.cli.common import write_atomically
    from planner.diagnostics import safe_text
    from planner.render import render

    shown = str(job.profile)
    try:
        plan, _ = plan_and_log(job.profile, ruleset=job.ruleset, today=job.today, engine=job.engine)
        compiled = None
        if job.fmt in ("html", "markdown"):  # the evidence behind each rule
            compiled = ruleset_for_profile(job.profile.read_text(encoding="utf-8"), job.ruleset)
        text = render(plan, job.fmt, job.view, compiled, today=job.today)
        escaped = job.fmt in ("ics", "html")
        write_atomically(
            job.output, text if escaped else safe_text(text), protect=(job.profile, default_log_path(job.profile))
        )
    except InputError as error:
        diagnostics = error.diagnostics or (Diagnostic("bad-input", error.summary, Span(shown, 1, 1)),)
        return PlanOutcome(shown, None, None, 0, render_text(diagnostics, dict(error.sources)), 2)
    except EngineError as error:
        return PlanOutcome(shown, None, None, 0, f"{shown}: engine error: {error}", 3)
    except OSError as error:
        return PlanOutcome(shown, None, None, 0, f"{job.output}: cannot write: {error.strerror or error}", 2)
    except Exception as error:  # a bug: say so for this file, and go on with the rest
        return PlanOutcome(shown, None, None, 0, f"{shown}: internal error: {error!r}", 3)
    return PlanOutcome(shown, str(job.output), plan.status, len(plan.weeks), None, 0)


def profile_files(given: Iterable[str]) -> list[Path]:
    """The profiles named: a folder's ``*.yaml``, ``*.yml`` and ``*.json`` files, a glob, or a file."""
    import glob

    found: list[Path] = []
    for item in given:
        path = Path(item)
        if path.is_dir():
            found += sorted(p for p in path.iterdir() if p.suffix in PROFILE_SUFFIXES and p.is_file())
        elif glob.has_magic(item):
            found += sorted(Path(p) for p in glob.glob(item) if Path(p).is_file())
        else:
            found.append(path)
    unique: dict[Path, None] = dict.fromkeys(found)
    return list(unique)


def output_names(profiles: Sequence[Path], outdir: Path, fmt: str) -> dict[Path, Path]:
    """Each profile's plan file in ``outdir``; InputError when two profiles would write one file."""
    outputs: dict[Path, Path] = {}
    by_name: dict[Path, list[Path]] = {}
    for p in profiles:
        out = outdir / (p.stem + EXTENSIONS[fmt])
        outputs[p] = out
        by_name.setdefault(out, []).append(p)
    clashes = {out: ps for out, ps in by_name.items() if len(ps) > 1}
    if clashes:
        raise InputError(
            "two profiles would write the same plan file",
            [
                Diagnostic(
                    "output-clash",
                    f"{', '.join(map(str, ps))} would all be written to {out}",
                    Span(str(ps[1]), 1, 1),
                    hint="rename one of the profiles, or plan them in separate batches",
                )
                for out, ps in clashes.items()
            ],
        )
    return outputs
