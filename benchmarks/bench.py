"""The planner's benchmark: speed, scale, cold start and memory, on this machine, now.

Usage::

    python benchmarks/bench.py                    # everything (about 15-25 minutes on 2 cores)
    python benchmarks/bench.py --quick            # smaller counts, a minute or two
    python benchmarks/bench.py --json out.json    # also write the figures as JSON
    python benchmarks/bench.py --only memory      # only the RSS runs (the longest part: about an hour)

It prints a table and writes JSON (``--json``, default ``bench-results.json``). Every
timing is measured here; none is a pass/fail test. The two evaluators alternate in small
chunks inside one process, so a load change on a shared machine hits both alike; per plan
it reports the fastest chunk (the least disturbed) and the median chunk. Figures:

* ms per plan, wall and CPU, on durable_rules (with its week cache, and deciding every week)
  and on the reference evaluator, for the 26-week plan
  (``benchmarks/profiles/twenty-six-weeks.yaml``) and for the example mix;
* how many weeks the week cache answers in one pass over the examples and over generated runners;
* their ratio on the whole plan and on the engine alone (a plan's time inside
  ``Evaluator.run`` minus the planner's week building, which both evaluators share);
* the durable C calls and the actions per simulated week, and the C core's share of a plan;
* plans/s in one process and on N worker processes (``planner.batch.run_all``);
* ``rtr plan-batch`` over generated profiles (default 10,000) on N jobs, as a whole process;
* the cold start of ``rtr plan examples/shin-pain-10k.yaml`` and of ``rtr --version``;
* RSS growth over many plans in one process (default 100,000 of the example mix, and a fifth
  as many of a cohort of 2,000 generated runners, which fills the week cache) and in batch workers.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
warnings.filterwarnings("ignore", category=DeprecationWarning)  # durable_rules on 3.12+

import planner  # noqa: E402
import planner.engine.durable as durable  # noqa: E402
from planner.api import ruleset_for_profile  # noqa: E402
from planner.batch import run_all  # noqa: E402
from planner.engine.base import WeekInput, WeekStepper  # noqa: E402
from planner.engine.reference import ReferenceEvaluator  # noqa: E402
from planner.models.profile import Profile  # noqa: E402
from planner.rules.compiler import CompiledRuleset  # noqa: E402

TODAY = date(2026, 11, 26)
TWENTY_SIX = ROOT / "benchmarks" / "profiles" / "twenty-six-weeks.yaml"
RTR = Path(sys.executable).with_name("rtr")
Runner = tuple[Profile, CompiledRuleset]


def rss_kb() -> int:
    return int(Path("/proc/self/status").read_text().split("VmRSS:")[1].split()[0])


def runners(paths: list[Path]) -> list[Runner]:
    out = []
    for path in paths:
        ruleset = ruleset_for_profile(path.read_text(encoding="utf-8"))
        out.append((planner.load_profile(path, ruleset, TODAY).profile, ruleset))
    return out


# ----------------------------------------------------------------------------- timing an evaluator
class TimedStepper:
    """A stepper that counts the weeks and the seconds the planner spends building them."""

    def __init__(self, inner: WeekStepper, clock: dict[str, float]) -> None:
        self.inner, self.clock = inner, clock

    def first_week(self) -> WeekInput:
        start = time.perf_counter()
        try:
            return self.inner.first_week()
        finally:
            self.clock["planner"] += time.perf_counter() - start

    def close_week(self, fired: frozenset[str], passed: frozenset[str]) -> WeekInput | None:
        start = time.perf_counter()
        try:
            return self.inner.close_week(fired, passed)
        finally:
            self.clock["planner"] += time.perf_counter() - start
            self.clock["weeks"] += 1


class TimedEvaluator:
    """Wraps an evaluator: time in ``run`` and, inside it, time in the planner's week building."""

    def __init__(self, inner: Any) -> None:
        self.inner, self.name = inner, inner.name
        self.clock = {"run": 0.0, "planner": 0.0, "weeks": 0.0}

    def run(self, ruleset: CompiledRuleset, stepper: WeekStepper) -> None:
        start = time.perf_counter()
        try:
            self.inner.run(ruleset, TimedStepper(stepper, self.clock))
        finally:
            self.clock["run"] += time.perf_counter() - start

    def reset(self) -> None:
        self.clock = dict.fromkeys(self.clock, 0.0)


