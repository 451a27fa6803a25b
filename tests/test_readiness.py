"""``rtr readiness``: the seed's questions and the four criteria, from a profile or in a terminal."""

from __future__ import annotations

import json
from pathlib import Path

import pexpect
import pytest
from typer.testing import CliRunner

import planner
from planner.cli import app
from planner.cli.common import ExitCode
from planner.rules.vocabulary import READINESS_CRITERIA
from tests.conftest import EXAMPLES, ROOT, TODAY
from tests.pty_session import finish, spawn_rtr

runner = CliRunner()
ALL = list(READINESS_CRITERIA)
EVERY_NO = ["video-analysis", "heavy-lifting", "jump-programme", "ten-miles", "fitted-warmup"]

# What each example runner is missing now, and the questions their profile answers no.
EXPECTED = {
    "half-marathon-16wk": (["single_leg_hops_3x30s", "dynamic_warmup"], ["jump-programme", "fitted-warmup"]),
    "knee-flare-up": (["single_leg_hops_3x30s", "dynamic_warmup"], ["jump-programme", "fitted-warmup"]),
    "marathon-8wk-at-risk": (["pain_free_10_mpw"], ["video-analysis", "ten-miles"]),
    "navicular-bsi-not-cleared": (ALL, EVERY_NO),
    "no-race-km": (ALL, EVERY_NO),
    "pre-run-walking": (ALL, EVERY_NO),
    "red-flags-referral": (ALL, EVERY_NO),
    "shin-pain-10k": (ALL, EVERY_NO),
}


def _json(args: list[str]) -> tuple[int, dict]:
    result = runner.invoke(app, ["readiness", *args, "-f", "json", "--today", TODAY.isoformat()])
    return result.exit_code, json.loads(result.stdout)


def test_every_example_is_covered():
    assert sorted(EXPECTED) == sorted(p.stem for p in EXAMPLES.glob("*.yaml"))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_example_has_its_verdict_and_missing_list(name: str):
    missing, noes = EXPECTED[name]
    code, out = _json([str(EXAMPLES / f"{name}.yaml")])
    assert code == ExitCode.FINDINGS
    assert out["schema"] == "rtr.readiness/v1"
    assert out["ready"] is False
    assert out["missing"] == missing
    assert [q["id"] for q in out["questions"] if not q["answer"]] == noes
    # The criteria are the plan's: what holds now is week 1's, and each missing one comes when the plan says.
    plan = planner.api.plan_for_file(EXAMPLES / f"{name}.yaml", today=TODAY)
    for c in out["criteria"]:
        assert c["holds"] == getattr(plan.weeks[0].criteria, c["criterion"])
        first = next((w.week for w in plan.weeks if getattr(w.criteria, c["criterion"])), None)
        assert c["holds_from_week"] == first
        assert (c["plan"] == []) == c["holds"]
    assert out["plan_status"] == plan.status
    assert out["ready_week"] == plan.ready_week


def test_the_text_says_what_the_plan_does_about_each_missing_item():
    result = runner.invoke(app, ["readiness", str(EXAMPLES / "shin-pain-10k.yaml"), "--today", TODAY.isoformat()])
    assert result.exit_code == 1
    text = result.stdout
    assert text.startswith("Not ready yet: 4 of the 4 readiness criteria do not hold.")
    # From the plan: the phases to the 10-mile gate, the strength blocks, the hop stages, the fitted warm-up.
    assert "weeks 1-6: Walk-run" in text
    assert "holds from the start of week 9" in text
    assert "(block 1, hypertrophy)" in text
    assert "(block 2, max strength)" in text
    assert "stage 4, single-leg hops in place (readiness test), 3 x 30 s each leg" in text
    assert "aimed at ankle dorsiflexion, hip abductor strength" in text
    assert "all 4 criteria hold from week 9" in text


def test_a_referral_says_a_clinician_comes_first():
    result = runner.invoke(app, ["readiness", str(EXAMPLES / "red-flags-referral.yaml"), "--today", "2026-11-26"])
    assert result.exit_code == 1
    assert "the plan sends you to a clinician first" in result.stdout
    assert "See a clinician within 24 hours" in result.stdout


