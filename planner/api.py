"""The library's front door: the calls the CLI makes, usable from Python too."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path

from planner.checkins import CheckinLog, default_log_path, fold, lived_checks, load_log
from planner.engine.base import Evaluator
from planner.engine.reference import ReferenceEvaluator
from planner.errors import EngineUnavailable
from planner.models.checkin import CheckinEvent
from planner.models.plan import Plan
from planner.models.profile import Profile
from planner.planning import planner as _planner
from planner.profiles import load_profile, peek_injury_kind, read_profile
from planner.rules.compiler import CompiledRuleset
from planner.rules.loader import DEFAULT_RULESET, load_ruleset_cached, resolve_ruleset_path, shipped_ruleset_for

__all__ = [
    "ENGINES",
    "evaluator_named",
    "make_plan",
    "plan_and_log",
    "plan_for_file",
    "resolve_ruleset_path",
    "ruleset_for_profile",
    "ruleset_named",
]

ENGINES = ("durable", "reference")


def durable_evaluator() -> Evaluator:
    """The process's durable_rules evaluator, imported on first use.

    Lazily, so that commands which never plan (``--version``, ``schema``, ``rules check``)
    work even where the C extension cannot load, and a plan that needs it says why.
    """
    try:
        from planner.engine.durable import durable_evaluator as process_evaluator
    except ImportError as error:
        raise EngineUnavailable(error) from error
    return process_evaluator()


def evaluator_named(name: str) -> Evaluator:
    """``durable`` (the product) or ``reference`` (the oracle)."""
    if name == "durable":
        return durable_evaluator()
    if name == "reference":
        return ReferenceEvaluator()
    raise ValueError(f"unknown engine {name!r}; known: {', '.join(ENGINES)}")


def ruleset_named(name_or_path: str | None = None) -> CompiledRuleset:
    """A shipped ruleset by id, or a ruleset file; the default ruleset for None."""
    return load_ruleset_cached(resolve_ruleset_path(name_or_path or DEFAULT_RULESET))


def make_plan(
    profile: Profile,
    ruleset: CompiledRuleset,
    *,
    today: date,
    evaluator: Evaluator | None = None,
    checkins: Iterable[CheckinEvent] | None = None,
) -> Plan:
    """Project a runner's return to running under a ruleset (durable_rules by default).

    ``checkins``: the events of a check-in log (any order, repeats allowed); None: no log.
    """
    folded = fold(checkins) if checkins is not None else None
    return _planner.make_plan(
        profile, ruleset, today=today, evaluator=evaluator or durable_evaluator(), checkins=folded
    )


def ruleset_for_profile(profile_text: str, ruleset: str | None = None) -> CompiledRuleset:
    """The ruleset named, else the shipped ruleset for the profile text's injury kind."""
    if ruleset is not None:
        return ruleset_named(ruleset)
    return load_ruleset_cached(shipped_ruleset_for(peek_injury_kind(profile_text)))


def plan_for_file(
    profile_path: Path,
    *,
    ruleset: str | None = None,
    today: date,
    engine: str = "durable",
    log: Path | None = None,
    skip_bad_lines: bool = False,
) -> Plan:
    """Load a profile file, pick its ruleset (by injury, unless named), and make its plan.

    The check-in log ``log`` (default: ``<profile>.checkins.jsonl`` beside the profile,
    when it exists) turns the weeks it records, and the weeks that have passed, into
    observed weeks.
    """
    return plan_and_log(
        profile_path, ruleset=ruleset, today=today, engine=engine, log=log, skip_bad_lines=skip_bad_lines
    )[0]


def plan_and_log(
    profile_path: Path,
    *,
    ruleset: str | None = None,
    today: date,
    engine: str = "durable",
    log: Path | None = None,
    skip_bad_lines: bool = False,
) -> tuple[Plan, CheckinLog | None]:
    """:func:`plan_for_file`, and the check-in log it read (None: there was none)."""
    text = read_profile(profile_path)  # once: the profile may be a pipe
    compiled = ruleset_for_profile(text[1], ruleset)
    loaded = load_profile(profile_path, compiled, today, text=text)
    path = log if log is not None else default_log_path(profile_path)
    if log is None and not path.exists():
        return make_plan(loaded.profile, compiled, today=today, evaluator=evaluator_named(engine)), None
    checkins = load_log(path, skip_bad_lines=skip_bad_lines)
    lived_checks(checkins, loaded.profile, str(profile_path), today)
    plan = _planner.make_plan(
        loaded.profile, compiled, today=today, evaluator=evaluator_named(engine), checkins=checkins.weeks
    )
    return plan, checkins
