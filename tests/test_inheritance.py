"""Ruleset inheritance: extends, overrides by id, field-wise parameters, positions kept."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from planner.cli import app
from planner.rules.loader import check_ruleset_file

CHILD = """schema: rtr.ruleset/v1
id: child
version: 0.1.0
title: A child ruleset
extends: return-to-run
injuries: [achilles_tendinopathy]
sources:
  own-source: {cite: "A source of the child's"}
parameters:
  gate_weekly_miles: {value: 8, source: own-source, grade: weak}
tables:
  taper:
    title: A one-week taper
    source: own-source
    grade: weak
    rows: [{weeks_to_race: 1, cut_pct: 50}, {weeks_to_race: 2, cut_pct: 30}]
rules:
  - id: gait-analysis
    title: Recommend gait analysis in the first two weeks
    source: own-source
    grade: weak
    priority: 80
    when: [not gait_analysis_done, week <= 2]
    then: [{note: Get your gait analysed.}]
  - id: child-only
    title: A rule only the child has
    source: own-source
    grade: weak
    priority: 81
    then: [{note: Hello.}]
"""


def test_a_child_overrides_by_id_merges_parameters_and_replaces_tables(tmp_path: Path):
    path = tmp_path / "child.yaml"
    path.write_text(CHILD)
    result = check_ruleset_file(path)
    assert result.diagnostics == ()
    c = result.compiled
    assert c is not None
    assert c.spec.id == "child"
    assert c.spec.injuries == ["achilles_tendinopathy"]
    gate = c.spec.parameters["gate_weekly_miles"]
    assert (gate.value, gate.min, gate.max, gate.source) == (8, 5, 20, "own-source")  # min/max inherited
    assert [r.cut_pct for r in c.spec.tables.taper.rows] == [50, 30]
    ids = [r.id for r in c.rules]
    assert ids.count("gait-analysis") == 1
    assert ids[-1] == "child-only"
    assert c.find("gait-analysis").title == "Recommend gait analysis in the first two weeks"  # type: ignore[union-attr]
    assert c.origins["rule:gait-analysis"].path.endswith("child.yaml")
    assert c.origins["rule:gait-analysis"].overrides.endswith("return-to-run.yaml")  # type: ignore[union-attr]
    assert c.origins["rule:taper"].path.endswith("return-to-run.yaml")
    assert c.origins["parameter:gate_weekly_miles"].overrides.endswith("return-to-run.yaml")  # type: ignore[union-attr]


def test_diagnostics_point_into_the_file_that_holds_the_mistake(tmp_path: Path):
    base = (Path(__file__).resolve().parents[1] / "rulesets" / "return-to-run.yaml").read_text()
    (tmp_path / "base.yaml").write_text(
        base.replace(
            "      - pain.daily_life == 0\n      - last_week.pain_free\n    then:\n      - hops: advance",
            "      - pain.daily_lif == 0\n      - last_week.pain_free\n    then:\n      - hops: advance",
        )
    )
    child = tmp_path / "child.yaml"
    child.write_text(CHILD.replace("extends: return-to-run", "extends: base").replace("week <= 2", "wek <= 2"))
    found = check_ruleset_file(child).diagnostics
    by_file = {(Path(d.span.path).name, d.code) for d in found if d.span}
    assert ("base.yaml", "unknown-fact") in by_file
    assert ("child.yaml", "unknown-fact") in by_file
    child_error = next(d for d in found if d.span and d.span.path.endswith("child.yaml"))
    assert (child_error.span.line, child_error.span.column) == (23, 36)  # type: ignore[union-attr]


def test_a_missing_parent_and_a_cycle_are_reported_at_extends(tmp_path: Path):
    lonely = tmp_path / "lonely.yaml"
    lonely.write_text(CHILD.replace("extends: return-to-run", "extends: no-such-parent"))
    [d] = [d for d in check_ruleset_file(lonely).diagnostics if d.code == "unknown-parent"]
    assert (d.span.line, d.span.column) == (5, 10)  # type: ignore[union-attr]
    (tmp_path / "a.yaml").write_text(
        CHILD.replace("id: child", "id: a").replace("extends: return-to-run", "extends: b")
    )
    (tmp_path / "b.yaml").write_text(
        CHILD.replace("id: child", "id: b").replace("extends: return-to-run", "extends: a")
    )
    assert "extends-cycle" in {d.code for d in check_ruleset_file(tmp_path / "a.yaml").diagnostics}


def test_a_child_needs_its_own_identity(tmp_path: Path):
    path = tmp_path / "anon.yaml"
    path.write_text(CHILD.replace("id: child\n", ""))
    assert any(d.code == "missing-field" and "'id'" in d.message for d in check_ruleset_file(path).diagnostics)


def test_rules_show_resolved_marks_where_each_item_came_from(tmp_path: Path):
    path = tmp_path / "child.yaml"
    path.write_text(CHILD)
    out = CliRunner().invoke(app, ["rules", "show", str(path), "--resolved"]).stdout
    assert "# Effective ruleset child 0.1.0" in out
    lines = out.splitlines()
    gait = lines.index("  - id: gait-analysis")
    assert lines[gait - 1].startswith("  # from ")
    assert "(overrides " in lines[gait - 1]
    taper = lines.index("  - id: taper")
    assert lines[taper - 1].strip().endswith("return-to-run.yaml")
    raw = CliRunner().invoke(app, ["rules", "show", str(path)]).stdout
    assert raw == CHILD
