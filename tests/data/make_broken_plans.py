"""Write tests/data/broken_plans/*.json: example plans, each broken by hand in one way.

Run from the repository root when the plan format changes:

    python tests/data/make_broken_plans.py

Each file is named ``<invariant>--<what>.json``; `rtr validate` must name that invariant.
The edits keep everything else consistent (session totals, dates), so each file shows
one kind of mistake, as a person editing a plan might make it.
"""

from __future__ import annotations

import copy
import json
import sys
import warnings
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
warnings.filterwarnings("ignore", category=DeprecationWarning)

import planner  # noqa: E402

OUT = Path(__file__).resolve().parent / "broken_plans"
TODAY = date(2026, 11, 26)
Plan = dict[str, Any]


def example(name: str, ruleset_id: str | None = None) -> Plan:
    """An example's plan under the default ruleset (or ``ruleset_id``)."""
    ruleset = planner.ruleset_named(ruleset_id)
    path = ROOT / "examples" / name
    if not path.exists():
        path = ROOT / "tests" / "clinic" / "profiles" / name
    profile = planner.load_profile(path, ruleset, TODAY).profile
    return json.loads(planner.make_plan(profile, ruleset, today=TODAY).to_json())


def lived_example(weeks: int = 2) -> Plan:
    """The half-marathon example with ``weeks`` weeks checked in exactly as prescribed, pain-free."""
    from planner.checkins.prescribed import as_prescribed
    from planner.models.checkin import CheckinEvent

    ruleset = planner.ruleset_named()
    profile = planner.load_profile(ROOT / "examples" / "half-marathon-16wk.yaml", ruleset, TODAY).profile
    start = profile.start_date
    assert start is not None
    events: list[CheckinEvent] = []
    for n in range(1, weeks + 1):
        projected = planner.make_plan(profile, ruleset, today=start, checkins=events)
        fields = as_prescribed(projected.weeks[n - 1], profile.units)
        pains = {"running_pain": 0, "next_morning_pain": 0, "daily_life_pain": 0}
        when = (start + timedelta(weeks=n)).isoformat()
        events.append(
            CheckinEvent.model_validate(
                {"schema": "rtr.checkins/v1", "id": f"w{n}", "week": n, "date": when, **fields, **pains}
            )
        )
    today = start + timedelta(weeks=weeks, days=1)
    return json.loads(planner.make_plan(profile, ruleset, today=today, checkins=events).to_json())


def week(plan: Plan, n: int) -> dict[str, Any]:
    return plan["weeks"][n - 1]


def total(w: dict[str, Any]) -> None:
    runs = [s for s in w["running"]["sessions"] if s["kind"] not in ("race", "walk")]
    w["running"]["weekly_miles"] = round(sum(s["miles"] for s in runs), 1)
    w["running"]["long_run_miles"] = max((s["miles"] for s in runs), default=0.0)
    race = sum(s["miles"] for s in w["running"]["sessions"] if s["kind"] == "race")
    w["running"]["total_miles"] = round(w["running"]["weekly_miles"] + race, 1)


def copy_sessions(src: dict[str, Any], dst: dict[str, Any], *, scale: float = 1.0) -> None:
    """Put ``src``'s runs into ``dst`` on the same weekdays (a race in dst is kept)."""
    shift = (date.fromisoformat(dst["start_date"]) - date.fromisoformat(src["start_date"])).days
    races = [s for s in dst["running"]["sessions"] if s["kind"] == "race"]
    runs = []
    for s in src["running"]["sessions"]:
        if s["kind"] in ("race", "walk"):
            continue
        s = copy.deepcopy(s)
        s["date"] = (date.fromisoformat(s["date"]) + timedelta(days=shift)).isoformat()
        s["miles"] = round(s["miles"] * scale, 1)
        runs.append(s)
    dst["running"]["sessions"] = runs + races
    dst["running"]["intensity"] = src["running"]["intensity"]
    dst["warmup_before_quality"] = list(src["warmup_before_quality"])
    total(dst)


def skipped_hop_stage() -> Plan:
    plan = example("shin-pain-10k.yaml")
    w = week(plan, 3)  # stage 2 in week 2; jump to 4
    w["plyometrics"].update(
        stage=4,
        name="single-leg hops in place (readiness test)",
        single_leg=True,
        seconds=30,
        dose="3 x 30 s each leg, 90 s rest between sets",
    )
    return plan


def run_on_a_rest_day() -> Plan:
    plan = example("shin-pain-10k.yaml")
    s = week(plan, 2)["running"]["sessions"][1]  # Thursday's walk-run moved to Wednesday
    s["day"], s["date"] = "wed", (date.fromisoformat(s["date"]) - timedelta(days=1)).isoformat()
    return plan


