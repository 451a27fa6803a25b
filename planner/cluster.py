"""A batch on an existing dask.distributed cluster instead of local worker processes.

``rtr plan-batch ... --scheduler ADDRESS`` and ``rtr rules diff ... --scheduler ADDRESS``
run the same tasks as :func:`planner.batch.run_all`, on the workers of a running dask
scheduler (``pip install 'rtr-planner[dask]'``; start one with ``dask scheduler`` and
``dask worker ADDRESS``). Nothing here schedules: dask places the tasks, retries them on a
lost worker, and this module only hands them over, in chunks, and reads the results back in
task order, so the output is the same bytes as a run on one process.

The workers must run the same rtr-planner (a different version could plan differently):
checked before any task is sent, and again by every chunk, so a worker that joins later is
checked too. For ``plan-batch`` they must see the same files at the same paths (a shared
filesystem): they read the profiles and write the plans themselves. After Ctrl-C, a chunk
already running on a worker finishes (dask cannot stop a running task): chunks are small,
so that is a few plans, each written whole.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from planner.diagnostics import Diagnostic
from planner.errors import InputError

Task = TypeVar("Task")
Result = TypeVar("Result")

CONNECT_TIMEOUT_S = 10  # a scheduler that does not answer in this long is reported, not waited for
WORKER_WAIT_S = 30  # a scheduler with no worker yet gets this long to have one
CHUNK = 8  # tasks per dask task: enough to hide dask's millisecond per task, few enough to stop soon

ADDRESS_HINT = "give the address the scheduler prints at start, such as tcp://10.0.0.5:8786"
START_HINT = "start one (dask scheduler; dask worker ADDRESS) or leave out --scheduler to use local workers"
TLS_HINT = (
    "a tls:// or wss:// scheduler needs dask's TLS settings (distributed.comm.tls: the CA file and this "
    "client's certificate and key) in the dask configuration"
)


class ClusterUnavailable(InputError):
    """No usable cluster at the ``--scheduler`` given: no dask installed, no answer, no workers, another rtr.

    Bad input (exit 2): the address is the user's.
    """

    def __init__(self, scheduler: str, message: str, hint: str = START_HINT) -> None:
        super().__init__(
            f"cannot plan on the dask cluster at {scheduler!r}",
            [Diagnostic("scheduler-unusable", message, None, hint=hint)],
        )


class WorkerMismatch(Exception):
    """Raised on a worker that runs another rtr-planner than the client (a plain exception: it travels back)."""


class _Whole:
    """The tasks' shared value in a wrapper, so dask sends it as one object (it splits a set or a list)."""

    __slots__ = ("value",)

    def __init__(self, value: object) -> None:
        self.value = value


def _run_chunk(
    work: Callable[[Any, Task], Result], shared: _Whole, chunk: Sequence[Task], no_cache: bool, version: str
) -> list[Result]:
    """On a worker: the chunk's tasks, one after another, if this worker runs the client's rtr-planner."""
    from planner import __version__

    if __version__ != version:
        from distributed import get_worker

        try:
            where = f"worker {get_worker().address}"
        except ValueError:  # called outside a worker
            where = "a worker"
        raise WorkerMismatch(f"{where} runs rtr-planner {__version__}, not {version}")
    before = os.environ.get("RTR_NO_CACHE")
    if no_cache:  # --no-cache reaches the workers for this batch only (the plans are the same either way)
        os.environ["RTR_NO_CACHE"] = "1"
    try:
        return [work(shared.value, task) for task in chunk]
    finally:
        if no_cache and before is None:
            os.environ.pop("RTR_NO_CACHE", None)


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


async def _identity(scheduler: str) -> dict[str, Any]:
    from distributed.core import rpc

    remote = rpc(scheduler, timeout=CONNECT_TIMEOUT_S)
    try:
        answer = await asyncio.wait_for(remote.identity(), CONNECT_TIMEOUT_S)
        return dict(answer) if isinstance(answer, dict) else {}
    finally:
        with contextlib.suppress(Exception):
            await remote.close_rpc()