class UncachedEvaluator:
    """The durable evaluator deciding every week in the engine (``RTR_NO_CACHE=1`` around each plan)."""

    def __init__(self, inner: Any) -> None:
        self.inner, self.name = inner, inner.name

    def run(self, ruleset: CompiledRuleset, stepper: WeekStepper) -> None:
        os.environ["RTR_NO_CACHE"] = "1"
        try:
            self.inner.run(ruleset, stepper)
        finally:
            del os.environ["RTR_NO_CACHE"]


def chunked(mix: list[Runner], evaluators: dict[str, TimedEvaluator], chunks: int, per_chunk: int) -> dict[str, Any]:
    """Alternate the evaluators, ``per_chunk`` plans each, ``chunks`` times; per-plan figures."""
    rows: dict[str, dict[str, list[float]]] = {name: {"wall": [], "cpu": [], "engine": []} for name in evaluators}
    for _ in range(chunks):
        for name, ev in evaluators.items():
            ev.reset()
            wall, cpu = time.perf_counter(), time.process_time()
            for i in range(per_chunk):
                profile, ruleset = mix[i % len(mix)]
                planner.make_plan(profile, ruleset, today=TODAY, evaluator=ev)  # type: ignore[arg-type]
            rows[name]["wall"].append((time.perf_counter() - wall) * 1000 / per_chunk)
            rows[name]["cpu"].append((time.process_time() - cpu) * 1000 / per_chunk)
            rows[name]["engine"].append((ev.clock["run"] - ev.clock["planner"]) * 1000 / per_chunk)
    out: dict[str, Any] = {}
    for name, r in rows.items():
        out[name] = {f"{k}_ms_min": min(v) for k, v in r.items()} | {
            f"{k}_ms_median": statistics.median(v) for k, v in r.items()
        }
    ref = out["reference"]
    for name, suffix in (("durable", ""), ("durable, no cache", "_no_cache")):
        if name not in out:
            continue
        d = out[name]
        out["ratio_whole" + suffix] = d["wall_ms_min"] / ref["wall_ms_min"]
        out["ratio_engine" + suffix] = d["engine_ms_min"] / ref["engine_ms_min"]
        out["ratio_whole_median" + suffix] = d["wall_ms_median"] / ref["wall_ms_median"]
        out["ratio_engine_median" + suffix] = d["engine_ms_median"] / ref["engine_ms_median"]
    return out


# ----------------------------------------------------------------------------- the C calls
class CountingCore:
    """Stands in for ``durable_rules_engine``: counts and times every call the evaluator makes."""

    def __init__(self, real: Any) -> None:
        self._real, self.calls, self.seconds, self.actions = real, 0, 0.0, 0
        self.error = real.error

    def __getattr__(self, name: str) -> Callable[..., Any]:
        fn = getattr(self._real, name)

        def call(*args: Any) -> Any:
            start = time.perf_counter()
            result = fn(*args)
            self.seconds += time.perf_counter() - start
            self.calls += 1
            if name in ("start_action_for_state", "complete_and_start_action") and result:
                self.actions += 1
            return result

        return call


@contextmanager
def counted_core() -> Iterator[CountingCore]:
    real = durable.durable_rules_engine
    counting = CountingCore(real)
    durable.durable_rules_engine = counting  # type: ignore[assignment]
    try:
        yield counting
    finally:
        durable.durable_rules_engine = real


def c_calls(mix: list[Runner], plans: int) -> dict[str, float]:
    """The C engine's calls and time per week it decides (the cache off), and its share of a plan."""
    ev = TimedEvaluator(UncachedEvaluator(durable.durable_evaluator()))
    with counted_core() as core:
        start = time.perf_counter()
        for i in range(plans):
            profile, ruleset = mix[i % len(mix)]
            planner.make_plan(profile, ruleset, today=TODAY, evaluator=ev)  # type: ignore[arg-type]
        total = time.perf_counter() - start
    weeks = ev.clock["weeks"] or 1
    return {
        "c_calls_per_week": core.calls / weeks,
        "actions_per_week": core.actions / weeks,
        "c_core_share_of_plan": core.seconds / total,
        "c_core_us_per_week": core.seconds * 1e6 / weeks,
        "weeks_simulated_per_plan": weeks / plans,
    }


# ----------------------------------------------------------------------------- scale
def _plan_nth(mix: list[Runner], i: int) -> int:
    profile, ruleset = mix[i % len(mix)]
    return len(planner.make_plan(profile, ruleset, today=TODAY).weeks)


