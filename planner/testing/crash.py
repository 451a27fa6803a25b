"""Crash trials for the check-in log: kill a writer mid-append, then check what survived.

A writer process appends events as fast as it can and prints each event's id only
after :func:`planner.checkins.log.append_event` returned (the entry is durable and
acknowledged). The parent kills it with SIGKILL at a random moment, then reads the
log: every acknowledged entry must be there, every earlier entry intact, and the only
problem allowed is a torn last line (reported, never silently dropped). Used by
``benchmarks/kill_appends.py`` (hundreds of trials) and by the test suite (a few).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from planner.checkins.log import append_event, read_log
from planner.models.checkin import CheckinEvent

TRIALS_PER_LOG = 25
_WRITER = "from planner.testing.crash import writer; import sys; writer(sys.argv[1], sys.argv[2], int(sys.argv[3]))"


def event(event_id: str, week: int = 1) -> CheckinEvent:
    """A small, valid check-in."""
    return CheckinEvent.model_validate(
        {
            "schema": "rtr.checkins/v1",
            "id": event_id,
            "week": week,
            "date": date(2027, 1, 10).isoformat(),
            "runs": [{"day": "tue", "distance": 3.0}, {"day": "sun", "distance": 5.5}],
            "running_pain": 0,
            "next_morning_pain": 0,
            "daily_life_pain": 0,
            "notes": "crash trial " + "x" * 200,  # long enough that a write takes a moment
        }
    )


def writer(path: str, prefix: str, count: int) -> None:
    """Append ``count`` events to ``path``, printing each id once it is durable (the child's side)."""
    for i in range(count):
        e = event(f"{prefix}-{i}", week=1 + i % 50)
        append_event(Path(path), e, after_torn_line=True)
        sys.stdout.write(e.id + "\n")
        sys.stdout.flush()


@dataclass
class TrialResult:
    """What the trials found."""

    trials: int = 0
    acknowledged: int = 0  # entries the writers acknowledged before they were killed
    checked: int = 0  # entries found intact in the log
    torn_lines: int = 0  # torn last lines reported
    lost: int = 0  # acknowledged entries missing: must stay 0
    other_problems: int = 0  # any other problem in a log: must stay 0

    @property
    def ok(self) -> bool:
        """No acknowledged entry lost, no problem but a torn last line."""
        return self.lost == 0 and self.other_problems == 0


def _env() -> dict[str, str]:
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = root + os.pathsep + env.get("PYTHONPATH", "")
    return env


def kill_trials(directory: Path, trials: int, *, seed: int = 0, max_delay_s: float = 0.05) -> TrialResult:
    """Run ``trials`` kill trials in ``directory``; each appends to a log holding the earlier trials' entries."""
    rng = random.Random(seed)
    result = TrialResult()
    expected: set[str] = set()
    env = _env()
    for trial in range(trials):
        if trial % TRIALS_PER_LOG == 0:  # a fresh log now and then: a log stays far below its size limit
            log = directory / f"crash-{trial // TRIALS_PER_LOG}.checkins.jsonl"
            expected, torn_before = set(), result.torn_lines
        child = subprocess.Popen(
            [sys.executable, "-c", _WRITER, str(log), f"t{trial}", "100000"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        assert child.stdout is not None
        first = child.stdout.readline()  # the writer is up and appending
        time.sleep(rng.uniform(0, max_delay_s))
        child.send_signal(signal.SIGKILL)
        rest = child.stdout.read()
        child.stdout.close()
        child.wait()
        acked = {line for line in (first.decode() + rest.decode()).split("\n") if line}
        expected |= acked
        result.trials += 1
        result.acknowledged += len(acked)
        read = read_log(log)
        found = {item.event.id for item in read.events}
        result.lost += len(expected - found)
        result.checked += len(found & expected)
        torn = sum(1 for d in read.problems if d.code == "checkin-torn-line")
        # A torn line from an earlier trial stays where it was (never rewritten): a bad line now.
        earlier = sum(1 for d in read.problems if d.code == "checkin-not-json")
        result.other_problems += max(0, earlier - (result.torn_lines - torn_before)) + sum(
            1 for d in read.problems if d.code not in ("checkin-torn-line", "checkin-not-json")
        )
        result.torn_lines += torn
    return result
