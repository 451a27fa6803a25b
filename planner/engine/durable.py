"""The product's evaluator: durable_rules 2.0.28, used the way its sharp edges demand.

(See ``shared/reference/durable-rules.md`` for the measurements behind each point.)

* A ``Host`` subclass whose ``_run()`` does nothing: the stock host starts timer
  threads that can steal a plan's action chain (incomplete plans, error 307,
  segfaults). Every action runs synchronously in the caller's thread.
* Each compiled ruleset is registered once per process under its content-hash
  name, from a deep copy (registration mutates the dict it is given).
* Each plan runs in its own ``sid``; its first message fires a no-op rule so
  ``delete_state`` (always called, in ``finally``) cannot free uninitialised memory.
* Actions are bound by name from a table this module fills; no eval. Each one is
  wrapped: the engine would swallow an exception into ``state['exception']`` and
  carry on, so the wrapper records it (naming rule and week) and stops the chain.
* A firing budget per week; the engine has no loop guard.
* One lock per process: the C extension never releases the GIL, so threads gain
  nothing and the lock keeps assert -> dispatch -> delete sequences whole.
"""

from __future__ import annotations

import contextlib
import copy
import importlib
import itertools
import os
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from planner.engine.base import MAX_FIRINGS_PER_WEEK, FiringBudget, WeekInput, WeekStepper
from planner.errors import EngineError, RuleActionError
from planner.rules.compiler import CLOSE_RULE, INIT_RULE, CompiledRuleset, passed_key
from planner.rules.vocabulary import engine_key


def _import_engine_core() -> ModuleType:
    """Import durable's C extension, also when it was built for 3.13 without the CPPFLAGS fix.

    Python 3.13 removed ``PyEval_CallObject``; durable-rules 2.0.28 still calls it at five
    places, all in the persistence callbacks (``set_store_message_callback`` and kin), which
    this module never registers (``_QuietHost`` refuses them). gcc 12 compiles the sdist
    anyway, leaving the symbol undefined, and pip caches that build: with the default eager
    binding the import fails. Lazy binding resolves a function only when it is first called,
    so the extension loads and everything the planner calls works.
    """
    try:
        return importlib.import_module("durable_rules_engine")
    except ImportError as error:
        if "PyEval_CallObject" not in str(error) or not hasattr(os, "RTLD_LAZY"):
            raise
    flags = sys.getdlopenflags()
    sys.setdlopenflags((flags & ~os.RTLD_NOW) | os.RTLD_LAZY)
    try:
        return importlib.import_module("durable_rules_engine")
    finally:
        sys.setdlopenflags(flags)


durable_rules_engine = _import_engine_core()

from durable import engine  # noqa: E402  # after the core: durable.engine imports it by name

Action = Callable[[Any], None]


class _QuietHost(engine.Host):  # type: ignore[misc]  # durable ships no type hints
    """A durable Host without background dispatch threads, with our action table."""

    def __init__(self) -> None:
        self.actions: dict[str, Action] = {}
        super().__init__()

    def _run(self) -> None:
        """Start nothing: the stock timer loops race the caller for the action chain."""

    def _no_persistence(self, func: object) -> None:
        """Refuse persistence callbacks: on 3.13 their C side may call an unresolved symbol."""
        raise EngineError("rtr does not use durable_rules persistence callbacks")

    set_store_message_callback = _no_persistence
    set_delete_message_callback = _no_persistence
    set_queue_message_callback = _no_persistence
    set_get_queued_messages_callback = _no_persistence
    set_get_stored_messages_callback = _no_persistence
    set_get_idle_state_callback = _no_persistence

    def get_action(self, action_name: str) -> Action:
        """Bind an action by name from our own table (names are ours, never eval'd)."""
        try:
            return self.actions[action_name]
        except KeyError:
            raise EngineError(f"no action bound for {action_name!r}") from None


@dataclass
class _Run:
    """One plan in flight: what the engine's actions need to reach."""

    stepper: WeekStepper
    budget: FiringBudget = field(default_factory=FiringBudget)
    week: WeekInput | None = None
    week_fact: dict[str, Any] = field(default_factory=dict)
    gate_facts: list[dict[str, Any]] = field(default_factory=list)
    fired: set[str] = field(default_factory=set)
    passed: set[str] = field(default_factory=set)
    error: BaseException | None = None
    finished: bool = False

    def begin(self, week: WeekInput, ruleset: CompiledRuleset) -> None:
        self.week = week
        self.budget.start_week(week.week)
        self.fired, self.passed, self.gate_facts = set(), set(), []
        fact: dict[str, Any] = {"t": "week", "id": f"w{week.week}"}
        for name, value in week.facts.items():
            fact[engine_key(name)] = value
        for gate in ruleset.gates:
            if gate.sticky:
                fact[passed_key(gate.id)] = gate.id in week.passed_before
        self.week_fact = fact


