"""What a ruleset edit changes for real runners.

Plan the same runners under two rulesets and compare status, readiness and the
first week that differs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from planner.batch import run_all
from planner.engine.base import Evaluator
from planner.models.plan import Plan, Week
from planner.models.profile import Profile
from planner.planning.planner import make_plan
from planner.profiles import profile_problems
from planner.rules.compiler import CompiledRuleset

STATUS_RANK = {"ready": 0, "race_at_risk": 1, "not_ready_by_horizon": 2, "referral": 3}
COMPARED = (
    ("phase", lambda w: w.phase),
    ("running.weekly_miles", lambda w: w.running.weekly_miles),
    ("running.long_run_miles", lambda w: w.running.long_run_miles),
    ("running.intensity", lambda w: w.running.intensity),
    ("running.spacing", lambda w: w.running.spacing),
    ("running.sessions", lambda w: [(s.day, s.kind, s.miles) for s in w.running.sessions]),
    ("strength", lambda w: (w.strength.block, w.strength.block_week, w.strength.sessions, w.strength.heavy)),
    ("plyometrics.stage", lambda w: w.plyometrics.stage),
    ("warmup", lambda w: w.warmup),
    ("criteria", lambda w: tuple(w.criteria.model_dump().values())),
)


@dataclass
class RunnerDiff:
    """One runner under both rulesets."""

    runner: str
    old_status: str
    new_status: str
    old_ready_week: int | None
    new_ready_week: int | None
    first_differing_week: int | None
    differences: list[str] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        """slower, faster or same (readiness first, then status)."""
        old, new = self.old_ready_week, self.new_ready_week
        if old != new:
            if new is None or (old is not None and new > old):
                return "slower"
            return "faster"
        rank_old, rank_new = STATUS_RANK[self.old_status], STATUS_RANK[self.new_status]
        if rank_new != rank_old:
            return "slower" if rank_new > rank_old else "faster"
        return "same"

    @property
    def status_changed(self) -> bool:
        """The plan's status differs."""
        return self.old_status != self.new_status


@dataclass
class DiffReport:
    """Every runner, and the runners that could not be compared."""

    old: CompiledRuleset
    new: CompiledRuleset
    runners: list[RunnerDiff]
    skipped: list[str]

    def summary(self) -> dict[str, int]:
        """Counts for the summary table."""
        verdicts = [r.verdict for r in self.runners]
        return {
            "runners": len(self.runners),
            "slower": verdicts.count("slower"),
            "faster": verdicts.count("faster"),
            "same": verdicts.count("same"),
            "changed_status": sum(r.status_changed for r in self.runners),
            "plans_differ": sum(r.first_differing_week is not None for r in self.runners),
            "skipped": len(self.skipped),
        }


