"""The docs say what the code does: commands run, lists stay equal, examples load."""

from __future__ import annotations

import json
import re
import shlex
import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

import planner
from planner.cli import app
from planner.rules.codes import RULESET_CODES
from planner.rules.conditions import Comparison, ConditionParser
from planner.rules.spec import Gate, Rule
from planner.rules.vocabulary import FACTS, SLOT_KEYS, WELL_KNOWN_PARAMETERS
from planner.yamlsource import parse_text
from tests.conftest import ROOT, TODAY

README = (ROOT / "README.md").read_text(encoding="utf-8")
LANGUAGE = (ROOT / "rulesets" / "README.md").read_text(encoding="utf-8")


def fenced(text: str, lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", text, flags=re.DOTALL)


def section(text: str, heading: str) -> str:
    """The text under ``heading`` up to the next heading of the same or a higher level."""
    start = text.index(heading)
    rest = text[start + len(heading) :]
    level = heading.split(" ")[0]
    nxt = re.search(rf"\n#{{1,{len(level)}}} ", rest)
    return rest[: nxt.start()] if nxt else rest


# ----------------------------------------------------------------------------- README
def test_readme_holds_the_two_newcomer_commands_and_ci_runs_the_test_one():
    blocks = [b.strip() for b in fenced(section(README, "## Quick start"), "sh")]
    install, test = blocks
    assert install.startswith("python3 -m venv .venv && .venv/bin/pip install . && .venv/bin/rtr plan examples/")
    assert "pip install -e '.[test]'" in test
    assert "pytest" in test
    assert test in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_every_cli_command_is_documented_in_the_readme():
    groups = [g.typer_instance.info.name for g in app.registered_groups if g.typer_instance]
    commands = [c.name for c in app.registered_commands] + groups
    assert commands
    for name in commands:
        assert f"rtr {name}" in README, name


def test_the_readme_usage_lines_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(ROOT)
    runner = CliRunner()
    lines = [
        (line.split("  #")[0].strip(), line.partition("  #")[2])
        for line in fenced(section(README, "## Using it"), "sh")[0].splitlines()
        if line.startswith("rtr ")
    ]
    assert len(lines) >= 6
    for line, comment in lines:
        stand_ins = {
            "my-profile.yaml": "examples/shin-pain-10k.yaml",
            "path/to/ruleset.yaml": "rulesets/return-to-run.yaml",
            "plan.json": str(tmp_path / "plan.json"),  # written by an earlier line
        }
        args = [stand_ins.get(a, a) for a in shlex.split(line)[1:]]
        if "-o" in args:  # write outputs under tmp, not into the repository
            i = args.index("-o") + 1
            args[i] = str(tmp_path / Path(args[i]).name)
        if args and args[0] in ("plan", "validate", "readiness") and "--today" not in args:
            args += ["--today", TODAY.isoformat()]
        result = runner.invoke(app, args)
        # A line whose comment says "exit 1" (rtr readiness: not ready yet) exits 1, as it says.
        assert result.exit_code == (1 if "exit 1" in comment else 0), (line, result.stderr)


def test_the_readme_check_in_loop_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    for name in ("knee-flare-up.yaml", "knee-flare-up.checkins.jsonl"):
        shutil.copy(ROOT / "examples" / name, tmp_path / name)  # `cp examples/knee-flare-up.* .`
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    [block] = fenced(section(README, "## Weekly check-ins"), "sh")
    commands = [part.strip() for line in block.splitlines() for part in line.split("&&") if part.strip()]
    assert len(block.splitlines()) == 4  # the loop is four commands
    for command in commands:
        assert command.startswith("rtr "), command
        result = runner.invoke(app, shlex.split(command)[1:])
        assert result.exit_code == 0, (command, result.stderr)
    log = (tmp_path / "knee-flare-up.checkins.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(log) == 5  # the example's three check-ins, the week-5 check-in and its correction
    assert json.loads(log[-1])["supersedes"] == json.loads(log[-2])["id"]


def test_the_readme_lists_every_invariant_with_its_statement():
    from planner.validation import INVARIANTS

    rows = re.findall(r"^\| `([a-z0-9-]+)` \| (.+) \|$", section(README, "### Plan invariants"), flags=re.M)
    assert rows == [(i.id, i.statement) for i in INVARIANTS]


def test_the_readme_property_test_example_runs(tmp_path: Path):
    [block] = fenced(section(README, "## Property-testing your own ruleset"), "python")
    # From a real .py file: hypothesis reads a failing example's source back, and README.md is not Python.
    source = tmp_path / "readme_example.py"
    source.write_text(block, encoding="utf-8")
    exec(compile(block, str(source), "exec"), {"__name__": "readme_example"})  # runs the property test


def test_the_readme_lists_every_shipped_ruleset_with_its_injuries():
    from planner.rules.loader import shipped_ruleset_paths

    rows = dict(re.findall(r"^\| `([a-z-]+)` \| ([^|]+) \|", section(README, "## Rulesets"), flags=re.M))
    for path in shipped_ruleset_paths():
        spec = planner.load_ruleset(path).spec
        assert path.stem in rows, path.stem
        for kind in spec.injuries:
            assert f"`{kind}`" in rows[path.stem], (path.stem, kind)


def test_the_readme_profile_example_is_a_valid_profile(default_ruleset: planner.CompiledRuleset):
    from planner.profiles import check_profile_text

    [block] = fenced(section(README, "## The profile"), "yaml")
    profile, found, _ = check_profile_text(block, "README.md", default_ruleset, TODAY)
    assert found == []
    assert profile is not None


def test_the_readme_examples_table_lists_every_example_with_its_status(default_ruleset: planner.CompiledRuleset):
    rows = re.findall(
        r"^\| `([^`]+\.yaml)` \|.*\| `([a-z-]+)` \| (\w+) \|$", section(README, "## The examples"), flags=re.M
    )
    examples = sorted(p.name for p in (ROOT / "examples").glob("*.yaml"))
    assert sorted(name for name, _, _ in rows) == examples
    for name, ruleset_id, status in rows:
        plan = planner.plan_for_file(ROOT / "examples" / name, today=TODAY)
        assert (plan.ruleset.id, plan.status) == (ruleset_id, status), name


# ----------------------------------------------------------------------------- rulesets/README.md
def _documented(table_heading: str) -> list[str]:
    return re.findall(r"^\| `([^`]+)` \|", section(LANGUAGE, table_heading), flags=re.M)


def test_every_diagnostic_code_is_documented_in_order():
    assert _documented("## Diagnostic codes") == list(RULESET_CODES)


def test_every_fact_is_documented_in_order():
    assert _documented("## Facts") == list(FACTS)


def test_every_required_parameter_is_documented():
    documented = re.findall(r"^\| `([a-z_]+)` \|", section(LANGUAGE, "### Parameters"), flags=re.M)
    assert documented == list(WELL_KNOWN_PARAMETERS)


def test_every_action_slot_is_documented():
    actions = section(LANGUAGE, "## Actions")
    for slot in SLOT_KEYS:
        assert f"| `{slot}:" in actions, slot


def test_the_language_examples_are_valid(default_ruleset: planner.CompiledRuleset):
    parser = ConditionParser(default_ruleset.params)
    blocks = [parse_text(b, "rulesets/README.md").data for b in fenced(LANGUAGE, "yaml")]
    gates = next(b["gates"] for b in blocks if isinstance(b, dict) and "gates" in b and isinstance(b["gates"], list))
    rules = next(b["rules"] for b in blocks if isinstance(b, dict) and isinstance(b.get("rules"), list))
    when = next(b["when"] for b in blocks if isinstance(b, dict) and "when" in b)
    for gate in gates:
        Gate.model_validate(gate)
    for rule in rules:
        Rule.model_validate(rule)
    conditions = [c for c in when if isinstance(c, str)] + [c for d in when if isinstance(d, dict) for c in d["any"]]
    assert conditions
    for text in conditions:
        assert isinstance(parser.parse(text), Comparison), text


def test_the_yaml_documents_are_plain_yaml():
    for block in fenced(LANGUAGE, "yaml"):
        yaml.safe_load(block)  # the examples are copy-pasteable
