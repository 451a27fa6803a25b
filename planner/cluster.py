"""A batch on an existing dask.distributed cluster instead of local worker processes.

``rtr plan-batch ... --scheduler ADDRESS`` and ``rtr rules diff ... --scheduler ADDRESS``
run the same tasks as :func:`planner.batch.run_all`, on the workers of a running dask
scheduler (``pip install 'rtr-planner[dask]'``; start one with ``dask scheduler`` and
``dask worker ADDRESS``). Nothing here schedules: dask places the tasks, retries them on a
lost worker, and this module only hands them over, in chunks, and reads the results back in
task order, so the output is the same bytes as a run on one process.

The workers must run the same rtr-planner (checked before any task is sent: a different
version could plan differently) and, for ``plan-batch``, see the same files at the same
paths (a shared filesystem): they read the profiles and write the plans themselves.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from planner.diagnostics import Diagnostic
from planner.errors import InputError

Task = TypeVar("Task")
Result = TypeVar("Result")

CONNECT_TIMEOUT_S = 10  # a scheduler that does not answer in this long is reported, not waited for
WORKER_WAIT_S = 30  # a scheduler with no worker yet gets this long to have one
CHUNK = 32  # tasks per dask task: dask's own cost per task is a millisecond or so, a plan about ten


ADDRESS_HINT = "give the address the scheduler prints at start, such as tcp://10.0.0.5:8786"
START_HINT = "start one (dask scheduler; dask worker ADDRESS) or leave out --scheduler to use local workers"


class ClusterUnavailable(InputError):
    """No usable cluster at the ``--scheduler`` given: no dask installed, no answer, no workers, another rtr.

    Bad input (exit 2): the address is the user's, and nothing was planned or written.
    """

    def __init__(self, scheduler: str, message: str, hint: str = START_HINT) -> None:
        super().__init__(
            f"cannot plan on the dask cluster at {scheduler!r}",
            [Diagnostic("scheduler-unusable", message, None, hint=hint)],
        )


def _run_chunk(
    work: Callable[[Any, Task], Result], shared: object, chunk: Sequence[Task], no_cache: bool
) -> list[Result]:
    """On a worker: the chunk's tasks, one after another."""
    if no_cache:  # --no-cache on the command line reaches the workers (the plans are the same either way)
        os.environ["RTR_NO_CACHE"] = "1"
    return [work(shared, task) for task in chunk]


def _worker_version() -> str:
    from planner import __version__

    return __version__


def check_address(scheduler: str) -> None:
    """ClusterUnavailable unless dask is installed and ``scheduler`` is an address it can dial (no connection yet)."""
    try:
        from distributed.comm.addressing import get_address_host_port
    except ImportError as error:
        raise ClusterUnavailable(
            scheduler,
            "--scheduler needs dask's distributed package, which is not installed",
            "pip install 'rtr-planner[dask]', or leave out --scheduler to use local workers",
        ) from error
    try:  # checked first: a Client given a malformed address waits, then fails again when collected
        get_address_host_port(scheduler)
    except ValueError as error:
        raise ClusterUnavailable(
            scheduler, f"--scheduler {scheduler!r} is not a scheduler's address: {error}", ADDRESS_HINT
        ) from None


def _client(scheduler: str) -> Any:
    check_address(scheduler)
    from distributed import Client

    try:
        return Client(scheduler, timeout=CONNECT_TIMEOUT_S, set_as_default=False)
    except (OSError, TimeoutError, ValueError, TypeError) as error:
        raise ClusterUnavailable(scheduler, f"no dask scheduler answers at {scheduler}: {error}") from error


def _check_workers(client: Any, scheduler: str) -> int:
    """The number of workers, each running this rtr-planner; ClusterUnavailable otherwise."""
    from planner import __version__

    try:
        client.wait_for_workers(1, timeout=WORKER_WAIT_S)
    except (OSError, TimeoutError) as error:
        raise ClusterUnavailable(
            scheduler,
            f"the dask scheduler at {scheduler} has no workers: {error}",
            "start workers: dask worker ADDRESS",
        ) from error
    try:
        versions: dict[str, str] = client.run(_worker_version)
    except Exception as error:  # a worker without the planner installed cannot even unpickle the call
        raise ClusterUnavailable(
            scheduler,
            f"the workers of {scheduler} cannot run rtr-planner ({error!r})",
            f"install rtr-planner {__version__} where the workers run",
        ) from error
    other = sorted(f"{worker} has {version}" for worker, version in versions.items() if version != __version__)
    if other:
        raise ClusterUnavailable(
            scheduler,
            f"workers of {scheduler} run another rtr-planner than {__version__} ({'; '.join(other)})",
            f"a different version can plan differently: install rtr-planner {__version__} on every worker",
        )
    return len(versions)


def run_on_cluster(
    work: Callable[[Any, Task], Result],
    tasks: Sequence[Task],
    *,
    shared: object,
    scheduler: str,
    advance: Callable[[], None] = lambda: None,
    workers: Callable[[int], None] = lambda n: None,
) -> list[Result]:
    """``work(shared, task)`` for every task, on the cluster's workers, in task order.

    ``workers`` is told how many workers the cluster has, once they are checked.
    """
    from distributed import KilledWorker

    from planner.batch import WorkerDied

    client = _client(scheduler)
    with client:
        workers(_check_workers(client, scheduler))
        if not tasks:
            return []
        shared_on_workers = client.scatter(shared, broadcast=True, hash=False)
        chunks = [tasks[i : i + CHUNK] for i in range(0, len(tasks), CHUNK)]
        no_cache = bool(os.environ.get("RTR_NO_CACHE"))
        futures = client.map(
            _run_chunk,
            [work] * len(chunks),
            [shared_on_workers] * len(chunks),
            chunks,
            [no_cache] * len(chunks),
            pure=False,
        )
        results: list[Result] = []
        try:
            for future, chunk in zip(futures, chunks, strict=True):
                results.extend(future.result())
                for _ in chunk:
                    advance()
        except KilledWorker as error:  # dask retried the chunk on other workers, and they died too
            raise WorkerDied(len(results), len(tasks)) from error
        finally:
            with contextlib.suppress(Exception):  # Ctrl-C or a failure: leave nothing running on the cluster
                client.cancel(futures)
        return results
