"""The prescription a runner is handed: exercises by injury, deloads, dosed hops, warm-ups, race week, two views.

The invariants (tests/test_invariants_bite.py) prove each rule is checked; these tests
read the plans of every example and clinic runner the way the runner and their PT do.
"""

from __future__ import annotations

import itertools
import json
import re
from functools import cache
from pathlib import Path

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

import planner
from planner.api import ruleset_for_profile
from planner.cli import app
from planner.cli.common import ExitCode
from planner.cli.schema import SchemaName, json_schema
from planner.models.plan import Plan
from planner.render import render
from planner.rules.vocabulary import FACTS
from tests.conftest import CLINIC, EXAMPLES, TODAY

runner = CliRunner()
PROFILES = sorted(EXAMPLES.glob("*.yaml")) + sorted((CLINIC / "profiles").glob("*.yaml"))


@cache
def plan_of(path: Path) -> Plan:
    return planner.plan_for_file(path, today=TODAY)


def ruleset_of(path: Path) -> planner.CompiledRuleset:
    return ruleset_for_profile(path.read_text(encoding="utf-8"))


# ----------------------------------------------------------------------------- the runner's view
ENGLISH_IDS = {"cross-training"}  # rule ids that are also plain English


def engine_words(ruleset: planner.CompiledRuleset) -> list[str]:
    """Words of the engine a runner must never read: rule and gate ids, parameter and fact names.

    Single-word ids (``taper``) are plain English too; the rest are engine words.
    """
    ids = [i for i in [*(r.id for r in ruleset.rules), *(g.id for g in ruleset.gates)] if "-" in i]
    ids = [i for i in ids if i not in ENGLISH_IDS]
    return [*ids, *(p for p in ruleset.params if "_" in p), *(f for f in FACTS if "." in f or "_" in f)]


@pytest.mark.parametrize("fmt", ["text", "markdown"])
@pytest.mark.parametrize("path", PROFILES, ids=lambda p: p.stem)
def test_the_runners_view_has_no_engine_syntax(path: Path, fmt: str):
    out = render(plan_of(path), fmt, "runner")
    for syntax in ("$", "==", ">=", "<=", "!=", "${"):
        assert syntax not in out, f"{syntax!r} in the runner's view"
    assert not re.search(r"\bRM\b", out), "RM unexplained"
    assert not re.search(r"\bB\d+\b", out), "a block number (B4) unexplained"
    for word in engine_words(ruleset_of(path)):
        assert not re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", out), f"engine word {word!r}"


