"""Re-planning from check-ins: the fold, and what each kind of lived week makes the rules do."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from hypothesis import given, note, settings
from hypothesis import strategies as st

import planner
from planner.checkins.fold import fold
from planner.checkins.prescribed import as_prescribed
from planner.models.checkin import CheckinEvent
from planner.models.plan import Plan
from planner.models.profile import Profile
from planner.rules.compiler import CompiledRuleset
from planner.rules.loader import DEFAULT_RULESET, shipped_ruleset_paths
from planner.testing.strategies import START, checkins, profiles
from planner.validation import validate_plan
from tests.conftest import EXAMPLES

RULESETS = {p.stem: planner.load_ruleset(p) for p in shipped_ruleset_paths()}
ORDER = sorted(RULESETS, key=lambda name: (name != DEFAULT_RULESET, name))
DEFAULT = RULESETS[DEFAULT_RULESET]
HALF = planner.load_profile(EXAMPLES / "half-marathon-16wk.yaml", DEFAULT, START).profile  # starts 2027-01-04


def _event(week: int, **fields: Any) -> CheckinEvent:
    base: dict[str, Any] = {"schema": "rtr.checkins/v1", "id": f"w{week}", "week": week}
    base["date"] = (START + timedelta(weeks=week, days=-1)).isoformat()
    return CheckinEvent.model_validate({**base, **fields})


def _done(plan: Plan, week: int, units: str = "mi", **pain: Any) -> CheckinEvent:
    """Week ``week`` of ``plan`` checked in exactly as prescribed, pain-free unless ``pain`` says otherwise."""
    answers = {"running_pain": 0, "next_morning_pain": 0, "daily_life_pain": 0} | pain
    return _event(week, **as_prescribed(plan.weeks[week - 1], units), **answers)


def _plan(profile: Profile, events: list[CheckinEvent] | None, lived: int, ruleset: CompiledRuleset = DEFAULT) -> Plan:
    today = START + timedelta(weeks=lived, days=1)
    return planner.make_plan(profile, ruleset, today=today, checkins=events)


def _as_prescribed_log(profile: Profile, ruleset: CompiledRuleset, weeks: int) -> list[CheckinEvent]:
    events: list[CheckinEvent] = []
    for n in range(1, weeks + 1):
        plan = _plan(profile, events, n - 1, ruleset)
        if n > len(plan.weeks) or plan.weeks[n - 1].referral:
            break
        events.append(_done(plan, n, profile.units))
    return events


def _projection_part(plan: Plan) -> str:
    """The plan with what only a log adds taken out (observed marks, logged records, the lived assumption)."""
    data = json.loads(plan.to_json())
    for w in data["weeks"]:
        w["observed"] = False
        w.pop("logged", None)
    data["assumptions"] = [a for a in data["assumptions"] if "check-ins recorded" not in a]
    return json.dumps(data, indent=2)


# ----------------------------------------------------------------------------- the fold
@given(data=st.data())
def test_the_fold_ignores_order_and_repeats(data: st.DataObject):
    events = [data.draw(checkins(w), label=f"week {w}") for w in range(1, data.draw(st.integers(1, 6)) + 1)]
    # Corrections too: some events supersede an earlier one, possibly for another week.
    for _ in range(data.draw(st.integers(0, 3))):
        old = data.draw(st.sampled_from(events))
        new = data.draw(checkins(data.draw(st.integers(1, 6))))
        events.append(new.model_copy(update={"id": f"fix-{len(events)}", "supersedes": old.id}))
    shuffled = data.draw(st.permutations(events), label="shuffled")
    repeated = shuffled + data.draw(st.lists(st.sampled_from(events), max_size=4), label="re-delivered")
    assert fold(repeated) == fold(events)
    lived = max(e.week for e in events)
    profile = data.draw(profiles(DEFAULT, red_flags=False))
    a, b = _plan(profile, events, lived), _plan(profile, repeated, lived)
    assert a.to_json() == b.to_json()


def test_a_correction_replaces_the_event_it_names_wherever_it_stands():
    first = _event(2, runs=[{"day": "tue", "distance": 3}], running_pain=5, next_morning_pain=3, daily_life_pain=0)
    fix = first.model_copy(update={"id": "w2-fix", "running_pain": 1, "supersedes": "w2"})
    moved = first.model_copy(update={"id": "w3-fix", "week": 3, "supersedes": "w2-fix"})
    assert fold([fix, first])[2].event == fix
    assert fold([first, fix])[2].replaced == ("w2",)
    weeks = fold([moved, first, fix])  # a correction of the correction moves it to week 3
    assert 2 not in weeks
    assert weeks[3].event == moved


def test_events_that_clash_resolve_the_same_way_in_any_order():
    a = _event(2, daily_life_pain=0)
    b = a.model_copy(update={"daily_life_pain": 3})  # the same id, other content: a hand edit
    later = _event(2, daily_life_pain=1).model_copy(update={"id": "w2-b", "date": date(2027, 1, 20)})
    assert fold([a, b]) == fold([b, a])
    assert fold([a, later])[2].event == later == fold([later, a])[2].event  # the later-dated check-in counts
    cycle_a = a.model_copy(update={"id": "x", "supersedes": "y"})
    cycle_b = a.model_copy(update={"id": "y", "supersedes": "x"})
    assert 2 not in fold([cycle_a, cycle_b])  # superseded both ways: the week has no check-in


# ----------------------------------------------------------------------------- re-planning
# Each example plans the runner once per week lived: a third of the profile's examples.
@settings(max_examples=max(10, settings.default.max_examples // 3))
@given(data=st.data())
def test_check_ins_exactly_as_prescribed_reproduce_the_projection(data: st.DataObject):
    ruleset = RULESETS[data.draw(st.sampled_from(ORDER), label="ruleset")]
    profile = data.draw(profiles(ruleset, red_flags=False), label="profile")
    weeks = data.draw(st.integers(1, 8), label="weeks lived")
    events = _as_prescribed_log(profile, ruleset, weeks)
    note(f"{len(events)} check-ins")
    projected = _plan(profile, None, len(events), ruleset)
    lived = _plan(profile, events, len(events), ruleset)
    assert [w.observed for w in lived.weeks[: len(events)]] == [True] * len(events)
    assert _projection_part(lived) == _projection_part(projected)  # byte for byte


def test_a_week_whose_dates_passed_without_a_check_in_counts_as_not_done():
    plan = _plan(HALF, None, 0)
    events = [_done(plan, 1)]
    lived = _plan(HALF, events, 3)  # weeks 2 and 3 passed in silence
    assert [w.observed for w in lived.weeks[:4]] == [True, True, True, False]
    silent = lived.weeks[1]
    assert silent.logged is not None
    assert silent.logged.checkin is None
    assert silent.logged.miles == 0
    assert lived.weeks[2].decided_by["running"] == "missed-week-step-back"
    assert lived.weeks[3].decided_by["running"] == "missed-weeks-step-back"
    # Resumed below the last week run (week 1), never at the projection's volume.
    assert lived.weeks[3].running.weekly_miles < lived.weeks[0].running.weekly_miles
    assert validate_plan(lived, DEFAULT) == []


def test_a_long_silence_re_enters_through_walk_run_and_loses_the_gate():
    plan = _plan(HALF, None, 0)
    lived = _plan(HALF, [_done(plan, 1)], 6)
    after = lived.weeks[5]  # four weeks off: the week after re-enters
    assert after.decided_by["running"] == "layoff-reentry"
    assert after.running.mode == "walk_run"
    assert not any(g.id == "ten-mile-gate" and g.passed for g in after.gates)
    assert validate_plan(lived, DEFAULT) == []


def test_missed_runs_are_never_made_up():
    plan = _plan(HALF, None, 0)
    week2 = plan.weeks[1]
    runs = as_prescribed(week2, "mi")["runs"][:2]  # two of the four runs
    short = _event(2, runs=runs, running_pain=0, next_morning_pain=0, daily_life_pain=0, strength_sessions=2)
    lived = _plan(HALF, [_done(plan, 1), short], 2)
    done = sum(r["distance"] for r in runs)
    nxt = lived.weeks[2]
    assert nxt.running.weekly_miles <= done * 1.1 + 1.5  # grows from what was run
    assert nxt.running.weekly_miles < plan.weeks[2].running.weekly_miles
    assert len([s for s in nxt.running.sessions if s.kind not in ("walk", "cross_training")]) <= 4
    assert validate_plan(lived, DEFAULT) == []


def test_an_unanswered_pain_question_is_never_pain_free():
    plan = _plan(HALF, None, 0)
    unanswered = _event(1, **as_prescribed(plan.weeks[0], "mi"), daily_life_pain=0)  # no running pain answers
    lived = _plan(HALF, [unanswered], 1)
    nxt = lived.weeks[1]
    assert nxt.decided_by["running"] == "pain-unanswered-hold"
    assert nxt.running.weekly_miles <= lived.weeks[0].running.weekly_miles
    assert "never 0/10" in " ".join(nxt.notes)
    assert validate_plan(lived, DEFAULT) == []


def test_pain_over_the_allowance_steps_back_and_worse_next_morning_holds():
    plan = _plan(HALF, None, 0)
    over = _plan(HALF, [_done(plan, 1, running_pain=5, next_morning_pain=2)], 1)
    assert over.weeks[1].decided_by["running"] == "pain-over-allowance"
    assert over.weeks[1].running.weekly_miles < plan.weeks[0].running.weekly_miles
    # The 10-mile gate (passed from the profile's week) is lost with it (kept_when).
    assert not any(g.id == "ten-mile-gate" and g.passed for g in over.weeks[1].gates)
    worse = _plan(HALF, [_done(plan, 1, running_pain=1, next_morning_pain=2)], 1)
    assert worse.weeks[1].decided_by["running"] in ("worse-next-morning-hold", "pain-over-allowance")
    daily = _plan(HALF, [_done(plan, 1, daily_life_pain=2)], 1)
    assert daily.weeks[1].decided_by["running"] == "daily-life-pain-returns"
    for p in (over, worse, daily):
        assert validate_plan(p, DEFAULT) == []


def test_a_red_flag_stops_running_until_a_check_in_records_clearance():
    plan = _plan(HALF, None, 0)
    flagged = _done(plan, 1, red_flags=["night_pain"])
    quiet = _event(2, daily_life_pain=0)  # no red flag any more, but nobody cleared it
    stopped = _plan(HALF, [flagged, quiet], 2)
    assert stopped.status == "referral"
    assert stopped.weeks[1].referral
    assert stopped.weeks[2].referral
    assert stopped.weeks[2].referrals[0].rule == "awaiting-clearance-refer"
    cleared = _event(3, daily_life_pain=0, cleared_by_clinician=True)
    going = _plan(HALF, [flagged, quiet, cleared], 3)
    assert going.status != "referral"
    assert not going.weeks[3].referral
    assert going.weeks[3].running.weekly_miles > 0
    assert validate_plan(going, DEFAULT) == []


def test_running_more_than_prescribed_never_accelerates_the_plan():
    plan = _plan(HALF, None, 0)
    extra = _done(plan, 1)
    runs = [*extra.runs, {"day": "sat", "distance": 8.0}]  # a group run on top
    big = _event(1, runs=[r if isinstance(r, dict) else r.model_dump(exclude_none=True) for r in runs])
    big = big.model_copy(update={"running_pain": 0, "next_morning_pain": 0, "daily_life_pain": 0})
    lived = _plan(HALF, [big], 1)
    assert lived.weeks[0].logged is not None
    assert lived.weeks[0].logged.miles > plan.weeks[0].running.weekly_miles
    nxt = lived.weeks[1]
    assert nxt.decided_by["running"] == "over-plan-hold"
    assert nxt.running.weekly_miles <= plan.weeks[1].running.weekly_miles
    assert validate_plan(lived, DEFAULT) == []


def test_the_example_log_re_plans_the_flare_up_and_keeps_every_invariant():
    path = EXAMPLES / "knee-flare-up.yaml"
    plan = planner.plan_for_file(path, today=date(2026, 11, 26))
    assert [w.observed for w in plan.weeks[:5]] == [True, True, True, True, False]
    assert plan.weeks[2].decided_by["running"] == "pain-over-allowance"  # after the week-2 flare-up
    assert plan.weeks[3].logged is not None
    assert plan.weeks[3].logged.checkin is None
    assert plan.weeks[4].decided_by["running"] == "missed-week-step-back"
    assert plan.status == "race_at_risk"  # the half moves later: no gate bends
    assert validate_plan(plan, planner.ruleset_named(plan.ruleset.id)) == []
