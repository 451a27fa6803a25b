"""``rtr examples``: the example runners are reachable without the source tree."""

from __future__ import annotations

import os
import shlex
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planner.cli import app
from planner.examples import shipped_examples
from tests.conftest import ROOT
from tests.test_docs import README, fenced, section

EXAMPLES = ROOT / "examples"


def test_list_names_every_example_and_marks_the_one_with_a_log():
    result = CliRunner().invoke(app, ["examples", "list"])
    assert result.exit_code == 0, result.stderr
    names = {p.name.removesuffix(".yaml") for p in EXAMPLES.glob("*.yaml")}
    listed = {line.split()[0].rstrip("*") for line in result.stdout.splitlines()[: len(names)]}
    assert listed == names
    assert "knee-flare-up*" in result.stdout
    assert all(len(line) <= 80 for line in result.stdout.splitlines())


def test_show_prints_the_profile_byte_for_byte():
    result = CliRunner().invoke(app, ["examples", "show", "shin-pain-10k"])
    assert result.exit_code == 0
    assert result.stdout == (EXAMPLES / "shin-pain-10k.yaml").read_text(encoding="utf-8")
    assert CliRunner().invoke(app, ["examples", "show", "shin-pain-10k.yaml"]).stdout == result.stdout


def test_show_of_an_unknown_example_lists_the_names():
    result = CliRunner().invoke(app, ["examples", "show", "no-such-runner"])
    assert result.exit_code == 2
    assert "no example named 'no-such-runner'" in result.stderr
    assert "shin-pain-10k" in result.stderr


def test_copy_writes_every_file_with_the_users_umask(tmp_path: Path):
    old = os.umask(0o027)
    try:
        result = CliRunner().invoke(app, ["examples", "copy", str(tmp_path / "mine")])
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.stderr
    copied = sorted(p.name for p in (tmp_path / "mine").iterdir())
    shipped = sorted(p.name for e in shipped_examples() for p in e.files)
    assert copied == shipped
    assert "knee-flare-up.checkins.jsonl" in copied
    for name in copied:
        target = tmp_path / "mine" / name
        assert target.read_bytes() == (EXAMPLES / name).read_bytes()
        assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_copy_never_overwrites_and_writes_nothing_when_a_file_is_taken(tmp_path: Path):
    (tmp_path / "shin-pain-10k.yaml").write_text("my own edits\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["examples", "copy", str(tmp_path)])
    assert result.exit_code == 2
    assert "shin-pain-10k.yaml already exists" in result.stderr
    assert (tmp_path / "shin-pain-10k.yaml").read_text(encoding="utf-8") == "my own edits\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["shin-pain-10k.yaml"]


def test_copy_onto_a_file_is_bad_input(tmp_path: Path):
    (tmp_path / "f").write_text("x", encoding="utf-8")
    result = CliRunner().invoke(app, ["examples", "copy", str(tmp_path / "f")])
    assert result.exit_code == 2
    assert "is not a folder" in result.stderr


def test_the_readme_copy_then_plan_line_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    [block] = fenced(section(README, "## The examples"), "sh")
    commands = [part.strip() for part in block.strip().split("&&")]
    assert commands[0].startswith("rtr examples copy ")
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    for command in commands:
        args = shlex.split(command)[1:]
        if args[0] == "plan":
            args += ["--today", "2026-11-26"]
        result = runner.invoke(app, args)
        assert result.exit_code == 0, (command, result.stderr)
    assert "Week 1" in result.stdout or "week 1" in result.stdout.lower()
