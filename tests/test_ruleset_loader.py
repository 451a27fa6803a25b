"""Loading rulesets: every problem at once, each at its line and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.diagnostics import has_errors
from planner.engine import dialect
from planner.errors import RulesetError
from planner.rules.compiler import CompiledRuleset
from planner.rules.loader import (
    check_ruleset_text,
    load_ruleset,
    resolve_ruleset_path,
    shipped_ruleset_paths,
)
from tests.conftest import RULESETS

DEFAULT = (RULESETS / "return-to-run.yaml").read_text(encoding="utf-8")


def edit(text: str, old: str, new: str) -> str:
    """Replace one exact, unique piece of the ruleset."""
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def diagnose(text: str) -> list[tuple[str, int, int]]:
    result = check_ruleset_text(text, "r.yaml")
    return [(d.code, d.span.line if d.span else 0, d.span.column if d.span else 0) for d in result.diagnostics]


@pytest.mark.parametrize("path", shipped_ruleset_paths(), ids=lambda p: p.stem)
def test_every_shipped_ruleset_loads_without_any_diagnostic(path: Path):
    result = check_ruleset_text(path.read_text(encoding="utf-8"), path.name)
    assert result.diagnostics == ()
    assert result.compiled is not None


def test_planted_mistakes_are_all_reported_in_one_run_at_their_place():
    text = DEFAULT
    text = edit(
        text, "      - last_week.miles >= $gate_weekly_miles\n", "      - last_week.mile >= $gate_weekly_miles\n"
    )
    text = edit(
        text,
        "      - strength.heavy_weeks >= $strength_readiness_weeks",
        "      - strength.heavy_weeks >= $strength_readines_weeks",
    )
    text = edit(
        text,
        "    requires: [ten-mile-gate, heavy-strength, single-leg-hops, dynamic-warmup]",
        "    requires: [ten-mile-gate, heavy-strenght, single-leg-hops, dynamic-warmup]",
    )
    text = edit(text, "      - phase: base_rebuild\n", "      - phase: base_rebuilt\n")
    text = edit(
        text,
        "    title: Heavy strength training 2-3 times a week in blocks of 4-6 weeks\n    source: seed-2025",
        "    title: Heavy strength training 2-3 times a week in blocks of 4-6 weeks\n    source: seed-2052",
    )
    text = edit(text, "        weeks: 6\n        sessions: 2\n", "        weeks: 8\n        sessions: 2\n")
    text = edit(
        text,
        "    priority: 60\n    requires: [ready-to-run]\n    when:\n      - not walk_run.complete\n"
        "      - walk_run.stage_done",
        "    priority: 55\n    requires: [ready-to-run]\n    when:\n      - not walk_run.complete\n"
        "      - walk_run.stage_done",
    )
    found = diagnose(text)
    col = len("      - ") + 1
    expected = [
        ("unknown-fact", line_of(text, "last_week.mile >= $gate"), col),
        ("unknown-parameter", line_of(text, "$strength_readines_weeks"), col + len("strength.heavy_weeks >= ")),
        (
            "unknown-gate",
            line_of(text, "heavy-strenght"),
            text.split("\n")[line_of(text, "heavy-strenght") - 1].index("heavy-strenght") + 1,
        ),
        ("unknown-phase", line_of(text, "base_rebuilt"), col + len("phase: ")),
        ("unknown-source", line_of(text, "seed-2052"), len("    source: ") + 1),
        ("contradicts-invariant", line_of(text, "weeks: 8"), len("        weeks: ") + 1),
        # reported on the second of the two rules, naming both
        ("slot-conflict", line_of(text, "  - id: walk-run-hold") + 4, len("    priority: ") + 1),
        # ... and, in consequence of the renamed phase, the real one has no rule entering it
        ("unused-phase", line_of(text, "  - id: base_rebuild"), len("  - id: ") + 1),
    ]
    for item in expected:
        assert item in found, f"{item} not in {found}"
    assert len(found) == len(expected), found


def test_a_shape_error_does_not_hide_meaning_errors_elsewhere():
    text = edit(DEFAULT, "    priority: 95\n", "    priority: high\n")
    text = edit(text, "      - hops.readiness_done\n", "      - hops.readiness_dun\n")
    codes = {c for c, _, _ in diagnose(text)}
    assert {"wrong-type", "unknown-fact"} <= codes


def test_unknown_keys_get_a_did_you_mean():
    text = edit(DEFAULT, "    sticky: false\n", "    stiky: false\n")
    result = check_ruleset_text(text, "r.yaml")
    [d] = result.diagnostics
    assert d.code == "unknown-field"
    assert d.hint == "did you mean 'sticky'?"
    assert d.span is not None
    assert (d.span.line, d.span.column) == (line_of(text, "stiky"), 5)


def test_gate_cycles_and_duplicate_ids_are_errors():
    text = edit(
        DEFAULT,
        "    title: 3 x 30 s single-leg hops pain-free\n",
        "    title: 3 x 30 s single-leg hops pain-free\n    requires: [readiness]\n",
    )
    text = edit(text, "  - id: hops-hold\n", "  - id: hops-start\n")
    codes = [c for c, _, _ in diagnose(text)]
    assert "gate-cycle" in codes
    assert "duplicate-id" in codes


def test_a_missing_required_parameter_is_named():
    start = DEFAULT.index("  horizon_weeks:")
    end = DEFAULT.index("\nphases:")
    text = DEFAULT[:start] + DEFAULT[end + 1 :]
    result = check_ruleset_text(text, "r.yaml")
    assert [(d.code, d.message) for d in result.diagnostics] == [
        ("missing-parameter", "parameter 'horizon_weeks' is required")
    ]


def test_a_raised_cap_contradicts_the_invariant():
    text = edit(
        DEFAULT,
        "      - running: progress\n        cap_pct: $weekly_cap_pct\n      - spacing: any_days\n      - walking: none",
        "      - running: progress\n        cap_pct: 25\n      - spacing: any_days\n      - walking: none",
    )
    assert [c for c, _, _ in diagnose(text)] == ["contradicts-invariant"]


def test_load_ruleset_raises_with_every_diagnostic(write):
    path = write(
        "bad.yaml",
        edit(
            DEFAULT,
            "      - walk.pain_free_minutes >= $entry_walk_minutes\n",
            "      - walk.pain_free_minute >= $entry_walk_minutes\n",
        ),
    )
    with pytest.raises(RulesetError) as info:
        load_ruleset(path)
    assert [d.code for d in info.value.diagnostics] == ["unknown-fact"]
    assert has_errors(info.value.diagnostics)


def test_rulesets_are_found_by_id_or_path(tmp_path: Path):
    assert resolve_ruleset_path("return-to-run").name == "return-to-run.yaml"
    assert resolve_ruleset_path(str(tmp_path / "x.yaml")) == tmp_path / "x.yaml"
    with pytest.raises(RulesetError) as info:
        resolve_ruleset_path("no-such-ruleset")
    assert "return-to-run" in (info.value.diagnostics[0].hint or "")


def test_the_content_hash_changes_with_the_rules_not_with_comments():
    a = check_ruleset_text(DEFAULT, "a.yaml").compiled
    b = check_ruleset_text("# a new comment\n" + DEFAULT, "b.yaml").compiled
    c = check_ruleset_text(edit(DEFAULT, "    priority: 95\n", "    priority: 96\n"), "c.yaml").compiled
    assert a is not None
    assert b is not None
    assert c is not None
    assert a.sha256 == b.sha256
    assert _engine_name(a) == _engine_name(b)
    assert a.sha256 != c.sha256
    assert _engine_name(a) != _engine_name(c)


def _engine_name(ruleset: CompiledRuleset) -> str:
    return dialect.engine_name(ruleset, dialect.ruleset_definition(ruleset))


def _codes_at(text: str, needle: str) -> list[tuple[str, str]]:
    line = line_of(text, needle)
    found = check_ruleset_text(text, "r.yaml").diagnostics
    return [(d.code, d.message) for d in found if d.span is not None and d.span.line == line]


def test_a_race_that_would_break_the_single_run_cap_needs_its_reason():
    text = edit(DEFAULT, "peak_weekly_miles: 28, long_run_miles: 12,", "peak_weekly_miles: 28, long_run_miles: 10,")
    [(code, message)] = _codes_at(text, "long_run_miles: 10,")
    assert code == "contradicts-invariant"
    assert "would break the single-run cap" in message


def test_a_long_run_need_beyond_the_run_ceiling_or_the_peak_week_is_refused():
    text = edit(DEFAULT, "        long_run_max_minutes: 180\n", "")
    [(code, message)] = _codes_at(text, "        long_run_miles: 20\n")
    assert code == "contradicts-invariant"
    assert "longer than max_run_minutes allows" in message
    text = edit(DEFAULT, "peak_weekly_miles: 28, long_run_miles: 12,", "peak_weekly_miles: 20, long_run_miles: 12,")
    assert any("peak week" in m for _, m in _codes_at(text, "peak_weekly_miles: 20, long_run_miles: 12,"))


def test_a_gate_that_the_pre_gate_runs_cannot_reach_is_refused():
    text = edit(DEFAULT, "  pre_gate_max_run_minutes:\n    value: 40\n", "  pre_gate_max_run_minutes:\n    value: 35\n")
    result = check_ruleset_text(text, "r.yaml")
    assert [d.code for d in result.diagnostics] == ["contradicts-invariant"]
    assert "cannot reach the 10 mi gate" in result.diagnostics[0].message


def test_every_red_flag_needs_a_row_with_its_urgency():
    text = edit(DEFAULT, '      - {flag: swelling, name: "swelling around the injury", urgency: within_24h}\n', "")
    result = check_ruleset_text(text, "r.yaml")
    assert [(d.code, d.message) for d in result.diagnostics] == [
        ("table-shape", "the red_flags table has no row for swelling")
    ]


def test_a_referral_threshold_below_the_allowance_is_a_shape_error():
    text = edit(
        DEFAULT,
        "{injury: default, during: 3, next_morning: 0, refer_during: 7,",
        "{injury: default, during: 3, next_morning: 0, refer_during: 2,",
    )
    result = check_ruleset_text(text, "r.yaml")
    assert [d.code for d in result.diagnostics] == ["invalid-value"]
    assert "referral threshold is below the allowance" in result.diagnostics[0].message


def test_kept_when_is_checked_like_when_and_needs_a_sticky_gate(tmp_path: Path):
    text = (RULESETS / "return-to-run.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "      - pain.daily_life == 0\n      - running.weeks_off < $reentry_weeks_off",
        "      - pain.dayly_life == 0\n      - running.weeks_off < $reentry_weeks_off",
        1,
    )
    text = text.replace(
        "    sticky: false\n    requires: [ten-mile-gate",
        "    sticky: false\n    kept_when: [last_week.pain_ok]\n    requires: [ten-mile-gate",
        1,
    )
    result = check_ruleset_text(text, "r.yaml")
    codes = {d.code for d in result.diagnostics}
    assert "unknown-fact" in codes  # the misspelt fact in the 10-mile gate's kept_when
    assert "kept-when-not-sticky" in codes  # kept_when on the readiness gate, which is not sticky
    assert result.compiled is None
