"""The readiness self-check: is the runner ready to train again, and if not, what the plan does.

The verdict is the ruleset's four readiness criteria (the gates ``readiness.criteria``
names) as they stand at the start of week 1, read from the plan ``rtr plan`` makes;
the seed's questions (``readiness.self_check``) are answered from the profile's facts
of that week, or by the runner in a terminal. Nothing here is a threshold of its own:
every number and word comes from the ruleset or the plan.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any, Literal

from planner.diagnostics import Diagnostic
from planner.errors import InputError
from planner.models.plan import Plan, Week
from planner.models.profile import Profile
from planner.models.readiness import CriterionCheck, QuestionAnswer, Readiness
from planner.planning.context import build_context
from planner.planning.state import facts, initial_state
from planner.planning.wording import Wording
from planner.render.common import phase_label
from planner.rules.compiler import CompiledRuleset, TemplateText, parse_condition_tree
from planner.rules.conditions import ConditionParser
from planner.rules.spec import ReadinessQuestion, SelfCheck
from planner.rules.vocabulary import READINESS_CRITERIA


def self_check(ruleset: CompiledRuleset) -> SelfCheck:
    """The ruleset's self-check; a ruleset without one cannot answer ``rtr readiness``."""
    found = ruleset.spec.readiness.self_check
    if found is None:
        message = f"ruleset {ruleset.spec.id!r} has no readiness questions (readiness.self_check)"
        hint = "add them (see rulesets/README.md), or use a ruleset that extends return-to-run"
        raise InputError(message, [Diagnostic("bad-input", message, None, hint=hint)])
    return found


def _fill(ruleset: CompiledRuleset, units: str, text: str, known: Mapping[str, Any]) -> str:
    """A question's text for the runner: the self-check's own numbers first, then the ruleset's."""
    own = {k: f"{p.value:g}" for k, p in self_check(ruleset).parameters.items()}
    return Wording(ruleset, units).fill(TemplateText(text).safe_substitute(own), known)


def _parser(ruleset: CompiledRuleset) -> ConditionParser:
    own = {k: p.value for k, p in self_check(ruleset).parameters.items()}
    return ConditionParser({**ruleset.params, **own})


def _answer(ruleset: CompiledRuleset, units: str, q: ReadinessQuestion, yes: bool) -> QuestionAnswer:
    return QuestionAnswer(
        id=q.id,
        question=_fill(ruleset, units, q.ask, {}),
        answer=yes,
        criterion=q.criterion,
        if_not=_fill(ruleset, units, q.if_not, {}),
    )


def questions(ruleset: CompiledRuleset, units: str = "mi") -> list[tuple[str, str]]:
    """(id, question in the runner's words) for every question, in the ruleset's order."""
    return [(q.id, _fill(ruleset, units, q.ask, {})) for q in self_check(ruleset).questions]


def _gate(ruleset: CompiledRuleset, criterion: str) -> tuple[str, str, str]:
    gid = ruleset.spec.readiness.criteria[criterion]
    gate = next(g for g in ruleset.spec.gates if g.id == gid)
    return gid, gate.title, gate.runner_text


def _spans(weeks: Sequence[Week], key: Callable[[Week], Any]) -> list[tuple[int, int, Any]]:
    """Runs of consecutive weeks with the same ``key``: (first week, last week, key)."""
    out: list[tuple[int, int, Any]] = []
    for w in weeks:
        k = key(w)
        if out and out[-1][2] == k and out[-1][1] == w.week - 1:
            out[-1] = (out[-1][0], w.week, k)
        else:
            out.append((w.week, w.week, k))
    return out


def _weeks(first: int, last: int) -> str:
    return f"week {first}" if first == last else f"weeks {first}-{last}"


def _until(plan: Plan, criterion: str) -> tuple[int | None, list[Week]]:
    """The week the criterion holds from, and the weeks before it (every week if it never does)."""
    start = next((w.week for w in plan.weeks if getattr(w.criteria, criterion)), None)
    before = [w for w in plan.weeks if start is None or w.week < start]
    return start, before


def _running(plan: Plan, before: list[Week], say: Callable[[float], str]) -> list[str]:
    lines = [f"{_weeks(a, b)}: {phase_label(plan, phase)}" for a, b, phase in _spans(before, lambda w: w.phase)]
    ran = [w for w in before if w.running.weekly_miles > 0]
    if ran:
        low, high = say(ran[0].running.weekly_miles), say(ran[-1].running.weekly_miles)
        lines.append(f"running: {low} a week" if low == high else f"running grows from {low} to {high} a week")
    return lines


def _strength(before: list[Week]) -> list[str]:
    lifting = [w for w in before if w.strength.sessions > 0]

    def key(w: Week) -> tuple[Any, ...]:
        st = w.strength
        return (st.block, st.label or st.name, st.name, st.sessions, st.novice)

    lines = []
    for a, b, (block, label, name, sessions, novice) in _spans(lifting, key):
        what = f"block {block}, {name}" if block is not None else name
        light = ", lighter first weeks" if novice else ""
        lines.append(f"{_weeks(a, b)}: {label} ({what}){light}, {sessions} times a week")
    return lines


def _hops(before: list[Week]) -> list[str]:
    hopping = [w for w in before if w.plyometrics.stage > 0]
    spans = _spans(hopping, lambda w: (w.plyometrics.stage, w.plyometrics.name))
    lines = [f"{_weeks(a, b)}: stage {stage}, {name}" for a, b, (stage, name) in spans]
    if lines and hopping[-1].plyometrics.dose:  # the stage the test is passed at, with its dose
        lines[-1] += f", {hopping[-1].plyometrics.dose}"
    return lines


