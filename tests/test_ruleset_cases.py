"""Every case written next to a shipped ruleset, collected as a test."""

from __future__ import annotations

from pathlib import Path

import pytest

import planner
from planner.cases import CaseResult, read_cases, run_case
from planner.rules.loader import CASES_SUFFIX, resolve_ruleset_path, shipped_ruleset_paths, shipped_rulesets_dir

CASES = [
    (path, case)
    for path in sorted(shipped_rulesets_dir().glob(f"*{CASES_SUFFIX}"))
    for case in read_cases(path)[0].cases
]


def test_every_shipped_ruleset_has_cases():
    with_cases = {p.name.removesuffix(CASES_SUFFIX) for p in shipped_rulesets_dir().glob(f"*{CASES_SUFFIX}")}
    assert {p.stem for p in shipped_ruleset_paths()} <= with_cases


@pytest.mark.parametrize(
    ("path", "case"), CASES, ids=[f"{p.name.removesuffix(CASES_SUFFIX)}: {c.name}" for p, c in CASES]
)
def test_case(path: Path, case: object):
    cases, _ = read_cases(path)
    ruleset = planner.load_ruleset(resolve_ruleset_path(cases.ruleset))
    result: CaseResult = run_case(case, cases, path.parent, ruleset, planner.make_plan)  # type: ignore[arg-type]
    assert result.failures == []
