"""Loading runner profiles: every problem at once, at its line and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.errors import ProfileError
from planner.planning.context import build_context
from planner.profiles import check_profile_text, load_profile
from planner.rules.compiler import CompiledRuleset
from planner.units import KM_PER_MILE
from tests.conftest import EXAMPLES, TODAY

GOOD = (EXAMPLES / "shin-pain-10k.yaml").read_text(encoding="utf-8")


def problems(text: str, ruleset: CompiledRuleset) -> list[tuple[str, int, int, str | None]]:
    _, found, _ = check_profile_text(text, "p.yaml", ruleset, TODAY)
    return [(d.code, d.span.line, d.span.column, d.hint) for d in found if d.span]


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_example_profile_loads_cleanly(path: Path, default_ruleset: CompiledRuleset):
    loaded = load_profile(path, default_ruleset, TODAY)
    assert loaded.warnings == ()
    assert loaded.profile.schema_ == "rtr.profile/v1"


def test_many_mistakes_are_reported_together_with_positions(default_ruleset: CompiledRuleset):
    bad = """schema: rtr.profile/v1
runner:
  name: Sam
units: miles
start_date: 2027-01-05
injury:
  kind: shin_splints
  cleared_to_run: true
current:
  pain_free_walk_minutes: 30
  daily_life_pain: 11
  weekly_miles: 0
  longest_run_miles: 0
  deficits: [ankle_dorsiflexion]
  favourite_shoe: x
pre_injury_weekly_miles: 18
availability:
  run_days: [tue, thu, sat, sun]
  long_run_day: sun
  strength_days: [mon, wed, fri]
"""
    found = problems(bad, default_ruleset)
    assert [(c, line, col) for c, line, col, _ in found] == [
        ("invalid-choice", 4, 8),  # units
        ("invalid-value", 5, 13),  # start_date not a Monday
        ("invalid-choice", 7, 9),  # injury kind
        ("out-of-range", 11, 20),  # daily_life_pain
        ("unknown-field", 15, 3),  # favourite_shoe
    ]
    hints = {line: h for _, line, _, h in found}
    assert hints[4] == "allowed values: km, mi"
    assert hints[7] is not None
    assert "medial_tibial_stress" in hints[7]  # no close match: the allowed values


def test_cross_field_and_ruleset_problems_point_at_the_key(default_ruleset: CompiledRuleset):
    text = (
        GOOD.replace("long_run_day: sun", "long_run_day: mon")
        .replace(
            "deficits: [ankle_dorsiflexion, hip_abductor_strength]",
            "deficits: [ankle_dorsiflexon, hip_abductor_strength]",
        )
        .replace("strength_days: [mon, wed, fri]", "strength_days: [mon]")
    )
    found = problems(text, default_ruleset)
    codes = [(c, line) for c, line, _, _ in found]
    lines = text.splitlines()
    assert ("inconsistent", next(i for i, x in enumerate(lines, 1) if "long_run_day" in x)) in codes
    assert ("unknown-name", next(i for i, x in enumerate(lines, 1) if "deficits:" in x)) in codes
    assert ("out-of-range", next(i for i, x in enumerate(lines, 1) if "strength_days" in x)) in codes
    deficit = next(h for c, _, _, h in found if c == "unknown-name")
    assert deficit == "did you mean 'ankle_dorsiflexion'?"


def test_race_dates_outside_the_plan_are_refused(default_ruleset: CompiledRuleset):
    past = GOOD.replace("race_date: 2027-05-23", "race_date: 2026-12-01")
    far = GOOD.replace("race_date: 2027-05-23", "race_date: 2028-06-01")
    assert [c for c, *_ in problems(past, default_ruleset)] == ["race-date"]
    assert [c for c, *_ in problems(far, default_ruleset)] == ["race-date"]


def test_a_bone_stress_injury_needs_a_known_site(default_ruleset: CompiledRuleset):
    text = GOOD.replace("kind: medial_tibial_stress", "kind: bone_stress_injury\n  site: navicualr")
    [(code, _, _, hint)] = problems(text, default_ruleset)
    assert (code, hint) == ("unknown-name", "did you mean 'navicular'?")


def test_load_profile_raises_with_all_diagnostics_and_the_source(write, default_ruleset: CompiledRuleset):
    path = write("p.yaml", GOOD.replace("units: mi", "units: mm").replace("daily_life_pain: 0", "daily_life_pain: -1"))
    with pytest.raises(ProfileError) as info:
        load_profile(path, default_ruleset, TODAY)
    assert len(info.value.diagnostics) == 2
    assert set(info.value.sources) == {str(path)}


def test_json_profiles_are_accepted(write, default_ruleset: CompiledRuleset):
    import json

    from planner.yamlsource import parse_text

    data = parse_text(GOOD, "x").data
    path = write("p.json", json.dumps(data, indent=2))
    assert load_profile(path, default_ruleset, TODAY).profile.runner.name == "Sam"


def test_kilometres_are_converted_to_miles(default_ruleset: CompiledRuleset):
    loaded = load_profile(EXAMPLES / "no-race-km.yaml", default_ruleset, TODAY)
    ctx = build_context(loaded.profile, default_ruleset, TODAY)
    assert ctx.target_miles == pytest.approx(35 / KM_PER_MILE, abs=0.1)