def long_run_off_its_day() -> Plan:
    plan = example("half-marathon-16wk.yaml")
    sessions = week(plan, 5)["running"]["sessions"]
    sat, sun = next(s for s in sessions if s["day"] == "sat"), next(s for s in sessions if s["day"] == "sun")
    for key in ("miles", "kind", "minutes", "description"):
        sat[key], sun[key] = sun[key], sat[key]
    week(plan, 5)["plyometrics"]["days"] = ["tue", "thu"]  # the hops moved clear of Saturday's long run too
    return plan


def intensity_before_readiness() -> Plan:
    plan = example("half-marathon-16wk.yaml")  # readiness from week 3
    w = week(plan, 2)
    w["running"]["sessions"][1].update(kind="strides", description="easy run with 6 x 20 s strides")
    w["running"]["intensity"] = True
    w["warmup_before_quality"] = list(week(plan, 7)["warmup_before_quality"])
    return plan


def no_taper() -> Plan:
    plan = example("half-marathon-16wk.yaml")  # weeks 15-16 taper to the race
    copy_sessions(week(plan, 14), week(plan, 15))  # the first taper week holds the peak instead
    return plan


def three_week_strength_block() -> Plan:
    plan = example("shin-pain-10k.yaml")  # block 1 is weeks 1-5, its deload in week 5
    deload = copy.deepcopy(week(plan, 5)["strength"])
    full = copy.deepcopy(week(plan, 4)["strength"])
    week(plan, 3)["strength"].update(deload=True, exercises=deload["exercises"], focus=deload["focus"])
    for n, block_week in ((4, 1), (5, 2)):
        week(plan, n)["strength"].update(
            block=2, block_week=block_week, name="max strength", sessions=2, days=["mon", "fri"], deload=False
        )
    week(plan, 5)["strength"].update(exercises=full["exercises"], focus=full["focus"])
    for n in range(6, 12):
        week(plan, n)["strength"]["block_week"] += 2
    return plan


def jump_after_the_gate() -> Plan:
    plan = example("half-marathon-16wk.yaml")
    w = week(plan, 3)
    for s in w["running"]["sessions"]:
        if s["kind"] == "easy":
            s["miles"] = round(s["miles"] + 1.3, 1)
    total(w)
    return plan


def over_ten_before_the_gate() -> Plan:
    plan = example("shin-pain-10k.yaml")
    w = week(plan, 8)  # 3.3 + 3.3 + 3.4 = 10.0, the week that would open the gate
    for s in w["running"]["sessions"][:2]:
        s["miles"] = 3.6
    total(w)
    return plan


def four_loading_weeks() -> Plan:
    plan = example("shin-pain-10k.yaml")  # cutbacks in weeks 12 and 16
    copy_sessions(week(plan, 15), week(plan, 16), scale=16.5 / 16.0)  # the cutback week rises instead
    week(plan, 16)["running"]["mode"] = "progress"
    week(plan, 16)["plyometrics"] = copy.deepcopy(week(plan, 15)["plyometrics"])  # full hops too
    return plan


def cutback_keeps_its_long_run() -> Plan:
    plan = example("shin-pain-10k.yaml")
    w = week(plan, 16)  # a cutback: 12.8 mi, long run 4.7 against 5.9 the week before
    easy = [s for s in w["running"]["sessions"] if s["kind"] == "easy"]
    long = next(s for s in w["running"]["sessions"] if s["kind"] == "long")
    long["miles"], easy[0]["miles"] = 5.9, round(easy[0]["miles"] - 1.2, 1)
    total(w)
    return plan


def long_run_spike() -> Plan:
    plan = example("half-marathon-16wk.yaml")
    w = week(plan, 3)  # 14.5 mi over 4 runs, long run 6.0 after 5.5
    for s in w["running"]["sessions"]:
        s["miles"] = 7.0 if s["kind"] == "long" else 2.5
    total(w)
    return plan


def easy_run_too_long() -> Plan:
    plan = example("half-marathon-16wk.yaml")
    w = week(plan, 14)  # long 12.0, easy runs about 5.3: one becomes 7.0, another shorter
    easy = [s for s in w["running"]["sessions"] if s["kind"] == "easy"]
    spare = round(easy[0]["miles"] + easy[1]["miles"] - 7.0, 1)
    easy[0]["miles"], easy[1]["miles"] = 7.0, spare
    total(w)
    return plan


