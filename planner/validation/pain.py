"""Invariants on pain, referral and the gates that keep running safe for the tissue."""

from __future__ import annotations

from collections.abc import Iterator

from planner.rules.vocabulary import WEEKDAYS, Urgency
from planner.validation.base import TOLERANCE, Checked, Violation, run_sessions, violation


def pain_free(c: Checked) -> Iterator[Violation]:
    """The 10-mile criterion only after a pain-free week at the gate; no hop advance or intensity after pain."""
    for i, w in enumerate(c.weeks, start=1):
        if w.criteria.pain_free_10_mpw and not c.gate_open[i]:
            yield violation(
                "pain-free",
                [w.week],
                "criteria.pain_free_10_mpw",
                f"the 10-mile criterion is claimed before any week of {c.p('gate_weekly_miles'):g} mi over at least "
                f"{c.p('gate_min_runs'):g} runs with pain at most {c.p('pain_free_max'):g}/10",
            )
    if c.baseline_pain_free or not c.weeks:
        return
    first = c.weeks[0]
    pain = f"{c.base.running_pain}/10 running, {c.base.next_morning_pain}/10 next morning"
    if first.plyometrics.stage > c.base.hop_stage:
        yield violation(
            "pain-free",
            [1],
            "plyometrics.stage",
            f"hop stage {first.plyometrics.stage} after a week that was not pain-free ({pain}): hops wait for one",
        )
    if first.running.intensity:
        yield violation(
            "pain-free", [1], "running.intensity", f"intensity after a week that was not pain-free ({pain})"
        )


def pain_response(c: Checked) -> Iterator[Violation]:
    """No load increase after pain over the allowance; no running with red flags, unclear, or referred."""
    b = c.base
    if b.red_flags or not b.cleared_to_run:
        # Until a week is lived, nothing clears them (lived weeks: the lived-clearance invariant).
        for w in c.weeks:
            if w.observed:
                break
            if run_sessions(w):
                why = "red flags" if b.red_flags else "no clearance to run"
                yield violation("pain-response", [w.week], "running.sessions", f"running prescribed despite {why}")
        return
    if c.baseline_pain_over and c.weeks and c.weeks[0].running.weekly_miles > b.weekly_miles + TOLERANCE:
        yield violation(
            "pain-response",
            [1],
            "running.weekly_miles",
            f"load rises to {c.weeks[0].running.weekly_miles:g} mi after a week with pain above the allowance",
            running_pain=b.running_pain,
            allowed=c.pain_row.during,
        )
    for w in c.weeks:
        if w.referral and run_sessions(w):
            yield violation("pain-response", [w.week], "running.sessions", "running prescribed in a referral week")


def _expected_urgency(c: Checked, flag: str) -> Urgency | None:
    row = next((r for r in c.rs.spec.tables.red_flags.rows if r.flag == flag), None)
    if row is None:
        return None
    if c.plan.runner.high_risk_site and row.urgency_high_risk_site is not None:
        return row.urgency_high_risk_site
    return row.urgency


