"""``--scheduler ADDRESS``: batches on a dask cluster give the same results as local workers.

The test starts a real local cluster (``dask scheduler`` and ``dask worker``, two worker
processes on the loopback interface) and runs ``rtr`` against it as a user would. CI's
offline runs bring the loopback interface up in their network namespace for it.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

import planner.cluster
from planner.cli import build_app

ROOT = Path(__file__).resolve().parents[1]
DASK = Path(sys.executable).with_name("dask")
RTR = Path(sys.executable).with_name("rtr")
TODAY = "2026-11-26"


def _rtr(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(RTR), *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=300)


@pytest.fixture(scope="module")
def scheduler(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The address of a running local cluster of two single-threaded workers."""
    folder = tmp_path_factory.mktemp("cluster")
    address_file = folder / "scheduler.json"
    common = {"cwd": folder, "stdout": subprocess.DEVNULL, "stderr": subprocess.STDOUT, "start_new_session": True}
    start_scheduler = [str(DASK), "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard"]
    start_workers = [str(DASK), "worker", "--nworkers", "2", "--nthreads", "1", "--no-dashboard"]
    on_file = ["--scheduler-file", str(address_file)]
    procs = [subprocess.Popen([*start_scheduler, *on_file], **common)]  # type: ignore[call-overload]
    try:
        deadline = time.monotonic() + 60
        while not address_file.exists() or not address_file.read_text():
            assert procs[0].poll() is None, "the dask scheduler did not start"
            assert time.monotonic() < deadline, "the dask scheduler wrote no address in 60 s"
            time.sleep(0.1)
        time.sleep(0.2)  # the file is written in one go, but give it a moment to be complete
        procs.append(subprocess.Popen([*start_workers, *on_file], **common))  # type: ignore[call-overload]
        yield str(json.loads(address_file.read_text())["address"])
    finally:  # each started its own session: the group holds the worker processes too
        for proc in reversed(procs):
            os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_plan_batch_on_a_cluster_writes_the_same_plans_as_one_process(scheduler: str, tmp_path: Path):
    clinic = tmp_path / "clinic"
    shutil.copytree(ROOT / "examples", clinic)
    (clinic / "broken.yaml").write_text("schema: rtr.profile/v1\nrunner: [\n", encoding="utf-8")
    local = _rtr("plan-batch", "clinic", "-o", "local", "--jobs", "1", "--today", TODAY, cwd=tmp_path)
    cluster = _rtr("plan-batch", "clinic", "-o", "cluster", "--scheduler", scheduler, "--today", TODAY, cwd=tmp_path)
    assert local.returncode == cluster.returncode == 2, local.stderr + cluster.stderr  # the broken profile
    assert _files(tmp_path / "cluster") == _files(tmp_path / "local")
    assert len(_files(tmp_path / "local")) == len(list((ROOT / "examples").glob("*.yaml")))
    assert "Traceback" not in cluster.stderr
    assert cluster.stderr == local.stderr  # the broken profile, named as given, at its line and column
    assert "clinic/broken.yaml:" in cluster.stderr
    assert f"on 2 dask worker(s) at {scheduler}" in cluster.stdout
    # The summary's table (after its first line, which has the timing) is the same.
    assert cluster.stdout.splitlines()[1:] == local.stdout.splitlines()[1:]


def test_plan_batch_on_a_cluster_writes_markdown_too_and_replaces_its_own_plans(scheduler: str, tmp_path: Path):
    args = ("plan-batch", ROOT / "examples" / "shin-pain-10k.yaml", "-f", "markdown", "--today", TODAY)
    first = _rtr(*args, "-o", "plans", "--scheduler", scheduler, cwd=tmp_path)
    again = _rtr(*args, "-o", "plans", "--scheduler", scheduler, "--no-cache", cwd=tmp_path)
    local = _rtr(*args, "-o", "local", cwd=tmp_path)
    assert first.returncode == again.returncode == local.returncode == 0, first.stderr + again.stderr
    assert _files(tmp_path / "plans") == _files(tmp_path / "local")


def test_rules_diff_on_a_cluster_gives_the_same_report(scheduler: str):
    # Two shipped rulesets, compared on the examples and 24 generated runners.
    args = (
        "rules",
        "diff",
        "return-to-run",
        "medial-tibial-stress",
        "--generated",
        "24",
        "-f",
        "json",
        "--today",
        TODAY,
    )
    local = _rtr(*args, cwd=ROOT)
    cluster = _rtr(*args, "--scheduler", scheduler, cwd=ROOT)
    assert local.returncode == cluster.returncode == 0, local.stderr + cluster.stderr
    assert cluster.stdout == local.stdout
    assert len(json.loads(local.stdout)["runners"]) >= 24