def two_runs_added_at_once() -> Plan:
    plan = example("half-marathon-16wk.yaml")
    w = week(plan, 2)  # the week a fourth run is added holds 13.2 mi; here it rises to 13.6
    easy = [s for s in w["running"]["sessions"] if s["kind"] == "easy"]
    for s in easy[:2]:
        s["miles"] = round(s["miles"] + 0.2, 1)
    total(w)
    return plan


def walk_run_stage_after_two_sessions() -> Plan:
    plan = example("shin-pain-10k.yaml")
    w = week(plan, 1)  # stage 1 done twice instead of three times, stage 2 still follows
    w["running"]["sessions"] = w["running"]["sessions"][:2]
    total(w)
    return plan


def marathon_long_run_short() -> Plan:
    plan = example("marathon-8wk-at-risk.yaml")  # carries on to its earliest date; 16.1 and 16.3 mi at the end
    for w in plan["weeks"]:
        long = next((s for s in w["running"]["sessions"] if s["kind"] == "long"), None)
        if long is None or long["miles"] < 16.0:
            continue
        easy = next(s for s in w["running"]["sessions"] if s["kind"] == "easy")
        easy["miles"] = round(easy["miles"] + long["miles"] - 15.5, 1)
        long["miles"] = 15.5  # never quite the 16.3 mi the marathon needs
        total(w)
    plan["race"]["longest_run_before_taper_miles"] = 15.5
    return plan


def criterion_claimed_with_pain() -> Plan:
    plan = example("shin-pain-10k.yaml")
    week(plan, 5)["criteria"]["pain_free_10_mpw"] = True  # 6.6 mi a week: no gate week yet
    return plan


def red_flag_made_routine() -> Plan:
    plan = example("red-flags-referral.yaml")
    for referral in week(plan, 1)["referrals"]:
        referral["urgency"] = "routine"
        for flag in referral["red_flags"]:
            flag["urgency"] = "routine"
    return plan


def running_before_the_entry_gate() -> Plan:
    plan = example("pre-run-walking.yaml")  # week 1: walking only, daily-life pain 2/10
    w = week(plan, 1)
    w["running"]["sessions"].append(
        {
            "day": "fri",
            "date": (date.fromisoformat(w["start_date"]) + timedelta(days=4)).isoformat(),
            "kind": "walk_run",
            "miles": 0.4,
            "minutes": 30.0,
            "walk_run": {"run_min": 1.0, "walk_min": 5.0, "reps": 5},
            "description": "walk-run stage 1",
        }
    )
    w["running"]["mode"] = "walk_run"
    w["decided_by"]["running"] = "pre-run-walking"
    total(w)
    return plan


def running_without_clearance() -> Plan:
    plan = example("shin-pain-10k.yaml")
    plan["baseline"]["cleared_to_run"] = False
    return plan


def load_rises_after_daily_life_pain() -> Plan:
    plan = lived_example()  # week 2's check-in said daily life hurt (1/10): week 3 may not rise
    week(plan, 2)["logged"]["daily_life_pain"] = 1
    return plan


def running_after_a_logged_red_flag() -> Plan:
    plan = lived_example()  # a red flag in week 2's check-in, and no clearance since: no running after it
    week(plan, 2)["logged"]["red_flags"] = ["night_pain"]
    return plan


def missed_running_made_up() -> Plan:
    plan = lived_example()  # week 2 ran 8 of 13.2 mi: week 3 still builds on 13.2
    log = week(plan, 2)["logged"]
    log["miles"], log["runs"], log["missed_sessions"] = 8.0, 2, 2
    return plan


def high_risk_bone_back_to_back() -> Plan:
    plan = example("01-femoral-neck-bsi-cleared-half.yaml", "bone-stress-injury")
    w = week(plan, 9)  # runs tue/thu/sat in the 9th week of running: Thursday's run moves to Friday
    plan["availability"]["run_days"] = ["tue", "thu", "fri", "sat"]
    s = next(x for x in w["running"]["sessions"] if x["day"] == "thu")
    s["day"], s["date"] = "fri", (date.fromisoformat(s["date"]) + timedelta(days=1)).isoformat()
    w["running"]["spacing"] = "any_days"
    return plan


def two_run_days_without_a_warning() -> Plan:
    plan = example("23-two-run-days-sat-sun.yaml", "medial-tibial-stress")
    plan["warnings"] = []
    plan["status_reason"] = plan["status_reason"].replace(" See the warnings.", "")
    return plan


def ready_but_at_risk() -> Plan:
    plan = example("marathon-8wk-at-risk.yaml")  # the plan carries on to the earliest feasible date
    plan["status"] = "ready"
    plan["earliest_feasible_race_date"] = None
    return plan


