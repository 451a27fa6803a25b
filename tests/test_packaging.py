"""The wheel and the sdist: what they carry, built offline, and that they work without a source tree.

Builds call setuptools' PEP 517 hooks in this environment (no build isolation, so no download),
on a copy of the source tree (a build writes ``build/`` and ``*.egg-info`` next to its input).
"""

from __future__ import annotations

import email
import os
import shutil
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from pathlib import Path

import pytest

from planner.rules.loader import shipped_ruleset_paths
from tests.conftest import ROOT

_BUILD = "import sys; from setuptools import build_meta as b; print(getattr(b, sys.argv[1])(sys.argv[2]))"
_NOT_SOURCE = shutil.ignore_patterns(
    ".git", ".venv*", "venv", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", ".hypothesis"
)
_OFFLINE = {
    "PIP_NO_INDEX": "1",
    "PIP_FIND_LINKS": "",
    "http_proxy": "http://127.0.0.1:9",
    "https_proxy": "http://127.0.0.1:9",
}


def _offline_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.upper().endswith("_PROXY")}
    return {**env, **_OFFLINE, **extra}


def _build(kind: str, tmp_path: Path) -> Path:
    source = tmp_path / "source"
    if not source.exists():
        shutil.copytree(ROOT, source, ignore=_NOT_SOURCE)
    out = tmp_path / "dist"
    out.mkdir(exist_ok=True)
    run = subprocess.run(
        [sys.executable, "-c", _BUILD, f"build_{kind}", str(out)],
        cwd=source,
        env=_offline_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    return out / run.stdout.strip().splitlines()[-1]


def _source_files(folder: str) -> set[str]:
    base = ROOT / folder
    return {
        p.relative_to(ROOT).as_posix()
        for p in base.rglob("*")
        if p.is_file() and not {"__pycache__", ".hypothesis"} & set(p.parts) and p.suffix != ".pyc"
    }


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build("wheel", tmp_path_factory.mktemp("wheel"))


@pytest.fixture(scope="module")
def sdist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build("sdist", tmp_path_factory.mktemp("sdist"))


def _installed(wheel: Path, tmp_path: Path, probe: str) -> tuple[set[str], subprocess.CompletedProcess[str]]:
    """The wheel's file names, and ``probe`` run with only the unpacked wheel importable as planner."""
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        archive.extractall(tmp_path / "site")
    run = subprocess.run(
        [sys.executable, "-W", "ignore::DeprecationWarning", "-c", probe],
        cwd=tmp_path,
        env={"PYTHONPATH": str(tmp_path / "site")},
        capture_output=True,
        text=True,
        check=False,
    )
    return names, run


def test_the_wheel_ships_every_ruleset_and_finds_them_when_installed(wheel: Path, tmp_path: Path):
    probe = (
        "import planner.rules.loader as l; "
        "print(l.shipped_rulesets_dir()); print(l.load_ruleset(l.resolve_ruleset_path('return-to-run')).spec.id)"
    )
    names, run = _installed(wheel, tmp_path, probe)
    for path in shipped_ruleset_paths():
        assert f"planner/bundled_rulesets/{path.name}" in names
    assert run.returncode == 0, run.stderr
    where, ruleset_id = run.stdout.split()
    assert where == str(tmp_path / "site" / "planner" / "bundled_rulesets")
    assert ruleset_id == "return-to-run"


def test_the_wheel_carries_the_examples_and_rtr_examples_copies_them(wheel: Path, tmp_path: Path):
    probe = (
        "import sys; from planner.cli import main; import planner.examples as e; print(e.shipped_examples_dir());"
        " sys.argv = ['rtr', 'examples', 'copy', 'mine']; main()"
    )
    names, run = _installed(wheel, tmp_path, probe)
    for name in _source_files("examples"):
        assert name.replace("examples/", "planner/bundled_examples/", 1) in names
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[0] == str(tmp_path / "site" / "planner" / "bundled_examples")
    assert (tmp_path / "mine" / "shin-pain-10k.yaml").read_bytes() == (
        ROOT / "examples" / "shin-pain-10k.yaml"
    ).read_bytes()


def test_the_wheel_metadata_has_the_licence_urls_and_supported_pythons(wheel: Path):
    with zipfile.ZipFile(wheel) as archive:
        [metadata_name] = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        metadata = email.message_from_bytes(archive.read(metadata_name))
        licence = [n for n in archive.namelist() if n.endswith("licenses/LICENSE")]
        assert licence
        assert archive.read(licence[0]) == (ROOT / "LICENSE").read_bytes()
    assert metadata["License-Expression"] == "MIT"
    assert metadata["Requires-Python"] == ">=3.11"
    classifiers = set(metadata.get_all("Classifier") or [])
    for version in ("3.11", "3.12", "3.13"):
        assert f"Programming Language :: Python :: {version}" in classifiers
    urls = dict(entry.split(", ", 1) for entry in metadata.get_all("Project-URL") or [])
    assert set(urls) == {"Homepage", "Documentation", "Changelog", "Issues"}
    for label in ("Documentation", "Changelog"):  # they name files of this tree
        assert (ROOT / urls[label].rsplit("/blob/main/", 1)[1]).is_file()


def test_the_sdist_carries_the_tests_with_their_fixtures(sdist: Path):
    with tarfile.open(sdist) as archive:
        top = archive.getnames()[0].split("/")[0]
        names = {n.removeprefix(f"{top}/") for n in archive.getnames()}
    expected = set().union(
        *(_source_files(f) for f in ("tests", "examples", "rulesets", "schemas", "benchmarks", "planner"))
    )
    assert expected - names == set()
    assert {"LICENSE", "README.md", "CHANGELOG.md", "pyproject.toml", "MANIFEST.in"} <= names
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]


def test_the_sdist_runs_its_own_tests(sdist: Path, tmp_path: Path):
    with tarfile.open(sdist) as archive:
        archive.extractall(tmp_path, filter="data")
    [unpacked] = tmp_path.iterdir()
    # From the unpacked sdist, `python -m pytest` imports its planner (the current folder comes
    # first on sys.path); the probe proves it. The whole suite is collected, and the tests that
    # read fixture files (golden plans, broken plans, the clinic corpus, the docs) are run.
    probe = subprocess.run(
        [sys.executable, "-c", "import planner; print(planner.__file__)"],
        cwd=unpacked,
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(probe.stdout.strip()).is_relative_to(unpacked)
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    collect = subprocess.run(
        [*command, "--collect-only"], cwd=unpacked, env=_offline_env(), capture_output=True, text=True
    )
    assert collect.returncode == 0, collect.stdout[-3000:]
    fixtures = [  # one test per kind of fixture file; the main suite runs them all
        "tests/test_golden.py",
        "tests/test_invariants_bite.py::test_the_broken_plans_were_intact_before_the_edit",
        "tests/test_clinic_corpus.py::test_the_corpus_picks_the_injurys_own_ruleset",
        "tests/test_examples_command.py",
    ]
    run = subprocess.run([*command, *fixtures], cwd=unpacked, env=_offline_env(), capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-3000:]
    assert " passed" in run.stdout


def test_every_package_of_planner_is_shipped():
    # A package missing from this list works in an editable install and fails in a real one.
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"])
    found = {
        ".".join(p.parent.relative_to(ROOT).parts)
        for p in (ROOT / "planner").rglob("__init__.py")
        if "__pycache__" not in p.parts
    }
    assert found <= listed, sorted(found - listed)
