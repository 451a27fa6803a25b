"""``rtr checkin``: record what happened in a plan week, then say what comes next.

Every field has a flag. In a terminal, what is missing is asked for; otherwise a
missing pain answer is an error (``--no-pain-answers`` records them as unanswered,
which never counts as pain-free). The event is checked before anything is written,
appended as one durable line, and the plan is re-projected from the whole log.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError

from planner.api import evaluator_named
from planner.checkins import CheckinLog, load_log
from planner.checkins.log import append_event
from planner.checkins.prescribed import as_prescribed as prescribed_fields
from planner.checkins.verdict import Verdict, verdict_for
from planner.cli.common import echo, input_files, parse_today, reported_errors
from planner.cli.inputs import load_runner, log_path
from planner.cli.prompts import interactive
from planner.cli.prompts import prompt as _prompt
from planner.days import canonical_day, day_hint
from planner.diagnostics import Diagnostic
from planner.errors import InputError
from planner.models.checkin import SCHEMA, CheckinEvent
from planner.models.plan import Plan, Week
from planner.models.profile import Profile
from planner.planning.planner import make_plan
from planner.render.console import terminal_settings
from planner.render.text import render_week
from planner.rules.compiler import CompiledRuleset
from planner.rules.vocabulary import RED_FLAGS

_RUN = re.compile(r"^(?P<day>[A-Za-z]+):(?P<size>\d{1,6}(?:\.\d{1,6})?)(?P<unit>min|mi|km)?(?:@(?P<stage>\d{1,3}))?$")


def _bad(flag: str, message: str, hint: str) -> InputError:
    return InputError(f"{flag}: {message}", [Diagnostic("checkin-flag", message, None, subject=flag, hint=hint)])


def _day(text: str, flag: str) -> str:
    day = canonical_day(text)
    if day is None:
        raise _bad(flag, f"{text!r} is not a day", day_hint(text))
    return day


def parse_run(text: str, units: str) -> dict[str, Any]:
    """``tue:5`` (distance in the profile's units), ``thu:30min``, ``sat:30min@3`` (walk-run stage 3)."""
    m = _RUN.match(text.strip())
    if m is None:
        raise _bad("--run", f"{text!r} is not a run", "DAY:DISTANCE, DAY:MINUTESmin, or DAY:MINUTESmin@STAGE")
    run: dict[str, Any] = {"day": _day(m["day"], "--run")}
    size = float(m["size"])
    if m["unit"] == "min":
        if not size.is_integer():
            raise _bad("--run", f"{text!r}: minutes are whole minutes", "e.g. tue:30min")
        run["minutes"] = int(size)
    else:
        if m["unit"] not in (None, units):
            raise _bad("--run", f"{text!r} is in {m['unit']}, the profile in {units}", f"give the distance in {units}")
        run["distance"] = round(size, 2)
    if m["stage"] is not None:
        run["walk_run_stage"] = int(m["stage"])
    return run


def _event_id(fields: dict[str, Any], taken: set[str]) -> str:
    """Same check-in, same id: a re-run of the same command records nothing new.

    The id hashes what the check-in says (not what it corrects); an id already in the log
    for other content (going back to an earlier answer) gets a suffix.
    """
    said = {k: v for k, v in fields.items() if k != "supersedes"}
    body = CheckinEvent.model_validate({**said, "id": "x"}).model_dump_json(by_alias=True, exclude={"id"})
    base = f"w{fields['week']}-{hashlib.sha256(body.encode()).hexdigest()[:10]}"
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def _week_of(plan: Plan, week: int) -> Week | None:
    return next((w for w in plan.weeks if w.week == week), None)


PAIN_QUESTIONS = {
    "running_pain": ("--running-pain", "Worst pain while running (0-10)"),
    "next_morning_pain": ("--morning-pain", "Worst pain the next morning (0-10)"),
    "daily_life_pain": ("--daily-pain", "Worst pain in daily life (0-10)"),
}


def _runs_done(
    planned: Week | None, number: int, runs: list[str], as_prescribed: bool, units: str, ask: bool
) -> dict[str, Any]:
    """The week's runs (and, as prescribed, its hops and strength), from flags or, in a terminal, a question."""
    if not runs and not as_prescribed and ask:
        answer = _prompt("Runs this week (e.g. tue:5 thu:30min), 'as planned', or blank for none", "")
        if answer.strip().lower() in ("as planned", "as prescribed"):
            as_prescribed = True
        else:
            runs = answer.split()
    out: dict[str, Any] = {}
    if as_prescribed:
        if planned is None:
            raise _bad("--as-prescribed", f"the plan has no week {number}", "give the runs with --run")
        out |= prescribed_fields(planned, units)
    if runs:
        out["runs"] = [parse_run(r, units) for r in runs]
    return out


def _ask_pain(question: str) -> int:
    while True:
        answer = _prompt(question, None, int)
        if 0 <= answer <= 10:
            return int(answer)
        echo("A pain score is a whole number from 0 (none) to 10 (the worst).")


def _pain_answers(pains: dict[str, int | None], *, ran: bool, ask: bool, unanswered: bool) -> dict[str, Any]:
    """The pain answers given; what is missing is asked for in a terminal, else an error (never 0/10)."""
    needed = [k for k, v in pains.items() if v is None and (ran or k == "daily_life_pain")]
    if needed and not unanswered:
        if not ask:
            raise InputError(
                "missing pain answers: " + ", ".join(PAIN_QUESTIONS[k][0] for k in needed),
                [
                    Diagnostic(
                        "checkin-missing-answer",
                        f"{PAIN_QUESTIONS[k][0]} is required"
                        + (" (runs were logged)" if k != "daily_life_pain" else ""),
                        None,
                        subject=PAIN_QUESTIONS[k][0],
                        hint="give it, or --no-pain-answers to record the week as unanswered (not pain-free)",
                    )
                    for k in needed
                ],
            )
        for k in needed:
            pains[k] = _ask_pain(PAIN_QUESTIONS[k][1])
    return {k: v for k, v in pains.items() if v is not None}


def _never_an_input(log: Path, inputs: tuple[Path, ...]) -> None:
    """The log is appended to: it may never be the profile, a ruleset or another input."""
    for p in inputs:
        same = log.resolve() == p.resolve()
        with contextlib.suppress(OSError):
            same = same or (log.exists() and os.path.samefile(log, p))
        if same:
            raise _bad("--log", f"{log} is an input file ({p.name}), not a check-in log", "give a .checkins.jsonl file")


def _the_rest(
    *,
    missed: list[str],
    stiffness: int | None,
    hops: str | None,
    hops_painful: bool,
    prescribed_hops: dict[str, Any] | None,
    strength: int | None,
    red_flags: list[str],
    cleared: bool,
    note: str,
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if missed:
        out["missed"] = [_day(d, "--missed") for d in missed]
    if stiffness is not None:
        out["morning_stiffness_minutes"] = stiffness
    if hops is not None:
        m = re.match(r"^(\d{1,3}):(\d{1,3})$", hops.strip())
        if m is None:
            raise _bad("--hops", f"{hops!r} is not STAGE:SETS", "e.g. --hops 3:3")
        out["hops"] = {"stage": int(m[1]), "sets": int(m[2]), "pain_free": not hops_painful}
    elif hops_painful and prescribed_hops is not None:
        out["hops"] = prescribed_hops | {"pain_free": False}
    elif hops_painful:
        raise _bad("--hops-painful", "painful hop work needs the work done", "add --hops STAGE:SETS or --as-prescribed")
    if strength is not None:
        out["strength_sessions"] = strength
    if red_flags:
        out["red_flags"] = red_flags
    if cleared:
        out["cleared_by_clinician"] = True
    if note:
        out["notes"] = note
    return out


def checkin(
    profile: Annotated[
        Path,
        typer.Argument(
            metavar="PROFILE", help="Runner profile (YAML or JSON, schema rtr.profile/v1); - reads standard input."
        ),
    ],
    week: Annotated[
        int | None, typer.Option("--week", "-w", min=1, metavar="WEEK", help="Plan week (default: today's).")
    ] = None,
    runs: Annotated[
        list[str] | None,
        typer.Option(
            "--run",
            metavar="DAY:DISTANCE",
            help="A run: DAY:DISTANCE (profile units), DAY:MINUTESmin, DAY:MINUTESmin@STAGE.",
        ),
    ] = None,
    as_prescribed: Annotated[
        bool, typer.Option("--as-prescribed", help="The week's runs, hops and strength were done as prescribed.")
    ] = False,
    missed: Annotated[
        list[str] | None, typer.Option("--missed", metavar="DAY", help="A planned run day not run.")
    ] = None,
    running_pain: Annotated[
        int | None,
        typer.Option("--running-pain", min=0, max=10, metavar="PAIN", help="Worst pain while running, 0-10."),
    ] = None,
    morning_pain: Annotated[
        int | None,
        typer.Option("--morning-pain", min=0, max=10, metavar="PAIN", help="Worst pain the next morning, 0-10."),
    ] = None,
    daily_pain: Annotated[
        int | None, typer.Option("--daily-pain", min=0, max=10, metavar="PAIN", help="Worst pain in daily life, 0-10.")
    ] = None,
    no_pain_answers: Annotated[
        bool, typer.Option("--no-pain-answers", help="Record the pain questions as unanswered (not pain-free).")
    ] = False,
    stiffness: Annotated[
        int | None, typer.Option("--stiffness", min=0, max=1440, metavar="MINUTES", help="Morning stiffness, minutes.")
    ] = None,
    hops: Annotated[str | None, typer.Option("--hops", metavar="STAGE:SETS", help="Hop work done: STAGE:SETS.")] = None,
    hops_painful: Annotated[bool, typer.Option("--hops-painful", help="The hop work was not pain-free.")] = False,
    strength: Annotated[
        int | None, typer.Option("--strength", min=0, max=14, metavar="SESSIONS", help="Heavy strength sessions done.")
    ] = None,
    red_flags: Annotated[
        list[str] | None, typer.Option("--red-flag", metavar="FLAG", help=f"A red flag: {', '.join(RED_FLAGS)}.")
    ] = None,
    cleared: Annotated[bool, typer.Option("--cleared", help="A clinician has cleared running.")] = False,
    note: Annotated[str, typer.Option("--note", metavar="NOTE", help="Free notes.")] = "",
    supersedes: Annotated[
        str | None,
        typer.Option("--supersedes", metavar="ID", help="Id of the check-in this corrects (default: the week's own)."),
    ] = None,
    log: Annotated[
        Path | None, typer.Option("--log", metavar="FILE", help="Check-in log. Default: <profile>.checkins.jsonl.")
    ] = None,
    ruleset: Annotated[
        str | None, typer.Option("--ruleset", "-r", metavar="RULESET", help="A shipped ruleset id or a file.")
    ] = None,
    today: Annotated[str | None, typer.Option("--today", metavar="DATE", help="Today's date, YYYY-MM-DD.")] = None,
    skip_bad_lines: Annotated[
        bool, typer.Option("--skip-bad-lines", help="Read past bad lines of the log (they are kept and reported).")
    ] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check and show the verdict; write nothing.")] = False,
) -> None:
    """Record a week's check-in, then print the verdict and next week's prescription.

    Example:  rtr checkin runner.yaml --as-prescribed --running-pain 1 --morning-pain 0 --daily-pain 0
    """
    when = parse_today(today)
    ask = interactive()
    with reported_errors():
        path = _log_to_write(profile, log)
        _never_an_input(path, input_files(profile, ruleset))
        given = load_runner(profile, ruleset, when, log=path, skip_bad_lines=skip_bad_lines, need_log=True)
        compiled, runner = given.ruleset, given.loaded.profile
        before = _plan(runner, compiled, when, given.checkins)
        start = before.start_date
        number = week if week is not None else (when - start).days // 7 + 1
        if number < 1:
            raise _bad("--week", f"the plan starts on {start.isoformat()}, after {when.isoformat()}", "check in later")
        begins = start + timedelta(weeks=number - 1)
        if begins > when:
            raise _bad(
                "--week",
                f"week {number} starts on {begins.isoformat()}, after today ({when.isoformat()})",
                "a check-in records a week that has started",
            )
        planned = _week_of(before, number)
        fields: dict[str, Any] = {"schema": SCHEMA, "week": number, "date": when.isoformat()}
        fields |= _runs_done(planned, number, runs or [], as_prescribed, runner.units, ask)
        pains = {"running_pain": running_pain, "next_morning_pain": morning_pain, "daily_life_pain": daily_pain}
        fields |= _pain_answers(pains, ran=bool(fields.get("runs")), ask=ask, unanswered=no_pain_answers)
        fields |= _the_rest(
            missed=missed or [],
            stiffness=stiffness,
            hops=hops,
            hops_painful=hops_painful,
            prescribed_hops=fields.get("hops"),
            strength=strength,
            red_flags=red_flags or [],
            cleared=cleared,
            note=note,
        )
        current = load_log(path, skip_bad_lines=skip_bad_lines)
        standing = current.weeks.get(number)
        if supersedes is not None and supersedes not in {e.id for e in current.events}:
            raise _bad("--supersedes", f"no check-in {supersedes!r} in {path}", "give the id `rtr plan -f json` shows")
        try:
            # The same check-in as the week's own: nothing to write.
            same = standing is not None and standing.event.id == _event_id(fields, set())
            taken = set() if same else {e.id for e in current.events}
            if supersedes is not None:
                fields["supersedes"] = supersedes
            elif standing is not None and not same:
                fields["supersedes"] = standing.event.id
            elif same and standing is not None and standing.event.supersedes:
                fields["supersedes"] = standing.event.supersedes
            fields["id"] = _event_id(fields, taken)
            event = CheckinEvent.model_validate(fields)
        except ValidationError as error:
            raise InputError(
                "the check-in is not valid; nothing was written",
                [
                    Diagnostic("checkin-field", f"{'.'.join(map(str, e['loc']))}: {e['msg']}", None)
                    for e in error.errors(include_url=False)
                ],
            ) from None
        repeat = same
        if repeat:
            echo(f"Week {number} already has this check-in ({event.id}); nothing new was written.")
        elif dry_run:
            echo(f"Dry run: week {number}'s check-in is valid ({event.id}); nothing was written.")
        else:
            append_event(path, event, after_torn_line=skip_bad_lines)
            replaced = f", replacing {event.supersedes}" if event.supersedes else ""
            echo(f"Week {number} recorded in {path} ({event.id}{replaced}).")
        after = _after(runner, compiled, when, path, skip_bad_lines, event if dry_run and not repeat else None)
        _report(after, compiled, number)


def _log_to_write(profile: Path, log: Path | None) -> Path:
    """The log a check-in is appended to: given, or the one beside the profile."""
    path = log_path(profile, log)
    if path is None:
        raise _bad("--log", "a profile read from standard input has no folder to keep its log in", "give --log FILE")
    return path


def _plan(runner: Profile, compiled: CompiledRuleset, when: date, checkins: CheckinLog | None) -> Plan:
    return make_plan(
        runner,
        compiled,
        today=when,
        evaluator=evaluator_named("durable"),
        checkins=checkins.weeks if checkins is not None else None,
    )


def _after(
    runner: Profile, compiled: CompiledRuleset, when: date, path: Path, skip: bool, pending: CheckinEvent | None
) -> Plan:
    """The plan from the whole log, read again (with a dry run's event as if it were written).

    The log's weeks were checked against the calendar when it was first read, and the new
    check-in is for a week that has started, so the log needs no second check.
    """
    if pending is None:
        return _plan(runner, compiled, when, load_log(path, skip_bad_lines=skip))
    from planner.api import make_plan as plan_with_events

    events = [*load_log(path, skip_bad_lines=skip).events, pending]
    return plan_with_events(runner, compiled, today=when, checkins=events)


def _report(plan: Plan, ruleset: CompiledRuleset, number: int) -> None:
    result = verdict_for(plan, ruleset, number)
    why = f" - {result.rule}: {result.rule_title}" if result.rule else f" - {result.rule_title}"
    echo(f"Verdict for week {number}: {result.verdict.value.upper()}{why}")
    lived = next((w for w in plan.weeks if w.week == number), None)
    log = lived.logged if lived is not None else None
    if log is not None and result.verdict is Verdict.ADVANCE:
        most = ruleset.param("pain_free_max")
        answers = [log.daily_life_pain, *([log.running_pain, log.next_morning_pain] if log.runs else [])]
        if any(a is None or a > most for a in answers):
            echo(
                "  (Your week was not pain-free: running goes on within your allowance, but hops and faster "
                "running wait, and the week does not count toward the 10-mile gate.)"
            )
    if result.next_week is not None:
        echo("")
        echo("Next week:")
        echo(render_week(plan, result.next_week.week, width=terminal_settings(sys.stdout)[0]))  # plain: echo escapes
    else:
        echo(plan.status_reason)
