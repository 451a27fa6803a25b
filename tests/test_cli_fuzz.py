"""Every command survives mangled files: hypothesis edits real files as a careless or hostile hand would.

Where ``test_totality`` swaps subtrees of parsed documents, these edit the *text* of a
working profile, ruleset, cases file and plan file (a value replaced by a hostile token,
a line deleted, duplicated or cut short, a token dropped anywhere) and run the command a
user would, end to end through planning and the engine. Whatever the edit, the command
exits 0, 1 or 2, never 3; prints no traceback and no raw control character; keeps its
output bounded; and leaves every input file byte for byte as it was.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from planner.cli import app
from planner.cli.common import ExitCode
from tests.conftest import EXAMPLES, RULESETS

runner = CliRunner()
TODAY = ("--today", "2026-11-26")
ALLOWED = {ExitCode.OK, ExitCode.FINDINGS, ExitCode.BAD_INPUT}
RAW_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# A fraction of the profile's examples: each one plans, compiles or validates end to end.
EXAMPLES_PER_KIND = max(5, settings().max_examples // 6)

HOSTILE = [
    "",
    "~",
    "yes",
    "no",
    "-1",
    "0",
    "0.00001",
    "1e400",
    ".nan",
    "-.inf",
    "9" * 40,
    "2199-12-31",
    "9999-12-31",
    "0000-01-01",
    "&anchor value",
    "*anchor",
    "!!python/object:os.system",
    "<<: {a: 1}",
    "[[[[[[",
    "{",
    "'",
    '"',
    "\t",
    "\x00",
    "\x1b[2J",
    "\ufeff",
    "\u202e",
    "---",
    "...",
    "/etc/passwd",
    "../../../../etc/shadow",
    "$gate_weekly_miles",
    "last_week.miles >= 10 or (",
    "[" * 40 + "]" * 40,
    "S" * 25_000,
]


def _read(path: Path) -> bytes:
    return path.read_bytes()


# Strategies take indexes and names, never the texts: hypothesis prints a strategy's
# arguments in its notes, and a warning about a huge repr is an error under -W error.
HOSTILE_TOKENS = st.integers(0, len(HOSTILE) - 1).map(HOSTILE.__getitem__)


@st.composite
def edits(draw: st.DrawFn, name: str) -> str:
    """The named input text with one careless or hostile edit."""
    lines = TEXTS[name].split("\n")
    index = draw(st.integers(0, len(lines) - 1))
    token = draw(HOSTILE_TOKENS | st.text(max_size=6))
    kind = draw(st.sampled_from(["value", "insert", "delete", "duplicate", "truncate", "splice"]))
    line = lines[index]
    if kind == "value" and ":" in line:
        key = line.split(":", 1)[0]
        lines[index] = f"{key}: {token}"
    elif kind == "insert":
        lines.insert(index, line[: len(line) - len(line.lstrip())] + token)
    elif kind == "delete":
        del lines[index]
    elif kind == "duplicate":
        lines.insert(index, line)
    elif kind == "truncate":
        return "\n".join(lines[:index]) + "\n" + line[: draw(st.integers(0, len(line)))]
    else:
        at = draw(st.integers(0, len(line)))
        lines[index] = line[:at] + token + line[at:]
    return "\n".join(lines)


def _run_unharmed(args: list[str], inputs: list[Path]) -> None:
    before = {path: _read(path) for path in inputs}
    result = runner.invoke(app, args)
    event(f"exit {result.exit_code}")  # pytest --hypothesis-show-statistics shows the mix
    assert result.exit_code in ALLOWED, (result.exit_code, result.stderr[-3000:], result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.stdout + result.stderr
    assert not RAW_CONTROL.search(result.stderr), result.stderr[:2000]
    assert len(result.stdout) + len(result.stderr) < 2_000_000
    if result.exit_code == ExitCode.BAD_INPUT:
        assert result.stderr.strip(), "refused without saying why"
    for path, content in before.items():
        assert _read(path) == content, f"{path} changed"


def fuzz(name: str, suffix: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Run the wrapped check on edited copies of the named text written to a temporary ``suffix`` file."""

    def wrap(check: Callable[..., None]) -> Callable[..., None]:
        @settings(max_examples=EXAMPLES_PER_KIND, suppress_health_check=[HealthCheck.function_scoped_fixture])
        @given(edited=edits(name))
        def test(tmp_path: Path, edited: str) -> None:
            path = tmp_path / f"input{suffix}"
            path.write_bytes(edited.encode("utf-8", "surrogatepass"))
            check(tmp_path, path)

        test.__name__ = check.__name__
        test.__doc__ = check.__doc__
        return test

    return wrap


PROFILE = (EXAMPLES / "half-marathon-16wk.yaml").read_text(encoding="utf-8")
RULESET = (RULESETS / "return-to-run.yaml").read_text(encoding="utf-8")
CASES = (RULESETS / "return-to-run.cases.yaml").read_text(encoding="utf-8")


def _plan_file() -> str:
    result = runner.invoke(app, ["plan", str(EXAMPLES / "half-marathon-16wk.yaml"), "-f", "json", *TODAY])
    assert result.exit_code == ExitCode.OK
    # Indented JSON so that line edits reach inside weeks, sessions and values.
    return json.dumps(json.loads(result.stdout), indent=1)


PLAN = _plan_file()
TEXTS = {"profile": PROFILE, "ruleset": RULESET, "cases": CASES, "plan": PLAN}


@fuzz("profile", ".yaml")
def test_plan_on_an_edited_profile(tmp_path: Path, path: Path) -> None:
    out = tmp_path / "plan.json"
    _run_unharmed(["plan", str(path), "-f", "json", "-o", str(out), *TODAY], [path])


@fuzz("ruleset", ".yaml")
def test_plan_with_an_edited_ruleset(tmp_path: Path, path: Path) -> None:
    _run_unharmed(["plan", str(EXAMPLES / "half-marathon-16wk.yaml"), "--ruleset", str(path), *TODAY], [path])


@fuzz("ruleset", ".yaml")
def test_rules_check_on_an_edited_ruleset(tmp_path: Path, path: Path) -> None:
    _run_unharmed(["rules", "check", str(path), "--strict"], [path])


@fuzz("cases", ".cases.yaml")
def test_rules_test_with_edited_cases(tmp_path: Path, path: Path) -> None:
    ruleset = tmp_path / "return-to-run.yaml"  # the id the cases name, found next to them
    ruleset.write_text(RULESET, encoding="utf-8")
    _run_unharmed(["rules", "test", str(path)], [path, ruleset])


@fuzz("plan", ".json")
def test_validate_an_edited_plan_file(tmp_path: Path, path: Path) -> None:
    _run_unharmed(["validate", str(path), "--profile", str(EXAMPLES / "half-marathon-16wk.yaml")], [path])