def test_the_engine_word_check_can_fail():
    # The same check on the clinician's view, which keeps the rule ids, finds them.
    path = EXAMPLES / "half-marathon-16wk.yaml"
    out = render(plan_of(path), "text", "clinician")
    assert any(re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", out) for w in engine_words(ruleset_of(path)))


def test_the_runners_view_explains_the_pain_scale_and_the_bad_days():
    plan = plan_of(EXAMPLES / "shin-pain-10k.yaml")
    out = render(plan, "text", "runner")
    flat = " ".join(out.split())  # the terminal table wraps long sentences at spaces
    assert plan.pain_guide is not None
    assert "Your pain scale (0-10)" in out
    assert "On a bad day" in out
    for anchor in plan.pain_guide.scale:
        assert " ".join(anchor.means.split()) in flat
    for rule in plan.pain_guide.bad_days:
        assert " ".join(rule.do.split()) in flat
    assert "Run 10 mi in a week" in flat  # the gate in the runner's words, not last_week.miles >= 10


@pytest.mark.parametrize("name", ["no-race-km.yaml", "19-plantar-fascia-morning-heel-pain-km.yaml"])
def test_a_km_runner_reads_kilometres_everywhere(name: str):
    path = EXAMPLES / name if (EXAMPLES / name).exists() else CLINIC / "profiles" / name
    for fmt in ("text", "markdown"):
        out = render(plan_of(path), fmt, "runner")
        assert " km" in out
        assert "min/km" in out
        assert not re.search(r"\d mi\b|\bmiles?\b|min/mi\b", out), re.search(r".{40}(\d mi\b|\bmiles?\b).{20}", out)
    assert "Run 16.1 km in a week" in " ".join(render(plan_of(path), "text", "runner").split())


# ----------------------------------------------------------------------------- unit-neutral profile names
MILE_NAMES = {  # the example's unit-neutral names, and the older names they replace
    "  weekly_distance:": "  weekly_miles:",
    "  longest_run:": "  longest_run_miles:",
    "\npre_injury_weekly_distance:": "\npre_injury_weekly_miles:",
}


def test_unit_neutral_and_mile_names_make_the_same_plan(tmp_path: Path):
    neutral = EXAMPLES / "no-race-km.yaml"
    text = neutral.read_text(encoding="utf-8")
    for new, old in MILE_NAMES.items():
        assert new in text
        text = text.replace(new, old)
    miles = tmp_path / "old-names.yaml"
    miles.write_text(text, encoding="utf-8")
    assert planner.plan_for_file(miles, today=TODAY) == planner.plan_for_file(neutral, today=TODAY)
    schema = json_schema(SchemaName.PROFILE)
    for path in (neutral, miles):  # an editor accepts both spellings
        document = json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")), default=str))
        jsonschema.validate(document, schema)


def test_both_spellings_of_one_field_is_an_error(tmp_path: Path):
    text = (EXAMPLES / "no-race-km.yaml").read_text(encoding="utf-8")
    both = tmp_path / "both.yaml"
    both.write_text(
        text.replace("  weekly_distance: 8\n", "  weekly_distance: 8\n  weekly_miles: 9\n"), encoding="utf-8"
    )
    result = runner.invoke(app, ["plan", str(both), "--today", "2026-11-26"])
    assert result.exit_code == ExitCode.BAD_INPUT
    assert "weekly_distance and weekly_miles are the same field" in result.stderr


def test_a_problem_points_at_the_name_the_file_uses(tmp_path: Path):
    text = (EXAMPLES / "no-race-km.yaml").read_text(encoding="utf-8")
    equal_runs = tmp_path / "seven.yaml"  # seven equal runs: the longest is exactly a seventh of the week
    equal_runs.write_text(
        text.replace("  weekly_distance: 8\n", "  weekly_distance: 13.3\n").replace(
            "  longest_run: 4\n", "  longest_run: 1.9\n"
        ),
        encoding="utf-8",
    )
    assert runner.invoke(app, ["plan", str(equal_runs), "--today", "2026-11-26"]).exit_code == ExitCode.OK
    short = tmp_path / "short.yaml"
    short.write_text(text.replace("  longest_run: 4\n", "  longest_run: 0.5\n"), encoding="utf-8")
    result = runner.invoke(app, ["plan", str(short), "--today", "2026-11-26"])
    assert result.exit_code == ExitCode.BAD_INPUT
    line = text.splitlines().index("  longest_run: 4") + 1
    assert f"short.yaml:{line}:" in result.stderr
    assert "in field current.longest_run\n" in result.stderr


# ----------------------------------------------------------------------------- strength
def exercise_names(plan: Plan) -> set[str]:
    return {e.name for w in plan.weeks for e in w.strength.exercises}


@pytest.mark.parametrize(
    ("profile", "expected"),
    [
        ("17-hamstring-strain-running-pain-3.yaml", {"extender", "diver", "glider", "Nordic"}),
        ("10-achilles-running-pain-5.yaml", {"seated calf raises"}),
        ("19-plantar-fascia-morning-heel-pain-km.yaml", {"towel"}),
        ("13-patellofemoral-running-pain-2.yaml", {"side-lying leg raises", "banded side steps"}),
    ],
)
def test_each_injury_gets_its_own_exercises(profile: str, expected: set[str]):
    names = " | ".join(sorted(exercise_names(plan_of(CLINIC / "profiles" / profile))))
    for word in expected:
        assert word.lower() in names.lower(), f"{word!r} not in {names}"


def test_the_hamstring_nordics_wait_for_established_running():
    plan = plan_of(CLINIC / "profiles" / "17-hamstring-strain-running-pain-3.yaml")
    nordic_phases = {w.phase for w in plan.weeks if any("Nordic" in e.name for e in w.strength.exercises)}
    assert nordic_phases
    assert nordic_phases <= {"load_progression", "race_build", "taper", "recovery"}


def test_itb_early_phases_have_no_loaded_knee_bending():
    path = EXAMPLES / "pre-run-walking.yaml"  # ITB syndrome, from walking
    ruleset = ruleset_of(path)
    bending = {e.name for e in ruleset.spec.tables.exercises.exercises.values() if e.loaded_knee_bend}
    plan = plan_of(path)
    early = [w for w in plan.weeks if w.phase in ("pre_run", "walk_run") and w.strength.exercises]
    later = [w for w in plan.weeks if w.phase not in ("pre_run", "walk_run") and w.strength.exercises]
    assert early
    assert later
    assert not any(e.name in bending for w in early for e in w.strength.exercises)
    assert any(e.name in bending for w in later for e in w.strength.exercises)  # they come back later


def test_every_exercise_has_a_dose_and_a_description():
    for path in PROFILES:
        for w in plan_of(path).weeks:
            for e in w.strength.exercises:
                assert all((e.sets >= 1, e.reps, e.load, e.how)), (path.name, w.week, e.name)


def test_a_runner_new_to_lifting_ramps_up_before_heavy_weeks():
    path = CLINIC / "profiles" / "21-never-lifted-calf-strain.yaml"
    plan = plan_of(path)
    ramp = ruleset_of(path).spec.tables.strength_blocks.novice
    novice = [w for w in plan.weeks if w.strength.novice]
    assert [w.week for w in novice] == list(range(1, ramp.weeks + 1))
    assert all(not w.strength.heavy and w.strength.exercises[0].load == ramp.dose.load for w in novice)
    assert plan.weeks[ramp.weeks].strength.heavy


def test_blocks_alternate_and_end_with_a_deload_in_every_plan():
    for path in PROFILES:
        plan = plan_of(path)
        blocks: dict[int, list[bool]] = {}
        names: dict[int, str] = {}
        for w in plan.weeks:
            if w.strength.block is not None:
                blocks.setdefault(w.strength.block, []).append(w.strength.deload)
                names[w.strength.block] = w.strength.name
        for number in sorted(blocks)[:-1]:
            assert blocks[number][-1], (path.name, number)  # a finished block ends with its deload
        order = [names[n] for n in sorted(names)]
        assert all(a != b for a, b in itertools.pairwise(order)), (path.name, order)


# ----------------------------------------------------------------------------- hops and warm-up
def test_every_hop_week_is_dosed_on_named_days():
    for path in PROFILES:
        for w in plan_of(path).weeks:
            p = w.plyometrics
            if p.stage:
                assert all((p.days, p.sessions == len(p.days), p.dose, p.rest_seconds)), (path.name, w.week)


def test_the_warm_up_progresses_and_drills_come_before_quality():
    plan = plan_of(EXAMPLES / "half-marathon-16wk.yaml")
    sizes = [len(w.warmup) for w in plan.weeks if w.warmup]
    assert sizes == sorted(sizes)
    assert sizes[-1] > sizes[0]
    quality = [w for w in plan.weeks if w.running.intensity]
    assert quality
    assert all(w.warmup_before_quality for w in quality)
    assert not any(w.warmup_before_quality for w in plan.weeks if not w.running.intensity)


def test_the_warm_up_stays_short_enough_to_do():
    for path in PROFILES:
        most = ruleset_of(path).spec.tables.warmup.max_drills
        assert all(len(w.warmup) <= most for w in plan_of(path).weeks), path.name


def test_hops_are_lighter_and_hold_their_stage_in_cutback_weeks():
    plan = plan_of(EXAMPLES / "half-marathon-16wk.yaml")
    weeks = plan.weeks
    cutbacks = [w for w in weeks if w.running.mode == "cutback" and w.plyometrics.stage]
    assert cutbacks
    for w in cutbacks:
        before = weeks[w.week - 2].plyometrics
        assert w.plyometrics.cutback
        assert w.plyometrics.sets < before.sets or before.sets == 1
        assert w.plyometrics.stage <= before.stage


def test_a_bone_injury_has_its_own_bad_day_rules():
    bone = render(plan_of(CLINIC / "profiles" / "01-femoral-neck-bsi-cleared-half.yaml"), "text", "runner")
    tendon = render(plan_of(CLINIC / "profiles" / "10-achilles-running-pain-5.yaml"), "text", "runner")
    assert "Any pain at the bone during a run" in bone
    assert "carry on" not in bone  # the tendon rule (warm-up pain that eases) never reaches a bone
    assert "carry on" in tendon


def test_the_warm_up_is_fitted_to_the_injury():
    drills = {path.stem: set(plan_of(path).weeks[-1].warmup) for path in sorted((CLINIC / "profiles").glob("1[07]-*"))}
    achilles, hamstring = drills.values()
    assert achilles != hamstring


def test_the_first_session_of_a_kind_is_gentler_and_the_taper_lighter():
    path = EXAMPLES / "half-marathon-16wk.yaml"
    table = ruleset_of(path).spec.tables.quality
    tempos = [
        (w.running.mode, s.description) for w in plan_of(path).weeks for s in w.running.sessions if s.kind == "tempo"
    ]
    assert tempos[0][1] == table.first_sessions["tempo"]
    assert (tempos[1][0], tempos[1][1]) == ("progress", table.sessions["tempo"])
    assert ("taper", table.taper_sessions["tempo"]) in tempos


# ----------------------------------------------------------------------------- race week and after
def test_race_week_and_the_recovery_after_it():
    path = EXAMPLES / "half-marathon-16wk.yaml"
    plan = plan_of(path)
    table = ruleset_of(path).spec.tables.race_week
    race_index = next(i for i, w in enumerate(plan.weeks) if any(s.kind == "race" for s in w.running.sessions))
    week = plan.weeks[race_index]
    race = next(s for s in week.running.sessions if s.kind == "race")
    day_before = next(s for s in week.running.sessions if s.date.toordinal() == race.date.toordinal() - 1)
    assert day_before.kind == "shakeout"
    assert day_before.minutes <= table.shakeout_minutes
    assert week.plyometrics.stage == 0
    assert week.running.total_miles == pytest.approx(week.running.weekly_miles + race.miles, abs=0.05)
    assert table.race_effort in week.notes
    after = plan.weeks[race_index + 1 :]
    assert len(after) == len(table.recovery)
    assert all(w.running.mode == "recovery" for w in after)
    assert all(not w.running.intensity and w.plyometrics.stage == 0 for w in after)


# ----------------------------------------------------------------------------- cross-training and screening
def test_cross_training_fills_weeks_and_days_without_running():
    walking = plan_of(EXAMPLES / "pre-run-walking.yaml")
    pre_run = [w for w in walking.weeks if w.phase == "pre_run"]
    assert pre_run
    assert all(any(s.kind == "cross_train" for s in w.running.sessions) for w in pre_run)
    weekend = plan_of(CLINIC / "profiles" / "23-two-run-days-sat-sun.yaml")  # one run a week fits
    assert all(any(s.kind == "cross_train" and s.day == "sat" for s in w.running.sessions) for w in weekend.weeks)


def test_low_energy_availability_slows_a_bone_injury_and_says_why(tmp_path: Path):
    source = CLINIC / "profiles" / "08-posteromedial-tibia-bsi-10k.yaml"
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    data["sex"] = "female"
    data["screening"] = {"missed_periods": True, "recent_weight_loss": True, "previous_bone_stress_injuries": 1}
    flagged = tmp_path / "flagged.yaml"
    flagged.write_text(yaml.safe_dump(data), encoding="utf-8")
    plain, risky = plan_of(source), planner.plan_for_file(flagged, today=TODAY)
    assert "bone-risk-slower-build" in {r for w in risky.weeks for r in w.rules_fired}
    assert any("energy" in n for n in risky.weeks[0].notes)
    volumes = [(a.running.weekly_miles, b.running.weekly_miles) for a, b in zip(plain.weeks, risky.weeks, strict=False)]
    assert all(b <= a + 0.05 for a, b in volumes)
    assert any(b < a - 0.05 for a, b in volumes)


def test_morning_stiffness_holds_an_achilles_runner(tmp_path: Path):
    source = CLINIC / "profiles" / "10-achilles-running-pain-5.yaml"
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    data["screening"] = {"morning_stiffness_minutes": 45}
    stiff = tmp_path / "stiff.yaml"
    stiff.write_text(yaml.safe_dump(data), encoding="utf-8")
    plan = planner.plan_for_file(stiff, today=TODAY)
    assert "tendon-stiffness-hold" in plan.weeks[0].rules_fired
    assert "tendon-stiffness-hold" not in plan_of(source).weeks[0].rules_fired


def test_the_plan_json_carries_the_prescription():
    doc = json.loads(plan_of(EXAMPLES / "half-marathon-16wk.yaml").to_json())
    assert doc["pain_guide"]["bad_days"]
    assert doc["phase_labels"]
    week = doc["weeks"][0]
    assert week["strength"]["exercises"][0].keys() >= {"name", "sets", "reps", "load", "how"}
    assert week["plyometrics"].keys() >= {"dose", "days", "sessions", "rest_seconds"}
    assert all(g["runner_text"] for g in week["gates"])
