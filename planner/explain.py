"""Why each rule fired (or did not), week by week, with the facts it read.

For every week: each rule that fired, with the facts its conditions matched and
their values, its source and evidence grade, and which of its decisions won or
were overruled (and by which rule); and for each gate not passed, the condition
that failed with the actual value against the threshold.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from planner.checkins.fold import FoldedWeek
from planner.engine.base import Evaluator
from planner.models.plan import Week
from planner.models.profile import Profile
from planner.planning.context import build_context
from planner.planning.observed import observed_weeks
from planner.planning.planner import run_weeks
from planner.planning.week import resolve
from planner.rules.compiler import CompiledGate, CompiledRule, CompiledRuleset, Decision
from planner.rules.conditions import Comparison, comparisons, failing


@dataclass
class RuleExplanation:
    """One rule (or gate) in one week."""

    id: str
    kind: str  # "rule" or "gate"
    title: str
    source: str
    cite: str
    grade: str
    fired: bool
    priority: int | None = None
    matched: list[str] = field(default_factory=list)  # "last_week.miles = 10 (>= 10)"
    failed: list[str] = field(default_factory=list)  # why it did not fire
    decisions: list[str] = field(default_factory=list)  # "running = progress (won)" / "... (overruled by x)"


@dataclass
class WeekExplanation:
    """Everything that happened in one week."""

    week: int
    start_date: date
    phase: str
    items: list[RuleExplanation]


def _value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)


def _matched(c: Comparison, facts: Mapping[str, Any]) -> str:
    want = list(c.value) if isinstance(c.value, tuple) else c.value
    param = f" ${c.param}" if c.param else ""
    return (
        f"{c.fact} = {_value(facts.get(c.fact))} ({c.op} {_value(want) if not isinstance(want, list) else want}{param})"
    )


def _decision_text(d: Decision) -> str:
    args = ", ".join(f"{k} {_value(v)}" for k, v in d.args.items() if k != "text")
    if d.slot.value in ("note", "refer"):
        return f"{d.slot.value}: {d.args.get('text')}"
    return f"{d.slot.value} = {d.mode}" + (f" ({args})" if args else "")


def _explain_item(
    item: CompiledRule | CompiledGate,
    ruleset: CompiledRuleset,
    facts: Mapping[str, Any],
    fired: frozenset[str],
    passed: frozenset[str],
    before: frozenset[str],
) -> RuleExplanation:
    is_rule = isinstance(item, CompiledRule)
    source = ruleset.spec.sources.get(item.source)
    out = RuleExplanation(
        id=item.id,
        kind="rule" if is_rule else "gate",
        title=item.title,
        source=item.source,
        cite=source.cite if source else "",
        grade=item.grade,
        fired=item.id in (fired if is_rule else passed),
        priority=item.priority if isinstance(item, CompiledRule) else None,
    )
    required = [f"gate {g} {'passed' if g in passed else 'NOT passed'}" for g in item.requires]
    if out.fired:
        if isinstance(item, CompiledGate) and item.sticky and item.id in before:
            out.matched.append("passed in an earlier week (sticky)")
        else:
            out.matched += [_matched(c, facts) for c in comparisons(item.condition)] + required
    else:
        out.failed += [f"needs gate {g}" for g in item.requires if g not in passed]
        out.failed += [c.describe(facts) for c in failing(item.condition, facts)]
    return out


def _decisions(rule: CompiledRule, winners: Mapping[Any, Decision]) -> list[str]:
    out = []
    for d in rule.decisions:
        if d.slot.value in ("note", "refer"):
            out.append(_decision_text(d))
            continue
        win = winners.get(d.slot)
        if win is not None and win.rule_id == rule.id:
            out.append(f"{_decision_text(d)} (won)")
        elif win is not None:
            out.append(f"{_decision_text(d)} (overruled by {win.rule_id}, priority {win.priority})")
    return out


def explain(
    profile: Profile,
    ruleset: CompiledRuleset,
    *,
    today: date,
    evaluator: Evaluator,
    weeks: Sequence[int] = (),
    rule: str | None = None,
    checkins: Mapping[int, FoldedWeek] | None = None,
) -> list[WeekExplanation]:
    """Explain each week (or only ``weeks``), all rules and gates (or only ``rule``).

    With ``checkins`` (a folded log) the lived weeks are observed, as in the plan.
    """
    ctx = build_context(profile, ruleset, today)
    if checkins is not None:
        ctx = replace(ctx, observed=observed_weeks(checkins, ctx.start_date, today, int(ctx.p("horizon_weeks"))))
    stepper = run_weeks(ctx, evaluator)
    out: list[WeekExplanation] = []
    items: list[CompiledRule | CompiledGate] = [
        *ruleset.gates,
        *sorted(ruleset.rules, key=lambda r: (r.priority, r.order)),
    ]
    for plan_week, facts, (fired, passed) in zip(stepper.weeks, stepper.week_facts, stepper.week_fired, strict=True):
        if weeks and plan_week.week not in weeks:
            continue
        winners = resolve(ruleset, fired).winners
        before = _passed_before(stepper.weeks, plan_week)
        explained = []
        for item in items:
            if rule is not None and item.id != rule:
                continue
            e = _explain_item(item, ruleset, facts, fired, passed, before)
            if not e.fired and rule is None and e.kind == "rule":
                continue  # without --rule, show the rules that fired and every gate
            if isinstance(item, CompiledRule) and e.fired:
                e.decisions = _decisions(item, winners)
            explained.append(e)
        out.append(WeekExplanation(plan_week.week, plan_week.start_date, plan_week.phase, explained))
    return out


def _passed_before(weeks: Sequence[Week], current: Week) -> frozenset[str]:
    """Sticky gates that had passed in a week before ``current``."""
    return frozenset(g.id for w in weeks if w.week < current.week for g in w.gates if g.passed)


def render_explanation(explained: Sequence[WeekExplanation]) -> str:
    """The explanation for a terminal."""
    lines: list[str] = []
    for w in explained:
        lines.append(f"Week {w.week} | {w.start_date.isoformat()} | {w.phase}")
        for e in w.items:
            if e.kind == "gate":
                mark = "passed" if e.fired else "NOT passed"
                lines.append(f"  gate {e.id}: {mark} - {e.title} [{e.source}, {e.grade}]")
                for text in e.matched if e.fired else e.failed:
                    lines.append(f"      {text}")
                continue
            state = f"fired (priority {e.priority})" if e.fired else f"did not fire (priority {e.priority})"
            lines.append(f"  rule {e.id}: {state} - {e.title}")
            lines.append(f"      source: {e.cite or e.source} | grade: {e.grade}")
            for text in e.matched:
                lines.append(f"      matched: {text}")
            for text in e.failed:
                lines.append(f"      because: {text}")
            for text in e.decisions:
                lines.append(f"      decided: {text}")
        lines.append("")
    return "\n".join(lines)
