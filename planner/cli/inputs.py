"""The runner's inputs as every command reads them: profile, ruleset, check-in log.

Each is read once (a profile may be standard input, ``-``), and what they warn about
is printed on stderr even when they load cleanly: a warning is there to be read.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import typer

from planner.api import ruleset_for_profile
from planner.checkins import CheckinLog, default_log_path, lived_checks, load_log
from planner.cli.common import DiagnosticFormat, print_diagnostics
from planner.diagnostics import Diagnostic, SourceText, is_stdin
from planner.profiles import LoadedProfile, load_profile, read_profile
from planner.rules.compiler import CompiledRuleset


@dataclass(frozen=True)
class RunnerInput:
    """A profile that loaded, the ruleset it is planned under, and its check-in log (None: no log)."""

    loaded: LoadedProfile
    ruleset: CompiledRuleset
    checkins: CheckinLog | None


def show_warnings(
    warnings: tuple[Diagnostic, ...], source: SourceText, fmt: DiagnosticFormat = DiagnosticFormat.TEXT
) -> None:
    """A file's warnings on stderr, ``file:line:column: warning[code]`` with the line, as errors are."""
    if warnings:
        print_diagnostics(warnings, {source.path: source}, fmt)


def one_stdin(given: Mapping[str, Path | str | None]) -> None:
    """Standard input holds one file: refuse two inputs named ``-`` (the second would read nothing)."""
    named = [name for name, path in given.items() if is_stdin(path)]
    if len(named) > 1:
        raise typer.BadParameter(
            f"{' and '.join(named)} are both '-', but standard input holds only one file", param_hint=named[-1]
        )


def log_path(profile: Path, log: Path | None) -> Path | None:
    """The log given, else the one beside the profile; a profile from standard input has none beside it."""
    if log is not None:
        return log
    return None if is_stdin(profile) else default_log_path(profile)


def load_runner(
    profile: Path,
    ruleset: str | None,
    today: date,
    *,
    log: Path | None,
    skip_bad_lines: bool,
    need_log: bool = False,
    fmt: DiagnosticFormat = DiagnosticFormat.TEXT,
) -> RunnerInput:
    """The profile (read once, warnings shown), its ruleset and its log.

    The log is read when given, when it exists beside the profile, or when ``need_log``
    (``rtr checkin`` writes to it, so a missing one is an empty log).
    """
    one_stdin({"PROFILE": profile, "--ruleset": ruleset, "--log": log})
    text = read_profile(profile)
    compiled = ruleset_for_profile(text[1], ruleset)
    loaded = load_profile(profile, compiled, today, text=text)
    show_warnings(loaded.warnings, loaded.source, fmt)
    path = log_path(profile, log)
    if path is None or not (need_log or log is not None or path.exists()):
        return RunnerInput(loaded, compiled, None)
    checkins = load_log(path, skip_bad_lines=skip_bad_lines)
    lived_checks(checkins, loaded.profile, loaded.source.path, today)
    show_warnings(checkins.warnings, checkins.source, fmt)
    return RunnerInput(loaded, compiled, checkins)