def _warmup(plan: Plan, profile: Profile) -> list[str]:
    first = next((w for w in plan.weeks if w.warmup), None)
    if first is None:
        return []
    aimed = f" (aimed at {', '.join(d.replace('_', ' ') for d in profile.current.deficits)})"
    lines = [f"before every run{aimed if profile.current.deficits else ''}: " + "; ".join(first.warmup)]
    return lines


def _plan_lines(plan: Plan, profile: Profile, criterion: str, say: Callable[[float], str]) -> list[str]:
    start, before = _until(plan, criterion)
    if not plan.weeks or (start is None and plan.status == "referral"):
        return ["nothing yet: the plan sends you to a clinician first (below)"]
    if criterion == "pain_free_10_mpw":
        lines = _running(plan, before, say)
    elif criterion == "heavy_strength_block":
        lines = _strength(before)
    elif criterion == "single_leg_hops_3x30s":
        lines = _hops(before)
    else:
        lines = _warmup(plan, profile)
    if start is not None:
        lines.append(f"holds from the start of week {start}")
    else:
        lines.append(f"not within this plan: {plan.status_reason}")
    return lines


def from_profile(profile: Profile, ruleset: CompiledRuleset, plan: Plan, today: date) -> Readiness:
    """The self-check for a profile: its week-1 facts answer the questions, the plan the criteria."""
    check = self_check(ruleset)
    ctx = build_context(profile, ruleset, today)
    week1 = facts(ctx, initial_state(ctx))
    parser = _parser(ruleset)
    units = profile.units
    answers = [
        _answer(ruleset, units, q, parse_condition_tree(q.yes_when, parser).holds(week1)) for q in check.questions
    ]
    say = Wording(ruleset, units).distance
    first = plan.weeks[0] if plan.weeks else None
    criteria = []
    for name in READINESS_CRITERIA:
        gid, title, text = _gate(ruleset, name)
        holds = first is not None and bool(getattr(first.criteria, name))
        start, _ = _until(plan, name)
        criteria.append(
            CriterionCheck(
                criterion=name,
                gate=gid,
                title=title,
                what_it_takes=_fill(ruleset, units, text, week1),
                holds=holds,
                holds_from_week=start,
                plan=[] if holds else _plan_lines(plan, profile, name, say),
            )
        )
    return _verdict(
        ruleset,
        answers,
        criteria,
        answered_from="profile",
        runner=profile.runner.name,
        plan=plan,
        advice=[*plan.recommendations],
    )


def from_answers(ruleset: CompiledRuleset, said: Mapping[str, bool], units: str = "mi") -> Readiness:
    """The self-check from a runner's answers: a criterion holds when every question standing for it was a yes."""
    check = self_check(ruleset)
    answers = [_answer(ruleset, units, q, said[q.id]) for q in check.questions]
    criteria = []
    for name in READINESS_CRITERIA:
        gid, title, text = _gate(ruleset, name)
        holds = all(a.answer for a in answers if a.criterion == name)
        criteria.append(
            CriterionCheck(
                criterion=name,
                gate=gid,
                title=title,
                what_it_takes=_fill(ruleset, units, text, {}),
                holds=holds,
                holds_from_week=None,
                plan=[] if holds else [f"the plan holds race training back until: {_fill(ruleset, units, text, {})}"],
            )
        )
    return _verdict(ruleset, answers, criteria, answered_from="answers", runner=None, plan=None, advice=[])


def _verdict(
    ruleset: CompiledRuleset,
    answers: list[QuestionAnswer],
    criteria: list[CriterionCheck],
    *,
    answered_from: Literal["profile", "answers"],
    runner: str | None,
    plan: Plan | None,
    advice: list[str],
) -> Readiness:
    missing = [c.criterion for c in criteria if not c.holds]
    if not missing:
        verdict = f"Ready: all {len(criteria)} readiness criteria hold."
    else:
        verb = "does" if len(missing) == 1 else "do"
        verdict = f"Not ready yet: {len(missing)} of the {len(criteria)} readiness criteria {verb} not hold."
    if plan is None:
        step = "For your own plan, week by week: rtr init (it asks about you), then rtr readiness profile.yaml."
    elif plan.ready_week is not None and missing:
        step = (
            f"Follow the plan: all {len(criteria)} criteria hold from week {plan.ready_week}; "
            "race training can start then."
        )
    else:
        step = "" if not missing else plan.status_reason
    return Readiness(
        ready=not missing,
        verdict=verdict,
        answered_from=answered_from,
        ruleset=ruleset.spec.id,
        runner=runner,
        questions=answers,
        criteria=criteria,
        missing=missing,
        advice=list(dict.fromkeys(advice)),
        plan_status=plan.status if plan is not None else None,
        ready_week=plan.ready_week if plan is not None else None,
        next_step=step,
    )


def render_text(result: Readiness) -> str:
    """The self-check for the runner: verdict, the questions, what is missing and what the plan does."""
    out = [result.verdict, ""]
    out.append("The questions:")
    for a in result.questions:
        out.append(f"  [{'yes' if a.answer else 'no '}] {a.question}")
        if not a.answer:
            out.append(f"        {a.if_not}")
    out.append("")
    out.append("The criteria:")
    for c in result.criteria:
        out.append(f"  [{'ok' if c.holds else '--'}] {c.what_it_takes}")
    for c in result.criteria:
        if c.holds:
            continue
        out.append("")
        out.append(f"Missing: {c.what_it_takes}")
        out.append("  What the plan does:" if result.answered_from == "profile" else "  What a plan does:")
        out.extend(f"  - {line}" for line in c.plan)
    if result.advice:
        out.append("")
        out.append("Also:")
        out.extend(f"  - {line}" for line in result.advice)
    if result.next_step:
        out.append("")
        out.append(result.next_step)
    return "\n".join(out) + "\n"
