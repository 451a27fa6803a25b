"""``rtr init``: a profile from questions in plain language, for a runner new to rtr.

Each answer is checked as it is given (asked again with the reason); the profile is
checked with the loader ``rtr plan`` uses before it is written, through a temporary
file and a rename. An existing file is replaced only after a yes. Ctrl-C or the end
of input stops with exit 130, and nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from planner.cli.common import ExitCode, echo, parse_today, reported_errors, write_atomically
from planner.cli.prompts import ask_until, ask_yes_no, interactive
from planner.dates import monday_after
from planner.days import canonical_day, day_hint
from planner.diagnostics import Diagnostic
from planner.errors import InputError, ProfileError
from planner.profiles import check_profile_text
from planner.rules.compiler import CompiledRuleset
from planner.rules.loader import load_ruleset_cached, shipped_ruleset_for, shipped_ruleset_paths
from planner.rules.vocabulary import INJURY_KINDS, RACES
from planner.yamlsource import dump_yaml

SCHEMA_COMMENT = "# Made by `rtr init`; edit freely (`rtr schema profile` lists every field).\n"


def _injuries() -> list[str]:
    """The injury kinds the shipped rulesets are written for, then ``other`` (the default ruleset)."""
    claimed = {kind for path in shipped_ruleset_paths() for kind in load_ruleset_cached(path).spec.injuries}
    return [k for k in INJURY_KINDS if k in claimed and k != "other"] + ["other"]


def _choice(options: list[str], what: str) -> Callable[[str], str]:
    def parse(text: str) -> str:
        word = text.lower().replace(" ", "_").replace("-", "_")
        if word.isdigit() and 1 <= int(word) <= len(options):
            return options[int(word) - 1]
        if word in options:
            return word
        raise ValueError(f"{text!r} is not {what}: give one of {', '.join(options)} (or its number)")

    return parse


def _number(low: float, high: float, *, whole: bool = False) -> Callable[[str], Any]:
    def parse(text: str) -> float | int:
        try:
            value = int(text) if whole else float(text)
        except ValueError:
            raise ValueError(f"{text!r} is not {'a whole number' if whole else 'a number'}") from None
        if not low <= value <= high:
            raise ValueError(f"give a number from {low:g} to {high:g}")
        return value if whole else round(float(value), 2)

    return parse


def _days(*, allow_none: bool, among: list[str] | None = None) -> Callable[[str], list[str]]:
    def parse(text: str) -> list[str]:
        words = text.replace(",", " ").split()
        if not words and allow_none:
            return []
        if not words:
            raise ValueError("give at least one day, e.g. tue thu sun")
        out: list[str] = []
        for word in words:
            day = canonical_day(word)
            if day is None:
                raise ValueError(f"{word!r} is not a day: {day_hint(word)}")
            if among is not None and day not in among:
                raise ValueError(f"{word} is not one of your run days ({', '.join(among)})")
            if day in out:
                raise ValueError(f"{word} is listed twice")
            out.append(day)
        return out

    return parse


def _date(after: date, *, monday: bool = False, before: date | None = None) -> Callable[[str], date]:
    def parse(text: str) -> date:
        try:
            when = date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"{text!r} is not a date: write it YYYY-MM-DD, e.g. {after.isoformat()}") from None
        if when < after:
            raise ValueError(f"{when.isoformat()} is before {after.isoformat()}")
        if before is not None and when >= before:
            raise ValueError(f"{when.isoformat()} is too far ahead: give a date before {before.isoformat()}")
        if monday and when.weekday() != 0:
            raise ValueError(f"{when.isoformat()} is a {when.strftime('%A')}; week 1 starts on a Monday")
        return when

    return parse


def _listed(options: list[str], what: str) -> Callable[[str], list[str]]:
    def parse(text: str) -> list[str]:
        words = [w.strip().lower() for w in text.replace(",", " ").split()]
        if words == ["none"]:
            return []
        for word in words:
            if word not in options:
                raise ValueError(f"{word!r} is not {what}: choose from {', '.join(options)}")
        return list(dict.fromkeys(words))

    return parse


def _running(units: str) -> dict[str, Any]:
    weekly = ask_until(f"How far do you run a week now, without pain ({units}; 0 if not running)", "0", _number(0, 500))
    out: dict[str, Any] = {"weekly_distance": weekly, "longest_run": 0.0, "running_pain": 0, "next_morning_pain": 0}
    if weekly > 0:
        out["longest_run"] = ask_until(
            f"Your longest run in the last 30 days ({units})", f"{weekly:g}", _number(weekly / 7, weekly)
        )
        out["running_pain"] = ask_until("Worst pain while running (0 none - 10 worst)", "0", _number(0, 10, whole=True))
        out["next_morning_pain"] = ask_until(
            "Worst pain the morning after a run (0-10)", "0", _number(0, 10, whole=True)
        )
    return out


def _questions(today: date) -> dict[str, Any]:
    echo("Answer each question; press Enter to take the answer in [brackets]. Ctrl-C stops, writing nothing.")
    name = ask_until("Your first name", "Runner", lambda t: t if 1 <= len(t) <= 80 else _fail("1 to 80 letters"))
    units = ask_until("Units: mi or km", "mi", _choice(["mi", "km"], "a unit"))
    kinds = _injuries()
    echo("Injuries: " + ", ".join(f"{i}. {k.replace('_', ' ')}" for i, k in enumerate(kinds, 1)))
    kind = ask_until("Which injury are you coming back from", "other", _choice(kinds, "an injury rtr knows"))
    ruleset = load_ruleset_cached(shipped_ruleset_for(kind))
    injury: dict[str, Any] = {"kind": kind}
    if kind == "bone_stress_injury":
        sites = [*ruleset.spec.tables.bsi_sites.high_risk, *ruleset.spec.tables.bsi_sites.low_risk]
        injury["site"] = ask_until("Where is it (e.g. tibia)", None, _choice(sites, "a site"))
    injury["cleared_to_run"] = ask_yes_no("Has a clinician cleared you to run", True)
    current: dict[str, Any] = {
        "pain_free_walk_minutes": ask_until(
            "How many minutes can you walk briskly without pain", "30", _number(0, 600, whole=True)
        ),
        "daily_life_pain": ask_until("Worst pain in daily life (0 none - 10 worst)", "0", _number(0, 10, whole=True)),
    }
    current |= _running(units)
    current |= _strength_and_hops(ruleset)
    current["gait_analysis_done"] = ask_yes_no("Have you had a video analysis of your running form", False)
    before = ask_until(
        f"How far did you run a week before the injury ({units})", "15" if units == "mi" else "25", _number(0, 500)
    )
    return {
        "schema": "rtr.profile/v1",
        "runner": {"name": name},
        "units": units,
        "injury": injury,
        "current": current,
        "pre_injury_weekly_distance": before,
        **_calendar(ruleset, today),
    }


def _fail(reason: str) -> Any:
    raise ValueError(reason)


def _strength_and_hops(ruleset: CompiledRuleset) -> dict[str, Any]:
    sessions = ask_until(
        "Heavy strength sessions a week now (weights you can lift only a few more times; 0 if none)",
        "0",
        _number(0, 7, whole=True),
    )
    weeks = 0
    if sessions > 0:
        weeks = ask_until("For how many weeks have you lifted heavy", "0", _number(0, 520, whole=True))
    rows = ruleset.spec.tables.hop_stages.rows
    echo("Hop stages: 0. none yet, " + ", ".join(f"{r.stage}. {r.name}" for r in rows))
    stage = ask_until("Which stage can you do without pain", "0", _number(0, len(rows), whole=True))
    sets = 0
    if stage > 0:
        sets = ask_until("Sets of 30-second single-leg hops you can do without pain", "0", _number(0, 10, whole=True))
    deficits = sorted(ruleset.spec.tables.warmup.by_deficit)
    echo("Deficits your physical therapist found: " + ", ".join(d.replace("_", " ") for d in deficits))
    chosen = ask_until("Yours (separate with spaces)", "none", _listed(deficits, "a deficit"))
    warmup = ask_until("Weeks you have done a warm-up fitted to them (0 if none)", "0", _number(0, 520, whole=True))
    return {
        "strength": {"heavy_sessions_per_week": sessions, "weeks_heavy": weeks},
        "hops": {"stage": stage, "single_leg_30s_sets": sets},
        "deficits": chosen,
        "fitted_warmup_weeks": warmup,
    }


def _calendar(ruleset: CompiledRuleset, today: date) -> dict[str, Any]:
    run_days = ask_until("Days you can run (e.g. tue thu sat sun)", "tue thu sat sun", _days(allow_none=False))
    long_day = ask_until("Day for the long run", run_days[-1], lambda t: _days(allow_none=False, among=run_days)(t)[0])
    free = [d for d in ("mon", "wed", "fri", "tue", "thu") if d not in run_days][:3]
    least = int(ruleset.param("strength_min_heavy_sessions"))

    def lifting(text: str) -> list[str]:
        days = _days(allow_none=False)(text)
        if len(days) < least:
            raise ValueError(f"heavy strength training needs at least {least} days a week")
        return days

    strength = ask_until("Days you can lift", " ".join(free), lifting)
    start = ask_until(
        "Start date of week 1 (a Monday, YYYY-MM-DD)", monday_after(today).isoformat(), _date(today, monday=True)
    )
    race = ask_until("Goal race: none, 5k, 10k, half or marathon", "none", _choice(list(RACES), "a race"))
    goal: dict[str, Any] = {"race": race}
    if race != "none":
        horizon = start.toordinal() + 7 * int(ruleset.param("horizon_weeks"))
        goal["race_date"] = ask_until("Race date (YYYY-MM-DD)", None, _date(start, before=date.fromordinal(horizon)))
    return {
        "start_date": start,
        "goal": goal,
        "availability": {"run_days": run_days, "long_run_day": long_day, "strength_days": strength},
    }


def profile_text(answers: dict[str, Any]) -> str:
    """The profile as YAML, keys in the order asked."""
    return SCHEMA_COMMENT + dump_yaml(answers)


def init(
    file: Annotated[
        Path, typer.Argument(metavar="FILE", help="Where to write the profile (default: profile.yaml).")
    ] = Path("profile.yaml"),
    today: Annotated[
        str | None, typer.Option("--today", metavar="DATE", help="Today's date, YYYY-MM-DD (default: the system date).")
    ] = None,
) -> None:
    """Make a profile by answering questions in plain language, then plan it with rtr plan FILE.

    Example:  rtr init my-profile.yaml && rtr plan my-profile.yaml
    """
    when = parse_today(today)
    with reported_errors():
        if not interactive():
            message = "rtr init asks its questions in a terminal, and this is not one"
            hint = "run it in a terminal, or start from an example: rtr examples show shin-pain-10k > profile.yaml"
            raise InputError(message, [Diagnostic("bad-input", message, None, hint=hint)])
        if file.exists() and not ask_yes_no(f"{file} already exists. Replace it", False):
            echo(f"Kept {file} as it is; nothing was written.")
            raise typer.Exit(ExitCode.OK)
        answers = _questions(when)
        text = profile_text(answers)
        ruleset = load_ruleset_cached(shipped_ruleset_for(answers["injury"]["kind"]))
        profile, found, source = check_profile_text(text, str(file), ruleset, when)
        if profile is None:  # every answer was checked; what is left is how answers fit together
            summary = f"the answers do not make a profile rtr can plan; {file} was not written"
            raise ProfileError(summary, found, {str(file): source})
        write_atomically(file, text)
    echo(f"Wrote {file}. Next: rtr plan {file}  (and rtr readiness {file})")
