"""What `rtr` does before it plans: the commands it imports, the ruleset it picks, the compiled-ruleset cache."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from planner.rules import diskcache
from planner.rules.loader import (
    _injuries_header,
    check_ruleset_file,
    load_ruleset_cached,
    shipped_ruleset_for,
    shipped_ruleset_paths,
)
from planner.rules.vocabulary import INJURY_KINDS
from tests.conftest import ROOT

_IMPORTED = """
import sys
from planner.cli import main
sys.argv = ["rtr", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
WATCHED = ("planner", "durable", "icalendar", "rich")
print(" ".join(sorted(m for m in sys.modules if m.startswith(WATCHED))), file=sys.stderr)
"""


def _modules_for(*args: str, env: dict[str, str] | None = None) -> set[str]:
    run = subprocess.run(
        [sys.executable, "-c", _IMPORTED, *args], cwd=ROOT, capture_output=True, text=True, check=True, env=env
    )
    return set(run.stderr.strip().splitlines()[-1].split())


def test_the_version_imports_no_command():
    found = _modules_for("--version")
    assert not {m for m in found if m.startswith(("planner.api", "planner.planning", "durable", "planner.cli."))} - {
        "planner.cli.common"
    }


def test_a_json_plan_imports_only_its_command_and_renderer():
    found = _modules_for("plan", "examples/shin-pain-10k.yaml", "-f", "json", "--today", "2026-11-26", "-o", os.devnull)
    assert "planner.cli.plan" in found
    assert "planner.engine.durable" in found
    others = {
        "planner.cli.checkin",
        "planner.cli.rules",
        "planner.cli.init",
        "planner.cli.batch",
        "planner.cli.readiness",
    }
    assert not found & others
    assert not {m for m in found if m.startswith(("icalendar", "rich", "planner.render.html", "planner.render.ics"))}


def test_help_still_lists_every_command():
    run = subprocess.run([sys.executable, "-m", "planner.cli", "--help"], cwd=ROOT, capture_output=True, text=True)
    for name in (
        "plan ",
        "plan-batch",
        "checkin",
        "validate",
        "explain",
        "schema",
        "readiness",
        "init",
        "rules",
        "examples",
    ):
        assert name in run.stdout, name


# ----------------------------------------------------------------------------- the ruleset an injury gets
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("id: x\ninjuries: [a_b, c]\n", ("a_b", "c")),
        ("injuries:\n  - a\n  - b # note\nid: y\n", ("a", "b")),
        ("injuries:\n\n  - a\n\nnext: 1\n", ("a",)),
        ("id: x\n", ()),
        ("injuries: []\n", ()),
        ("injuries: [a]\ninjuries: [b]\n", None),  # a duplicate: the full read says what is wrong
        ("injuries: &kinds [a]\n", None),  # an anchor: not this read's business
        ("injuries:\n  - 'a'\n", None),  # quoted
        ("injuries: !!seq [a]\n", None),
    ],
)
def test_the_cheap_read_of_injuries_takes_plain_lists_and_declines_the_rest(
    text: str, expected: tuple[str, ...] | None
):
    assert _injuries_header(text) == expected


def test_the_cheap_read_agrees_with_the_compiled_rulesets():
    for path in shipped_ruleset_paths():
        compiled = load_ruleset_cached(path).spec.injuries
        assert _injuries_header(path.read_text(encoding="utf-8")) == tuple(compiled), path.name


@pytest.mark.parametrize("kind", [*INJURY_KINDS, None])
def test_each_injury_gets_the_ruleset_the_full_compile_would_give(kind: str | None):
    claimed = [p for p in shipped_ruleset_paths() if kind in check_ruleset_file(p).compiled.spec.injuries]  # type: ignore[union-attr]
    assert shipped_ruleset_for(kind).name == (claimed[0].name if claimed else "return-to-run.yaml")


# ----------------------------------------------------------------------------- the compiled-ruleset cache
SHIPPED = ROOT / "rulesets" / "medial-tibial-stress.yaml"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("RTR_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("RTR_NO_CACHE", raising=False)
    return tmp_path / "cache" / "rulesets"


def _compile() -> object:
    result = check_ruleset_file(SHIPPED)
    assert result.compiled is not None
    return result.compiled


def test_an_entry_is_written_once_and_read_back_the_same(cache: Path):
    calls: list[int] = []

    def compile_() -> object:
        calls.append(1)
        return _compile()

    first = diskcache.cached(SHIPPED, shipped_ruleset_paths(), compile_)  # type: ignore[arg-type]
    [entry] = list(cache.iterdir())
    assert oct(entry.stat().st_mode & 0o777) == "0o600"  # mkstemp's: only the user reads it
    again = diskcache.cached(SHIPPED, shipped_ruleset_paths(), compile_)  # type: ignore[arg-type]
    assert len(calls) == 1
    assert (again.sha256, again.path, again.gates, again.rules) == (first.sha256, first.path, first.gates, first.rules)
    assert dict(again.origins) == dict(first.origins)  # the file names as this run shows them


@pytest.mark.parametrize("damage", ["truncated", "garbage", "not-a-ruleset", "group-writable"])
def test_a_bad_entry_is_ignored_and_replaced(cache: Path, damage: str):
    good = diskcache.cached(SHIPPED, shipped_ruleset_paths(), _compile)  # type: ignore[arg-type]
    [entry] = list(cache.iterdir())
    data = entry.read_bytes()
    if damage == "truncated":
        entry.write_bytes(data[: len(data) // 2])
    elif damage == "garbage":
        entry.write_bytes(b"\x00not a pickle")
    elif damage == "not-a-ruleset":
        entry.write_bytes(pickle.dumps({"id": "evil"}))
    else:
        entry.chmod(0o666)  # anyone could have written it: never read
    again = diskcache.cached(SHIPPED, shipped_ruleset_paths(), _compile)  # type: ignore[arg-type]
    assert again.sha256 == good.sha256
    assert pickle.loads(entry.read_bytes()).sha256 == good.sha256  # replaced by a good one
    assert [p.name for p in cache.iterdir()] == [entry.name]  # no temporary file left


def test_an_edited_shipped_ruleset_is_a_new_entry(tmp_path: Path, cache: Path):
    folder = tmp_path / "shipped"
    folder.mkdir()
    for p in shipped_ruleset_paths():
        (folder / p.name).write_bytes(p.read_bytes())
    files = sorted(folder.glob("*.yaml"))
    one = diskcache.entry_key(folder / SHIPPED.name, files)
    parent = folder / "return-to-run.yaml"
    parent.write_text(parent.read_text() + "\n# an edit to the parent\n")
    assert diskcache.entry_key(folder / SHIPPED.name, files) != one


def test_no_cache_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("RTR_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("RTR_NO_CACHE", "1")
    assert diskcache.cached(SHIPPED, shipped_ruleset_paths(), _compile) is not None  # type: ignore[arg-type]
    assert not (tmp_path / "cache").exists()


def test_concurrent_plans_share_the_cache_safely(tmp_path: Path):
    env = {**os.environ, "RTR_CACHE_DIR": str(tmp_path / "cache")}
    args = [
        sys.executable,
        "-m",
        "planner.cli",
        "plan",
        "examples/shin-pain-10k.yaml",
        "-f",
        "json",
        "--today",
        "2026-11-26",
    ]
    runs = [subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(6)]
    outs = [r.communicate() for r in runs]
    assert {r.returncode for r in runs} == {0}
    assert len({out for out, _ in outs}) == 1
    again = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, check=True)  # from the cache
    assert again.stdout == outs[0][0]
    assert [p.suffix for p in (tmp_path / "cache" / "rulesets").iterdir()] == [".pickle"]


def test_a_cache_folder_others_can_write_to_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)  # anyone could plant or swap an entry: never load one from here
    monkeypatch.setenv("RTR_CACHE_DIR", str(shared))
    monkeypatch.delenv("RTR_NO_CACHE", raising=False)
    assert diskcache.cached(SHIPPED, shipped_ruleset_paths(), _compile) is not None  # type: ignore[arg-type]
    assert not list(shared.rglob("*.pickle"))


def test_an_entry_behind_a_symbolic_link_is_not_read(cache: Path):
    diskcache.cached(SHIPPED, shipped_ruleset_paths(), _compile)  # type: ignore[arg-type]
    [entry] = list(cache.iterdir())
    elsewhere = cache.parent / "elsewhere.pickle"
    entry.rename(elsewhere)
    entry.symlink_to(elsewhere)
    calls: list[int] = []

    def compile_() -> object:
        calls.append(1)
        return _compile()

    diskcache.cached(SHIPPED, shipped_ruleset_paths(), compile_)  # type: ignore[arg-type]
    assert calls == [1]  # compiled: the link was not followed


def test_a_changed_planner_is_a_new_entry(monkeypatch: pytest.MonkeyPatch):
    key = diskcache.entry_key(SHIPPED, shipped_ruleset_paths())
    monkeypatch.setattr(diskcache, "_code_stamp", lambda: "compiler.py:1:2")
    assert diskcache.entry_key(SHIPPED, shipped_ruleset_paths()) != key
