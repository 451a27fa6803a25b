"""``rtr rules``: list, check, show, test and compare rulesets."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from planner.api import evaluator_named, make_plan
from planner.batch import run_all
from planner.cases import CasesFile, cases_ruleset_path, read_cases, run_case
from planner.cli.common import (
    NO_CACHE_HELP,
    Command,
    DiagnosticFormat,
    ExitCode,
    Group,
    caches,
    echo,
    parse_today,
    reported_errors,
)
from planner.cli.progress import progress
from planner.diagnostics import Diagnostic, Severity, has_errors, is_stdin, render_json, render_text
from planner.diff import diff_rulesets, generated_runners, render_diff
from planner.errors import InputError
from planner.files import read_user_file
from planner.models.profile import Profile
from planner.profiles import load_profile
from planner.rules.compiler import CompiledRuleset
from planner.rules.loader import (
    CASES_SUFFIX,
    RULESET_SUFFIX,
    check_ruleset_file,
    load_ruleset_cached,
    resolve_ruleset_path,
    shipped_ruleset_paths,
    shipped_rulesets_dir,
)
from planner.rules.show import render_resolved

app = typer.Typer(
    name="rules", cls=Group, help="Work with rulesets: list, check, show, test, diff.", no_args_is_help=True
)


@app.command("list", cls=Command)
def list_rulesets(
    fmt: Annotated[DiagnosticFormat, typer.Option("--format", "-f", help="text or json")] = DiagnosticFormat.TEXT,
) -> None:
    """List the shipped rulesets with their id, version, title and the injuries they are for.

    Example:  rtr rules list
    """
    rows: list[dict[str, str]] = []
    for path in shipped_ruleset_paths():
        result = check_ruleset_file(path)
        if result.compiled is not None:
            spec = result.compiled.spec
            rows.append(
                {
                    "id": spec.id,
                    "version": spec.version,
                    "title": spec.title,
                    "injuries": ", ".join(spec.injuries) or "(default)",
                }
            )
        else:
            errors = sum(1 for d in result.diagnostics if d.severity is Severity.ERROR)
            rows.append(
                {"id": path.stem, "version": "?", "title": f"({errors} errors: run rtr rules check)", "injuries": ""}
            )
    if fmt is DiagnosticFormat.JSON:
        echo(json.dumps(rows, indent=2))
        return
    width = max((len(r["id"]) for r in rows), default=2)
    for r in rows:
        echo(f"{r['id']:<{width}}  {r['version']:<7}  {r['title']}  [{r['injuries']}]")


def _ruleset_files(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if is_stdin(path):
            files.append(path)
        elif path.is_dir():
            files += sorted(p for p in path.glob(f"*{RULESET_SUFFIX}") if not p.name.endswith(CASES_SUFFIX))
        elif path.exists():
            files.append(path)
        else:
            raise InputError(f"no such file or folder: {path}")
    return files


@app.command("check", cls=Command)
def check(
    paths: Annotated[list[Path], typer.Argument(metavar="PATH", help="Ruleset files or folders of them.")],
    strict: Annotated[bool, typer.Option("--strict", help="Treat warnings as errors.")] = False,
    fmt: Annotated[DiagnosticFormat, typer.Option("--format", "-f", help="text or json")] = DiagnosticFormat.TEXT,
) -> None:
    """Report every problem in rulesets at once: file:line:col, code, rule, caret, hint.

    Exit 1 when there is an error (or, with --strict, a warning).

    Example:  rtr rules check rulesets/ --strict
    """
    with reported_errors(fmt):
        files = _ruleset_files(paths)
    found: list[Diagnostic] = []
    sources = {}
    for path in files:
        result = check_ruleset_file(path)
        sources.update(result.sources)
        for d in result.diagnostics:
            if strict and d.severity is Severity.WARNING:
                d = Diagnostic(d.code, d.message, d.span, Severity.ERROR, d.subject, d.hint)
            found.append(d)
    unique = list(dict.fromkeys(found))  # a shared parent's problem is reported once
    if fmt is DiagnosticFormat.JSON:
        echo(render_json(unique))
    else:
        if unique:
            echo(render_text(unique, sources))
        errors = sum(1 for d in unique if d.severity is Severity.ERROR)
        warnings = len(unique) - errors
        echo(f"{len(files)} ruleset(s) checked: {errors} error(s), {warnings} warning(s)")
    raise typer.Exit(ExitCode.FINDINGS if has_errors(unique) else ExitCode.OK)


@app.command("show", cls=Command)
def show(
    ruleset: Annotated[str, typer.Argument(metavar="RULESET", help="A shipped ruleset id or a ruleset file.")],
    resolved: Annotated[
        bool, typer.Option("--resolved", help="Print the effective ruleset, inherited items included.")
    ] = False,
) -> None:
    """Print a ruleset; with --resolved, as it takes effect, each item marked with its file.

    Example:  rtr rules show achilles-tendinopathy --resolved
    """
    with reported_errors():
        path = resolve_ruleset_path(ruleset)
        if not resolved:
            echo(read_user_file(path, "ruleset")[1], nl=False)
            return
        echo(render_resolved(load_ruleset_cached(path)), nl=False)


def _cases_files(targets: list[str]) -> list[Path]:
    if not targets:
        return sorted(shipped_rulesets_dir().glob(f"*{CASES_SUFFIX}"))
    files = []
    for target in targets:
        path = Path(target)
        if path.suffix in (".yaml", ".yml") and path.exists():
            files.append(path)
        else:
            files.append(shipped_rulesets_dir() / f"{target}{CASES_SUFFIX}")
    return files


@app.command("test", cls=Command)
def run_cases(
    targets: Annotated[
        list[str] | None,
        typer.Argument(metavar="TARGET", help="Ruleset ids or cases files. Default: every shipped ruleset's cases."),
    ] = None,
    no_color: Annotated[
        bool, typer.Option("--no-color", help="No colours in the progress bar (as NO_COLOR=1 does).")
    ] = False,
    jobs: Annotated[
        int, typer.Option("--jobs", "-j", min=1, max=256, metavar="N", help="Worker processes (default 1).")
    ] = 1,
    no_cache: Annotated[bool, typer.Option("--no-cache", help=NO_CACHE_HELP)] = False,
) -> None:
    """Run the cases written next to rulesets: one pass/fail line per case.

    Example:  rtr rules test return-to-run --jobs 2
    """
    with reported_errors(), caches(not no_cache):
        files = []
        for path in _cases_files(targets or []):
            cases, _ = read_cases(path)
            files.append((path, cases, load_ruleset_cached(cases_ruleset_path(path, cases.ruleset))))
        # Workers are forked with the files: a task is only where its case is.
        tasks = [(f, i) for f, (_, cases, _) in enumerate(files) for i in range(len(cases.cases))]
        with progress(len(tasks), "cases", no_color=no_color) as step:
            outcomes = run_all(_one_case, tasks, shared=files, jobs=jobs, advance=step)  # in the files' order
    for line, _ in outcomes:
        echo(line)
    failed = sum(not ok for _, ok in outcomes)
    echo(f"{len(outcomes) - failed} passed, {failed} failed")
    raise typer.Exit(ExitCode.FINDINGS if failed else ExitCode.OK)


def _one_case(files: list[tuple[Path, CasesFile, CompiledRuleset]], task: tuple[int, int]) -> tuple[str, bool]:
    """One case's PASS or FAIL line (with its failures under it), and whether it passed."""
    path, cases, ruleset = files[task[0]]
    case = cases.cases[task[1]]
    result = run_case(case, cases, path.parent, ruleset, make_plan)
    lines = [f"{'PASS' if result.passed else 'FAIL'}  {cases.ruleset}: {case.name}"]
    lines += [f"        {failure}" for failure in result.failures]
    return "\n".join(lines), result.passed


