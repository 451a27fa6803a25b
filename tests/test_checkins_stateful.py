"""A runner's season of check-ins, as a state machine: after every step the re-projected plan holds.

Random sequences of check-ins as prescribed, check-ins of anything at all (every pain level per
question, no answer, extra runs), corrections, weeks that pass in silence, red flags and
clearances. After each step: every invariant holds (the lived-week ones included), every lived
week is shown as observed, and no log claims an earlier ready week than the clean one would.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

import planner
from planner.checkins.prescribed import as_prescribed
from planner.models.checkin import CheckinEvent
from planner.models.plan import Plan
from planner.rules.loader import DEFAULT_RULESET, shipped_ruleset_paths
from planner.testing.strategies import START, checkins, profiles
from planner.validation import validate_plan

RULESETS = {p.stem: planner.load_ruleset(p) for p in shipped_ruleset_paths()}
ORDER = sorted(RULESETS, key=lambda name: (name != DEFAULT_RULESET, name))
PAIN = st.integers(0, 10)
MAX_WEEKS = 10


class CheckinSeason(RuleBasedStateMachine):
    """The runner's log grows a week at a time; the plan is re-projected from it every step."""

    def __init__(self) -> None:
        super().__init__()
        self.events: list[CheckinEvent] = []
        self.lived = 0
        self.serial = 0

    @initialize(data=st.data())
    def a_runner(self, data: st.DataObject) -> None:
        self.ruleset = RULESETS[data.draw(st.sampled_from(ORDER), label="ruleset")]
        self.profile = data.draw(profiles(self.ruleset, red_flags=False), label="profile")
        self.clean = self._plan([], 0)

    def _plan(self, events: list[CheckinEvent], lived: int) -> Plan:
        today = START + timedelta(weeks=lived, days=1)
        return planner.make_plan(self.profile, self.ruleset, today=today, checkins=events if lived else None)

    def _add(self, fields: dict[str, Any]) -> None:
        self.serial += 1
        week = self.lived + 1
        base = {"schema": "rtr.checkins/v1", "id": f"e{self.serial}", "week": week}
        base["date"] = (START + timedelta(weeks=week, days=-1)).isoformat()
        self.events.append(CheckinEvent.model_validate({**base, **fields}))
        self.lived = week

    @precondition(lambda self: self.lived < MAX_WEEKS)
    @rule(running=PAIN, morning=PAIN, daily=st.sampled_from([0, 0, 0, 1, 3, 8]))
    def a_week_as_prescribed(self, running: int, morning: int, daily: int) -> None:
        plan = self._plan(self.events, self.lived)
        if self.lived >= len(plan.weeks):
            return
        fields = as_prescribed(plan.weeks[self.lived], self.profile.units)
        self._add({**fields, "running_pain": running, "next_morning_pain": morning, "daily_life_pain": daily})

    @precondition(lambda self: self.lived < MAX_WEEKS)
    @rule(data=st.data())
    def a_week_of_anything(self, data: st.DataObject) -> None:
        drawn = data.draw(checkins(self.lived + 1, red_flags=True))
        self._add(drawn.model_dump(by_alias=True, exclude={"id", "week", "date", "schema_"}, exclude_none=True))

    @precondition(lambda self: self.lived < MAX_WEEKS)
    @rule()
    def a_week_in_silence(self) -> None:
        self.lived += 1

    @precondition(lambda self: self.lived < MAX_WEEKS)
    @rule(cleared=st.booleans())
    def a_clinician_visit(self, cleared: bool) -> None:
        self._add({"daily_life_pain": 0, "cleared_by_clinician": cleared})

    @precondition(lambda self: bool(self.events))
    @rule(data=st.data(), running=PAIN)
    def a_correction(self, data: st.DataObject, running: int) -> None:
        old = data.draw(st.sampled_from(self.events), label="corrected")
        self.serial += 1
        fix = old.model_copy(update={"id": f"e{self.serial}", "supersedes": old.id, "running_pain": running})
        self.events.append(fix)

    @invariant()
    def the_plan_keeps_every_invariant(self) -> None:
        if not hasattr(self, "profile"):
            return
        plan = self._plan(self.events, self.lived)
        assert [v.as_dict() for v in validate_plan(plan, self.ruleset)] == []
        shown = min(self.lived, len(plan.weeks))
        assert all(w.observed for w in plan.weeks[:shown])
        assert not any(w.observed for w in plan.weeks[self.lived :])
        # Whatever the log says, readiness never comes sooner than the clean projection's (a projection
        # that ends in a referral has no ready week to compare: only a clearance lets it go on).
        # Checked under the default ruleset: the Achilles ruleset's two-rest-day spacing ends after
        # a count of weeks of running, so a setback can shift it to a kinder point of the walk-run
        # table (a known path dependence, in the changelog), and its plans are held to every
        # invariant instead.
        comparable = self.ruleset.spec.id == DEFAULT_RULESET and self.clean.status != "referral"
        if plan.ready_week is not None and comparable:
            assert self.clean.ready_week is not None
            assert plan.ready_week >= self.clean.ready_week


CheckinSeason.TestCase.settings = settings(
    settings.default,
    max_examples=max(8, settings.default.max_examples // 4),
    stateful_step_count=8,
)
TestCheckinSeason = CheckinSeason.TestCase
