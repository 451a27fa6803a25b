"""A bigger run of the CLI fuzz tests (tests/test_cli_fuzz.py), with its counts.

CI runs each file kind's edits at the "ci" profile's share of examples; this runs the same
edits and checks with as many examples per kind as asked, and prints how the commands
answered (exit codes, failures with the first falsifying edit), so a note can quote them:

    python benchmarks/fuzz_cli.py --examples 400           # 400 edited files per command
    python benchmarks/fuzz_cli.py --examples 50 --json out.json

Every check of the test applies (exit 0, 1 or 2, never 3; no traceback; no raw control
character; bounded output; every input byte for byte unchanged). Exit status: 0 when no
check failed, 1 otherwise. Not a test: it is meant to run for minutes.
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
warnings.filterwarnings("ignore", category=DeprecationWarning)  # durable_rules' own


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=200, help="edited files per command (default 200)")
    parser.add_argument("--json", type=Path, help="also write the counts here")
    args = parser.parse_args()

    from hypothesis import HealthCheck, settings

    import tests.conftest  # noqa: F401  (it loads its own profile on import: load ours after it)

    # The test module sizes each kind from the loaded profile: one sixth of max_examples.
    settings.register_profile(
        "fuzz-run",
        max_examples=args.examples * 6,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    settings.load_profile("fuzz-run")
    import tests.test_cli_fuzz as fuzz

    exits: dict[str, collections.Counter[int]] = collections.defaultdict(collections.Counter)
    current = [""]
    invoke = fuzz.runner.invoke

    def counting_invoke(*a: Any, **kw: Any) -> Any:
        result = invoke(*a, **kw)
        exits[current[0]][result.exit_code] += 1
        return result

    fuzz.runner.invoke = counting_invoke  # type: ignore[method-assign]
    checks = [getattr(fuzz, name) for name in dir(fuzz) if name.startswith("test_")]
    report: dict[str, Any] = {"examples_per_command": args.examples, "commands": {}}
    failed = 0
    for check in checks:
        current[0] = check.__name__
        started = time.perf_counter()
        error = None
        with tempfile.TemporaryDirectory() as tmp:
            try:
                check(tmp_path=Path(tmp))
            except Exception as exc:  # a failed check: hypothesis has shrunk it to one edit
                error = f"{type(exc).__name__}: {str(exc)[:400]}"
                failed += 1
        seconds = time.perf_counter() - started
        counts = dict(sorted(exits[check.__name__].items()))
        report["commands"][check.__name__] = {
            "runs": sum(counts.values()),
            "exits": counts,
            "seconds": round(seconds, 1),
        }
        if error:
            report["commands"][check.__name__]["failure"] = error
        mix = ", ".join(f"exit {code}: {n}" for code, n in counts.items())
        print(f"{check.__name__:<42} {sum(counts.values()):>6} runs  {seconds:7.1f} s  {mix}")
        if error:
            print(f"    FAILED {error}")
    total = collections.Counter[int]()
    for counts in exits.values():
        total.update(counts)
    report["total"] = {"runs": sum(total.values()), "exits": dict(sorted(total.items())), "failed_checks": failed}
    print(
        f"{'all commands':<42} {sum(total.values()):>6} runs  "
        + ", ".join(f"exit {c}: {n}" for c, n in sorted(total.items()))
    )
    print("no check failed" if not failed else f"{failed} check(s) failed")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
