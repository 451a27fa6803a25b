"""Engine benchmarks: time per 26-week plan, and memory over many plans.

Usage::

    python benchmarks/bench_engine.py            # timing + 10,000-plan memory run
    python benchmarks/bench_engine.py --plans 2000 --repeat 5

Timings are wall clock (best of --repeat runs of --timing-plans plans); memory is
the process's resident set size read from /proc/self/status. Numbers go to stdout.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
import warnings
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
warnings.filterwarnings("ignore", category=DeprecationWarning)  # durable_rules on 3.12+

import planner  # noqa: E402
from planner.engine.durable import durable_evaluator  # noqa: E402
from planner.engine.reference import ReferenceEvaluator  # noqa: E402

TODAY = date(2026, 11, 26)
TWENTY_SIX = ROOT / "examples" / "pre-run-walking.yaml"  # a 26-week plan


def rss_kb() -> int:
    return int(Path("/proc/self/status").read_text().split("VmRSS:")[1].split()[0])


def time_plans(
    profile: planner.Profile, ruleset: planner.CompiledRuleset, evaluator: object, n: int, repeat: int
) -> float:
    """Best mean milliseconds per plan over ``repeat`` runs of ``n`` plans."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(n):
            planner.make_plan(profile, ruleset, today=TODAY, evaluator=evaluator)  # type: ignore[arg-type]
        best = min(best, (time.perf_counter() - start) * 1000 / n)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timing-plans", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--plans", type=int, default=10_000, help="plans for the memory run")
    args = parser.parse_args()

    ruleset = planner.ruleset_named()
    profile = planner.load_profile(TWENTY_SIX, ruleset, TODAY).profile
    plan = planner.make_plan(profile, ruleset, today=TODAY)
    firings = sum(len(w.rules_fired) for w in plan.weeks)
    print(
        f"python {platform.python_version()} on {platform.machine()}; ruleset {ruleset.spec.id} "
        f"{ruleset.spec.version}: {len(ruleset.rules)} rules, {len(ruleset.gates)} gates, "
        f"{len(ruleset.engine_definition)} engine rules"
    )
    print(f"26-week plan ({TWENTY_SIX.name}): {len(plan.weeks)} weeks, {firings} rule and gate firings")

    engine = time_plans(profile, ruleset, durable_evaluator(), args.timing_plans, args.repeat)
    reference = time_plans(profile, ruleset, ReferenceEvaluator(), args.timing_plans, args.repeat)
    print(
        f"per plan:  durable_rules {engine:.2f} ms ({engine * 1000 / len(plan.weeks):.0f} us/week, "
        f"{1000 / engine:.0f} plans/s) | reference {reference:.2f} ms | engine/reference {engine / reference:.1f}x"
    )

    examples = sorted((ROOT / "examples").glob("*.yaml"))
    profiles = [planner.load_profile(p, ruleset, TODAY).profile for p in examples]
    evaluator = durable_evaluator()
    for p in profiles * 20:  # warm up allocator and registration
        planner.make_plan(p, ruleset, today=TODAY, evaluator=evaluator)
    start_rss, samples, weeks = rss_kb(), [], 0
    start = time.perf_counter()
    for i in range(args.plans):
        result = planner.make_plan(profiles[i % len(profiles)], ruleset, today=TODAY, evaluator=evaluator)
        weeks += len(result.weeks)
        if (i + 1) % max(1, args.plans // 10) == 0:
            samples.append(rss_kb() - start_rss)
    elapsed = time.perf_counter() - start
    print(
        f"memory over {args.plans:,} plans ({weeks:,} weeks, {len(examples)} example profiles in turn, "
        f"{elapsed:.0f} s): RSS growth by tenths (kB) {samples}"
    )
    tail = samples[len(samples) // 2 :]
    slope = (tail[-1] - tail[0]) * 1024 / max(1, args.plans // 2)
    print(
        f"second half slope: {slope:.1f} bytes/plan; live sessions after: {evaluator.live_sessions}; "
        f"median sample {statistics.median(samples)} kB"
    )


if __name__ == "__main__":
    main()