def plans_per_second(mix: list[Runner], plans: int, jobs: int) -> float:
    run_all(_plan_nth, list(range(len(mix))), shared=mix, jobs=jobs)  # warm: fork, register
    start = time.perf_counter()
    run_all(_plan_nth, list(range(plans)), shared=mix, jobs=jobs)
    return plans / (time.perf_counter() - start)


@contextmanager
def no_cache() -> Iterator[None]:
    os.environ["RTR_NO_CACHE"] = "1"
    try:
        yield
    finally:
        del os.environ["RTR_NO_CACHE"]


def week_cache(mix: list[Runner], label: str) -> dict[str, Any]:
    """How many of the weeks of one pass over ``mix`` the cache answered, on a fresh evaluator."""
    ev = durable.DurableEvaluator()
    for profile, ruleset in mix:
        planner.make_plan(profile, ruleset, today=TODAY, evaluator=ev)
    total = ev.weeks_decided + ev.weeks_from_cache
    return {
        "runners": label,
        "weeks": total,
        "decided_by_engine": ev.weeks_decided,
        "from_cache": ev.weeks_from_cache,
        "hit_rate": ev.weeks_from_cache / total if total else 0.0,
        "entries": ev.cached_weeks,
    }


def cohort(count: int) -> list[Runner]:
    """``count`` generated runners (derandomised) of the default ruleset: a cohort of distinct people."""
    from planner.diff import generated_runners

    ruleset = planner.ruleset_named("return-to-run")
    return [(p, ruleset) for _, p in generated_runners(ruleset, count)]


def _worker_rss(mix: list[Runner], i: int) -> tuple[int, int, int]:
    _plan_nth(mix, i)
    return os.getpid(), i, rss_kb()


