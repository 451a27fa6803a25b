"""Invariants on lived weeks: what a check-in (or a week without one) obliges the next week to do.

They read each observed week's ``logged`` record and the load books (:meth:`Checked._books`):
what was run counts, a missing answer is not pain-free, and a week whose dates passed
without a check-in was not done.
"""

from __future__ import annotations

from collections.abc import Iterator

from planner.validation.base import TOLERANCE, Checked, Violation, run_sessions, violation


def _pain_reason(c: Checked, i: int) -> str:
    """Why lived week ``i`` (1-based) forbids a load increase next week, or ''."""
    w = c.weeks[i - 1]
    log = w.logged
    if not w.observed or log is None or log.checkin is None or not run_sessions(w):
        return ""
    if c.lived_over_allowance(w):
        return f"pain above the allowance ({log.running_pain}/10 running, {log.next_morning_pain}/10 next morning)"
    if log.daily_life_pain is None or (log.runs and (log.running_pain is None or log.next_morning_pain is None)):
        return "pain questions left unanswered"
    if log.daily_life_pain > 0:
        return f"daily-life pain of {log.daily_life_pain}/10"
    if log.runs and (log.next_morning_pain or 0) > (log.running_pain or 0):
        return f"pain worse the next morning ({log.next_morning_pain}/10 after {log.running_pain}/10)"
    return ""


def lived_pain(c: Checked) -> Iterator[Violation]:
    """After a lived week with pain over the allowance, worse next morning, in daily life or unanswered: no rise."""
    for i in range(1, len(c.weeks)):
        why = _pain_reason(c, i)
        if not why:
            continue
        nxt = c.weeks[i]
        limit = c.volumes[i]
        if c.walk_run_week(nxt):  # holding a walk-run stage repeats its prescription
            limit = max(limit, c.weeks[i - 1].running.weekly_miles)
        if nxt.running.weekly_miles > limit + TOLERANCE:
            yield violation(
                "lived-pain",
                [nxt.week],
                "running.weekly_miles",
                f"{nxt.running.weekly_miles:g} mi after a lived week of {c.volumes[i]:g} mi with {why}",
            )
        longest = max((s.miles for s in run_sessions(nxt)), default=0.0)
        if not c.walk_run_week(nxt) and longest > c.longest[i] + TOLERANCE:
            yield violation(
                "lived-pain",
                [nxt.week],
                "running.long_run_miles",
                f"a {longest:g} mi run after a lived week whose longest was {c.longest[i]:g} mi, with {why}",
            )
        if nxt.running.intensity:
            yield violation("lived-pain", [nxt.week], "running.intensity", f"faster running after {why}")
        before = next((w.plyometrics.stage for w in reversed(c.weeks[:i]) if w.plyometrics.stage), 0)
        if nxt.plyometrics.stage > before:
            yield violation(
                "lived-pain", [nxt.week], "plyometrics.stage", f"a new hop stage ({nxt.plyometrics.stage}) after {why}"
            )


def lived_clearance(c: Checked) -> Iterator[Violation]:
    """After a red flag or pain over the referral threshold, no running until a check-in records clearance."""
    b = c.base
    red_flag_pain = c.rs.params.get("red_flag_pain", 10.0)  # no such parameter: no daily-life threshold
    why = "red flags" if b.red_flags else "no clearance to run" if not b.cleared_to_run else ""
    if not why and (b.running_pain > b.pain_refer_during or b.next_morning_pain > b.pain_refer_next_morning):
        why = "pain above the referral threshold"
    if not why and b.daily_life_pain > red_flag_pain:
        why = f"daily-life pain above {red_flag_pain:g}/10"
    flagged_last_week = bool(b.red_flags)
    lived = False  # before any lived week, the profile's own referral is pain-response's to check
    for w in c.weeks:
        if lived and (why or flagged_last_week) and run_sessions(w):
            reason = why or "a red flag last week"
            yield violation("lived-clearance", [w.week], "running.sessions", f"running prescribed despite {reason}")
        log = w.logged if w.observed else None
        if log is None:
            if why and lived:
                return  # a projection clears nothing: the plan ends at its referral
            continue
        lived = True
        during, morning = log.running_pain or 0, log.next_morning_pain or 0
        if log.red_flags:
            why = "red flags"
        elif not why and (during > b.pain_refer_during or morning > b.pain_refer_next_morning):
            why = "pain above the referral threshold"
        elif not why and (log.daily_life_pain or 0) > red_flag_pain:
            why = f"daily-life pain above {red_flag_pain:g}/10"
        if log.cleared_by_clinician:
            why = ""
        flagged_last_week = bool(log.red_flags)


def nothing_made_up(c: Checked) -> Iterator[Violation]:
    """After a lived week that ran less than prescribed (or had no check-in), the next week grows from what was run."""
    cap, step = c.p("weekly_cap_pct"), c.p("early_build_step_miles")
    for i in range(1, len(c.weeks)):
        w, nxt = c.weeks[i - 1], c.weeks[i]
        log = w.logged
        if not w.observed or log is None or c.walk_run_week(nxt):
            continue
        if log.miles >= w.running.weekly_miles - TOLERANCE and log.checkin is not None:
            continue  # done as prescribed, or more
        base = c.volumes[i]
        limit = max(base * (1 + cap / 100), base + step)
        if nxt.running.weekly_miles > limit + TOLERANCE:
            yield violation(
                "nothing-made-up",
                [nxt.week],
                "running.weekly_miles",
                f"{nxt.running.weekly_miles:g} mi after a lived week that ran {log.miles:g} of "
                f"{w.running.weekly_miles:g} mi prescribed: at most {limit:.1f} mi (missed running is never made up)",
            )
        if len(run_sessions(nxt)) > max(len(run_sessions(w)), c.runs[i]) + 1:
            yield violation(
                "nothing-made-up",
                [nxt.week],
                "running.sessions",
                f"{len(run_sessions(nxt))} runs after a lived week that fell short: missed runs are not added",
            )
