"""Public hypothesis strategies for property-testing rulesets and plans.

Use them to check your own rulesets::

    from hypothesis import given
    from planner.testing.strategies import profiles
    import planner

    RULESET = planner.ruleset_named("return-to-run")

    @given(profiles(RULESET))
    def test_my_property(profile):
        plan = planner.make_plan(profile, RULESET, today=TODAY)
        ...

Every profile drawn is valid for the ruleset it was drawn for (it passes the same
checks a profile file gets). Domains are small on purpose so interesting
collisions (a race in the taper window, a stage at the table's end) are common,
and everything is built from ``lists``/``sampled_from`` so failures shrink to
simple runners.
"""

from __future__ import annotations

import json
import math
from datetime import date, timedelta

from hypothesis import reject
from hypothesis import strategies as st

from planner.models.checkin import CheckinEvent, LoggedHops, LoggedRun
from planner.models.profile import (
    Availability,
    Current,
    Goal,
    HopsNow,
    Injury,
    Profile,
    Runner,
    StrengthNow,
)
from planner.rules.compiler import CompiledRuleset
from planner.rules.loader import check_ruleset_text
from planner.rules.spec import Parameter
from planner.rules.vocabulary import INJURY_KINDS, RED_FLAGS, WEEKDAYS

START = date(2027, 1, 4)  # a Monday; plans are dated from it
TODAY = START - timedelta(days=3)


def _tenths(lo: float, hi: float) -> st.SearchStrategy[float]:
    return st.integers(int(lo * 10), int(hi * 10)).map(lambda n: n / 10)


@st.composite
def _availability(draw: st.DrawFn) -> Availability:
    # One or two run days are common in a clinic, and the planner must say plainly what they cannot hold.
    run_days = draw(st.lists(st.sampled_from(WEEKDAYS), min_size=1, max_size=7, unique=True))
    run_days = sorted(run_days, key=WEEKDAYS.index)
    long_day = draw(st.sampled_from(run_days))
    strength = draw(st.lists(st.sampled_from(WEEKDAYS), min_size=2, max_size=4, unique=True))
    return Availability(run_days=run_days, long_run_day=long_day, strength_days=sorted(strength, key=WEEKDAYS.index))


def _rare_red_flags(draw: st.DrawFn) -> list[str]:
    # About one runner in twelve reports red flags: enough to exercise referrals
    # without drowning the progression properties in one-week plans.
    if draw(st.integers(0, 11)) < 11:  # hypothesis favours small values, so gate on the largest
        return []
    return draw(st.lists(st.sampled_from(RED_FLAGS), min_size=1, max_size=2, unique=True))


@st.composite
def _current(draw: st.DrawFn, ruleset: CompiledRuleset, run_days: int, *, red_flags: bool) -> Current:
    tables = ruleset.spec.tables
    weekly = draw(st.one_of(st.just(0.0), _tenths(0.5, 40)))
    longest = draw(_tenths(math.ceil(weekly / 7 * 10) / 10, weekly)) if weekly else 0.0
    # Every pain level, so each tissue's allowance and referral threshold is crossed.
    running_pain = draw(st.integers(0, 10)) if weekly else 0
    runs = draw(st.one_of(st.none(), st.integers(1, run_days))) if weekly else None
    stage = None
    if weekly and draw(st.booleans()):
        stage = draw(st.integers(1, len(tables.walk_run.rows)))
    return Current(
        pain_free_walk_minutes=draw(st.sampled_from([0, 10, 20, 30, 45, 60])),
        daily_life_pain=draw(st.sampled_from([0] * 12 + [1, 2, 8])),
        weekly_miles=weekly,
        longest_run_miles=longest,
        walk_run_stage=stage,
        runs_per_week=runs,
        running_pain=running_pain,
        next_morning_pain=draw(st.sampled_from([0, 0, 1, 3, 6])) if weekly else 0,
        strength=StrengthNow(
            heavy_sessions_per_week=draw(st.integers(0, 3)), weeks_heavy=draw(st.sampled_from([0, 2, 4, 6, 12, 20]))
        ),
        hops=HopsNow(
            stage=draw(st.integers(0, len(tables.hop_stages.rows))),
            single_leg_30s_sets=draw(st.sampled_from([0, 0, 1, 3])),
        ),
        deficits=draw(st.lists(st.sampled_from(sorted(tables.warmup.by_deficit)), max_size=3, unique=True)),
        fitted_warmup_weeks=draw(st.sampled_from([0, 0, 1, 4])),
        gait_analysis_done=draw(st.booleans()),
        red_flags=_rare_red_flags(draw) if red_flags else [],
    )


@st.composite
def _goal(draw: st.DrawFn, ruleset: CompiledRuleset) -> Goal:
    races = [r.race for r in ruleset.spec.tables.races.rows]
    race = draw(st.sampled_from(["none", *races]))
    # Flat and huge targets too: the plan must hold them to what the run days hold, and say so.
    target = draw(st.one_of(st.none(), _tenths(8, 45), st.sampled_from([60.0, 90.0, 120.0])))
    if race == "none":
        return Goal(race="none", target_weekly_miles=target)
    horizon = int(ruleset.param("horizon_weeks"))
    weeks_out = draw(st.integers(0, horizon - 1))
    weekday = draw(st.integers(0, 6))
    return Goal(race=race, race_date=START + timedelta(weeks=weeks_out, days=weekday), target_weekly_miles=target)


