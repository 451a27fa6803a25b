"""A ruleset with planted mistakes: every one reported in one run, at its line and column.

Each offending line of tests/golden/dozen-mistakes.yaml ends with ``# MISTAKE: <code>``;
the whole rendered report is kept in dozen-mistakes.expected.txt. To refresh it after
a deliberate change of wording: rtr rules check tests/golden/dozen-mistakes.yaml >
tests/golden/dozen-mistakes.expected.txt, then read the diff.
"""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from planner.cli import app
from tests.conftest import ROOT

GOLDEN = ROOT / "tests" / "golden"
RULESET = GOLDEN / "dozen-mistakes.yaml"


def _markers() -> list[tuple[int, str]]:
    found = []
    for number, line in enumerate(RULESET.read_text().splitlines(), start=1):
        m = re.search(r"# MISTAKE: ([a-z-]+(?:, [a-z-]+)*)", line)
        if m:
            found += [(number, code) for code in m.group(1).split(", ")]
    return found


@pytest.fixture(autouse=True)
def _from_the_repository_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # paths in the report are relative to the working directory


def test_every_planted_mistake_is_reported_at_its_line_in_one_run():
    result = CliRunner().invoke(app, ["rules", "check", "tests/golden/dozen-mistakes.yaml", "--format", "json"])
    assert result.exit_code == 1
    reported = [(d["line"], d["code"]) for d in json.loads(result.stdout)]
    markers = _markers()
    assert len(markers) >= 12
    assert sorted(reported) == sorted(markers)


def test_the_report_matches_the_golden_text():
    result = CliRunner().invoke(app, ["rules", "check", "tests/golden/dozen-mistakes.yaml"])
    assert result.stdout == (GOLDEN / "dozen-mistakes.expected.txt").read_text()


def test_strict_turns_warnings_into_errors():
    result = CliRunner().invoke(app, ["rules", "check", "tests/golden/dozen-mistakes.yaml", "--strict", "-f", "json"])
    assert {d["severity"] for d in json.loads(result.stdout)} == {"error"}
    clean = CliRunner().invoke(app, ["rules", "check", "rulesets/", "--strict"])
    assert clean.exit_code == 0, clean.stdout
    assert "0 error(s), 0 warning(s)" in clean.stdout
