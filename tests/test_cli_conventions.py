"""CLI conventions (issue 11, part 6): what a user of any command-line tool expects of rtr.

Day names in any case, ``-`` for standard input and output, files created with the
user's umask, ``-h``, shell completion, help that names what each option takes,
warnings that are shown, YAML 1.1 words treated one way, the wrong kind of file named
as such, short windows of long lines, and schemas an editor can find.
"""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main
import yaml
from typer.testing import CliRunner

from planner.cli import app
from planner.cli.common import ExitCode
from tests.conftest import EXAMPLES, ROOT, RULESETS

runner = CliRunner()
TODAY = ["--today", "2026-11-26"]
PROFILE = EXAMPLES / "shin-pain-10k.yaml"
PROFILE_TEXT = PROFILE.read_text(encoding="utf-8")
RTR = Path(sys.executable).with_name("rtr")  # the installed console script, as a user runs it


def rtr(*args: str, input: str | bytes | None = None):
    result = runner.invoke(app, list(args), input=input)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.stderr
    return result


def run(*args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    """The console script in a subprocess: for what only a real process shows (umask, stdin, completion)."""
    kwargs.setdefault("capture_output", True)
    kwargs.setdefault("text", True)
    return subprocess.run([str(RTR), *args], timeout=300, check=False, **kwargs)  # type: ignore[call-overload, no-any-return]


def flat(text: str) -> str:
    """Text without the frame and line breaks of typer's error box."""
    return " ".join(re.sub("[│╭╮╰╯─]", " ", text).split())


def commands() -> list[list[str]]:
    """Every command path of the CLI: [], ["plan"], ["rules"], ["rules", "check"], ..."""
    found: list[list[str]] = []

    def walk(command: object, path: list[str]) -> None:
        found.append(path)
        for name, sub in getattr(command, "commands", {}).items():  # a group (typer vendors click)
            walk(sub, [*path, name])

    walk(typer.main.get_command(app), [])
    return found


# ----------------------------------------------------------------------------- 4. -h
@pytest.mark.parametrize("path", commands(), ids=lambda p: " ".join(p) or "rtr")
def test_dash_h_is_help_on_every_command(path: list[str]):
    short, long = rtr(*path, "-h"), rtr(*path, "--help")
    assert short.exit_code == long.exit_code == ExitCode.OK, short.stderr
    assert "Usage: rtr" in short.stdout
    assert short.stdout == long.stdout


def test_every_command_is_reached_by_the_help_walk():
    names = {" ".join(p) for p in commands()}
    assert {"plan", "checkin", "validate", "explain", "schema", "rules check", "rules diff"} <= names


# ----------------------------------------------------------------------------- 5. shell completion
def test_show_completion_prints_a_bash_script_for_rtr():
    env = {**os.environ, "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"}  # the shell is given, not guessed
    done = run("--show-completion", "bash", env=env)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert "complete -o default -F _rtr_completion rtr" in done.stdout
    assert "_RTR_COMPLETE=complete_bash" in done.stdout


def test_the_completion_protocol_completes_command_and_option_names():
    env = {**os.environ, "_RTR_COMPLETE": "complete_bash", "COMP_WORDS": "rtr pl", "COMP_CWORD": "1"}
    done = run(env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["plan", "plan-batch"]
    env |= {"COMP_WORDS": "rtr plan --to", "COMP_CWORD": "2"}
    assert run(env=env).stdout.split() == ["--today"]


# ----------------------------------------------------------------------------- 6. metavars
def _help(path: list[str]) -> str:
    result = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    return result.stdout


def _row(help_text: str, option: str) -> str:
    rows = [line for line in help_text.splitlines() if line.startswith("│")]  # the options table, not the example
    return next(line for line in rows if re.search(rf"\s{re.escape(option)}\s", line))


@pytest.mark.parametrize("path", commands(), ids=lambda p: " ".join(p) or "rtr")
def test_help_names_what_each_option_takes_never_a_bare_type(path: list[str]):
    text = _help(path)
    for vague in ("<str>", "<path>", "<bool>", "list[str]", "list[Path]", " TEXT ", "INTEGER"):
        assert vague not in text, (path, vague)


@pytest.mark.parametrize(
    ("path", "option", "metavar"),
    [
        (["plan"], "--today", "DATE"),
        (["plan"], "--output", "FILE"),
        (["plan"], "--log", "FILE"),
        (["plan"], "--ruleset", "RULESET"),
        (["explain"], "--week", "WEEK"),
        (["explain"], "--today", "DATE"),
        (["checkin"], "--week", "WEEK"),
        (["checkin"], "--run", "DAY:DISTANCE"),
        (["checkin"], "--missed", "DAY"),
        (["validate"], "--profile", "PROFILE"),
        (["validate"], "--today", "DATE"),
        (["schema"], "--output", "FILE"),
        (["rules", "diff"], "--today", "DATE"),
        (["rules", "diff"], "--profiles", "DIR"),
    ],
)
def test_an_option_shows_its_metavar(path: list[str], option: str, metavar: str):
    assert f" {metavar} " in _row(_help(path), option)


@pytest.mark.parametrize(
    ("path", "usage"),
    [
        (["plan"], "{PROFILE}"),
        (["explain"], "{PROFILE}"),
        (["checkin"], "{PROFILE}"),
        (["validate"], "{PLAN}"),
        (["rules", "show"], "{RULESET}"),
        (["rules", "check"], "{PATH}..."),
    ],
)
def test_arguments_are_named_in_the_usage_line(path: list[str], usage: str):
    first = next(line for line in _help(path).splitlines() if "Usage:" in line)
    assert first.rstrip().endswith(usage)


# ----------------------------------------------------------------------------- 2. `-` is standard input and output
def test_a_profile_from_standard_input_plans_exactly_as_from_its_file():
    from_file = rtr("plan", str(PROFILE), "-f", "json", *TODAY)
    from_stdin = rtr("plan", "-", "-f", "json", *TODAY, input=PROFILE_TEXT)
    assert from_stdin.exit_code == ExitCode.OK, from_stdin.stderr
    assert from_stdin.stdout == from_file.stdout
    explained = rtr("explain", "-", "--week", "1", *TODAY, input=PROFILE_TEXT)
    assert explained.exit_code == ExitCode.OK, explained.stderr
    assert "for Sam" in explained.stdout


def test_diagnostics_name_standard_input_stdin():
    result = rtr("plan", "-", *TODAY, input=PROFILE_TEXT.replace("daily_life_pain: 0", "daily_life_pain: lots"))
    assert result.exit_code == ExitCode.BAD_INPUT
    assert "<stdin>:14:20: error[wrong-type]" in result.stderr
    assert "   14 |   daily_life_pain: lots" in result.stderr


def test_validate_reads_a_plan_from_standard_input():
    plan = rtr("plan", str(PROFILE), "-f", "json", *TODAY).stdout
    result = rtr("validate", "-", "--profile", str(PROFILE), *TODAY, input=plan)
    assert result.exit_code == ExitCode.OK, result.stderr
    assert result.stdout.startswith("<stdin>: no violations of ")
    broken = rtr("validate", "-", input=plan.replace('"status": "ready"', '"status": "maybe"', 1))
    assert broken.exit_code == ExitCode.BAD_INPUT
    assert re.search(r"^<stdin>:\d+:\d+: error\[invalid-choice\]", broken.stderr, re.MULTILINE), broken.stderr


def test_a_ruleset_from_standard_input_is_checked_and_used():
    text = (RULESETS / "patellofemoral-pain.yaml").read_text(encoding="utf-8")
    checked = rtr("rules", "check", "-", input=text)
    assert checked.exit_code == ExitCode.OK, checked.stdout
    assert "1 ruleset(s) checked: 0 error(s)" in checked.stdout
    half = str(EXAMPLES / "half-marathon-16wk.yaml")
    assert (
        rtr("plan", half, "--ruleset", "-", "-f", "json", *TODAY, input=text).stdout
        == rtr("plan", half, "--ruleset", "patellofemoral-pain", "-f", "json", *TODAY).stdout
    )
    bad = rtr("rules", "check", "-", input=text.replace("id: patellofemoral-pain", "id: Bad Id"))
    assert bad.exit_code == ExitCode.FINDINGS
    assert "<stdin>:3:5: error[" in bad.stdout


def test_two_inputs_cannot_both_be_standard_input():
    for args in (["plan", "-", "--ruleset", "-"], ["validate", "-", "--profile", "-"]):
        result = rtr(*args, *TODAY, input=PROFILE_TEXT)
        assert result.exit_code == ExitCode.BAD_INPUT
        assert "standard input holds only one file" in flat(result.stderr)


def test_a_check_in_for_a_profile_from_standard_input_needs_its_log_named(tmp_path: Path):
    result = rtr("checkin", "-", "--as-prescribed", "--no-pain-answers", *TODAY, input=PROFILE_TEXT)
    assert result.exit_code == ExitCode.BAD_INPUT
    assert "give --log FILE" in result.stderr
    log = tmp_path / "log.jsonl"
    args = ["--week", "1", "--as-prescribed", "--running-pain", "0", "--morning-pain", "0", "--daily-pain", "0"]
    named = rtr("checkin", "-", "--log", str(log), *args, "--today", "2027-01-10", input=PROFILE_TEXT)
    assert named.exit_code == ExitCode.OK, named.stderr
    assert "Verdict for week 1: ADVANCE" in named.stdout
    assert len(log.read_text().splitlines()) == 1


def test_dash_o_dash_is_standard_output_and_creates_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    result = rtr("plan", str(PROFILE), "-f", "json", "-o", "-", *TODAY)
    assert result.exit_code == ExitCode.OK, result.stderr
    assert json.loads(result.stdout)["schema"] == "rtr.plan/v1"
    assert result.stdout == rtr("plan", str(PROFILE), "-f", "json", *TODAY).stdout
    schema = rtr("schema", "profile", "-o", "-")
    assert json.loads(schema.stdout)["title"] == "rtr.profile/v1"
    assert os.listdir(".") == []


@pytest.mark.parametrize(
    ("args", "limit"),
    [(["plan", "-"], "1 MB, the limit for a profile"), (["validate", "-"], "4 MB, the limit for a plan")],
)
def test_standard_input_is_read_only_up_to_the_input_limit(args: list[str], limit: str):
    with open("/dev/zero", "rb") as endless:  # never ends: an unbounded read would never return
        done = run(*args, *TODAY, stdin=endless)
    assert done.returncode == ExitCode.BAD_INPUT, done.stderr
    assert f"<stdin>:1:1: error[file-unreadable]: the file is larger than {limit}" in done.stderr


# ----------------------------------------------------------------------------- 7. warnings of a valid profile
def _profile_with_a_warning(tmp_path: Path) -> Path:
    path = tmp_path / "p.yaml"
    path.write_text(PROFILE_TEXT.replace("name: Sam", "name: No"), encoding="utf-8")  # a YAML 1.1 boolean word
    return path


WARNING = "p.yaml:6:9: warning[yaml-implicit-type]"


@pytest.mark.parametrize("command", ["plan", "explain", "validate", "checkin"])
def test_the_warnings_of_a_valid_profile_are_shown_and_exit_0(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str
):
    profile = _profile_with_a_warning(tmp_path)
    monkeypatch.chdir(tmp_path)
    if command == "validate":
        plan = rtr("plan", str(PROFILE), "-f", "json", "-o", "plan.json", *TODAY)
        assert plan.exit_code == 0, plan.stderr
        args = ["validate", "plan.json", "--profile", str(profile)]
    elif command == "checkin":
        args = ["checkin", str(profile), "--log", "log.jsonl", "--week", "1", "--as-prescribed"]
        args += ["--running-pain", "0", "--morning-pain", "0", "--daily-pain", "0", "--today", "2027-01-10"]
    else:
        args = [command, str(profile)]
    result = rtr(*args, *([] if command == "checkin" else TODAY))
    assert result.exit_code == ExitCode.OK, result.stderr
    assert WARNING in result.stderr.replace(str(tmp_path) + os.sep, "")
    assert "    6 |   name: No" in result.stderr


def test_a_profile_without_warnings_prints_nothing_on_stderr():
    result = rtr("plan", str(PROFILE), *TODAY)
    assert result.exit_code == ExitCode.OK
    assert result.stderr == ""


# ----------------------------------------------------------------------------- 1. day names
SPELLINGS = ["tue", "Tue", "TUE", "Tuesday", "tuesday", "TUESDAY"]


def _with_days(
    tmp_path: Path, run_days: str, long_run_day: str = "sun", strength_days: str = "[mon, wed, fri]"
) -> Path:
    text = (
        PROFILE_TEXT.replace("run_days: [tue, thu, sat, sun]", f"run_days: {run_days}")
        .replace("long_run_day: sun", f"long_run_day: {long_run_day}")
        .replace("strength_days: [mon, wed, fri]", f"strength_days: {strength_days}")
    )
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("tuesday", SPELLINGS)
def test_a_day_in_any_case_or_in_full_plans_exactly_as_its_short_form(tmp_path: Path, tuesday: str):
    expected = rtr("plan", str(PROFILE), "-f", "json", *TODAY).stdout
    profile = _with_days(tmp_path, f"[{tuesday}, Thursday, SAT, sun]", "Sunday", "[Mon, WEDNESDAY, fri]")
    result = rtr("plan", str(profile), "-f", "json", *TODAY)
    assert result.exit_code == ExitCode.OK, result.stderr
    assert result.stdout == expected  # normalised to the short form the plan already used


def test_a_word_that_is_not_a_day_says_exactly_what_is_accepted(tmp_path: Path):
    result = rtr("plan", str(_with_days(tmp_path, "[tues, thu, sat, sun]")), *TODAY)
    assert result.exit_code == ExitCode.BAD_INPUT
    assert "p.yaml:31:14: error[invalid-choice]: not a day (got 'tues')" in result.stderr
    assert (
        "hint: did you mean 'tue'? write mon, tue, wed, thu, fri, sat or sun, "
        "or the full name (monday ... sunday), in any case" in result.stderr
    )


def test_two_spellings_of_one_day_are_one_day_listed_twice(tmp_path: Path):
    result = rtr("plan", str(_with_days(tmp_path, "[tue, Tuesday, sat, sun]")), *TODAY)
    assert result.exit_code == ExitCode.BAD_INPUT
    assert "listed more than once: tue" in result.stderr


def test_the_profile_schema_accepts_the_same_day_names():
    schema = json.loads(rtr("schema", "profile").stdout)
    pattern = schema["$defs"]["Availability"]["properties"]["long_run_day"]["pattern"]
    for word in [*SPELLINGS, "mon", "Wednesday", "SUNDAY"]:
        assert re.fullmatch(pattern, word), word
    for word in ["tues", "t", "Tuesdays", " tue", "sunday!"]:
        assert not re.fullmatch(pattern, word), word


@pytest.mark.parametrize("tuesday", ["Tue", "TUESDAY"])
def test_check_in_flags_take_days_in_any_case(tmp_path: Path, tuesday: str):
    args = ["checkin", str(PROFILE), "--log", str(tmp_path / "log.jsonl"), "--week", "1", "--dry-run"]
    args += ["--running-pain", "0", "--morning-pain", "0", "--daily-pain", "0", "--today", "2027-01-10"]
    result = rtr(*args, "--run", f"{tuesday}:1", "--missed", "Thursday")
    assert result.exit_code == ExitCode.OK, result.stderr
    bad = rtr(*args, "--missed", "Tues")
    assert bad.exit_code == ExitCode.BAD_INPUT
    assert "'Tues' is not a day" in bad.stderr
    assert "did you mean 'tue'? write mon, tue, wed, thu, fri, sat or sun, or the full name" in bad.stderr


# ----------------------------------------------------------------------------- 9. the wrong kind of file
def _errors(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if "error[" in line]


def _plan_file(tmp_path: Path) -> Path:
    path = tmp_path / "plan.json"
    path.write_text(rtr("plan", str(PROFILE), "-f", "json", *TODAY).stdout, encoding="utf-8")
    return path


def test_a_profile_given_as_a_plan_is_named_in_one_error():
    result = rtr("validate", str(PROFILE))
    assert result.exit_code == ExitCode.BAD_INPUT
    errors = _errors(result.stderr)
    assert len(errors) == 1, result.stderr
    assert errors[0].endswith(
        "shin-pain-10k.yaml:4:9: error[wrong-kind-of-file]: "
        "this looks like a runner's profile (rtr.profile/v1), not a plan"
    )
    assert "-f json -o plan.json` first, then `rtr validate plan.json`" in result.stderr


@pytest.mark.parametrize(
    ("given", "what", "hint"),
    [
        ("plan", "a plan (rtr.plan/v1)", "check it with `rtr validate "),
        ("ruleset", "a ruleset (rtr.ruleset/v1)", "give it with --ruleset "),
        ("cases", "a ruleset's cases file (rtr.cases/v1)", "run it with `rtr rules test "),
        ("checkins", "a check-in log (rtr.checkins/v1)", "give it with --log "),
    ],
)
@pytest.mark.parametrize("command", ["plan", "explain"])
def test_another_kind_of_file_given_as_a_profile_is_named_in_one_error(
    tmp_path: Path, command: str, given: str, what: str, hint: str
):
    path = {
        "plan": _plan_file(tmp_path),
        "ruleset": RULESETS / "itb-syndrome.yaml",
        "cases": RULESETS / "itb-syndrome.cases.yaml",
        "checkins": EXAMPLES / "knee-flare-up.checkins.jsonl",
    }[given]
    result = rtr(command, str(path), *TODAY)
    assert result.exit_code == ExitCode.BAD_INPUT, result.stderr
    errors = _errors(result.stderr)
    assert len(errors) == 1, result.stderr
    assert errors[0].endswith(f"error[wrong-kind-of-file]: this looks like {what}, not a runner's profile")
    assert hint in result.stderr


def test_a_profile_given_as_a_ruleset_is_named_in_one_error():
    result = rtr("plan", str(PROFILE), "--ruleset", str(EXAMPLES / "no-race-km.yaml"), *TODAY)
    assert result.exit_code == ExitCode.BAD_INPUT
    assert len(_errors(result.stderr)) == 1
    assert "this looks like a runner's profile (rtr.profile/v1), not a ruleset" in result.stderr
    checked = rtr("rules", "check", str(EXAMPLES / "no-race-km.yaml"))
    assert checked.exit_code == ExitCode.FINDINGS
    assert "not a ruleset" in checked.stdout


# ----------------------------------------------------------------------------- 10. long lines
def _quote(stderr: str) -> tuple[str, str]:
    """The quoted source line of the first diagnostic, and the text from its first caret on."""
    lines = stderr.splitlines()
    at = next(i for i, line in enumerate(lines) if re.match(r"^\s+\d+ \| ", line))
    quoted, carets = lines[at], lines[at + 1]
    start = carets.index("^")
    return quoted.split(" | ", 1)[1], quoted[start:]


def _assert_short_window(stderr: str, points_at: str) -> None:
    shown, pointed = _quote(stderr)
    assert len(shown) <= 102, shown  # 100 characters and a "…" each side
    assert shown.startswith("…"), shown
    assert shown.endswith("…"), shown
    assert pointed.startswith(points_at), (pointed, shown)


def test_an_error_in_a_minified_plan_shows_a_short_window_around_its_column(tmp_path: Path):
    plan = json.loads(rtr("plan", str(PROFILE), "-f", "json", *TODAY).stdout)
    plan["weeks"][3]["week"] = "x"
    path = tmp_path / "min.json"
    path.write_text(json.dumps(plan, separators=(",", ":")), encoding="utf-8")
    assert len(path.read_text()) > 20_000
    result = rtr("validate", str(path))
    assert result.exit_code == ExitCode.BAD_INPUT
    assert re.search(r"min\.json:1:\d{5}: error\[wrong-type\]", result.stderr), result.stderr
    _assert_short_window(result.stderr, '"x"')


def test_an_error_in_a_one_line_profile_shows_a_short_window(tmp_path: Path):
    data = yaml.safe_load(PROFILE_TEXT)
    data["start_date"] = str(data["start_date"])
    data["goal"]["race_date"] = str(data["goal"]["race_date"])
    data["current"]["daily_life_pain"] = "lots"
    path = tmp_path / "p.json"
    path.write_text(json.dumps(data), encoding="utf-8")  # one line of several hundred characters
    result = rtr("plan", str(path), *TODAY)
    assert result.exit_code == ExitCode.BAD_INPUT
    _assert_short_window(result.stderr, '"lots"')


def test_an_error_on_a_long_check_in_line_shows_a_short_window(tmp_path: Path):
    line = {"schema": "rtr.checkins/v1", "id": "w1-x", "week": 1, "date": "2027-01-10", "notes": "n" * 1500}
    line |= {"running_pain": "lots", "next_morning_pain": 0, "daily_life_pain": 0, "strength_sessions": 0, "missed": []}
    log = tmp_path / "log.jsonl"
    log.write_text(json.dumps(line) + "\n", encoding="utf-8")
    result = rtr("plan", str(PROFILE), "--log", str(log), "--today", "2027-01-12")
    assert result.exit_code == ExitCode.BAD_INPUT, result.stderr
    assert "log.jsonl:1:" in result.stderr
    _assert_short_window(result.stderr, '"running_pain"')


def test_a_short_line_is_quoted_whole():
    result = rtr("plan", "-", *TODAY, input=PROFILE_TEXT.replace("daily_life_pain: 0", "daily_life_pain: lots"))
    shown, pointed = _quote(result.stderr)
    assert shown == "  daily_life_pain: lots"
    assert pointed == "lots"
    assert "^^^^" in result.stderr


# ----------------------------------------------------------------------------- 8. YAML 1.1 words
DEFAULT_RULESET_TEXT = (RULESETS / "return-to-run.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize("word", ["yes", "no", "on", "off", "Yes", "NO"])
def test_a_yes_no_word_where_a_profile_wants_a_boolean_is_one_error_saying_write_true_or_false(
    tmp_path: Path, word: str
):
    path = tmp_path / "p.yaml"
    path.write_text(PROFILE_TEXT.replace("cleared_to_run: true", f"cleared_to_run: {word}"), encoding="utf-8")
    result = rtr("plan", str(path), *TODAY)
    assert result.exit_code == ExitCode.BAD_INPUT
    assert _errors(result.stderr) == [
        f"{path}:11:19: error[wrong-type]: Input should be a valid boolean (got '{word}')"
    ]
    assert "hint: write true or false (yes/no, on/off and numbers are not booleans here)" in result.stderr
    assert "warning[" not in result.stderr  # no warning beside it suggesting quotes, which would not help


def test_a_yes_no_word_where_a_profile_wants_text_stays_that_text_with_a_warning(tmp_path: Path):
    path = tmp_path / "p.yaml"
    path.write_text(PROFILE_TEXT.replace("name: Sam", "name: No"), encoding="utf-8")
    result = rtr("plan", str(path), "-f", "json", *TODAY)
    assert result.exit_code == ExitCode.OK, result.stderr
    assert json.loads(result.stdout)["runner"]["name"] == "No"  # the text written, never false
    assert f"{path}:6:9: warning[yaml-implicit-type]: 'No' is kept as the text 'No', not read as a yes/no boolean" in (
        result.stderr
    )
    assert 'hint: if you mean the text, quote it ("No"); if you mean a boolean, write true or false' in result.stderr
    quoted = tmp_path / "q.yaml"
    quoted.write_text(PROFILE_TEXT.replace("name: Sam", 'name: "No"'), encoding="utf-8")
    assert rtr("plan", str(quoted), *TODAY).stderr == ""  # quoting says it is meant


def test_a_yes_no_word_in_a_ruleset_is_an_error_for_a_boolean_and_text_with_a_warning_for_text(tmp_path: Path):
    text = DEFAULT_RULESET_TEXT.replace("id: return-to-run", "id: yes-no", 1)
    boolean = tmp_path / "boolean.yaml"
    boolean.write_text(text.replace("race_specific: true", "race_specific: yes", 1), encoding="utf-8")
    result = rtr("rules", "check", str(boolean))
    assert result.exit_code == ExitCode.FINDINGS
    assert "error[wrong-type]: Input should be a valid boolean (got 'yes')" in result.stdout
    assert "hint: write true or false" in result.stdout
    assert "warning[yaml-implicit-type]" not in result.stdout
    label = 'label: "Taper: less running, fresh legs"'
    assert label in text
    textual = tmp_path / "text.yaml"
    textual.write_text(text.replace(label, "label: off", 1), encoding="utf-8")
    result = rtr("rules", "check", str(textual))
    assert result.exit_code == ExitCode.OK, result.stdout
    assert "warning[yaml-implicit-type]: 'off' is kept as the text 'off', not read as a yes/no boolean" in result.stdout
    plan = rtr("plan", str(EXAMPLES / "half-marathon-16wk.yaml"), "--ruleset", str(textual), "-f", "json", *TODAY)
    assert plan.exit_code == ExitCode.OK, plan.stderr
    assert '"off"' in plan.stdout  # the phase's label, as written


# ----------------------------------------------------------------------------- 3. -o FILE and the umask
def _plan_to(path: Path, umask: int) -> subprocess.CompletedProcess[str]:
    return run("plan", str(PROFILE), "-f", "json", "-o", str(path), *TODAY, preexec_fn=lambda: os.umask(umask))


@pytest.mark.parametrize(
    ("umask", "mode"), [(0o022, 0o644), (0o027, 0o640), (0o002, 0o664), (0o077, 0o600)], ids=lambda m: f"{m:03o}"
)
def test_a_new_output_file_gets_0666_less_the_umask(tmp_path: Path, umask: int, mode: int):
    out = tmp_path / "plan.json"
    done = _plan_to(out, umask)
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE(out.stat().st_mode) == mode
    assert json.loads(out.read_text())["schema"] == "rtr.plan/v1"


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o664], ids=lambda m: f"{m:03o}")
def test_a_replaced_output_file_keeps_its_mode_and_is_swapped_whole(tmp_path: Path, mode: int):
    out = tmp_path / "plan.json"
    out.write_text("old")
    out.chmod(mode)
    before = out.stat().st_ino
    done = _plan_to(out, 0o022)
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE(out.stat().st_mode) == mode
    assert out.stat().st_ino != before  # a new file renamed over the old one, never the old one rewritten in place
    assert json.loads(out.read_text())["schema"] == "rtr.plan/v1"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.json"]  # no temporary file left behind


def test_an_output_never_overwrites_its_input(tmp_path: Path):
    profile = tmp_path / "p.yaml"
    profile.write_text(PROFILE_TEXT, encoding="utf-8")
    done = run("plan", str(profile), "-o", str(profile), *TODAY)
    assert done.returncode == ExitCode.BAD_INPUT
    assert "would overwrite an input file" in done.stderr
    assert profile.read_text(encoding="utf-8") == PROFILE_TEXT


# ----------------------------------------------------------------------------- 11. rules show of a missing file
@pytest.mark.parametrize("args", [["no/such.yaml"], ["no/such.yaml", "--resolved"], ["no-such-ruleset"]])
def test_rules_show_of_a_missing_ruleset_is_bad_input(args: list[str]):
    result = rtr("rules", "show", *args)
    assert result.exit_code == ExitCode.BAD_INPUT, result.stderr
    assert result.stdout == ""
    assert "error[file-unreadable]" in result.stderr
    if args[0] == "no/such.yaml":
        assert (
            "no/such.yaml:1:1: error[file-unreadable]: cannot read the file: No such file or directory" in result.stderr
        )
    else:
        assert "'no-such-ruleset' is neither a shipped ruleset nor a file" in result.stderr
        assert "hint: shipped rulesets: achilles-tendinopathy, " in result.stderr


# ----------------------------------------------------------------------------- 12. schemas an editor can find
SCHEMAS = ROOT / "schemas"
SCHEMA_COMMENT = re.compile(r"^# yaml-language-server: \$schema=(\S+)$")


def _kind_of(path: Path) -> str:
    return "cases" if path.name.endswith(".cases.yaml") else ("ruleset" if path.parent == RULESETS else "profile")


@pytest.mark.parametrize("name", ["profile", "plan", "ruleset", "cases", "checkins"])
def test_the_committed_schemas_are_what_rtr_schema_prints(name: str):
    committed = (SCHEMAS / f"rtr-{name}.schema.json").read_text(encoding="utf-8")
    assert committed == rtr("schema", name).stdout, f"regenerate: rtr schema {name} -o schemas/rtr-{name}.schema.json"


@pytest.mark.parametrize(
    "path", sorted([*EXAMPLES.glob("*.yaml"), *RULESETS.glob("*.yaml")]), ids=lambda p: f"{p.parent.name}/{p.name}"
)
def test_every_example_and_ruleset_names_an_existing_schema_of_its_kind(path: Path):
    first = path.read_text(encoding="utf-8").splitlines()[0]
    match = SCHEMA_COMMENT.match(first)
    assert match, f"{path.name}: the first line is not a yaml-language-server schema comment"
    target = (path.parent / match.group(1)).resolve()
    assert target == SCHEMAS / f"rtr-{_kind_of(path)}.schema.json"
    assert json.loads(target.read_text(encoding="utf-8"))["title"] == f"rtr.{_kind_of(path)}/v1"


def test_the_readmes_schema_comments_work_from_examples_and_rulesets():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    comments = re.findall(r"^# yaml-language-server: \$schema=(\S+)$", readme, re.MULTILINE)  # the comment to copy
    comments += re.findall(r"`(\.\./schemas/[^`]+)`", readme)  # and the other kinds' paths
    assert len(comments) >= 3, "the README shows the schema comment for profiles, rulesets and cases"
    for target in comments:
        for folder in (EXAMPLES, RULESETS):
            assert (folder / target).resolve().is_file(), (target, folder)
    mapped = re.findall(r'"\./(schemas/rtr-[a-z]+\.schema\.json)"', readme)  # VS Code settings, from the root
    assert mapped
    for target in mapped:
        assert (ROOT / target).is_file(), target