@st.composite
def profiles(
    draw: st.DrawFn,
    ruleset: CompiledRuleset,
    *,
    units: st.SearchStrategy[str] | None = None,
    red_flags: bool = True,
) -> Profile:
    """Runner profiles valid for ``ruleset``, starting on :data:`START`.

    Args:
        draw: supplied by hypothesis.
        ruleset: the ruleset whose tables (deficits, sites, stages, races) the profile uses.
        units: a strategy for "mi"/"km" (default: both).
        red_flags: whether some runners report red flags (and get a referral).
    """
    tables = ruleset.spec.tables
    kind = draw(st.sampled_from(INJURY_KINDS))
    site = None
    if kind == "bone_stress_injury":
        site = draw(st.sampled_from([*tables.bsi_sites.low_risk, *tables.bsi_sites.high_risk]))
    cleared = draw(st.sampled_from([True] * 11 + [False]))
    unit = draw(units if units is not None else st.sampled_from(["mi", "km"]))
    availability = draw(_availability())
    return Profile(
        schema_="rtr.profile/v1",
        runner=Runner(name="Test Runner"),
        age=draw(st.one_of(st.none(), st.integers(18, 80))),
        units=unit,
        start_date=START,
        injury=Injury(kind=kind, site=site, cleared_to_run=cleared),
        current=draw(_current(ruleset, len(availability.run_days), red_flags=red_flags)),
        pre_injury_weekly_miles=draw(_tenths(5, 50)),
        goal=draw(_goal(ruleset)),
        availability=availability,
    )


def _parameter_values(p: Parameter) -> st.SearchStrategy[float]:
    """Values within a parameter's declared range, on its own grid (whole or tenths)."""
    if all(float(x).is_integer() for x in (p.min, p.max, p.value)):
        return st.integers(int(p.min), int(p.max)).map(float)
    return st.integers(round(p.min * 10), round(p.max * 10)).map(lambda n: n / 10)


def _compile_variant(base: CompiledRuleset, values: dict[str, float]) -> CompiledRuleset | None:
    params = {
        name: p.model_copy(update={"value": values.get(name, p.value)}) for name, p in base.spec.parameters.items()
    }
    spec = base.spec.model_copy(update={"parameters": params})
    text = json.dumps(spec.model_dump(mode="json", by_alias=True))
    # The variant goes through every check a ruleset file gets; one that breaks a
    # check (a strength block outside new block bounds, say) is not a valid edit.
    return check_ruleset_text(text, f"<variant of {base.spec.id}>").compiled


@st.composite
def ruleset_variants(draw: st.DrawFn, base: CompiledRuleset, *, max_changes: int = 4) -> CompiledRuleset:
    """Valid edits of ``base``: some parameters moved within their declared ranges.

    Args:
        draw: supplied by hypothesis.
        base: the ruleset to vary.
        max_changes: the most parameters changed in one variant.
    """
    names = sorted(base.spec.parameters)
    chosen = draw(st.lists(st.sampled_from(names), max_size=max_changes, unique=True))
    values = {name: draw(_parameter_values(base.spec.parameters[name]), label=name) for name in chosen}
    compiled = _compile_variant(base, values)
    if compiled is None:
        reject()  # an invalid combination of numbers; draw another
    return compiled


_PAIN = st.one_of(st.none(), st.integers(0, 10), st.integers(0, 2), st.just(0))


@st.composite
def checkins(draw: st.DrawFn, week: int, *, red_flags: bool = True) -> CheckinEvent:
    """A check-in for plan week ``week`` of a profile from :func:`profiles` (miles; its id names the week).

    Anything a runner might log: no running, extra runs, long runs, every pain level per
    question or no answer, hop work done or hurt, strength sessions, a red flag, a clearance.

    Args:
        draw: supplied by hypothesis.
        week: the plan week the check-in records.
        red_flags: whether some check-ins report red flags.
    """
    days = draw(st.lists(st.sampled_from(WEEKDAYS), max_size=5, unique=True))
    runs = [
        LoggedRun(day=d, distance=draw(_tenths(0.5, 14)))
        if draw(st.booleans())
        else LoggedRun(day=d, minutes=draw(st.integers(10, 120)))
        for d in sorted(days, key=WEEKDAYS.index)
    ]
    missed = draw(st.lists(st.sampled_from([d for d in WEEKDAYS if d not in days]), max_size=2, unique=True))
    hops = draw(
        st.one_of(
            st.none(), st.builds(LoggedHops, stage=st.integers(0, 8), sets=st.integers(0, 4), pain_free=st.booleans())
        )
    )
    flags = draw(st.lists(st.sampled_from(RED_FLAGS), max_size=1)) if red_flags and draw(st.integers(0, 9)) == 0 else []
    return CheckinEvent(
        schema_="rtr.checkins/v1",
        id=f"w{week}-{draw(st.integers(0, 999)):03d}",
        week=week,
        date=START + timedelta(weeks=week, days=draw(st.integers(-1, 2))),
        runs=runs,
        missed=missed,
        running_pain=draw(_PAIN),
        next_morning_pain=draw(_PAIN),
        daily_life_pain=draw(_PAIN),
        morning_stiffness_minutes=draw(st.one_of(st.none(), st.integers(0, 60))),
        hops=hops,
        strength_sessions=draw(st.one_of(st.none(), st.integers(0, 3))),
        red_flags=flags,
        cleared_by_clinician=draw(st.integers(0, 4)) == 0,
    )
