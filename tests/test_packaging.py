"""The built wheel carries the shipped rulesets and finds them without a source tree."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from planner.rules.loader import shipped_ruleset_paths
from tests.conftest import ROOT


def test_the_wheel_ships_every_ruleset_and_finds_them_when_installed(tmp_path: Path):
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp_path / "dist"), str(ROOT)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert build.returncode == 0, build.stderr
    [wheel] = (tmp_path / "dist").glob("rtr_planner-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        archive.extractall(tmp_path / "site")
    for path in shipped_ruleset_paths():
        assert f"planner/bundled_rulesets/{path.name}" in names
    probe = (
        "import planner.rules.loader as l; "
        "print(l.shipped_rulesets_dir()); print(l.load_ruleset(l.resolve_ruleset_path('return-to-run')).spec.id)"
    )
    run = subprocess.run(
        [sys.executable, "-W", "ignore::DeprecationWarning", "-c", probe],
        cwd=tmp_path,
        env={"PYTHONPATH": str(tmp_path / "site")},
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    where, ruleset_id = run.stdout.split()
    assert where == str(tmp_path / "site" / "planner" / "bundled_rulesets")
    assert ruleset_id == "return-to-run"


def test_every_package_of_planner_is_shipped():
    # A package missing from this list works in an editable install and fails in a real one.
    import tomllib

    root = Path(__file__).resolve().parents[1]
    listed = set(tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"])
    found = {
        ".".join(p.parent.relative_to(root).parts)
        for p in (root / "planner").rglob("__init__.py")
        if "__pycache__" not in p.parts
    }
    assert found <= listed, sorted(found - listed)