def worker_memory(mix: list[Runner], plans: int, jobs: int) -> dict[str, Any]:
    """Each worker's RSS after its first tenth of the plans and at its last plan."""
    samples = run_all(_worker_rss, list(range(plans)), shared=mix, jobs=jobs)
    by_pid: dict[int, list[tuple[int, int]]] = {}
    for pid, i, rss in samples:
        by_pid.setdefault(pid, []).append((i, rss))
    growth = {}
    for pid, rows in by_pid.items():
        rows.sort()
        warm = rows[len(rows) // 10][1]
        growth[str(pid)] = rows[-1][1] - warm
    return {"plans": plans, "jobs": jobs, "rss_growth_kb_per_worker": growth}


def process_memory(mix: list[Runner], plans: int) -> dict[str, Any]:
    # Warm up the allocator, the registrations and the caches: every runner once, and at least 400 plans.
    for i in range(max(len(mix), 400)):
        _plan_nth(mix, i)
    start, samples = rss_kb(), []
    began = time.perf_counter()
    for i in range(plans):
        _plan_nth(mix, i)
        if (i + 1) % max(1, plans // 10) == 0:
            samples.append(rss_kb() - start)
    return {
        "plans": plans,
        "seconds": time.perf_counter() - began,
        "rss_growth_kb": samples[-1] if samples else 0,
        "rss_growth_kb_by_tenths": samples,
        "live_sessions_after": durable.durable_evaluator().live_sessions,
        "distinct_runners": len(mix),
        "week_cache_entries_after": durable.durable_evaluator().cached_weeks,
    }


def generated_batch(count: int, jobs: int, folder: Path) -> dict[str, Any]:
    """Write ``count`` generated profiles (once; reused by later runs) and time ``rtr plan-batch`` on them."""
    from planner.diff import generated_runners
    from planner.yamlsource import dump_yaml

    folder.mkdir(parents=True, exist_ok=True)
    made = sorted(folder.glob("*.yaml"))
    gen_seconds = 0.0
    if len(made) < count:
        start = time.perf_counter()
        found: list[Profile] = []
        kinds = [planner.ruleset_named(r) for r in ("return-to-run",)]
        for ruleset in kinds:
            found += [p for _, p in generated_runners(ruleset, int(count * 1.1) + 10)]
        for i, profile in enumerate(found[:count]):
            data = profile.model_dump(mode="json", by_alias=True, exclude_none=True)
            (folder / f"runner-{i:05d}.yaml").write_text(dump_yaml(data), encoding="utf-8")
        gen_seconds = time.perf_counter() - start
        made = sorted(folder.glob("*.yaml"))
    files = made[:count]
    with tempfile.TemporaryDirectory() as out:
        inputs = Path(out) / "in"
        inputs.mkdir()
        for f in files:
            (inputs / f.name).symlink_to(f)
        start = time.perf_counter()
        run = subprocess.run(
            [str(RTR), "plan-batch", str(inputs), "-o", out, "--jobs", str(jobs), "--today", TODAY.isoformat()],
            capture_output=True,
            text=True,
            check=False,
        )
        seconds = time.perf_counter() - start
    return {
        "profiles": len(files),
        "jobs": jobs,
        "seconds": seconds,
        "plans_per_second": len(files) / seconds,
        "exit_code": run.returncode,
        "summary": run.stdout.strip().splitlines(),
        "generation_seconds": gen_seconds,
    }


def cold_start(runs: int) -> dict[str, float]:
    # As a user's machine has it: bytecode written once and read after (not PYTHONDONTWRITEBYTECODE).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

    def best(args: list[str]) -> tuple[float, float]:
        subprocess.run([str(RTR), *args], capture_output=True, check=True, env=env)  # bytecode, the ruleset cache
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run([str(RTR), *args], capture_output=True, check=True, env=env)
            times.append(time.perf_counter() - start)
        return min(times), statistics.median(times)

    plan = ["plan", str(ROOT / "examples" / "shin-pain-10k.yaml"), "-f", "json", "--today", TODAY.isoformat()]
    plan_min, plan_median = best(plan)
    text_min, text_median = best(plan[:2] + plan[4:])  # the default: text, as a pipe gets it
    version_min, version_median = best(["--version"])
    return {
        "plan_s_min": plan_min,
        "plan_s_median": plan_median,
        "plan_text_s_min": text_min,
        "plan_text_s_median": text_median,
        "version_s_min": version_min,
        "version_s_median": version_median,
    }


# ----------------------------------------------------------------------------- the report
def table(results: dict[str, Any]) -> str:
    lines = [
        f"python {results['python']}, {results['cpus']} cores, "
        f"load {results['load_before']} -> {results['load_after']} (1, 5, 15 min)",
    ]
    if "twenty_six_weeks" in results:
        lines += speed_table(results)
    if "memory" in results:
        lines += memory_table(results)
    return "\n".join(lines)


def speed_table(results: dict[str, Any]) -> list[str]:
    p26, mix, c = results["twenty_six_weeks"], results["example_mix"], results["c_calls"]
    lines = ["", f"{'':34} {'durable':>10} {'ratio':>7} {'no cache':>10} {'ratio':>7} {'reference':>10}"]
    for label, r in (("26-week plan", p26), ("example mix", mix)):
        d, u, ref = r["durable"], r["durable, no cache"], r["reference"]
        rows = [
            ("ms/plan wall (min)", "wall_ms_min", "ratio_whole"),
            ("ms/plan wall (median)", "wall_ms_median", "ratio_whole_median"),
            ("ms/plan CPU (min)", "cpu_ms_min", None),
            ("engine alone (min)", "engine_ms_min", "ratio_engine"),
            ("engine alone (median)", "engine_ms_median", "ratio_engine_median"),
        ]
        for what, key, ratio in rows:
            mine = f" {r[ratio]:6.2f}x" if ratio else " " * 8
            theirs = f" {r[ratio + '_no_cache']:6.2f}x" if ratio else " " * 8
            lines.append(f"{label + ', ' + what:34} {d[key]:10.2f}{mine} {u[key]:10.2f}{theirs} {ref[key]:10.2f}")
    for w in results["week_cache"]:
        lines.append(
            f"week cache, one pass over {w['runners']}: {w['from_cache']:,} of {w['weeks']:,} weeks answered "
            f"({100 * w['hit_rate']:.0f}%), {w['entries']:,} entries"
        )
    lines += [
        "",
        f"durable C calls per week {c['c_calls_per_week']:.1f}, actions per week {c['actions_per_week']:.1f}, "
        f"C core {c['c_core_us_per_week']:.0f} us/week = {100 * c['c_core_share_of_plan']:.0f}% of a plan "
        f"({c['weeks_simulated_per_plan']:.1f} weeks simulated per mix plan)",
    ]
    for jobs, rate in results["plans_per_second"].items():
        lines.append(f"plans/s on the example mix, {jobs}: {rate:.0f}")
    if "batch" in results:
        b = results["batch"]
        lines.append(
            f"rtr plan-batch, {b['profiles']:,} generated profiles, {b['jobs']} jobs: {b['seconds']:.1f} s "
            f"({b['plans_per_second']:.0f} plans/s, exit {b['exit_code']})"
        )
    cs = results["cold_start"]
    lines.append(
        f"cold start: rtr plan (text) {cs['plan_text_s_min']:.3f} s (median {cs['plan_text_s_median']:.3f}); "
        f"-f json {cs['plan_s_min']:.3f} s (median {cs['plan_s_median']:.3f}); "
        f"rtr --version {cs['version_s_min']:.3f} s"
    )
    return lines


def memory_table(results: dict[str, Any]) -> list[str]:
    lines = [""]
    for key, what in (("memory", "the example mix"), ("memory_cohort", "a cohort")):
        m = results[key]
        lines.append(
            f"RSS growth over {m['plans']:,} plans of {what} ({m['distinct_runners']:,} runners) in one process: "
            f"{m['rss_growth_kb']} kB (by tenths {m['rss_growth_kb_by_tenths']}; {m['seconds']:.0f} s; "
            f"week cache {m['week_cache_entries_after']:,} entries)"
        )
    w = results["worker_memory"]
    lines.append(
        f"RSS growth per batch worker over {w['plans']:,} plans: {sorted(w['rss_growth_kb_per_worker'].values())} kB"
    )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small counts: a check that it runs, not figures")
    parser.add_argument("--only", choices=("all", "speed", "memory"), default="all", help="a part of the run")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--chunks", type=int, default=None)
    parser.add_argument("--memory-plans", type=int, default=None, help="plans for the RSS run (default 100,000)")
    parser.add_argument("--cohort", type=int, default=None, help="distinct generated runners (default 2,000)")
    parser.add_argument("--batch", type=int, default=None, help="generated profiles for plan-batch (default 10,000)")
    parser.add_argument("--batch-dir", type=Path, default=Path(tempfile.gettempdir()) / "rtr-bench-profiles")
    parser.add_argument("--json", type=Path, default=Path("bench-results.json"))
    args = parser.parse_args()
    quick = args.quick
    chunks = args.chunks or (3 if quick else 15)
    memory_plans = args.memory_plans or (500 if quick else 100_000)
    cohort_size = args.cohort or (100 if quick else 2_000)
    batch = args.batch if args.batch is not None else (200 if quick else 10_000)

    examples = runners(sorted((ROOT / "examples").glob("*.yaml")))
    results: dict[str, Any] = {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_before": [round(x, 2) for x in os.getloadavg()],
        "date": time.strftime("%Y-%m-%d %H:%M:%S"),
    }
    if args.only in ("all", "speed"):
        speed(results, examples, chunks, quick, args, batch)
    if args.only in ("all", "memory"):
        people = cohort(cohort_size)
        results["memory"] = process_memory(examples, memory_plans)
        results["memory_cohort"] = process_memory(people, memory_plans // 5)
        results["worker_memory"] = worker_memory(examples, (20 if quick else 100) * len(examples) * 2, args.jobs)
    results["load_after"] = [round(x, 2) for x in os.getloadavg()]
    print(table(results))
    args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"\nfigures written to {args.json}")


def speed(
    results: dict[str, Any], examples: list[Runner], chunks: int, quick: bool, args: argparse.Namespace, batch: int
) -> None:
    """The timings: both evaluators side by side, the C core, plans/s, the batch, the cache, cold start."""
    twenty_six = runners([TWENTY_SIX])
    evaluators = {
        "durable": TimedEvaluator(durable.durable_evaluator()),
        "durable, no cache": TimedEvaluator(UncachedEvaluator(durable.durable_evaluator())),
        "reference": TimedEvaluator(ReferenceEvaluator()),
    }
    chunked(examples, evaluators, 1, len(examples))  # warm-up: registrations, caches
    results["twenty_six_weeks"] = chunked(twenty_six, evaluators, chunks, 5)
    results["example_mix"] = chunked(examples, evaluators, chunks, len(examples))
    results["c_calls"] = c_calls(examples, 10 * len(examples))
    results["week_cache"] = [week_cache(examples, "the examples"), week_cache(cohort(300), "300 generated")]
    per = 20 * len(examples) if quick else 100 * len(examples)
    rates = {"1 process": plans_per_second(examples, per, 1)}
    with no_cache():
        rates["1 process, no cache"] = plans_per_second(examples, per, 1)
    rates[f"{args.jobs} workers"] = plans_per_second(examples, per, args.jobs)
    results["plans_per_second"] = rates
    if batch:
        results["batch"] = generated_batch(batch, args.jobs, args.batch_dir)
    results["cold_start"] = cold_start(3 if quick else 10)


if __name__ == "__main__":
    main()
