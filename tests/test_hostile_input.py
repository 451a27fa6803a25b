"""Bad input never crashes, hangs, leaks or overwrites: one regression test per class found.

Each class of the adversarial round (issue 8) is reproduced here with an input of its
kind, through the CLI as a user would run it. Bad input must end in exit 2 with
``file:line:column`` diagnostics (or exit 1 for a checking command's findings), never
exit 3, a traceback, a hang, a huge output, raw control characters, or a changed file.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planner.cli import app
from planner.cli.common import ExitCode
from tests.conftest import EXAMPLES, ROOT, RULESETS

runner = CliRunner()
TODAY = ("--today", "2026-11-26")
PROFILE_TEXT = (EXAMPLES / "shin-pain-10k.yaml").read_text(encoding="utf-8")
DEFAULT_RULESET = (RULESETS / "return-to-run.yaml").read_text(encoding="utf-8")
README = (ROOT / "README.md").read_text(encoding="utf-8")


def rtr(*args: str) -> object:
    result = runner.invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.stderr
    return result


def bad_input(*args: str) -> str:
    """Run a command that must refuse its input: exit 2, positions, no control characters."""
    result = rtr(*args)
    assert result.exit_code == ExitCode.BAD_INPUT, (result.exit_code, result.stdout, result.stderr)
    assert "\x1b" not in result.stderr
    assert len(result.stderr) < 20_000
    return result.stderr


# ----------------------------------------------------------------------------- 1. outputs
def test_an_output_never_replaces_an_input_a_link_a_fifo_or_a_read_only_file(tmp_path: Path):
    profile = tmp_path / "p.yaml"
    profile.write_text(PROFILE_TEXT)
    ruleset = tmp_path / "r.yaml"
    ruleset.write_text(DEFAULT_RULESET)
    before = {p: p.read_bytes() for p in (profile, ruleset)}
    assert "would overwrite an input file" in bad_input(
        "plan", str(profile), "--ruleset", str(ruleset), "-o", str(ruleset), *TODAY
    )
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_text("{}")
    link = tmp_path / "link.json"
    link.symlink_to(elsewhere)
    assert "is a symbolic link" in bad_input("plan", str(profile), "-o", str(link), *TODAY)
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    assert "not a regular file" in bad_input("plan", str(profile), "-o", str(fifo), *TODAY)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    frozen = tmp_path / "frozen.json"
    frozen.write_text("{}")
    frozen.chmod(0o444)
    assert "read-only" in bad_input("plan", str(profile), "-o", str(frozen), *TODAY)  # by mode bits: root too
    assert frozen.read_text() == "{}"
    assert {p: p.read_bytes() for p in (profile, ruleset)} == before
    shipped = RULESETS / "return-to-run.yaml"
    assert "would overwrite an input file" in bad_input("plan", str(profile), "-o", str(shipped), *TODAY)


def test_a_new_output_file_gets_the_users_umask(tmp_path: Path):
    old = os.umask(0o022)
    try:
        out = tmp_path / "plan.json"
        assert rtr("plan", str(EXAMPLES / "shin-pain-10k.yaml"), "-f", "json", "-o", str(out), *TODAY).exit_code == 0
        assert stat.S_IMODE(out.stat().st_mode) == 0o644
    finally:
        os.umask(old)


# ----------------------------------------------------------------------------- 2. engine limits
def _ruleset_with(tmp_path: Path, extra: str, replace: tuple[str, str] | None = None) -> Path:
    text = DEFAULT_RULESET if replace is None else DEFAULT_RULESET.replace(*replace)
    path = tmp_path / "r.yaml"
    path.write_text(text.replace("id: return-to-run", "id: hostile", 1) + extra)
    return path


def _gates(n: int, sticky: bool = True) -> str:
    return "".join(
        f"  - {{id: g{i}, title: G{i}, runner_text: G, source: seed-2025, grade: weak, "
        f"sticky: {'true' if sticky else 'false'}, "
        f"when: [week >= {i + 1}]}}\n"
        for i in range(n)
    )


@pytest.mark.parametrize(
    ("what", "extra", "replace"),
    [
        (
            "a rule requiring 14 gates",
            "  - {id: many, title: M, source: seed-2025, grade: weak, priority: 80, "
            "requires: [" + ", ".join(f"g{i}" for i in range(14)) + "], then: [{note: x}]}\n",
            ("\ngates:\n", "\ngates:\n" + _gates(14)),
        ),
        ("50 sticky gates", "", ("\ngates:\n", "\ngates:\n" + _gates(50))),
        (
            "260 rules",
            "".join(
                f"  - {{id: r{i}, title: R, source: seed-2025, grade: weak, priority: {100 + i}, "
                "then: [{note: x}]}\n"
                for i in range(260)
            ),
            None,
        ),
        (
            "any: nested 6 deep",
            "  - {id: deep, title: D, source: seed-2025, grade: weak, priority: 80, when: ["
            + "{any: [" * 6
            + "week == 1"
            + "]}" * 6
            + "], then: [{note: x}]}\n",
            None,
        ),
        (
            "a threshold of 0.00001",
            "  - {id: tiny, title: T, source: seed-2025, grade: weak, priority: 80, when: [last_week.miles > 0.00001], "
            "then: [{note: x}]}\n",
            None,
        ),
        (
            "a parameter of 1e13",
            "",
            (
                "  horizon_weeks:\n    value: 52\n    min: 12\n    max: 104",
                "  horizon_weeks:\n    value: 52\n    min: 12\n    max: 10000000000000",
            ),
        ),
    ],
)
def test_rules_check_refuses_what_the_engine_cannot_take(
    tmp_path: Path, what: str, extra: str, replace: tuple[str, str] | None
):
    path = _ruleset_with(tmp_path, extra, replace)
    check = rtr("rules", "check", str(path), "--format", "json")
    assert check.exit_code == ExitCode.FINDINGS, what
    codes = {d["code"] for d in json.loads(check.stdout)}
    assert "engine-limit" in codes or "too-many-conditions" in codes, (what, codes)
    assert all(d["line"] for d in json.loads(check.stdout) if d["code"] == "engine-limit")
    # ... and planning with it is refused as bad input, never handed to the engine.
    bad_input("plan", str(EXAMPLES / "shin-pain-10k.yaml"), "--ruleset", str(path), *TODAY)


def test_a_tiny_profile_distance_is_kept_to_the_hundredth_and_plans(tmp_path: Path):
    profile = tmp_path / "p.yaml"
    profile.write_text(PROFILE_TEXT.replace("weekly_miles: 0\n", "weekly_miles: 0.00001\n", 1))
    result = rtr("plan", str(profile), "-f", "json", *TODAY)
    assert result.exit_code == ExitCode.OK, result.stderr
    assert json.loads(result.stdout)["baseline"]["weekly_miles"] == 0.0


# ----------------------------------------------------------------------------- 3. YAML bombs
def test_an_exponential_alias_profile_is_refused_before_it_is_built(tmp_path: Path):
    laughs = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{n}: &{n} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
        for p, n in zip("abcdefgh", "bcdefghi", strict=True)
    )
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(laughs)
    assert "yaml-alias" in bad_input("plan", str(bomb), *TODAY)
    loop = tmp_path / "loop.yaml"
    loop.write_text("a: &a [*a]\n")
    assert "yaml-alias" in bad_input("plan", str(loop), *TODAY)


# ----------------------------------------------------------------------------- 4. internal errors
@pytest.mark.parametrize(
    ("what", "old", "new"),
    [
        ("500-deep nesting", "runner:\n  name: Sam\n", "runner:\n  name: " + "[" * 500 + "]" * 500 + "\n"),
        ("a 4,301-digit integer", "pre_injury_weekly_miles: 18", "pre_injury_weekly_miles: " + "9" * 4301),
        ("a start date near 9999", "start_date: 2027-01-04", "start_date: 9999-12-27"),
        ("a boolean that says no", "cleared_to_run: true", "cleared_to_run: no"),
        ("a number that is true", "pre_injury_weekly_miles: 18", "pre_injury_weekly_miles: true"),
        ("a 100,000-character name", "name: Sam", "name: " + "S" * 100_000),
        ("a NUL byte", "name: Sam", "name: S\x00m"),
    ],
)
def test_a_bad_profile_is_exit_2_never_an_internal_error(tmp_path: Path, what: str, old: str, new: str):
    assert old in PROFILE_TEXT, what
    profile = tmp_path / "p.yaml"
    profile.write_text(PROFILE_TEXT.replace(old, new, 1))
    stderr = bad_input("plan", str(profile), *TODAY)
    assert "p.yaml:" in stderr
    assert "hint:" in stderr, (what, stderr)


def test_dates_near_the_end_of_the_calendar_are_refused_as_arguments():
    stderr = bad_input("plan", str(EXAMPLES / "shin-pain-10k.yaml"), "--today", "9999-12-30")
    assert "2000-2196" in stderr


def test_a_long_chain_of_gates_is_checked_without_recursion(tmp_path: Path):
    chain = "".join(
        f"  - {{id: c{i}, title: C, source: seed-2025, grade: weak, requires: [c{i + 1}]}}\n" for i in range(1200)
    )
    path = _ruleset_with(
        tmp_path,
        "",
        ("\ngates:\n", "\ngates:\n" + chain + "  - {id: c1200, title: C, source: seed-2025, grade: weak}\n"),
    )
    result = rtr("rules", "check", str(path))
    assert result.exit_code == ExitCode.FINDINGS
    assert "engine-limit" in result.stdout


def _plan_json(tmp_path: Path) -> dict[str, object]:
    out = tmp_path / "plan.json"
    assert rtr("plan", str(EXAMPLES / "shin-pain-10k.yaml"), "-f", "json", "-o", str(out), *TODAY).exit_code == 0
    return json.loads(out.read_text())


@pytest.mark.parametrize(
    ("what", "edit"),
    [
        ("a negative strength block", lambda p: p["weeks"][0]["strength"].update(block=-5)),
        ("a huge hop stage", lambda p: p["weeks"][0]["plyometrics"].update(stage=10_000)),
        ("NaN miles", lambda p: p["weeks"][0]["running"].update(weekly_miles="NaN")),
        ("a ruleset id that is a path", lambda p: p["ruleset"].update(id="/etc/passwd")),
        ("the environment as a ruleset", lambda p: p["ruleset"].update(id="/proc/self/environ")),
        ("a week in year 9999", lambda p: p["weeks"][0].update(start_date="9999-12-27")),
        ("a strength day that is not a weekday", lambda p: p["weeks"][0]["strength"].update(days=["xyz"])),
        ("a strength day listed twice", lambda p: p["weeks"][0]["strength"].update(days=["mon", "mon"])),
        ("a capitalised hop day", lambda p: p["weeks"][0]["plyometrics"].update(days=["Tue"])),
    ],
)
def test_a_bad_plan_file_is_exit_2_and_reads_nothing_it_names(tmp_path: Path, what: str, edit: object):
    plan = _plan_json(tmp_path)
    edit(plan)  # type: ignore[operator]
    path = tmp_path / "bad.json"
    text = json.dumps(plan).replace('"NaN"', "NaN")
    path.write_text(text)
    stderr = bad_input("validate", str(path))
    assert "root:" not in stderr  # /etc/passwd is never echoed
    assert "PATH=" not in stderr  # nor the environment


def test_a_cases_file_whose_set_runs_through_a_value_fails_that_case(tmp_path: Path):
    cases = tmp_path / "x.cases.yaml"
    cases.write_text(
        (RULESETS / "return-to-run.cases.yaml")
        .read_text()
        .replace(
            "    set: {current.weekly_miles: 12, current.longest_run_miles: 5}", "    set: {runner.name.first: Ann}", 1
        )
    )
    result = rtr("rules", "test", str(cases))
    assert result.exit_code == ExitCode.FINDINGS
    assert "runs through 'name', which is not a mapping" in result.stdout


def test_a_cases_file_cannot_point_outside_its_folder(tmp_path: Path):
    cases = tmp_path / "x.cases.yaml"
    cases.write_text(
        (RULESETS / "return-to-run.cases.yaml")
        .read_text()
        .replace("ruleset: return-to-run", "ruleset: ../../etc/passwd")
    )
    bad_input("rules", "test", str(cases))


# ----------------------------------------------------------------------------- 5. files not ours
def test_extends_names_an_id_never_a_path(tmp_path: Path):
    secret = tmp_path / "secrets.yaml"
    secret.write_text("password: hunter2\n")
    child = tmp_path / "sub" / "child.yaml"
    child.parent.mkdir()
    child.write_text("schema: rtr.ruleset/v1\nid: child\nversion: 1.0.0\ntitle: C\nextends: ../secrets\nsources: {}\n")
    result = rtr("rules", "check", str(child))
    assert result.exit_code == ExitCode.FINDINGS
    assert "unknown-parent" in result.stdout
    assert "hunter2" not in result.stdout + result.stderr


def test_a_parent_chain_deeper_than_the_limit_is_named_as_such(tmp_path: Path):
    for i in range(10):
        parent = "return-to-run" if i == 0 else f"level{i - 1}"
        (tmp_path / f"level{i}.yaml").write_text(
            f"schema: rtr.ruleset/v1\nid: level{i}\nversion: 1.0.0\ntitle: L{i}\nextends: {parent}\n"
        )
    result = rtr("rules", "check", str(tmp_path / "level9.yaml"))
    assert result.exit_code == ExitCode.FINDINGS
    assert "deeper than 8" in result.stdout


# ----------------------------------------------------------------------------- 6-7. output size and control characters
def test_an_error_far_along_a_long_line_shows_a_window(tmp_path: Path):
    plan = _plan_json(tmp_path)
    plan["status"] = "maybe"
    plan["padding_field"] = "x" * 18_000
    path = tmp_path / "long.json"
    path.write_text(json.dumps(plan))  # one 60 kB line
    stderr = bad_input("validate", str(path))
    assert len(stderr) < 4_000


def test_control_characters_in_a_profile_never_reach_the_terminal(tmp_path: Path):
    profile = tmp_path / "p.json"
    data = json.loads(json.dumps(__import__("yaml").safe_load(PROFILE_TEXT), default=str))
    data["runner"]["name"] = "Sam\u001b[2J\u001b]0;pwned\u0007"
    profile.write_text(json.dumps(data))  # JSON escapes: the file itself is plain text
    for fmt in ("text", "markdown"):
        result = rtr("plan", str(profile), "-f", fmt, *TODAY)
        assert result.exit_code == ExitCode.OK, result.stderr
        assert "\x1b" not in result.stdout
        assert "\\x1b" in result.stdout  # shown, escaped


# ----------------------------------------------------------------------------- 10. pipes
def test_a_profile_read_from_a_pipe_is_read_once():
    done = subprocess.run(
        [sys.executable, "-m", "planner.cli", "plan", "/dev/stdin", *TODAY],
        input=PROFILE_TEXT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Your return-to-run plan, Sam" in done.stdout


# ----------------------------------------------------------------------------- 12. hints
def test_every_error_in_a_badly_mangled_profile_has_a_position_and_a_hint(tmp_path: Path):
    mangled = (
        PROFILE_TEXT.replace("cleared_to_run: true", "cleared_to_run: maybe")
        .replace("pain_free_walk_minutes: 30", "pain_free_walk_minutes: lots")
        .replace("race: 10k", "race: 15k")
        .replace("long_run_day: sun", "long_run_day: sunday")
        .replace("start_date: 2027-01-04", "start_date: 2027-13-04")
        .replace("units: mi", "units: miles\nunknown_key: 1")
    )
    profile = tmp_path / "p.yaml"
    profile.write_text(mangled)
    result = rtr("plan", str(profile), *TODAY, "--engine", "reference")
    assert result.exit_code == ExitCode.BAD_INPUT
    errors = [line for line in result.stderr.splitlines() if ": error[" in line]
    hints = [line for line in result.stderr.splitlines() if line.strip().startswith("hint:")]
    assert len(errors) >= 6
    assert len(hints) >= len(errors)


# ----------------------------------------------------------------------------- 13. one evaluator
def test_the_process_evaluator_is_created_once_under_threads():
    import planner.engine.durable as durable

    durable._EVALUATOR = None
    made: list[object] = []
    barrier = threading.Barrier(16)

    def first_plan() -> None:
        barrier.wait()
        made.append(durable.durable_evaluator())

    threads = [threading.Thread(target=first_plan) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({id(e) for e in made}) == 1


# ----------------------------------------------------------------------------- the README's limits
@pytest.mark.parametrize(
    ("limit", "old", "new", "code"),
    [
        ("profile 1 MB", "name: Sam", "name: Sam\n# " + "x" * 1_000_001, "file-unreadable"),
        ("UTF-8", "name: Sam", "name: S\udcffm", "file-unreadable"),
        ("control characters", "name: Sam", "name: S\x07m", "yaml-control-character"),
        ("no anchors or aliases", "name: Sam", "name: &n Sam\nnickname: *n", "yaml-alias"),
        ("32 levels of nesting", "name: Sam", "name: " + "[" * 33 + "]" * 33, "yaml-too-large"),
        ("20,000 characters in one value", "name: Sam", "name: " + "S" * 20_001, "yaml-too-large"),
        ("15 digits", "pre_injury_weekly_miles: 18", "pre_injury_weekly_miles: 1234567890123456", "yaml-too-large"),
        ("no .inf", "pre_injury_weekly_miles: 18", "pre_injury_weekly_miles: .inf", "wrong-type"),
        ("true is not a number", "pre_injury_weekly_miles: 18", "pre_injury_weekly_miles: true", "wrong-type"),
        ("1 is not a boolean", "cleared_to_run: true", "cleared_to_run: 1", "wrong-type"),
        ("profile dates up to 2197", "start_date: 2027-01-04", "start_date: 2198-01-04", "out-of-range"),
    ],
)
def test_each_input_limit_the_readme_states_is_refused_with_its_code(
    tmp_path: Path, limit: str, old: str, new: str, code: str
):
    assert old in PROFILE_TEXT, limit
    profile = tmp_path / "p.yaml"
    profile.write_bytes(PROFILE_TEXT.replace(old, new, 1).encode("utf-8", "surrogateescape"))
    stderr = bad_input("plan", str(profile), *TODAY)
    assert f"[{code}]" in stderr, (limit, stderr[:2000])
    assert limit.split()[0].lower() in README.lower() or limit in README, limit


def test_a_plan_longer_than_104_weeks_is_refused(tmp_path: Path):
    plan = _plan_json(tmp_path)
    weeks = plan["weeks"]
    assert isinstance(weeks, list)
    plan["weeks"] = (weeks * (105 // len(weeks) + 1))[:105]
    path = tmp_path / "long.json"
    path.write_text(json.dumps(plan))
    stderr = bad_input("validate", str(path))
    assert "[out-of-range]" in stderr
    assert "104" in stderr


def test_a_duplicate_key_in_a_plan_or_cases_file_is_refused_not_resolved_silently(tmp_path: Path):
    plan = json.dumps(_plan_json(tmp_path), indent=1)
    plan = plan.replace('"taper_weeks": ', '"taper_weeks": 9,\n "taper_weeks": ', 1)
    plan_path = tmp_path / "dup.json"
    plan_path.write_text(plan)
    assert "[yaml-duplicate-key]" in bad_input("validate", str(plan_path))
    cases = (RULESETS / "return-to-run.cases.yaml").read_text(encoding="utf-8")
    cases_path = tmp_path / "dup.cases.yaml"
    cases_path.write_text(cases.replace("today: 2026-11-26\n", "today: 2026-11-26\ntoday: 2027-11-26\n", 1))
    assert "[yaml-duplicate-key]" in bad_input("rules", "test", str(cases_path))


# ----------------------------------------------------------------------------- the fuzz round's finds
def _cli(*args: str, stdout: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "planner.cli", *args],
        stdout=stdout,  # type: ignore[arg-type]
        stderr=subprocess.PIPE,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_full_disk_or_closed_stdout_is_exit_4_with_a_reason():
    args = ("plan", str(EXAMPLES / "shin-pain-10k.yaml"), "-f", "json", *TODAY)
    # open() would create a plain file where the device is missing: make sure it is the device.
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode), "/dev/full is not the full device on this machine"
    with open("/dev/full", "w") as full:
        result = _cli(*args, stdout=full)
    assert result.returncode == ExitCode.OUTPUT
    assert "No space left" in result.stderr
    assert "Traceback" not in result.stderr
    command = " ".join([f"'{sys.executable}'", "-m", "planner.cli", *args])
    closed = subprocess.run(["sh", "-c", f"exec {command} >&-"], stderr=subprocess.PIPE, text=True, timeout=120)
    assert closed.returncode == ExitCode.OUTPUT, closed.stderr
    assert "standard output is closed" in closed.stderr


def test_a_reader_that_stops_early_ends_rtr_quietly():
    with subprocess.Popen(
        [sys.executable, "-m", "planner.cli", "schema", "ruleset"], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    ) as proc:
        assert proc.stdout is not None
        assert proc.stderr is not None
        proc.stdout.close()  # a reader that stops before rtr has written (like `| head -c 0`)
        stderr = proc.stderr.read().decode()
        assert proc.wait(timeout=120) == ExitCode.OUTPUT
    assert stderr == ""


def test_a_ruleset_horizon_beyond_104_weeks_is_refused_not_overflowed(tmp_path: Path):
    path = _ruleset_with(
        tmp_path,
        "",
        (
            "  horizon_weeks:\n    value: 52\n    min: 12\n    max: 104",
            "  horizon_weeks:\n    value: 1000000\n    min: 12\n    max: 2000000",
        ),
    )
    stderr = bad_input("plan", str(EXAMPLES / "shin-pain-10k.yaml"), "--ruleset", str(path), *TODAY)
    assert "horizon_weeks value 1000000 is outside 1-104" in stderr


def test_a_date_written_as_a_number_is_refused(tmp_path: Path):
    path = tmp_path / "epoch.yaml"
    path.write_text(PROFILE_TEXT.replace("race_date: 2027-05-23", "race_date: 1811548800", 1))  # seconds since 1970
    assert "write the date as YYYY-MM-DD" in bad_input("plan", str(path), *TODAY)


def test_a_cases_file_cannot_block_on_a_fifo_or_nest_a_dotted_field_without_end(tmp_path: Path):
    cases = (RULESETS / "return-to-run.cases.yaml").read_text(encoding="utf-8")
    os.mkfifo(tmp_path / "fifo.yaml")
    fifo_cases = tmp_path / "fifo.cases.yaml"
    fifo_cases.write_text(cases.replace("ruleset: return-to-run\n", "ruleset: fifo.yaml\n", 1))
    assert "fifo.yaml is not a regular file" in bad_input("rules", "test", str(fifo_cases))
    deep = tmp_path / "deep.cases.yaml"
    deep.write_text(cases.replace("    set: {", "    set: {" + ".".join(["a"] * 300) + ": 1, ", 1))
    assert "].set.a.a" in bad_input("rules", "test", str(deep))


def test_a_ruleset_of_thousands_of_rules_is_refused_at_its_size(tmp_path: Path):
    rules = "".join(
        f"  - {{id: many-{i}, title: M, source: seed-2025, grade: weak, priority: 80, when: [week >= {i % 50 + 1}], "
        "then: [{note: x}]}\n"
        for i in range(3000)
    )
    path = tmp_path / "many.yaml"
    path.write_text(
        f"schema: rtr.ruleset/v1\nid: many\nversion: 1.0.0\ntitle: Many\nextends: return-to-run\nrules:\n{rules}"
    )
    result = rtr("rules", "check", str(path), "--format", "json")
    assert result.exit_code == ExitCode.FINDINGS
    assert "engine-limit" in {d["code"] for d in json.loads(result.stdout)}


def test_years_of_heavy_lifting_plan_without_an_internal_error(tmp_path: Path):
    # 520 weeks is the profile's limit: blocks count on past the table (they alternate).
    profile = tmp_path / "p.yaml"
    profile.write_text(
        PROFILE_TEXT.replace("weeks_heavy: 0", "weeks_heavy: 520").replace(
            "heavy_sessions_per_week: 0", "heavy_sessions_per_week: 2"
        ),
        encoding="utf-8",
    )
    assert "weeks_heavy: 520" in profile.read_text(encoding="utf-8")
    result = rtr("plan", str(profile), "-f", "json", *TODAY)
    assert result.exit_code == ExitCode.OK, result.stderr
    assert max(w["strength"]["block"] or 0 for w in json.loads(result.stdout)["weeks"]) > 100


@pytest.mark.parametrize(
    ("what", "old", "new", "says"),
    [
        (
            "a placeholder in a phase label",
            'label: "Walk-run"',
            'label: "Walk-run $gate_weekly_miles"',
            "shown as written",
        ),
        (
            "a $ that names nothing",
            "runner_text: Do your warm-up",
            "runner_text: ${ Do your warm-up",
            "a $ that names nothing",
        ),
        ("a pain score above 10", '{score: "7-10"', '{score: "7-11"', "run 0 to 10"),
        ("a recovery week twice", "- {week: 2,", "- {week: 1,", "recovery weeks are numbered"),
        ("warm-up stages out of order", "after_running_weeks: 6", "after_running_weeks: 1", "in order of running"),
        (
            "an exercise swapped for itself",
            "swap: {heel_raise_straight: towel_heel_raise}",
            "swap: {step_up: step_up}",
            "for itself",
        ),
        (
            "an exercise listed twice",
            "exercises: [heel_raise_straight, split_squat, romanian_deadlift]",
            "exercises: [split_squat, split_squat]",
            "more than once",
        ),
    ],
)
def test_rules_check_refuses_prescription_tables_a_runner_would_misread(
    tmp_path: Path, what: str, old: str, new: str, says: str
):
    assert old in DEFAULT_RULESET, what
    result = rtr("rules", "check", str(_ruleset_with(tmp_path, "", (old, new))))
    assert result.exit_code == ExitCode.FINDINGS, what
    assert says in result.stdout + result.stderr, (what, result.stdout[-2000:])
