"""The engine is imported only when a plan needs it, and a broken engine install says what to do."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import ROOT

# Runs the CLI in a fresh interpreter where importing durable_rules' C extension fails,
# as it does on a broken install (None in sys.modules makes any import of it raise).
_BROKEN_ENGINE = """
import sys
sys.modules["durable_rules_engine"] = None
from planner.cli import main
sys.argv = ["rtr", *sys.argv[1:]]
try:
    main()
finally:
    print("durable imported:", "durable" in sys.modules or "planner.engine.durable" in sys.modules, file=sys.stderr)
"""


def _rtr_without_engine(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _BROKEN_ENGINE, *args], cwd=ROOT, capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize(
    "args",
    [("--version",), ("schema", "profile"), ("rules", "check", "rulesets/"), ("rules", "list")],
    ids=["version", "schema", "rules-check", "rules-list"],
)
def test_commands_that_do_not_plan_work_without_the_engine(args: tuple[str, ...]):
    run = _rtr_without_engine(*args)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip()
    assert "durable imported: False" in run.stderr


def test_a_plan_without_the_engine_says_why_and_how_to_fix_it():
    run = _rtr_without_engine("plan", "examples/shin-pain-10k.yaml")
    assert run.returncode == 3
    assert "Traceback" not in run.stderr
    assert "the durable_rules engine cannot be loaded" in run.stderr
    assert "hint: reinstall the engine" in run.stderr
    assert "CPPFLAGS=-DPyEval_CallObject=PyObject_CallObject" in run.stderr
    assert run.stdout == ""


_PLAN_AND_LIST_MODULES = """
import sys
import planner
from pathlib import Path
planner.plan_for_file(Path("examples/shin-pain-10k.yaml"), today=__import__("datetime").date(2026, 11, 26))
print(sorted(m for m in sys.modules if m == "durable" or m.startswith("durable.")))
"""


def test_no_persistence_callback_can_be_registered():
    # On 3.13 a build without the CPPFLAGS fix leaves PyEval_CallObject unresolved; only the
    # persistence callbacks reach it. The evaluator drives the C API itself: durable's host
    # layer, which registers them, is never imported, and the evaluator never names them.
    run = subprocess.run(
        [sys.executable, "-c", _PLAN_AND_LIST_MODULES], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert run.stdout.strip() == "[]", run.stdout
    source = (ROOT / "planner" / "engine" / "durable.py").read_text(encoding="utf-8")
    code = [line.split("#")[0].strip() for line in source.splitlines()]
    assert not [line for line in code if "_callback(" in line or line.startswith(("import durable", "from durable"))]


def test_a_313_build_missing_pyeval_callobject_loads_with_lazy_binding(monkeypatch: pytest.MonkeyPatch):
    # Simulate the import error of a cp313 build made without the CPPFLAGS fix: the first,
    # eager import fails on that symbol; the retry must use lazy binding and restore the flags.
    import importlib
    import os

    import planner.engine.durable as durable

    real_import = importlib.import_module
    seen_flags: list[int] = []

    def fake_import(name: str) -> object:
        seen_flags.append(sys.getdlopenflags())
        if len(seen_flags) == 1:
            raise ImportError(f"{name}.so: undefined symbol: PyEval_CallObject")
        return real_import(name)

    before = sys.getdlopenflags()
    monkeypatch.setattr(importlib, "import_module", fake_import)
    module = durable._import_engine_core()
    assert module is sys.modules["durable_rules_engine"]
    assert seen_flags[0] == before
    assert seen_flags[1] & os.RTLD_LAZY
    assert not seen_flags[1] & os.RTLD_NOW
    assert sys.getdlopenflags() == before


def test_other_import_errors_of_the_engine_are_not_masked(monkeypatch: pytest.MonkeyPatch):
    import importlib

    import planner.engine.durable as durable

    def fake_import(name: str) -> object:
        raise ImportError("libsomething.so: cannot open shared object file")

    monkeypatch.setattr(importlib, "import_module", fake_import)
    with pytest.raises(ImportError, match="libsomething"):
        durable._import_engine_core()
