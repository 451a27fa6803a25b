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
import re
import signal
import stat
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from planner.diagnostics import Diagnostic, Span, render_text
from planner.errors import EngineError, InputError

if TYPE_CHECKING:
    from planner.cluster import Cluster

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
    scheduler: str | Cluster | None = None,
) -> list[Result]:
    """``work(shared, task)`` for every task, on ``jobs`` worker processes (1: here), in task order.

    Workers are forked, each making its own evaluator on first use. Where a process cannot
    fork, the tasks run here, one after another: the results are the same. With a
    ``scheduler`` (an address, or a :class:`planner.cluster.Cluster` already connected) the
    tasks run on that dask cluster instead.
    """
    global _SHARED
    if isinstance(scheduler, str):
        from planner.cluster import run_on_cluster

        return run_on_cluster(work, tasks, shared=shared, scheduler=scheduler, advance=advance)
    if scheduler is not None:
        return scheduler.run(work, tasks, shared=shared, advance=advance)
    if jobs <= 1 or len(tasks) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        out = []
        for task in tasks:
            out.append(work(shared, task))
            advance()
        return out
    _SHARED = shared
    context = multiprocessing.get_context("fork")
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_worker_start)
    results: list[Result] = []
    try:
        size = max(1, min(CHUNK, len(tasks) // (4 * jobs)))
        for result in pool.map(functools.partial(_call, work), tasks, chunksize=size):
            results.append(result)
            advance()
    except BrokenProcessPool as error:
        raise WorkerDied(len(results), len(tasks)) from error
    except BaseException:
        # Ctrl-C (or any failure here): stop the workers now, not after the work handed to them.
        for process in list(getattr(pool, "_processes", {}).values()):
            process.terminate()
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    finally:
        _SHARED = None
    pool.shutdown(wait=True)
    return results


class WorkerDied(EngineError):
    """A worker process ended without a result (killed, out of memory, a crash in the C engine)."""

    def __init__(self, done: int, total: int) -> None:
        super().__init__(
            f"a worker process died (killed, out of memory, or a crash) after {done} of {total} results; "
            "the results before it are kept: run the batch again"
        )
        self.done = done


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
    shown: str = ""  # the profile and the plan as the user named them (the paths above are absolute on a cluster)
    shown_output: str = ""


@dataclass(frozen=True)
class PlanOutcome:
    """What became of one profile: its plan's status, or why it has none."""

    profile: str
    output: str | None
    status: str | None
    weeks: int
    error: str | None  # the diagnostics, rendered as the CLI prints them
    exit_code: int  # 0 planned, 2 bad input, 3 an engine or internal error


# How each format as rtr writes it begins: a file that does not begin so is not replaced (a
# user's file that merely quotes rtr's schema somewhere is not rtr's).
SIGNATURES = {
    "json": re.compile(r'\{\n  "schema": "rtr\.plan/v1",\n'),
    "markdown": re.compile(r"# (Your return-to-run plan|Return-to-run plan for )"),
    "html": re.compile(r'<!DOCTYPE html>\n<html lang="en">\n<head>\n(<meta [^\n]*>\n)*<title>Your return-to-run plan'),
    "ics": re.compile(r"BEGIN:VCALENDAR\r\nVERSION:2\.0\r\nPRODID:-//rtr-planner//"),
    "text": re.compile(r"(Your return-to-run plan|Return-to-run plan for )"),
}


def _written_by_rtr(path: Path, fmt: str) -> bool:
    """An existing output is a plan of this format that rtr wrote (so a re-run may replace it)."""
    try:
        with path.open("rb") as existing:
            head = existing.read(2048).decode("utf-8", "replace")
    except OSError:
        return True  # not readable as a file: writing it says what is wrong
    return SIGNATURES[fmt].match(head) is not None


def _refused(shown: str, output: Path, message: str, hint: str, code: str = "output-unwritable") -> PlanOutcome:
    """A profile not planned: one diagnostic at ``output`` (the file the problem is about)."""
    diagnostic = Diagnostic(code, message, Span(str(output), 1, 1), hint=hint)
    return PlanOutcome(shown, None, None, 0, render_text([diagnostic], {}), 2)


def plan_one(inputs: frozenset[Path] | None, job: PlanJob) -> PlanOutcome:
    """Plan one profile (with its check-in log, if it has one) and write the plan.

    ``inputs``: every file the batch reads (profiles, logs, rulesets), resolved: never an output.
    A job sent to a cluster names its files absolutely; what it says names them as the user did.
    """
    outcome = _plan_one(inputs, job)
    if not job.shown:
        return outcome
    given = ((str(job.profile), job.shown), (str(job.output), job.shown_output or str(job.output)))
    error = outcome.error
    if error is not None:
        for absolute, shown in given:
            error = error.replace(absolute, shown)
    output = job.shown_output if outcome.output is not None and job.shown_output else outcome.output
    return replace(outcome, profile=job.shown, output=output, error=error)


def _plan_one(inputs: frozenset[Path] | None, job: PlanJob) -> PlanOutcome:
    from planner.api import plan_and_log, ruleset_for_profile
    from planner.checkins import default_log_path
    from planner.cli.common import write_atomically
    from planner.diagnostics import safe_text
    from planner.render import render

    shown = str(job.profile)
    try:
        info = os.stat(job.profile)
    except OSError as error:
        return _unreadable(shown, error.strerror or str(error))
    if not stat.S_ISREG(info.st_mode):  # a FIFO would block the worker; a folder is not a profile
        return _unreadable(shown, "not a regular file (a folder, FIFO or device)")
    if inputs is not None and resolved_path(job.output) in inputs:
        return _refused(
            shown,
            job.output,
            f"{job.output} is a file this batch reads",
            "write the plans to another -o folder",
            "output-is-input",
        )
    if os.path.lexists(job.output) and not _written_by_rtr(job.output, job.fmt):
        return _refused(
            shown,
            job.output,
            f"{job.output} exists and is not a {job.fmt} plan rtr wrote: it is left as it is",
            "move it away, or write the plans to another -o folder",
            "output-exists",
        )
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


def resolved_path(path: Path) -> Path:
    """The path with links resolved; as given (absolute) when it cannot be (a symbolic link loop)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a symbolic link loop
        return path.absolute()


def _unreadable(shown: str, why: str) -> PlanOutcome:
    return _refused(
        shown, Path(shown), f"cannot read {shown}: {why}", "give a readable profile file", "file-unreadable"
    )


def _is_plan_file(path: Path) -> bool:
    """A plan rtr wrote (so a folder used as both input and -o is not read back as profiles)."""
    return path.suffix == ".json" and _written_by_rtr(path, "json")


def profile_files(given: Iterable[str]) -> tuple[list[Path], list[PlanOutcome]]:
    """The profiles named (a folder's ``*.yaml``, ``*.yml`` and ``*.json`` files, a glob, or a file), once each.

    Also what cannot be read as given (a folder that cannot be listed, ``-``), each a reported outcome.
    """
    import glob

    found: list[Path] = []
    problems: list[PlanOutcome] = []
    for item in given:
        path = Path(item)
        if item == "-":
            problems.append(_unreadable("-", "plan-batch reads files, not standard input (use rtr plan -)"))
            continue
        try:
            if path.is_dir():
                found += sorted(
                    p for p in path.iterdir() if p.suffix in PROFILE_SUFFIXES and p.is_file() and not _is_plan_file(p)
                )
            elif glob.has_magic(item):
                found += sorted(Path(p) for p in glob.glob(item) if Path(p).is_file() and not _is_plan_file(Path(p)))
            else:
                found.append(path)
        except OSError as error:
            problems.append(_unreadable(item, error.strerror or str(error)))
    unique: dict[Path, Path] = {}
    for p in found:  # the same file spelled two ways is one profile
        unique.setdefault(resolved_path(p), p)
    return list(unique.values()), problems


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