@app.command("diff", cls=Command)
def diff(
    old: Annotated[str, typer.Argument(metavar="OLD", help="The ruleset before the edit (id or file).")],
    new: Annotated[str, typer.Argument(metavar="NEW", help="The ruleset after the edit (id or file).")],
    profiles: Annotated[
        Path | None,
        typer.Option("--profiles", metavar="DIR", help="A folder of profiles to compare on (default: examples/)."),
    ] = None,
    generated: Annotated[
        int, typer.Option("--generated", "-n", min=0, metavar="N", help="Also N generated runners.")
    ] = 0,
    fmt: Annotated[DiagnosticFormat, typer.Option("--format", "-f", help="text or json")] = DiagnosticFormat.TEXT,
    today: Annotated[str | None, typer.Option("--today", metavar="DATE", help="Today's date, YYYY-MM-DD.")] = None,
    no_color: Annotated[
        bool, typer.Option("--no-color", help="No colours in the progress bar (as NO_COLOR=1 does).")
    ] = False,
    jobs: Annotated[
        int, typer.Option("--jobs", "-j", min=1, max=256, metavar="N", help="Worker processes (default 1).")
    ] = 1,
    no_cache: Annotated[bool, typer.Option("--no-cache", help=NO_CACHE_HELP)] = False,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            metavar="ADDRESS",
            help="Plan on this dask cluster (install the dask extra of rtr-planner) instead of local workers.",
        ),
    ] = None,
) -> None:
    """Compare the plans two rulesets give the same runners.

    Per runner: status, week of readiness, first differing week and what differs; then
    how many got slower, faster, or changed status.

    Example:  rtr rules diff return-to-run my-edit.yaml --generated 50
              rtr rules diff return-to-run my-edit.yaml -n 5000 --scheduler tcp://10.0.0.5:8786
    """
    when = parse_today(today)
    with reported_errors(fmt), caches(not no_cache):
        if scheduler is not None:  # a mistyped address is reported before the runners are made
            from planner.cluster import check_address

            check_address(scheduler)
        before, after = load_ruleset_cached(resolve_ruleset_path(old)), load_ruleset_cached(resolve_ruleset_path(new))
        runners = _diff_runners(profiles, generated, before, when)
        with progress(len(runners), "runners", no_color=no_color) as step:
            report = diff_rulesets(
                before,
                after,
                runners,
                today=when,
                evaluator=evaluator_named("durable"),
                step=step,
                jobs=jobs,
                scheduler=scheduler,
            )
    if fmt is DiagnosticFormat.JSON:
        echo(
            json.dumps(
                {
                    "old": {"id": before.spec.id, "version": before.spec.version, "sha256": before.sha256},
                    "new": {"id": after.spec.id, "version": after.spec.version, "sha256": after.sha256},
                    "summary": report.summary(),
                    "runners": [{**asdict(r), "verdict": r.verdict} for r in report.runners],
                    "skipped": report.skipped,
                },
                indent=2,
            )
        )
    else:
        echo(render_diff(report), nl=False)


def _diff_runners(
    folder: Path | None, generated: int, ruleset: CompiledRuleset, today: date
) -> list[tuple[str, Profile]]:
    runners: list[tuple[str, Profile]] = []
    directory = folder if folder is not None else Path("examples")
    if folder is not None and not folder.is_dir():
        raise InputError(f"--profiles {folder} is not a folder")
    if directory.is_dir():
        for path in sorted([*directory.glob("*.yaml"), *directory.glob("*.json")]):
            runners.append((path.name, load_profile(path, ruleset, today).profile))
    if generated:
        try:
            runners += generated_runners(ruleset, generated)
        except ImportError as error:
            raise InputError(f"--generated needs hypothesis: pip install 'rtr-planner[test]' ({error})") from error
    if not runners:
        raise InputError("no runners to compare: give --profiles DIR or --generated N")
    return runners
