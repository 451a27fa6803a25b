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


def example(name: str) -> Plan:
    ruleset = planner.ruleset_named()
    profile = planner.load_profile(ROOT / "examples" / name, ruleset, TODAY).profile
    return json.loads(planner.make_plan(profile, ruleset, today=TODAY).to_json())


def week(plan: Plan, n: int) -> dict[str, Any]:
    return plan["weeks"][n - 1]


def total(w: dict[str, Any]) -> None:
    runs = [s for s in w["running"]["sessions"] if s["kind"] not in ("race", "walk")]
    w["running"]["weekly_miles"] = round(sum(s["miles"] for s in runs), 1)
    w["running"]["long_run_miles"] = max((s["miles"] for s in runs), default=0.0)


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
    total(dst)


def skipped_hop_stage() -> Plan:
    plan = example("shin-pain-10k.yaml")
    w = week(plan, 3)  # stage 2 in week 2; jump to 4
    w["plyometrics"].update(stage=4, name="single-leg hops in place (readiness test)", single_leg=True, seconds=30)
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
    return plan


def intensity_before_readiness() -> Plan:
    plan = example("half-marathon-16wk.yaml")  # readiness from week 3
    w = week(plan, 2)
    w["running"]["sessions"][1].update(kind="tempo", description="easy run with 15-20 min at tempo effort")
    w["running"]["intensity"] = True
    return plan


def no_taper() -> Plan:
    plan = example("half-marathon-16wk.yaml")
    peak = week(plan, 14)
    copy_sessions(peak, week(plan, 15))
    copy_sessions(peak, week(plan, 16))
    return plan


def three_week_strength_block() -> Plan:
    plan = example("shin-pain-10k.yaml")  # block 1 is weeks 1-5
    for n, block_week in ((4, 1), (5, 2)):
        week(plan, n)["strength"].update(
            block=2, block_week=block_week, name="max strength", sessions=2, days=["mon", "fri"]
        )
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


def four_rising_weeks() -> Plan:
    plan = example("shin-pain-10k.yaml")
    copy_sessions(week(plan, 13), week(plan, 14), scale=15.0 / 14.6)  # the cutback week rises instead
    return plan


def long_run_spike() -> Plan:
    plan = example("half-marathon-16wk.yaml")
    w = week(plan, 2)
    for s in w["running"]["sessions"]:
        s["miles"] = 7.0 if s["kind"] == "long" else 2.5
    total(w)
    return plan


def ready_but_at_risk() -> Plan:
    plan = example("marathon-8wk-at-risk.yaml")
    plan["status"] = "ready"
    plan["earliest_feasible_race_date"] = None
    return plan


def unknown_rule() -> Plan:
    plan = example("shin-pain-10k.yaml")
    week(plan, 2)["rules_fired"].append("made-up-rule")
    return plan


def running_despite_red_flags() -> Plan:
    plan = example("red-flags-referral.yaml")
    w = week(plan, 1)
    w["running"]["sessions"] = [
        {
            "day": "tue",
            "date": "2027-01-05",
            "kind": "walk_run",
            "miles": 0.4,
            "minutes": 30.0,
            "walk_run": {"run_min": 1.0, "walk_min": 5.0, "reps": 5},
            "description": "walk-run stage 1",
        }
    ]
    w["decided_by"]["running"] = "red-flags-refer"
    total(w)
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
    "cutback--four-rising-weeks": four_rising_weeks,
    "single-run-cap--long-run-spike": long_run_spike,
    "honest-status--ready-but-at-risk": ready_but_at_risk,
    "trace--unknown-rule": unknown_rule,
    "pain-response--running-despite-red-flags": running_despite_red_flags,
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