def _fmt(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def first_difference(old: Plan, new: Plan) -> tuple[int | None, list[str]]:
    """The first week whose prescription differs, and what differs in it."""
    for i in range(max(len(old.weeks), len(new.weeks))):
        if i >= len(old.weeks) or i >= len(new.weeks):
            longer = "new" if len(new.weeks) > len(old.weeks) else "old"
            return i + 1, [f"plan length {len(old.weeks)} -> {len(new.weeks)} weeks (the {longer} plan goes on)"]
        a, b = old.weeks[i], new.weeks[i]
        changes = _week_changes(a, b)
        if changes:
            return a.week, changes
    return None, []


def _week_changes(a: Week, b: Week) -> list[str]:
    out = []
    for name, get in COMPARED:
        va, vb = get(a), get(b)
        if va != vb:
            if name in ("running.sessions", "warmup", "strength", "criteria"):
                out.append(f"{name} changed")
            else:
                out.append(f"{name} {_fmt(va)} -> {_fmt(vb)}")
    return out


def diff_rulesets(
    old: CompiledRuleset,
    new: CompiledRuleset,
    runners: Sequence[tuple[str, Profile]],
    *,
    today: date,
    evaluator: Evaluator,
    step: Callable[[], None] = lambda: None,
    jobs: int = 1,
    scheduler: str | None = None,
) -> DiffReport:
    """Plan every runner under both rulesets and compare; ``step()`` after each runner (a progress bar).

    ``jobs`` > 1 plans the runners on that many worker processes, the same report: each
    worker is forked with its own copy of the evaluator and the compiled rulesets. With a
    dask ``scheduler`` address they are planned on that cluster's workers instead.
    """
    shared = _DiffShared(old, new, today, evaluator)
    results = run_all(_diff_one, list(runners), shared=shared, jobs=jobs, advance=step, scheduler=scheduler)
    out = [r for r in results if isinstance(r, RunnerDiff)]
    skipped = [r for r in results if isinstance(r, str)]
    return DiffReport(old, new, out, skipped)


@dataclass(frozen=True)
class _DiffShared:
    old: CompiledRuleset
    new: CompiledRuleset
    today: date
    evaluator: Evaluator

    # Sent to a cluster's workers, the evaluator goes by name: each worker uses its own.
    def __getstate__(self) -> dict[str, Any]:
        return {"old": self.old, "new": self.new, "today": self.today, "engine": self.evaluator.name}

    def __setstate__(self, state: dict[str, Any]) -> None:
        from planner.api import evaluator_named

        engine = {"durable_rules": "durable"}.get(state["engine"], state["engine"])
        for name, value in (("old", state["old"]), ("new", state["new"]), ("today", state["today"])):
            object.__setattr__(self, name, value)
        object.__setattr__(self, "evaluator", evaluator_named(engine))


def _diff_one(shared: _DiffShared, runner: tuple[str, Profile]) -> RunnerDiff | str:
    """One runner under both rulesets: what differs, or why it was skipped."""
    label, profile = runner
    old, new, today = shared.old, shared.new, shared.today
    problems = [*profile_problems(profile, old, today), *profile_problems(profile, new, today)]
    if problems:
        return f"{label}: {problems[0].message}"
    a = make_plan(profile, old, today=today, evaluator=shared.evaluator)
    b = make_plan(profile, new, today=today, evaluator=shared.evaluator)
    week, what = first_difference(a, b)
    return RunnerDiff(label, a.status, b.status, a.ready_week, b.ready_week, week, what)


def render_diff(report: DiffReport) -> str:
    """The per-runner table and the summary."""
    head = f"{report.old.spec.id} {report.old.spec.version} -> {report.new.spec.id} {report.new.spec.version}"
    lines = [f"Comparing {head} on {len(report.runners)} runners", ""]
    width = max((len(r.runner) for r in report.runners), default=6)
    lines.append(f"{'runner':<{width}}  {'verdict':<7}  {'status':<30}  {'ready week':<12}  first difference")
    for r in report.runners:
        status = r.old_status if not r.status_changed else f"{r.old_status} -> {r.new_status}"
        ready = f"{r.old_ready_week} -> {r.new_ready_week}"
        first = (
            "none" if r.first_differing_week is None else f"week {r.first_differing_week}: " + "; ".join(r.differences)
        )
        lines.append(f"{r.runner:<{width}}  {r.verdict:<7}  {status:<30}  {ready:<12}  {first}")
    s = report.summary()
    lines += [
        "",
        f"Summary: {s['runners']} runners | {s['slower']} slower | {s['faster']} faster | {s['same']} same readiness "
        f"| {s['changed_status']} changed status | {s['plans_differ']} plans differ",
    ]
    lines += [f"skipped {x}" for x in report.skipped]
    return "\n".join(lines) + "\n"


def generated_runners(ruleset: CompiledRuleset, count: int) -> list[tuple[str, Profile]]:
    """``count`` runners from the public strategy, the same every run (derandomised)."""
    from hypothesis import HealthCheck, Phase, given, settings

    from planner.testing.strategies import profiles

    found: list[Profile] = []

    @settings(
        max_examples=count,
        derandomize=True,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
        deadline=None,
    )
    @given(profiles(ruleset, red_flags=False))
    def collect(profile: Profile) -> None:
        if profile not in found:
            found.append(profile)

    collect()
    return [(f"generated-{i + 1:03d}", p) for i, p in enumerate(found[:count])]