def _probe(scheduler: str) -> None:
    """Ask whatever listens at the address who it is, within the timeout, before a Client is made.

    A Client made on a server that is not a dask scheduler waits forever for its handshake,
    and one that fails to connect prints a traceback when it is collected: neither is made.
    """
    tls = scheduler.startswith(("tls://", "wss://"))
    try:
        who = asyncio.run(_identity(scheduler))
    except TimeoutError:
        raise ClusterUnavailable(
            scheduler, f"no dask scheduler answers at {scheduler} within {CONNECT_TIMEOUT_S} s"
        ) from None
    except Exception as error:  # refused, unreachable, a TLS setting missing, a server speaking another protocol
        raise ClusterUnavailable(
            scheduler, f"no dask scheduler answers at {scheduler}: {error}", TLS_HINT if tls else START_HINT
        ) from None
    if who.get("type") != "Scheduler":
        raise ClusterUnavailable(scheduler, f"what answers at {scheduler} is not a dask scheduler ({who.get('type')})")


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


@dataclass
class Cluster:
    """A connected cluster whose workers were checked; :meth:`run` hands it a batch."""

    client: Any
    scheduler: str
    workers: int

    def run(
        self,
        work: Callable[[Any, Task], Result],
        tasks: Sequence[Task],
        *,
        shared: object,
        advance: Callable[[], None] = lambda: None,
    ) -> list[Result]:
        """``work(shared, task)`` for every task, on the cluster's workers, in task order."""
        from distributed import KilledWorker

        from planner import __version__
        from planner.batch import WorkerDied

        if not tasks:
            return []
        client = self.client
        whole = client.scatter(_Whole(shared), broadcast=True, hash=False)
        chunks = [tasks[i : i + CHUNK] for i in range(0, len(tasks), CHUNK)]
        no_cache = bool(os.environ.get("RTR_NO_CACHE"))
        n = len(chunks)
        futures = client.map(_run_chunk, [work] * n, [whole] * n, chunks, [no_cache] * n, [__version__] * n, pure=False)
        results: list[Result] = []
        try:
            for future, chunk in zip(futures, chunks, strict=True):
                results.extend(future.result())
                for _ in chunk:
                    advance()
        except KilledWorker as error:  # dask retried the chunk on other workers, and they died too
            raise WorkerDied(len(results), len(tasks)) from error
        except WorkerMismatch as error:  # a worker of another version joined after the check
            raise ClusterUnavailable(
                self.scheduler,
                f"{error}; the {len(results)} plans before it are kept",
                f"install rtr-planner {__version__} on every worker, then run the batch again",
            ) from None
        finally:
            with contextlib.suppress(Exception):  # Ctrl-C or a failure: leave nothing queued on the cluster
                client.cancel(futures)
        return results


@contextlib.contextmanager
def connect(scheduler: str) -> Iterator[Cluster]:
    """The cluster at ``scheduler``, connected and its workers checked; ClusterUnavailable otherwise."""
    check_address(scheduler)
    _probe(scheduler)
    from distributed import Client

    try:
        client = Client(scheduler, timeout=CONNECT_TIMEOUT_S, set_as_default=False)
    except (OSError, TimeoutError, ValueError, TypeError) as error:
        raise ClusterUnavailable(scheduler, f"no dask scheduler answers at {scheduler}: {error}") from error
    with client:
        yield Cluster(client, scheduler, _check_workers(client, scheduler))


def run_on_cluster(
    work: Callable[[Any, Task], Result],
    tasks: Sequence[Task],
    *,
    shared: object,
    scheduler: str,
    advance: Callable[[], None] = lambda: None,
) -> list[Result]:
    """``work(shared, task)`` for every task on the cluster at ``scheduler`` (connected for this batch)."""
    with connect(scheduler) as cluster:
        return cluster.run(work, tasks, shared=shared, advance=advance)