def unknown_rule() -> Plan:
    plan = example("shin-pain-10k.yaml")
    week(plan, 2)["rules_fired"].append("made-up-rule")
    return plan


def block_without_deload() -> Plan:
    plan = example("half-marathon-16wk.yaml")  # block 2 ends with its deload in week 4
    full = week(plan, 3)["strength"]
    week(plan, 4)["strength"].update(deload=False, exercises=copy.deepcopy(full["exercises"]), focus=full["focus"])
    return plan


def hops_the_day_before_the_long_run() -> Plan:
    plan = example("half-marathon-16wk.yaml")  # long run on Sunday
    week(plan, 6)["plyometrics"]["days"] = ["tue", "sat"]
    return plan


def hops_in_race_week() -> Plan:
    plan = example("half-marathon-16wk.yaml")  # week 16 is race week
    hops = copy.deepcopy(week(plan, 14)["plyometrics"])
    week(plan, 16)["plyometrics"] = hops
    return plan


def tempo_before_strides() -> Plan:
    plan = example("half-marathon-16wk.yaml")  # strides in weeks 7 and 9 come first
    w = week(plan, 7)
    quality = next(s for s in w["running"]["sessions"] if s["kind"] == "strides")
    quality.update(kind="tempo", description=week(plan, 10)["running"]["sessions"][1]["description"])
    return plan


def quality_in_an_early_cutback() -> Plan:
    plan = example("half-marathon-16wk.yaml")  # week 8: the first cutback after quality began
    w = week(plan, 8)
    easy = next(s for s in w["running"]["sessions"] if s["day"] == "thu")
    easy.update(kind="strides", description=week(plan, 7)["running"]["sessions"][1]["description"])
    w["running"]["intensity"] = True
    w["warmup_before_quality"] = list(week(plan, 7)["warmup_before_quality"])
    return plan


def long_run_the_day_before_the_race() -> Plan:
    plan = example("half-marathon-16wk.yaml")  # Saturday's shake-out before Sunday's race
    w = week(plan, 16)
    shakeout = next(s for s in w["running"]["sessions"] if s["kind"] == "shakeout")
    easy = [s for s in w["running"]["sessions"] if s["kind"] == "easy"]
    pace = easy[-1]["minutes"] / easy[-1]["miles"]
    moved = round(easy[-1]["miles"] - 1.0, 1)  # most of Thursday's run moved to the day before the race
    easy[-1].update(miles=1.0, minutes=round(pace, 1))
    miles = round(shakeout["miles"] + moved, 1)
    shakeout.update(kind="easy", miles=miles, minutes=round(miles * pace, 1), description=easy[0]["description"])
    total(w)
    race = next(s for s in w["running"]["sessions"] if s["kind"] == "race")
    w["running"]["total_miles"] = round(w["running"]["weekly_miles"] + race["miles"], 1)
    return plan


def no_recovery_after_the_race() -> Plan:
    plan = example("half-marathon-16wk.yaml")  # weeks 17-18 are the recovery weeks
    del plan["weeks"][16:]
    return plan


def a_run_the_day_after_the_marathon() -> Plan:
    plan = example("marathon-8wk-at-risk.yaml", "achilles-tendinopathy")  # the marathon is week 27's Sunday
    recovery = week(plan, 28)
    run = next(s for s in recovery["running"]["sessions"] if s["kind"] == "easy")
    run.update(day="mon", date=recovery["start_date"])
    recovery["running"]["sessions"] = [
        s for s in recovery["running"]["sessions"] if s is run or (s["day"] != "mon" and s["kind"] == "cross_train")
    ]
    recovery["running"]["sessions"].sort(key=lambda s: s["date"])
    return plan


def strength_the_day_after_hops() -> Plan:
    plan = example("10-achilles-running-pain-5.yaml", "achilles-tendinopathy")  # hops and heavy calf work Tue/Thu
    week(plan, 11)["strength"]["days"] = ["tue", "wed"]
    return plan


def full_hops_in_a_cutback_week() -> Plan:
    plan = example("half-marathon-16wk.yaml")  # week 8 is a running cutback: half the hop sets
    full = week(plan, 7)["plyometrics"]
    week(plan, 8)["plyometrics"].update(sets=full["sets"], dose=full["dose"], cutback=False)
    return plan


def a_total_that_is_not_its_running() -> Plan:
    plan = example("half-marathon-16wk.yaml")
    week(plan, 6)["running"]["total_miles"] = round(week(plan, 6)["running"]["weekly_miles"] + 5, 1)
    return plan


