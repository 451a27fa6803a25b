"""The product's evaluator: durable_rules 2.0.28's C engine, driven by a lean action loop.

(See ``shared/reference/durable-rules.md`` and ``performance-study.md`` for the
measurements behind each point.)

durable_rules decides: every rule and gate is a durable rule whose conditions its Rete
network matches, and gates are facts that rules join on, so the chaining within a week is
the engine's. What this module leaves out is durable's Python host layer (``durable.engine``),
which cost three quarters of a plan: a JSON parse of every agenda item, a state document
re-asserted after every action, closures, promises and two clock reads per action. Instead:

* The ruleset is created once per process and content (``create_ruleset``) from the
  durable rules ``planner.engine.dialect`` writes for it.
* Each plan has its own ``sid``. An event primes the session (durable's ``delete_state``
  on a session that never matched frees uninitialised memory); ``delete_state`` is always
  called, in ``finally``.
* The loop: ``start_action_for_state`` then ``complete_and_start_action`` until the agenda
  is empty, all in the caller's thread (the stock host's timer threads can steal a chain).
  The rule's name is the first key of the JSON the engine hands back, read without parsing
  the rest; the action is found in a table made at registration, never by eval.
* Actions assert and retract facts through the C API; a retraction names only
  ``sid`` and ``id`` (durable identifies a fact by them). No action reads or writes the
  session state, so it is never round-tripped.
* The week fact carries only the keys some condition reads (the engine matches nothing else).
* A firing budget per week (the engine has no loop guard), and every exception of an
  action stops the chain and names the rule and the week.
* No persistence callback is ever registered: on 3.13 their C side may call an unresolved
  symbol (see :func:`_import_engine_core`).
* One lock per process: the C extension never releases the GIL, so threads gain nothing
  and the lock keeps a plan's assert -> dispatch -> delete sequence whole.
* Each distinct week is decided once per process. What the engine decides for a week (the
  rules fired, the gates passed) depends only on the week fact it is given: working memory
  holds nothing else by then (the last week's facts are retracted, the priming event is
  consumed). So the decision is kept, keyed by the ruleset and a digest of that fact's
  exact JSON (without the session and fact ids), and a week whose fact was seen before is
  not handed to the engine again. The cache is bounded (:data:`WEEK_CACHE_SIZE`, emptied when full),
  and ``RTR_NO_CACHE=1`` (``--no-cache``) decides every week in the engine.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import itertools
import json
import os
import sys
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from planner.engine import dialect
from planner.engine.base import MAX_FIRINGS_PER_WEEK, FiringBudget, WeekInput, WeekStepper
from planner.engine.dialect import CLOSE_RULE, INIT_RULE, engine_key, passed_key
from planner.errors import EngineError, RuleActionError
from planner.rules.compiler import CompiledRuleset
from planner.rules.conditions import comparisons


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

# What ``assert_*`` and ``retract_*`` return first: 0 handled, 1 no rule's pattern can match the
# message (durable's MessageNotHandled), 2 seen before (MessageObserved).
NOT_HANDLED, OBSERVED = 1, 2

# What an engine rule does when it fires.
INIT, CLOSE, GATE, RULE = range(4)

# Week decisions kept per process. A week fact's JSON is about 1.5 kB, so an entry is keyed by
# its 16-byte BLAKE2b digest (a collision among 20,000 weeks has odds near 1e-30), and the few
# hundred distinct decisions a cohort has are shared: 20,000 entries are about 3 MB.
WEEK_CACHE_SIZE = 20_000
Decision = tuple[frozenset[str], frozenset[str]]  # (rules fired, gates passed)


def _digest(fact_json: str) -> bytes:
    return hashlib.blake2b(fact_json.encode(), digest_size=16).digest()


def week_cache_wanted() -> bool:
    """Whether weeks seen before may be answered from the cache (``RTR_NO_CACHE`` unset)."""
    return not os.environ.get("RTR_NO_CACHE")


@dataclass(frozen=True)
class _Registered:
    """A ruleset created in the C engine, with what the loop needs to run it."""

    handle: int
    name: str  # the ruleset's id, version and a hash of its durable rules
    ruleset: CompiledRuleset
    actions: Mapping[str, tuple[int, str]]  # engine rule name -> (what it does, gate or rule id)
    keys: tuple[tuple[str, str], ...]  # (fact name, engine key) of every fact some condition reads
    sticky: tuple[tuple[str, str], ...]  # (gate id, engine key) of each sticky gate's "passed before"


@dataclass
class _Run:
    """One plan in flight."""

    reg: _Registered
    sid: str
    stepper: WeekStepper
    budget: FiringBudget
    decisions: dict[bytes, Decision] | None  # this ruleset's week cache; None: decide every week
    shared: dict[Decision, Decision]  # one copy of each distinct decision
    week: int = 0
    week_id: str = ""
    week_key: bytes = b""  # the digest of the week fact's JSON without the session and fact ids
    gate_ids: list[str] = field(default_factory=list)
    fired: set[str] = field(default_factory=set)
    passed: set[str] = field(default_factory=set)
    finished: bool = False
    from_cache: int = 0  # weeks answered from the cache

    def fact_key(self, week: WeekInput) -> str:
        """The week fact as the engine matches it: every key a condition reads, as JSON."""
        values = week.facts
        fact: dict[str, Any] = {key: values[name] for name, key in self.reg.keys if name in values}
        for gate_id, key in self.reg.sticky:
            fact[key] = gate_id in week.passed_before
        return json.dumps(fact, ensure_ascii=False)

    def week_fact(self, week: WeekInput, fact: str) -> str:
        """Begin a week: its fact as the JSON the engine is given (``fact`` plus the ids)."""
        self.week, self.week_id = week.week, f"w{week.week}"
        self.week_key = _digest(fact) if self.decisions is not None else b""
        self.budget.start_week(week.week)
        self.fired, self.passed, self.gate_ids = set(), set(), []
        ids = json.dumps({"sid": self.sid, "t": "week", "id": self.week_id}, ensure_ascii=False)
        return ids[:-1] + (", " + fact[1:] if fact != "{}" else "}")

    def next_undecided(self, week: WeekInput | None) -> tuple[WeekInput, str] | None:
        """From ``week`` on, close each week decided before; the first new week and its fact (None: done)."""
        while week is not None:
            fact = self.fact_key(week)
            decision = self.decisions.get(_digest(fact)) if self.decisions is not None else None
            if decision is None:
                return week, fact
            self.week = week.week
            self.from_cache += 1
            try:
                week = self.stepper.close_week(*decision)
            except EngineError:
                raise
            except Exception as error:  # as when the engine's closing rule runs it: named, not swallowed
                raise RuleActionError(CLOSE_RULE, self.week, error) from error
        self.finished = True
        return None


def _condition_keys(ruleset: CompiledRuleset) -> tuple[tuple[str, str], ...]:
    """Every fact a gate's or a rule's condition reads, in a stable order."""
    names: dict[str, None] = {}
    trees = [t for g in ruleset.gates for t in (g.condition, g.kept)] + [r.condition for r in ruleset.rules]
    for tree in trees:
        for comparison in comparisons(tree):
            names.setdefault(comparison.fact)
    return tuple((name, engine_key(name)) for name in names)


def _action_table(definition: Mapping[str, Any]) -> dict[str, tuple[int, str]]:
    table: dict[str, tuple[int, str]] = {}
    for name in definition:
        kind, _, rest = name.partition(":")
        if name == INIT_RULE:
            table[name] = (INIT, "")
        elif name == CLOSE_RULE:
            table[name] = (CLOSE, CLOSE_RULE)
        elif kind == "gate":
            table[name] = (GATE, rest.removesuffix(":before"))  # sticky gates have two engine rules
        else:
            table[name] = (RULE, rest)
    return table


def _rule_name(message: str) -> str:
    """The engine rule that fired: the first key of ``{"rule:x": {...}}``, read without a parse."""
    if message.startswith('{"'):
        end = message.find('"', 2)
        if end > 0 and "\\" not in message[2:end]:
            return message[2:end]
    return str(next(iter(json.loads(message))))  # a name with an escape in it


class DurableEvaluator:
    """Runs plans on durable_rules; use :func:`durable_evaluator` for the process's one."""

    name = "durable_rules"

    def __init__(self, *, max_firings_per_week: int = MAX_FIRINGS_PER_WEEK) -> None:
        self.max_firings_per_week = max_firings_per_week
        self._registered: dict[str, _Registered] = {}
        self._lock = threading.Lock()
        self._sids = itertools.count(1)
        self._live: set[str] = set()
        self._decisions: dict[str, dict[bytes, Decision]] = {}  # per durable ruleset: week fact digest -> decision
        self._shared: dict[str, dict[Decision, Decision]] = {}
        self.weeks_decided = 0  # weeks the engine decided, and weeks answered from the cache (for tests, benchmarks)
        self.weeks_from_cache = 0
        self.on_rule_fired: Callable[[str, int], None] | None = None  # a hook for tests

    # ------------------------------------------------------------------ registration
    def _register(self, ruleset: CompiledRuleset) -> _Registered:
        found = self._registered.get(ruleset.sha256)  # the same rules, the same durable ruleset
        if found is not None:
            return found
        definition = dialect.ruleset_definition(ruleset)
        name = dialect.engine_name(ruleset, definition)
        try:
            handle = durable_rules_engine.create_ruleset(name, json.dumps(definition, ensure_ascii=False))
        except durable_rules_engine.error as error:
            raise EngineError(f"durable_rules rejected ruleset {ruleset.spec.id}: {error}") from error
        sticky = tuple((g.id, passed_key(g.id)) for g in ruleset.gates if g.sticky)
        reg = _Registered(handle, name, ruleset, _action_table(definition), _condition_keys(ruleset), sticky)
        self._registered[ruleset.sha256] = reg
        return reg

    # ------------------------------------------------------------------ the C API, checked
    def _assert(self, call: Callable[[int, str], Any], handle: int, message: str) -> int:
        result = call(handle, message)
        if result[0] == NOT_HANDLED:
            raise EngineError(f"durable_rules: no rule can match {message[:200]}")
        if result[0] == OBSERVED:
            raise EngineError(f"durable_rules: already seen {message[:200]}")
        return int(result[1])

    def _delete_state(self, handle: int, sid: str) -> None:
        durable_rules_engine.delete_state(handle, sid)

    # ------------------------------------------------------------------ the loop
    def _drain(self, run: _Run, state: int) -> None:
        """Run every action the engine has for this session, until its agenda is empty."""
        core, handle, actions = durable_rules_engine, run.reg.handle, run.reg.actions
        started = core.start_action_for_state(handle, state)
        message = started[1] if started else None
        while message:
            kind, item = actions[_rule_name(message)]
            if kind != INIT:
                try:
                    run.budget.spend(item)
                    self._act(run, kind, item, state)
                except EngineError:
                    core.abandon_action(handle, state)
                    raise
                except Exception as error:
                    core.abandon_action(handle, state)
                    raise RuleActionError(item, run.week, error) from error
                if run.finished:
                    core.complete_and_start_action(handle, state)
                    return
            message = core.complete_and_start_action(handle, state)

    def _act(self, run: _Run, kind: int, item: str, state: int) -> None:
        if kind == RULE:
            if self.on_rule_fired is not None:
                self.on_rule_fired(item, run.week)
            run.fired.add(item)
        elif kind == GATE:
            if item in run.passed:
                return  # a sticky gate's two engine rules: the first to fire counts
            run.passed.add(item)
            if item in run.reg.ruleset.joined_gates:
                # Only gates some rule joins on become facts: a fact no pattern can match is
                # refused (inside durable's host layer it was silently dropped, issue #350).
                fact_id = f"g{run.week}:{item}"
                fact = json.dumps({"sid": run.sid, "t": "gate", "id": fact_id, "name": item})
                self._assert(durable_rules_engine.assert_fact, run.reg.handle, fact)
                run.gate_ids.append(fact_id)
        else:
            self._close_week(run)

    def _close_week(self, run: _Run) -> None:
        decision = (frozenset(run.fired), frozenset(run.passed))
        if run.decisions is not None:
            if len(run.decisions) >= WEEK_CACHE_SIZE:
                run.decisions.clear()  # bounded: a long batch of distinct weeks starts afresh
                run.shared.clear()
            decision = run.shared.setdefault(decision, decision)
            run.decisions[run.week_key] = decision
        nxt = run.stepper.close_week(*decision)
        handle, sid = run.reg.handle, run.sid
        for fact_id in [*run.gate_ids, run.week_id]:  # working memory stays at a handful of facts
            self._assert(durable_rules_engine.retract_fact, handle, json.dumps({"sid": sid, "id": fact_id}))
        self._start_week(run, nxt)

    def _start_week(self, run: _Run, week: WeekInput | None) -> None:
        """Hand the engine the next week it has not decided before (weeks it has are closed here)."""
        undecided = run.next_undecided(week)
        if undecided is not None:
            self.weeks_decided += 1
            self._assert(durable_rules_engine.assert_fact, run.reg.handle, run.week_fact(*undecided))

    # ------------------------------------------------------------------ a plan
    def run(self, ruleset: CompiledRuleset, stepper: WeekStepper) -> None:
        """Forward-chain every week of one plan inside a single engine session."""
        with self._lock:
            reg = self._register(ruleset)
            sid = f"plan-{next(self._sids)}"
            # A test's hook sees every firing, so it turns the cache off.
            cache = week_cache_wanted() and self.on_rule_fired is None
            decisions = self._decisions.setdefault(reg.name, {}) if cache else None
            shared = self._shared.setdefault(reg.name, {})
            run = _Run(reg, sid, stepper, FiringBudget(self.max_firings_per_week), decisions, shared)
            self._live.add(sid)
            opened = False
            try:
                # Weeks decided before are closed first, without a session: a session is opened only
                # for a week the engine decides, so every session the engine sees holds a week fact
                # (durable's delete_state is not to be trusted on a session that only had its priming
                # event; a suite run crashed once in the C engine's memory while whole plans came
                # from the cache).
                undecided = run.next_undecided(stepper.first_week())
                if undecided is not None:
                    state = self._assert(
                        durable_rules_engine.assert_event, reg.handle, json.dumps({"sid": sid, "t": "_init"})
                    )
                    opened = True
                    self._drain(run, state)
                    self.weeks_decided += 1
                    self._assert(durable_rules_engine.assert_fact, reg.handle, run.week_fact(*undecided))
                    self._drain(run, state)
            except durable_rules_engine.error as error:
                raise EngineError(f"durable_rules: {error}") from error
            except MemoryError as error:  # also what the 1,025th live sid looks like
                raise EngineError(f"durable_rules ran out of session slots or memory: {error!r}") from error
            finally:
                self.weeks_from_cache += run.from_cache
                self._live.discard(sid)
                if opened:
                    with contextlib.suppress(durable_rules_engine.error):  # nothing to delete
                        self._delete_state(reg.handle, sid)
        if not run.finished:
            raise EngineError("durable_rules returned before the plan was complete (incomplete chain)")

    @property
    def cached_weeks(self) -> int:
        """Week decisions kept (every ruleset)."""
        return sum(len(d) for d in self._decisions.values())

    @property
    def live_sessions(self) -> int:
        """Plans in flight (0 between calls; more would mean a leak)."""
        return len(self._live)


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
