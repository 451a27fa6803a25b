"""A check-in's verdict: what the rules made of the week, read off the week that follows it.

The verdict is not decided here: it names the decision the ruleset took for next
week (its running mode and the rule that won the running slot) in four words a
runner knows.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from planner.models.plan import Plan, Week
from planner.rules.compiler import CompiledRuleset
from planner.rules.vocabulary import RunningMode, Slot, StageStep


class Verdict(StrEnum):
    """What happens next, in a runner's words."""

    ADVANCE = "advance"
    HOLD = "hold"
    STEP_BACK = "step back"
    SEE_A_CLINICIAN = "see a clinician"
    PLAN_DONE = "plan done"


@dataclass(frozen=True, slots=True)
class WeekVerdict:
    """The verdict on one week, the rule that decided it, and the week it leads to (None: the plan ends)."""

    verdict: Verdict
    rule: str | None
    rule_title: str
    next_week: Week | None


_FORWARD = frozenset({RunningMode.BUILD, RunningMode.PROGRESS, RunningMode.CUTBACK, RunningMode.TAPER})


def _running_step(ruleset: CompiledRuleset, rule_id: str | None) -> str | None:
    """The walk-run stage step (advance, hold, regress) of the rule that decided the running."""
    rule = ruleset.find(rule_id) if rule_id else None
    for d in getattr(rule, "decisions", ()):
        if d.slot is Slot.RUNNING and "stage" in d.args:
            return str(d.args["stage"])
    return None


def verdict_for(plan: Plan, ruleset: CompiledRuleset, week: int) -> WeekVerdict:
    """The verdict on plan week ``week``: what the rules prescribed for the week after it."""
    following = next((w for w in plan.weeks if w.week == week + 1), None)
    current = next((w for w in plan.weeks if w.week == week), None)
    if following is None:
        if current is not None and current.referrals:
            return WeekVerdict(Verdict.SEE_A_CLINICIAN, current.referrals[0].rule, "a referral", None)
        return WeekVerdict(Verdict.PLAN_DONE, None, plan.status_reason, None)
    if following.referrals:
        rule = following.referrals[0].rule
        return WeekVerdict(Verdict.SEE_A_CLINICIAN, rule, _title(ruleset, rule), following)
    decided = following.decided_by.get(Slot.RUNNING.value)
    mode = RunningMode(following.running.mode)
    ran_before = current is not None and current.running.weekly_miles > 0
    grows = current is None or following.running.weekly_miles > current.running.weekly_miles + 0.05
    if mode in (RunningMode.BUILD, RunningMode.PROGRESS) and not grows:
        verdict = Verdict.HOLD  # a build the caps or the run days keep flat is no advance
    elif mode in _FORWARD or mode is RunningMode.RECOVERY:
        verdict = Verdict.ADVANCE
    elif mode is RunningMode.WALK_RUN:
        step = _running_step(ruleset, decided)
        verdict = {StageStep.ADVANCE.value: Verdict.ADVANCE, StageStep.REGRESS.value: Verdict.STEP_BACK}.get(
            step or "", Verdict.HOLD
        )
    elif mode is RunningMode.HOLD and _adds_a_run(ruleset, following.decided_by.get(Slot.FREQUENCY.value)):
        verdict = Verdict.ADVANCE  # one run more, the volume held: one change at a time
    elif mode is RunningMode.REDUCE or (mode is RunningMode.NONE and ran_before):
        verdict = Verdict.STEP_BACK
    else:
        verdict = Verdict.HOLD
    return WeekVerdict(verdict, decided, _title(ruleset, decided), following)


def _adds_a_run(ruleset: CompiledRuleset, rule_id: str | None) -> bool:
    rule = ruleset.find(rule_id) if rule_id else None
    return any(d.slot is Slot.FREQUENCY and d.mode == "add" for d in getattr(rule, "decisions", ()))


def _title(ruleset: CompiledRuleset, rule_id: str | None) -> str:
    item = ruleset.find(rule_id) if rule_id else None
    return item.title if item is not None else ""