def a_hop_dose_that_contradicts_its_sets() -> Plan:
    plan = example("half-marathon-16wk.yaml")
    hops = week(plan, 6)["plyometrics"]
    hops["dose"] = hops["dose"].replace(f"{hops['sets']} x", "9 x", 1)
    return plan


def two_hop_sessions_long_after_the_top_stage() -> Plan:
    plan = example("half-marathon-16wk.yaml")  # stage 6 from week 5: one session a week from week 11
    hops = week(plan, 12)["plyometrics"]
    hops.update(sessions=2, days=["tue", "fri"])
    return plan


def loaded_knee_bend_for_early_itb() -> Plan:
    plan = example("pre-run-walking.yaml")  # ITB syndrome: no loaded knee bending in walk-run
    w = next(w for w in plan["weeks"] if w["phase"] == "walk_run" and w["strength"]["exercises"])
    lunge = copy.deepcopy(w["strength"]["exercises"][0])
    lunge.update(name="single-leg squats to a box", how="")
    w["strength"]["exercises"].append(lunge)
    return plan


BROKEN: dict[str, Callable[[], Plan]] = {
    "hop-progression--skipped-stage": skipped_hop_stage,
    "calendar--run-on-a-rest-day": run_on_a_rest_day,
    "calendar--long-run-off-its-day": long_run_off_its_day,
    "readiness--intensity-before-readiness": intensity_before_readiness,
    "taper--no-taper": no_taper,
    "strength-blocks--three-week-block": three_week_strength_block,
    "weekly-cap--jump-after-the-gate": jump_after_the_gate,
    "gate-10mpw--over-ten-before-the-gate": over_ten_before_the_gate,
    "cutback--four-loading-weeks": four_loading_weeks,
    "cutback--long-run-not-cut": cutback_keeps_its_long_run,
    "single-run-cap--long-run-spike": long_run_spike,
    "run-ceiling--easy-run-too-long": easy_run_too_long,
    "one-change--runs-and-volume-rise-together": two_runs_added_at_once,
    "walk-run-sessions--stage-after-two-sessions": walk_run_stage_after_two_sessions,
    "race-readiness--marathon-long-run-short": marathon_long_run_short,
    "pain-free--criterion-claimed-early": criterion_claimed_with_pain,
    "tissue-referral--red-flag-made-routine": red_flag_made_routine,
    "running-gate--running-before-the-entry-gate": running_before_the_entry_gate,
    "pain-response--running-without-clearance": running_without_clearance,
    "bone-high-risk--back-to-back-runs": high_risk_bone_back_to_back,
    "run-days--two-days-without-a-warning": two_run_days_without_a_warning,
    "honest-status--ready-but-at-risk": ready_but_at_risk,
    "trace--unknown-rule": unknown_rule,
    "strength-rhythm--block-without-deload": block_without_deload,
    "hop-dose--hops-the-day-before-the-long-run": hops_the_day_before_the_long_run,
    "hop-dose--hops-in-race-week": hops_in_race_week,
    "hop-dose--full-hops-in-a-cutback-week": full_hops_in_a_cutback_week,
    "hop-dose--dose-contradicts-its-sets": a_hop_dose_that_contradicts_its_sets,
    "hop-dose--two-sessions-long-after-the-top-stage": two_hop_sessions_long_after_the_top_stage,
    "race-week--a-total-that-is-not-its-running": a_total_that_is_not_its_running,
    "quality-progression--tempo-before-strides": tempo_before_strides,
    "quality-progression--quality-in-an-early-cutback": quality_in_an_early_cutback,
    "race-week--a-run-the-day-before-the-race": long_run_the_day_before_the_race,
    "race-week--no-recovery-after-the-race": no_recovery_after_the_race,
    "race-week--a-run-the-day-after-the-marathon": a_run_the_day_after_the_marathon,
    "tendon-load--strength-the-day-after-hops": strength_the_day_after_hops,
    "injury-exercises--loaded-knee-bend-for-early-itb": loaded_knee_bend_for_early_itb,
    "lived-pain--load-rises-after-daily-life-pain": load_rises_after_daily_life_pain,
    "lived-clearance--running-after-a-logged-red-flag": running_after_a_logged_red_flag,
    "nothing-made-up--missed-running-made-up": missed_running_made_up,
}


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for old in OUT.glob("*.json"):
        old.unlink()
    for name, make in BROKEN.items():
        (OUT / f"{name}.json").write_text(json.dumps(make(), indent=2) + "\n", encoding="utf-8")
        print(f"wrote {OUT.relative_to(ROOT)}/{name}.json")


if __name__ == "__main__":
    main()
