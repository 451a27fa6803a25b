"""Kill a check-in writer mid-append, many times, and count what survived.

    .venv/bin/python benchmarks/kill_appends.py --trials 500

Each trial starts a writer process appending to one log (growing over the trials),
kills it with SIGKILL after a random delay, and reads the log back: every entry the
writer acknowledged (printed after the append returned, flushed and fsync-ed) must be
there, and the only problem allowed is a torn last line. Prints a summary; exits 1 if
any acknowledged entry was lost. Not a test: the suite runs a few trials of the same
harness (tests/test_checkins_log.py).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from planner.testing.crash import kill_trials


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trials", type=int, default=500)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--max-delay", type=float, default=0.05, help="seconds before the kill, at most")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        result = kill_trials(Path(tmp), args.trials, seed=args.seed, max_delay_s=args.max_delay)
        size = sum(p.stat().st_size for p in Path(tmp).glob("*.checkins.jsonl"))
    elapsed = time.perf_counter() - started
    figures = {**asdict(result), "log_bytes": size, "seconds": round(elapsed, 1), "ok": result.ok}
    print(f"kill trials:            {result.trials}")
    print(f"entries acknowledged:   {result.acknowledged}")
    print(f"entry checks, intact:   {result.checked}")
    print(f"acknowledged, lost:     {result.lost}")
    print(f"torn last lines seen:   {result.torn_lines}")
    print(f"other problems:         {result.other_problems}")
    print(f"logs written:           {size} bytes, {elapsed:.1f} s")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0 if result.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