def tissue_referral(c: Checked) -> Iterator[Violation]:
    """Pain over the tissue's referral threshold or a red flag refers; a referral week holds nothing else."""
    b, row = c.base, c.pain_row
    over = b.running_pain > row.refer_during or b.next_morning_pain > row.refer_next_morning
    if (over or b.red_flags) and c.weeks and not c.weeks[0].referral:
        why = (
            f"pain of {b.running_pain}/10 running, {b.next_morning_pain}/10 next morning is over this injury's "
            f"referral threshold ({row.refer_during}/10, {row.refer_next_morning}/10)"
            if over
            else f"red flags ({', '.join(b.red_flags)})"
        )
        yield violation("tissue-referral", [1], "referral", f"week 1 is not a referral week although {why}")
    for w in c.weeks:
        if not w.referral:
            continue
        extra = {
            "running sessions": bool(w.running.sessions),
            "strength": w.strength.sessions > 0,
            "hops": w.plyometrics.stage > 0,
            "a warm-up": bool(w.warmup),
            "gates": bool(w.gates),
            "other notes": bool(w.notes),
        }
        for what, present in extra.items():
            if present:
                yield violation(
                    "tissue-referral", [w.week], "referral", f"a referral week holds {what}: it holds nothing else"
                )
        if not w.referrals:
            yield violation("tissue-referral", [w.week], "referrals", "a referral without its urgency and reasons")
        named = {f.flag: f.urgency for r in w.referrals for f in r.red_flags}
        for flag in b.red_flags:
            want = _expected_urgency(c, flag)
            if flag not in named:
                yield violation("tissue-referral", [w.week], "referrals", f"red flag {flag!r} is not named")
            elif want is not None and named[flag] != want:
                yield violation(
                    "tissue-referral",
                    [w.week],
                    "referrals",
                    f"red flag {flag!r} is marked {named[flag]}; the ruleset makes it {want.value}",
                )
            elif want is not None and any(Urgency(r.urgency).rank > want.rank for r in w.referrals if r.red_flags):
                yield violation(
                    "tissue-referral", [w.week], "referrals", f"the referral is less urgent than red flag {flag!r}"
                )


def running_gate(c: Checked) -> Iterator[Violation]:
    """No running in a week before the entry gate (e.g. pain-free daily life and walking) has passed."""
    entry = c.rs.spec.readiness.entry_gate
    first_phase = c.rs.spec.phases[0].id
    for w in c.weeks:
        if not run_sessions(w):
            continue
        passed = any(g.id == entry and g.passed for g in w.gates)
        if not passed:
            yield violation(
                "running-gate",
                [w.week],
                "running.sessions",
                f"running in a week whose entry gate {entry!r} has not passed",
            )
        elif w.phase == first_phase:
            yield violation("running-gate", [w.week], "phase", f"running in a {first_phase} week")
    if c.base.daily_life_pain > c.p("pain_free_max") and c.weeks and run_sessions(c.weeks[0]):
        yield violation(
            "running-gate",
            [1],
            "running.sessions",
            f"running in week 1 with daily-life pain of {c.base.daily_life_pain}/10",
        )


def bone_high_risk(c: Checked) -> Iterator[Violation]:
    """A high-risk bone site: alternate days, single-leg hops and intensity each wait their weeks of running."""
    params = c.rs.params
    alt_name, cont_name = "bsi_high_risk_alternate_day_weeks", "bsi_high_risk_continuous_weeks"
    if not c.plan.runner.high_risk_site or alt_name not in params or cont_name not in params:
        return
    alternate, continuous_needed = int(params[alt_name]), int(params[cont_name])
    running_weeks = continuous = 0
    prev_days: list[str] = []
    for w in c.weeks:
        runs = run_sessions(w)
        days = [WEEKDAYS.index(s.day) for s in runs]
        if running_weeks < alternate and runs:
            close = [b - a for a in days for b in days if 0 < b - a <= 1]
            close += [d for d in days for p in prev_days if d + 7 - WEEKDAYS.index(p) <= 1]
            if close:
                yield violation(
                    "bone-high-risk",
                    [w.week],
                    "running.sessions",
                    f"runs on consecutive days in running week {running_weeks + 1}; a high-risk bone site runs on "
                    f"alternate days for the first {alternate} weeks",
                )
        if w.plyometrics.single_leg and w.plyometrics.stage > c.base.hop_stage and continuous < continuous_needed:
            yield violation(
                "bone-high-risk",
                [w.week],
                "plyometrics.stage",
                f"single-leg hops after {continuous} week(s) of continuous running; a high-risk bone site waits "
                f"{continuous_needed}",
            )
        if w.running.intensity and running_weeks < alternate:
            yield violation(
                "bone-high-risk",
                [w.week],
                "running.intensity",
                f"intensity in running week {running_weeks + 1}; a high-risk bone site waits {alternate} weeks",
            )
        if runs:
            running_weeks += 1
        if any(s.kind != "walk_run" for s in runs):
            continuous += 1
        prev_days = [s.day for s in runs]