def _all_four(tmp_path: Path) -> Path:
    text = (EXAMPLES / "marathon-8wk-at-risk.yaml").read_text()
    text = text.replace("running_pain: 3", "running_pain: 0")
    text = text.replace("gait_analysis_done: false", "gait_analysis_done: true")
    path = tmp_path / "ready.yaml"
    path.write_text(text)
    return path


def test_a_profile_meeting_all_four_criteria_exits_0(tmp_path: Path):
    code, out = _json([str(_all_four(tmp_path))])
    assert code == ExitCode.OK
    assert out["ready"] is True
    assert out["missing"] == []
    assert all(q["answer"] for q in out["questions"])
    assert all(c["holds_from_week"] == 1 for c in out["criteria"])
    text = runner.invoke(app, ["readiness", str(_all_four(tmp_path)), "--today", "2026-11-26"]).stdout
    assert text.startswith("Ready: all 4 readiness criteria hold.")


def test_the_thresholds_come_from_the_ruleset(tmp_path: Path):
    # 10 mi a week over three runs: ready under the shipped ruleset.
    profile = tmp_path / "ten.yaml"
    text = _all_four(tmp_path).read_text().replace("weekly_miles: 15", "weekly_miles: 10")
    profile.write_text(text.replace("longest_run_miles: 6", "longest_run_miles: 4"))
    assert _json([str(profile)])[0] == ExitCode.OK
    # A physical therapist who moves the gate and the heavy-load line changes the questions and the verdict.
    parent = (ROOT / "rulesets" / "return-to-run.yaml").read_text()
    edited = parent.replace("  gate_weekly_miles:\n    value: 10\n", "  gate_weekly_miles:\n    value: 10.5\n", 1)
    edited = edited.replace("      heavy_load_lb:\n        value: 10\n", "      heavy_load_lb:\n        value: 20\n", 1)
    assert "value: 10.5" in edited
    assert "value: 20\n        min: 5" in edited
    ruleset = tmp_path / "edited.yaml"
    ruleset.write_text(edited)
    code, out = _json([str(profile), "--ruleset", str(ruleset)])
    assert code == ExitCode.FINDINGS
    assert out["missing"] == ["pain_free_10_mpw"]
    asked = {q["id"]: q["question"] for q in out["questions"]}
    assert "at least 10.5 mi a week" in asked["ten-miles"]
    assert "heavier than 20 lb" in asked["heavy-lifting"]


def test_no_profile_and_no_terminal_is_bad_input():
    result = runner.invoke(app, ["readiness"])
    assert result.exit_code == ExitCode.BAD_INPUT
    assert "no profile given, and no terminal" in result.stderr
    assert "rtr readiness PROFILE" in result.stderr


def _spawn(*args: str) -> pexpect.spawn:
    return spawn_rtr(*args, columns=200)


def test_in_a_terminal_the_questions_are_asked_and_answered():
    child = _spawn("readiness")
    child.expect_exact("video analysis of your running form? (yes/no)")
    child.sendline("maybe")  # not an answer: asked again
    child.expect_exact("Please answer yes or no.")
    child.expect_exact("(yes/no)")
    child.sendline("no")
    child.expect_exact("heavier than 10 lb")
    child.sendline("YES")
    child.expect_exact("progressive jump programme")
    child.sendline("n")
    child.expect_exact("at least 10 mi a week without pain")
    child.sendline("y")
    child.expect_exact("dynamic warm-up before every run")
    child.sendline("yes")
    code, rest = finish(child)
    assert code == ExitCode.FINDINGS
    assert "Not ready yet: 1 of the 4 readiness criteria does not hold." in rest
    assert "Missing: Hop on one leg for 3 sets of 30 seconds on each side, without pain." in rest
    assert "rtr init" in rest


def test_in_a_terminal_all_yes_is_ready():
    child = _spawn("readiness")
    for _ in range(5):
        child.expect_exact("(yes/no)")
        child.sendline("yes")
    code, rest = finish(child)
    assert code == ExitCode.OK
    assert "Ready: all 4 readiness criteria hold." in rest


def test_ctrl_c_in_the_questions_exits_130():
    child = _spawn("readiness")
    child.expect_exact("(yes/no)")
    child.sendintr()
    code, _ = finish(child)
    assert code == 130
