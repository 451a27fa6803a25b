"""A deliberately plain evaluator of the same compiled rules: a loop to a fixed point.

It is the oracle of the differential property tests (the durable_rules engine
must produce the same plans) and the baseline engine timings are compared with.
It is simpler than the engine on purpose: no joins, no agenda, no state.
"""

from __future__ import annotations

from planner.engine.base import MAX_FIRINGS_PER_WEEK, FiringBudget, WeekInput, WeekStepper
from planner.rules.compiler import CompiledRuleset


class ReferenceEvaluator:
    """Evaluates each week by re-checking every gate and rule until nothing changes."""

    name = "reference"

    def __init__(self, *, max_firings_per_week: int = MAX_FIRINGS_PER_WEEK) -> None:
        self.max_firings_per_week = max_firings_per_week

    def run(self, ruleset: CompiledRuleset, stepper: WeekStepper) -> None:
        """Forward-chain every week until the stepper says the plan is done."""
        budget = FiringBudget(self.max_firings_per_week)
        week: WeekInput | None = stepper.first_week()
        while week is not None:
            budget.start_week(week.week)
            passed: set[str] = set()
            fired: set[str] = set()
            changed = True
            while changed:
                changed = False
                for gate in ruleset.gates:
                    if gate.id in passed:
                        continue
                    earlier = gate.sticky and gate.id in week.passed_before and gate.kept.holds(week.facts)
                    if earlier or (set(gate.requires) <= passed and gate.condition.holds(week.facts)):
                        budget.spend(gate.id)
                        passed.add(gate.id)
                        changed = True
                for rule in ruleset.rules:
                    if rule.id not in fired and set(rule.requires) <= passed and rule.condition.holds(week.facts):
                        budget.spend(rule.id)
                        fired.add(rule.id)
                        changed = True
            week = stepper.close_week(frozenset(fired), frozenset(passed))
