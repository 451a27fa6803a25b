"""rtr rules check | test | show, rtr schema ruleset, and the ruleset chosen by injury."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

import planner
from planner.cli import app
from planner.cli.schema import SchemaName, json_schema
from planner.rules.conditions import AllOfCond, AnyOfCond, ConditionParser
from planner.rules.loader import shipped_ruleset_for, shipped_ruleset_paths
from planner.rules.reachability import why_unreachable
from planner.yamlsource import parse_text
from tests.conftest import EXAMPLES, RULESETS

runner = CliRunner()


def test_check_exit_codes_and_json(tmp_path: Path):
    assert runner.invoke(app, ["rules", "check", str(RULESETS)]).exit_code == 0
    bad = tmp_path / "bad.yaml"
    bad.write_text((RULESETS / "return-to-run.yaml").read_text().replace("    priority: 95\n", "    priority: 950\n"))
    result = runner.invoke(app, ["rules", "check", str(bad), "--format", "json"])
    assert result.exit_code == 1
    [d] = json.loads(result.stdout)
    assert (d["code"], d["severity"], d["file"].endswith("bad.yaml")) == ("out-of-range", "error", True)
    assert runner.invoke(app, ["rules", "check", "no/such/file.yaml"]).exit_code == 2


def test_rules_test_passes_and_fails_case_by_case(tmp_path: Path):
    ok = runner.invoke(app, ["rules", "test", "return-to-run"])
    assert ok.exit_code == 0, ok.stdout
    assert ok.stdout.startswith("PASS  return-to-run: ")
    cases = parse_text((RULESETS / "return-to-run.cases.yaml").read_text(), "c").data
    cases["cases"][0]["expect"]["ready_week"] = 3
    wrong = tmp_path / "wrong.cases.yaml"
    wrong.write_text(json.dumps(cases, default=str))
    result = runner.invoke(app, ["rules", "test", str(wrong)])
    assert result.exit_code == 1
    assert "FAIL  return-to-run: from 0 miles after shin pain" in result.stdout
    assert "ready_week 9, expected 3" in result.stdout
    assert result.stdout.rstrip().endswith(f"{len(cases['cases']) - 1} passed, 1 failed")


def test_a_malformed_cases_file_is_exit_2_with_a_position(tmp_path: Path):
    bad = tmp_path / "bad.cases.yaml"
    bad.write_text("schema: rtr.cases/v1\nruleset: return-to-run\ncases:\n  - name: x\n    expect: {stauts: ready}\n")
    result = runner.invoke(app, ["rules", "test", str(bad)])
    assert result.exit_code == 2
    assert "bad.cases.yaml:5:14: error[unknown-field]" in result.stderr


@pytest.mark.parametrize("path", shipped_ruleset_paths(), ids=lambda p: p.stem)
def test_every_shipped_ruleset_validates_against_the_published_schema(path: Path):
    data = json.loads(json.dumps(parse_text(path.read_text(), path.name).data, default=str))
    jsonschema.validate(data, json_schema(SchemaName.RULESET))


def test_the_ruleset_schema_flags_mistakes_editors_should_show():
    schema = json_schema(SchemaName.RULESET)
    data = json.loads(json.dumps(parse_text((RULESETS / "return-to-run.yaml").read_text(), "r").data, default=str))
    data["rules"][0]["then"].append({"runing": "none"})
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)


def test_the_ruleset_is_chosen_by_injury_unless_named():
    for path in shipped_ruleset_paths():
        for kind in planner.load_ruleset(path).spec.injuries:
            assert shipped_ruleset_for(kind) == path
    assert shipped_ruleset_for("other").name == "return-to-run.yaml"
    assert shipped_ruleset_for(None).name == "return-to-run.yaml"
    claimed = [k for p in shipped_ruleset_paths() for k in planner.load_ruleset(p).spec.injuries]
    assert len(claimed) == len(set(claimed)), "two shipped rulesets claim the same injury"
    plan = json.loads(runner.invoke(app, ["plan", str(EXAMPLES / "marathon-8wk-at-risk.yaml"), "-f", "json"]).stdout)
    assert plan["ruleset"]["id"] == shipped_ruleset_for("achilles_tendinopathy").stem
    named = runner.invoke(
        app, ["plan", str(EXAMPLES / "marathon-8wk-at-risk.yaml"), "-f", "json", "-r", "return-to-run"]
    )
    assert json.loads(named.stdout)["ruleset"]["id"] == "return-to-run"


PARSE = ConditionParser({"x": 3.0}).parse


@pytest.mark.parametrize(
    ("conditions", "dead"),
    [
        (["week > 5", "week < 3"], True),
        (["week > 2", "week < 3"], True),  # whole weeks only
        (["pain.daily_life > 10"], True),
        (["walk_run.complete", "not walk_run.complete"], True),
        (["injury.kind == other", "injury.kind in [itb_syndrome]"], True),
        (["last_week.miles > 2", "last_week.miles < 2.5"], False),
        (["red_flags.count > 0"], False),
        (["injury.kind != other"], False),
    ],
)
def test_reachability(conditions: list[str], dead: bool):
    tree = AllOfCond(tuple(PARSE(c) for c in conditions))  # type: ignore[misc]
    assert (why_unreachable(tree) is not None) == dead


def test_reachability_of_alternatives():
    impossible = AnyOfCond((PARSE("week < 1"), PARSE("pain.daily_life > 10")))  # type: ignore[arg-type]
    possible = AnyOfCond((PARSE("week < 1"), PARSE("pain.daily_life > 5")))  # type: ignore[arg-type]
    assert why_unreachable(AllOfCond((impossible,))) is not None
    assert why_unreachable(AllOfCond((possible,))) is None