class DurableEvaluator:
    """Runs plans on durable_rules; use :func:`durable_evaluator` for the process's one."""

    name = "durable_rules"

    def __init__(self, *, max_firings_per_week: int = MAX_FIRINGS_PER_WEEK) -> None:
        self.max_firings_per_week = max_firings_per_week
        self._host = _QuietHost()
        self._registered: dict[str, CompiledRuleset] = {}
        self._runs: dict[str, _Run] = {}
        self._lock = threading.Lock()
        self._sids = itertools.count(1)
        self.on_rule_fired: Callable[[str, int], None] | None = None  # a hook for tests

    # ------------------------------------------------------------------ registration
    def _register(self, ruleset: CompiledRuleset) -> str:
        name = ruleset.engine_name
        if name in self._registered:
            return name
        for rule_name in ruleset.engine_definition:
            self._host.actions[f"{name}/{rule_name}"] = self._bind(ruleset, rule_name)
        try:
            self._host.register_rulesets({name: copy.deepcopy(dict(ruleset.engine_definition))})
        except durable_rules_engine.error as error:
            raise EngineError(f"durable_rules rejected ruleset {ruleset.spec.id}: {error}") from error
        self._registered[name] = ruleset
        return name

    def _bind(self, ruleset: CompiledRuleset, rule_name: str) -> Action:
        if rule_name == INIT_RULE:
            return lambda c: None
        if rule_name == CLOSE_RULE:
            return self._wrap(rule_name, lambda c, run: self._close_week(c, run, ruleset))
        kind, _, rest = rule_name.partition(":")
        if kind == "gate":
            gate_id = rest.removesuffix(":before")
            return self._wrap(gate_id, lambda c, run: self._pass_gate(c, run, gate_id, ruleset))
        rule_id = rest
        return self._wrap(rule_id, lambda c, run: self._fire_rule(run, rule_id))

    def _wrap(self, rule_id: str, body: Callable[[Any, _Run], None]) -> Action:
        runs = self._runs

        def action(c: Any) -> None:
            run = runs.get(c.s.sid)
            if run is None or run.error is not None or run.finished:
                return
            week = run.week.week if run.week else 0
            try:
                run.budget.spend(rule_id)
                body(c, run)
            except EngineError as error:
                run.error = error
            except BaseException as error:
                run.error = RuleActionError(rule_id, week, error)

        action.__name__ = f"rtr_action_{rule_id}"
        return action

    # ------------------------------------------------------------------ actions
    def _fire_rule(self, run: _Run, rule_id: str) -> None:
        if self.on_rule_fired is not None and run.week is not None:
            self.on_rule_fired(rule_id, run.week.week)
        run.fired.add(rule_id)

    def _pass_gate(self, c: Any, run: _Run, gate_id: str, ruleset: CompiledRuleset) -> None:
        if gate_id in run.passed:
            return  # sticky gates have two engine rules; the first to fire counts
        run.passed.add(gate_id)
        if gate_id in ruleset.joined_gates and run.week is not None:
            # Only assert gate facts some rule joins on: inside an action an unmatched
            # assert is silently dropped by durable_rules (issue #350).
            fact = {"t": "gate", "id": f"g{run.week.week}:{gate_id}", "name": gate_id}
            c.assert_fact(fact)
            run.gate_facts.append(fact)

    def _close_week(self, c: Any, run: _Run, ruleset: CompiledRuleset) -> None:
        nxt = run.stepper.close_week(frozenset(run.fired), frozenset(run.passed))
        for fact in run.gate_facts:
            c.retract_fact(fact)
        c.retract_fact(run.week_fact)  # working memory stays at a handful of facts
        if nxt is None:
            run.finished = True
            return
        run.begin(nxt, ruleset)
        c.assert_fact(run.week_fact)

    # ------------------------------------------------------------------ a plan
    def run(self, ruleset: CompiledRuleset, stepper: WeekStepper) -> None:
        """Forward-chain every week of one plan inside a single engine call."""
        with self._lock:
            name = self._register(ruleset)
            sid = f"plan-{next(self._sids)}"
            run = _Run(stepper, FiringBudget(self.max_firings_per_week))
            self._runs[sid] = run
            state: dict[str, Any] = {}
            try:
                self._host.post(name, {"sid": sid, "t": "_init"})
                run.begin(stepper.first_week(), ruleset)
                self._host.assert_fact(name, {"sid": sid, **run.week_fact})
                state = self._host.get_state(name, sid)
            except (engine.MessageNotHandledException, engine.MessageObservedException) as error:
                raise EngineError(f"durable_rules: {error.message}") from error
            except durable_rules_engine.error as error:
                raise EngineError(f"durable_rules: {error}") from error
            except MemoryError as error:  # also what the 1,025th live sid looks like
                raise EngineError(f"durable_rules ran out of session slots or memory: {error!r}") from error
            finally:
                self._runs.pop(sid, None)
                with contextlib.suppress(durable_rules_engine.error):  # nothing to delete
                    self._host.delete_state(name, sid)
        if run.error is not None:
            if isinstance(run.error, EngineError):
                raise run.error
            raise EngineError(str(run.error)) from run.error
        if "exception" in state:  # anything that got past the wrappers
            raise EngineError(f"durable_rules recorded an action exception: {str(state['exception'])[:500]}")
        if not run.finished:
            raise EngineError("durable_rules returned before the plan was complete (incomplete chain)")

    @property
    def live_sessions(self) -> int:
        """Plans in flight (0 between calls; more would mean a leak)."""
        return len(self._runs)


_EVALUATOR: DurableEvaluator | None = None
_EVALUATOR_PID = 0
_CREATION_LOCK = threading.Lock()  # threads making their first plan at once still share one evaluator


def durable_evaluator() -> DurableEvaluator:
    """The process's durable evaluator, created on first use (and anew after fork)."""
    global _EVALUATOR, _EVALUATOR_PID
    with _CREATION_LOCK:
        if _EVALUATOR is None or os.getpid() != _EVALUATOR_PID:
            _EVALUATOR, _EVALUATOR_PID = DurableEvaluator(), os.getpid()
        return _EVALUATOR