@pytest.mark.parametrize(
    ("address", "said"),
    [("nonsense::x", "is not a scheduler's address"), ("tcp://host-without-port", "missing port")],
)
def test_a_mistyped_scheduler_address_is_bad_input_and_nothing_is_made(address: str, said: str, tmp_path: Path):
    result = _rtr("plan-batch", ROOT / "examples", "-o", "plans", "--scheduler", address, cwd=tmp_path)
    assert result.returncode == 2
    assert said in result.stderr
    assert "hint: give the address the scheduler prints" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "plans").exists()


def test_no_scheduler_listening_is_reported_with_a_hint(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setattr(planner.cluster, "CONNECT_TIMEOUT_S", 1)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(
        build_app(), ["plan-batch", str(ROOT / "examples"), "-o", "plans", "--scheduler", "tcp://127.0.0.1:9"]
    )
    assert result.exit_code == 2
    assert "no dask scheduler answers at tcp://127.0.0.1:9" in result.output
    assert "hint: start one" in result.output
    assert not (tmp_path / "plans").exists()  # checked before anything is made


def test_a_server_that_is_not_a_scheduler_is_reported_not_waited_for(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """Something listens and accepts, but never speaks dask: a Client alone would wait forever."""
    monkeypatch.setattr(planner.cluster, "CONNECT_TIMEOUT_S", 1)
    monkeypatch.chdir(tmp_path)
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        address = f"tcp://127.0.0.1:{listener.getsockname()[1]}"
        started = time.monotonic()
        result = CliRunner().invoke(
            build_app(), ["plan-batch", str(ROOT / "examples"), "-o", "plans", "--scheduler", address]
        )
    assert time.monotonic() - started < 30
    assert result.exit_code == 2, result.output
    assert f"no dask scheduler answers at {address} within 1 s" in result.output
    assert not (tmp_path / "plans").exists()


def test_a_plan_is_never_written_over_an_input_on_a_cluster_either(scheduler: str, tmp_path: Path):
    """A .json profile in the -o folder has its plan's own name: refused as on local workers."""
    (tmp_path / "clinic").mkdir()
    profile = tmp_path / "clinic" / "sam.json"
    profile.write_text((ROOT / "examples" / "shin-pain-10k.yaml").read_text())  # YAML is JSON's superset here
    before = profile.read_bytes()
    args = ("plan-batch", "clinic/sam.json", "-o", "clinic", "--today", TODAY)
    result = _rtr(*args, "--scheduler", scheduler, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "clinic/sam.json:1:1: error[output-is-input]" in result.stderr
    assert result.stderr == _rtr(*args, cwd=tmp_path).stderr
    assert profile.read_bytes() == before


def test_a_chunk_on_a_worker_of_another_version_refuses_to_plan():
    from planner import __version__

    with pytest.raises(planner.cluster.WorkerMismatch, match=f"runs rtr-planner {__version__}, not 0.0.0"):
        planner.cluster._run_chunk(lambda shared, task: task, planner.cluster._Whole(None), [1], False, "0.0.0")


def test_no_cache_reaches_a_chunk_and_is_undone_after_it(monkeypatch: pytest.MonkeyPatch):
    from planner import __version__

    monkeypatch.delenv("RTR_NO_CACHE", raising=False)
    seen = planner.cluster._run_chunk(
        lambda shared, task: (shared, os.environ.get("RTR_NO_CACHE")),
        planner.cluster._Whole(frozenset({"a", "b"})),
        [1, 2],
        True,
        __version__,
    )
    assert seen == [(frozenset({"a", "b"}), "1")] * 2  # the shared set arrives whole
    assert "RTR_NO_CACHE" not in os.environ


def test_without_dask_installed_the_hint_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed now fails
    monkeypatch.setitem(sys.modules, "distributed.comm.addressing", None)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(
        build_app(), ["rules", "diff", "return-to-run", "return-to-run", "--scheduler", "tcp://10.0.0.5:8786"]
    )
    assert result.exit_code == 2
    assert "pip install 'rtr-planner[dask]'" in result.output
    assert os.environ.get("RTR_NO_CACHE") is None
