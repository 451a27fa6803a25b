"""Meaning checks for a ruleset: everything that is well-shaped but wrong.

The checks work item by item on the raw document, validating each gate, rule,
parameter and table on its own, so one bad rule never hides the problems of the
others: a ruleset with a dozen mistakes gets a dozen diagnostics in one run.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from planner.diagnostics import Diagnostic, Span, did_you_mean
from planner.engine.limits import (
    LARGEST_NUMBER,
    MAX_COMPARISONS,
    MAX_GATES,
    MAX_NESTING,
    MAX_REQUIRES,
    MAX_RULES,
    SMALLEST_NUMBER,
    representable,
)
from planner.rules.codes import RULESET_CODES
from planner.rules.compiler import TemplateText, parse_condition_tree, resolve_number
from planner.rules.conditions import AllOfCond, ConditionError, ConditionParser
from planner.rules.prescription_checks import check_prescription, check_runner_text, cited_sources
from planner.rules.reachability import why_unreachable
from planner.rules.readiness_checks import check_self_check
from planner.rules.spec import (
    AllOf,
    AnyOf,
    Condition,
    Gate,
    Parameter,
    Readiness,
    Rule,
    Tables,
    is_finite_number,
)
from planner.rules.vocabulary import (
    ACCUMULATING_SLOTS,
    FACTS,
    RED_FLAGS,
    WELL_KNOWN_PARAMETERS,
    PhaseAction,
    RunningBuild,
    RunningCut,
    RunningProgress,
    WalkingBuild,
    action_tag,
)
from planner.yamlsource import Document, Path_


@dataclass
class _Context:
    # Names declared in the file, even by an item with a shape error (reported
    # there), so one malformed item does not make every reference to it "unknown".
    sources: set[str] = field(default_factory=set)
    params: dict[str, Parameter] = field(default_factory=dict)
    declared_params: set[str] = field(default_factory=set)
    phases: dict[str, int] = field(default_factory=dict)
    declared_gates: set[str] = field(default_factory=set)
    gates: list[tuple[int, Gate]] = field(default_factory=list)
    rules: list[tuple[int, Rule]] = field(default_factory=list)
    tables: dict[str, BaseModel] = field(default_factory=dict)
    readiness: Readiness | None = None


def _valid(model: type[BaseModel], raw: Any) -> Any:
    try:
        return model.model_validate(raw)
    except ValidationError:
        return None  # its shape errors come from the whole-document validation


def _collect(data: Mapping[str, Any]) -> _Context:
    ctx = _Context()
    for key, _raw in _mapping(data.get("sources")):
        ctx.sources.add(key)
    for key, raw in _mapping(data.get("parameters")):
        ctx.declared_params.add(key)
        param = _valid(Parameter, raw)
        if param is not None:
            ctx.params[key] = param
    for i, raw in enumerate(_sequence(data.get("phases"))):
        pid = raw.get("id") if isinstance(raw, dict) else None
        if isinstance(pid, str):
            ctx.phases.setdefault(pid, i)
    for i, raw in enumerate(_sequence(data.get("gates"))):
        gid = raw.get("id") if isinstance(raw, dict) else None
        if isinstance(gid, str):
            ctx.declared_gates.add(gid)
        gate = _valid(Gate, raw)
        if gate is not None:
            ctx.gates.append((i, gate))
    for i, raw in enumerate(_sequence(data.get("rules"))):
        rule = _valid(Rule, raw)
        if rule is not None:
            ctx.rules.append((i, rule))
    for name, raw in _mapping(data.get("tables")):
        info = Tables.model_fields.get(name)
        if info is not None and isinstance(info.annotation, type):
            table = _valid(info.annotation, raw)
            if table is not None:
                ctx.tables[name] = table
    ctx.readiness = _valid(Readiness, data.get("readiness"))
    return ctx


def _raw_conditions(items: list[Any]) -> list[Condition]:
    """Raw ``when`` items as condition models; anything else becomes a harmless no-op."""
    out: list[Condition] = []
    for item in items:
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, dict) and isinstance(item.get("any"), list):
            out.append(AnyOf.model_construct(any=_raw_conditions(item["any"])))
        elif isinstance(item, dict) and isinstance(item.get("all"), list):
            out.append(AllOf.model_construct(all=_raw_conditions(item["all"])))
        else:
            out.append(AllOf.model_construct(all=[]))  # its shape error is reported already
    return out


def _nesting(items: Sequence[Condition], depth: int = 0) -> int:
    """How deep any:/all: groups nest in a condition list (0: plain comparisons)."""
    deepest = depth
    for item in items:
        if isinstance(item, AnyOf):
            deepest = max(deepest, _nesting(item.any, depth + 1))
        elif isinstance(item, AllOf):
            deepest = max(deepest, _nesting(item.all, depth + 1))
    return deepest


def _mapping(value: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        yield from value.items()


def _sequence(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


class _Checker:
    def __init__(self, doc: Document, ctx: _Context) -> None:
        self.doc = doc
        self.ctx = ctx
        self.found: list[Diagnostic] = []
        self.param_values = {k: p.value for k, p in ctx.params.items()}
        self.param_units = {k: p.unit for k, p in ctx.params.items()}
        # A declared parameter with a shape error still parses in conditions (its
        # value is unknown, so value-dependent checks skip it).
        self.parser = ConditionParser({**dict.fromkeys(ctx.declared_params, 0.0), **self.param_values})

    # ------------------------------------------------------------------ reporting
    def add(
        self,
        code: str,
        message: str,
        path: Path_,
        *,
        key: bool = False,
        subject: str | None = None,
        hint: str | None = None,
        span: Span | None = None,
    ) -> None:
        severity = RULESET_CODES[code][0]
        where = span or self.doc.span(path, key=key)
        self.found.append(Diagnostic(code, message, where, severity, subject, hint))

    def text_span(self, path: Path_, offset: int, length: int) -> Span | None:
        """A span inside a one-line string value, past its opening quote if any."""
        base = self.doc.span(path)
        if base is None or path not in self.doc.values:
            return base
        line = self.doc.line_of(base) or ""
        quote = 1 if line[base.column - 1 : base.column] in ("'", '"') else 0
        return Span(base.path, base.line, base.column + quote + offset, max(1, length))

    # ------------------------------------------------------------------ checks
    def run(self) -> list[Diagnostic]:
        self.check_sizes()
        self.check_parameters()
        self.check_ids()
        self.check_tables()
        check_prescription(self)
        for i, gate in self.ctx.gates:
            self.check_item(("gates", i), gate, f"gate {gate.id!r}")
            self.check_placeholders(("gates", i, "runner_text"), gate.runner_text, f"gate {gate.id!r}")
        self.check_gate_cycles()
        self.check_readiness()
        check_self_check(self)
        for i, rule in self.ctx.rules:
            self.check_item(("rules", i), rule, f"rule {rule.id!r}")
            self.check_actions(i, rule)
        self.check_slot_conflicts()
        self.check_reachability()
        self.check_unused()
        self.check_malformed_items()
        return self.found

    def check_sizes(self) -> None:
        """Counts the engine cannot take (it crashes or refuses past them)."""
        data = self.doc.data if isinstance(self.doc.data, dict) else {}
        for section, limit in (("gates", MAX_GATES), ("rules", MAX_RULES)):
            items = _sequence(data.get(section))
            if len(items) > limit:
                self.add(
                    "engine-limit",
                    f"{len(items)} {section}; the engine takes at most {limit}",
                    (section,),
                    key=True,
                    hint=f"merge {section} that decide the same thing, or split the ruleset",
                )
        for name, param in self.ctx.params.items():
            for bound, value in (("value", param.value), ("min", param.min), ("max", param.max)):
                if not representable(value):
                    self.add(
                        "engine-limit",
                        f"{bound} {value:g} is not a number the engine can take "
                        f"(0, or between {SMALLEST_NUMBER:g} and {LARGEST_NUMBER:g} in size)",
                        ("parameters", name, bound),
                        subject=f"parameter {name!r}",
                        hint="use at most four decimals and an ordinary size",
                    )

    def check_malformed_items(self) -> None:
        """Check the conditions and gate references of items that failed their shape check.

        One bad field must not hide the rest of an item's problems.
        """
        data = self.doc.data if isinstance(self.doc.data, dict) else {}
        for section, valid in (("gates", self.ctx.gates), ("rules", self.ctx.rules)):
            good = {i for i, _ in valid}
            for i, raw in enumerate(_sequence(data.get(section))):
                if i in good or not isinstance(raw, dict):
                    continue
                subject = f"{section[:-1]} {raw.get('id')!r}"
                when = raw.get("when")
                if isinstance(when, list):
                    self.check_conditions((section, i, "when"), _raw_conditions(when), subject)
                requires = raw.get("requires")
                for j, req in enumerate(requires if isinstance(requires, list) else []):
                    if isinstance(req, str) and req not in self.ctx.declared_gates:
                        self.add(
                            "unknown-gate",
                            f"unknown gate {req!r}",
                            (section, i, "requires", j),
                            subject=subject,
                            hint=did_you_mean(req, self.ctx.declared_gates, what="gates"),
                        )

    def check_source(self, path: Path_, source: str, subject: str) -> None:
        if source not in self.ctx.sources:
            self.add(
                "unknown-source",
                f"unknown source {source!r}",
                (*path, "source"),
                subject=subject,
                hint=did_you_mean(source, self.ctx.sources, what="declared sources"),
            )

    def check_parameters(self) -> None:
        for name, param in self.ctx.params.items():
            self.check_source(("parameters", name), param.source, f"parameter {name!r}")
        data = self.doc.data
        if not isinstance(data, dict) or "parameters" not in data:
            return  # a missing section is a shape error already
        missing = [p for p in WELL_KNOWN_PARAMETERS if p not in self.ctx.params]
        raw = data.get("parameters")
        for name in missing:
            if isinstance(raw, dict) and name in raw:
                continue  # declared but malformed: reported by the shape check
            self.add(
                "missing-parameter",
                f"parameter {name!r} is required",
                ("parameters",),
                key=True,
                hint=f"declare it: {WELL_KNOWN_PARAMETERS[name].role}",
            )
        for name, param in self.ctx.params.items():
            known = WELL_KNOWN_PARAMETERS.get(name)
            if known is None:
                continue
            low, high = known.computable
            for bound, value in (("value", param.value), ("min", param.min), ("max", param.max)):
                if not low <= value <= high:
                    self.add(
                        "out-of-range",
                        f"{name} {bound} {value:.12g} is outside {low:g}-{high:g}, the range the planner computes with",
                        ("parameters", name, bound),
                        subject=f"parameter {name!r}",
                        hint=f"{known.role}: keep it within {low:g}-{high:g}",
                    )
        lo, hi = self.param_values.get("strength_block_min_weeks"), self.param_values.get("strength_block_max_weeks")
        if lo is not None and hi is not None and lo > hi:
            self.add(
                "contradicts-invariant",
                "strength_block_min_weeks is greater than strength_block_max_weeks",
                ("parameters", "strength_block_min_weeks", "value"),
            )

    def check_ids(self) -> None:
        seen: dict[str, str] = {}
        data = self.doc.data if isinstance(self.doc.data, dict) else {}
        for i, raw in enumerate(_sequence(data.get("phases"))):
            pid = raw.get("id") if isinstance(raw, dict) else None
            if isinstance(pid, str) and self.ctx.phases.get(pid, i) != i:
                self.add("duplicate-id", f"phase {pid!r} is declared twice", ("phases", i, "id"))
        for section, items in (("gates", self.ctx.gates), ("rules", self.ctx.rules)):
            for i, item in items:
                if item.id in seen:
                    self.add(
                        "duplicate-id",
                        f"id {item.id!r} is already used by a {seen[item.id]}",
                        (section, i, "id"),
                        hint="gates and rules share one set of ids",
                    )
                else:
                    seen[item.id] = section[:-1]

    def check_item(self, path: Path_, item: Gate | Rule, subject: str) -> None:
        self.check_source(path, item.source, subject)
        gate_ids = self.ctx.declared_gates
        for j, req in enumerate(item.requires):
            if req not in gate_ids:
                self.add(
                    "unknown-gate",
                    f"unknown gate {req!r}",
                    (*path, "requires", j),
                    subject=subject,
                    hint=did_you_mean(req, gate_ids, what="gates"),
                )
        if len(item.requires) > MAX_REQUIRES:
            self.add(
                "engine-limit",
                f"{len(item.requires)} required gates; the engine takes at most {MAX_REQUIRES} in one rule",
                (*path, "requires"),
                key=True,
                subject=subject,
                hint="require one gate that itself requires the others",
            )
        if isinstance(item, Gate) and item.kept_when and not item.sticky:
            self.add(
                "kept-when-not-sticky",
                "kept_when only applies to a sticky gate (one that stays passed)",
                (*path, "kept_when"),
                key=True,
                subject=subject,
                hint="remove kept_when, or remove sticky: false",
            )
        # A gate's kept_when is a condition list like its when: the same checks and engine limits.
        lists = [("when", item.when)] + ([("kept_when", item.kept_when)] if isinstance(item, Gate) else [])
        count = 0
        for name, conditions in lists:
            depth = _nesting(conditions)
            if depth > MAX_NESTING:
                self.add(
                    "engine-limit",
                    f"any:/all: nested {depth} deep; the engine takes at most {MAX_NESTING}",
                    (*path, name),
                    key=True,
                    subject=subject,
                    hint="flatten the conditions, or split the rule",
                )
            count += self.check_conditions((*path, name), conditions, subject)
        if count > MAX_COMPARISONS:
            self.add(
                "too-many-conditions",
                f"{count} comparisons; the engine takes at most {MAX_COMPARISONS}",
                (*path, "when"),
                key=True,
                subject=subject,
                hint="split the rule, or use a gate",
            )

    def check_conditions(self, path: Path_, items: Sequence[Condition], subject: str) -> int:
        count = 0
        for j, item in enumerate(items):
            if isinstance(item, AnyOf):
                count += self.check_conditions((*path, j, "any"), item.any, subject)
            elif isinstance(item, AllOf):
                count += self.check_conditions((*path, j, "all"), item.all, subject)
            else:
                count += 1
                parsed = self.parser.parse(item)
                if isinstance(parsed, ConditionError):
                    self.add(
                        parsed.code,
                        parsed.message,
                        (*path, j),
                        subject=subject,
                        hint=parsed.hint,
                        span=self.text_span((*path, j), parsed.offset, parsed.length),
                    )
                else:
                    values = parsed.value if isinstance(parsed.value, tuple) else (parsed.value,)
                    odd = [v for v in values if is_finite_number(v) and not representable(float(v))]
                    if odd:
                        self.add(
                            "engine-limit",
                            f"{odd[0]:g} is not a number the engine can take "
                            f"(0, or between {SMALLEST_NUMBER:g} and {LARGEST_NUMBER:g} in size)",
                            (*path, j),
                            subject=subject,
                            hint="use at most four decimals and an ordinary size",
                        )
        return count

    def check_gate_cycles(self) -> None:
        """Gates that require each other in a cycle (an iterative walk: chains may be long)."""
        graph = {g.id: list(g.requires) for _, g in self.ctx.gates}  # well-shaped gates only
        where = {g.id: i for i, g in self.ctx.gates}
        state: dict[str, int] = {}  # 1 visiting, 2 done
        for root in graph:
            if root in state:
                continue
            trail: list[str] = [root]
            stack: list[tuple[str, int]] = [(root, 0)]
            state[root] = 1
            while stack:
                node, k = stack[-1]
                nexts = graph.get(node, [])
                if k >= len(nexts):
                    state[node] = 2
                    stack.pop()
                    trail.pop()
                    continue
                stack[-1] = (node, k + 1)
                nxt = nexts[k]
                if state.get(nxt) == 1:
                    cycle = [*trail[trail.index(nxt) :], nxt] if nxt in trail else [node, nxt]
                    self.add(
                        "gate-cycle",
                        "gates require each other: " + " -> ".join(cycle[:12]) + (" ..." if len(cycle) > 12 else ""),
                        ("gates", where[node], "requires"),
                        key=True,
                        subject=f"gate {node!r}",
                    )
                elif nxt in graph and nxt not in state:
                    state[nxt] = 1
                    stack.append((nxt, 0))
                    trail.append(nxt)

    def check_readiness(self) -> None:
        ready = self.ctx.readiness
        if ready is None:
            return
        gate_ids = self.ctx.declared_gates
        refs: list[tuple[Path_, str]] = [
            (("readiness", "gate"), ready.gate),
            (("readiness", "entry_gate"), ready.entry_gate),
        ]
        refs += [(("readiness", "criteria", name), gid) for name, gid in ready.criteria.items()]
        for path, gid in refs:
            if gid not in gate_ids:
                self.add("unknown-gate", f"unknown gate {gid!r}", path, hint=did_you_mean(gid, gate_ids, what="gates"))

    def check_actions(self, i: int, rule: Rule) -> None:
        subject = f"rule {rule.id!r}"
        for j, action in enumerate(rule.then):
            path: Path_ = ("rules", i, "then", j)
            tag = action_tag(action) or ""
            raw = action.model_dump()
            slot = tag.partition(":")[0]
            if slot == "phase" and raw["phase"] not in self.ctx.phases:
                self.add(
                    "unknown-phase",
                    f"unknown phase {raw['phase']!r}",
                    (*path, "phase"),
                    subject=subject,
                    hint=did_you_mean(raw["phase"], self.ctx.phases, what="phases"),
                )
            for arg, value in raw.items():
                if isinstance(value, str) and value.startswith("$") and value[1:] not in self.ctx.declared_params:
                    self.add(
                        "unknown-parameter",
                        f"unknown parameter {value!r}",
                        (*path, arg),
                        subject=subject,
                        hint=did_you_mean(value[1:], self.param_values, what="parameters"),
                    )
            if slot in ("note", "refer", "warning"):
                self.check_placeholders((*path, slot), str(raw[slot]), subject)
            self.check_thresholds(path, action, rule, subject)

    def check_placeholders(self, path: Path_, text: str, subject: str) -> None:
        check_runner_text(self, path, text, subject)
        for m in TemplateText.pattern.finditer(text):
            name = m.group("named") or m.group("braced")
            if m.group("invalid") is not None or m.group("escaped") is not None:
                self.add(
                    "unknown-placeholder",
                    f"a $ that names nothing: {text[m.start() : m.start() + 12]!r}",
                    path,
                    subject=subject,
                    hint="a $ starts a placeholder ($param or ${fact.name}); the runner reads no other $ sign",
                    span=self.text_span(path, m.start(), max(1, len(m.group(0)))),
                )
            elif name and name not in FACTS and name not in self.ctx.declared_params:
                self.add(
                    "unknown-placeholder",
                    f"unknown placeholder ${name}",
                    path,
                    subject=subject,
                    hint=did_you_mean(name, [*FACTS, *self.param_values], what="facts and parameters"),
                    span=self.text_span(path, m.start(), len(m.group(0))),
                )

    def number(self, value: float | str) -> float | None:
        if isinstance(value, str) and value[1:] not in self.param_values:
            return None
        return resolve_number(value, self.param_values)

    def check_thresholds(self, path: Path_, action: BaseModel, rule: Rule, subject: str) -> None:
        """Numbers in actions that the plan invariants would reject."""
        p = self.param_values
        checks: list[tuple[str, float | str, float, float, str]] = []
        if isinstance(action, RunningProgress):
            checks.append(("cap_pct", action.cap_pct, 0.1, p.get("weekly_cap_pct", 50.0), "weekly_cap_pct"))
        elif isinstance(action, RunningBuild):
            checks.append(
                ("step_miles", action.step_miles, 0.1, p.get("early_build_step_miles", 5.0), "early_build_step_miles")
            )
            gated = self.ctx.readiness is not None and (
                self.ctx.readiness.criteria.get("pain_free_10_mpw") in rule.requires
            )
            if not gated:
                checks.append(
                    ("up_to_miles", action.up_to_miles, 0.1, p.get("gate_weekly_miles", 100.0), "gate_weekly_miles")
                )
        elif isinstance(action, RunningCut):
            checks.append(("cut_pct", action.cut_pct, 1.0, 90.0, ""))
        elif isinstance(action, WalkingBuild):
            checks.append(("add_minutes", action.add_minutes, 1.0, 60.0, ""))
            checks.append(("up_to_minutes", action.up_to_minutes, 5.0, 180.0, ""))
        for arg, raw, lo, hi, param in checks:
            value = self.number(raw)
            if value is None:
                continue
            if value < lo or value > hi:
                bound = f" (${param} = {hi:g})" if param else ""
                code = "contradicts-invariant" if param and value > hi else "out-of-range"
                self.add(
                    code,
                    f"{arg} {value:g} is outside [{lo:g}, {hi:g}]{bound}",
                    (*path, arg),
                    subject=subject,
                    hint="the plan invariants check every plan against the ruleset's own parameters",
                )

    def check_slot_conflicts(self) -> None:
        """Two rules deciding one slot differently at one priority are an error.

        Which would win is undefined. Rules that decide the same thing agree.
        """
        owners: dict[tuple[str, int], tuple[str, str]] = {}
        for i, rule in self.ctx.rules:
            seen_here: set[str] = set()
            for action in rule.then:
                slot = (action_tag(action) or "").partition(":")[0]
                if not slot or slot in ACCUMULATING_SLOTS or slot in seen_here:
                    continue
                seen_here.add(slot)
                key, decision = (slot, rule.priority), repr(sorted(action.model_dump().items()))
                other = owners.get(key)
                if other is None:
                    owners[key] = (rule.id, decision)
                elif other[1] != decision:
                    self.add(
                        "slot-conflict",
                        f"rules {other[0]!r} and {rule.id!r} decide {slot} differently at priority {rule.priority}",
                        ("rules", i, "priority"),
                        subject=f"rule {rule.id!r}",
                        hint="give one of them a different priority (a lower number wins)",
                    )

    # ------------------------------------------------------------------ dead ends
    def _tree(self, when: Sequence[Condition]) -> AllOfCond | None:
        """The parsed condition tree, or None when a condition did not parse."""
        try:
            return parse_condition_tree(when, self.parser)
        except ValueError:
            return None  # reported by check_conditions

    def check_reachability(self) -> None:
        """Gates and rules whose conditions can never all hold, or that need such a gate."""
        dead: dict[str, str] = {}
        gates = {g.id: (i, g) for i, g in self.ctx.gates}
        changed = True
        while changed:  # a gate that needs a dead gate is dead too: iterate to a fixed point
            changed = False
            for gid, (_, gate) in gates.items():
                if gid in dead:
                    continue
                why = self._why_dead(gate.when, gate.requires, dead)
                if why:
                    dead[gid], changed = why, True
        for gid, why in dead.items():
            i, _ = gates[gid]
            self.add(
                "never-fires",
                f"gate {gid!r} can never pass: {why}",
                ("gates", i, "when"),
                key=True,
                subject=f"gate {gid!r}",
                hint="check the comparisons against each fact's range",
            )
        for i, rule in self.ctx.rules:
            why = self._why_dead(rule.when, rule.requires, dead)
            if why:
                key = "when" if rule.when else "requires"
                self.add(
                    "never-fires",
                    f"rule {rule.id!r} can never fire: {why}",
                    ("rules", i, key),
                    key=True,
                    subject=f"rule {rule.id!r}",
                    hint="check the comparisons against each fact's range",
                )

    def _why_dead(self, when: Sequence[Condition], requires: Sequence[str], dead: dict[str, str]) -> str | None:
        needed = [g for g in requires if g in dead]
        if needed:
            return f"it needs gate {needed[0]!r}, which can never pass"
        tree = self._tree(when)
        return why_unreachable(tree) if tree is not None else None

    def check_unused(self) -> None:
        """Phases no rule enters, rows no plan can use, sources nothing cites."""
        entered = {a.phase for _, r in self.ctx.rules for a in r.then if isinstance(a, PhaseAction)}
        for pid, i in self.ctx.phases.items():
            if pid not in entered and i > 0:  # the first phase is where a plan starts
                self.add(
                    "unused-phase",
                    f"no rule enters phase {pid!r}",
                    ("phases", i, "id"),
                    hint=f"add a rule with `phase: {pid}`, or remove the phase",
                )
        races, quality, taper = (self.ctx.tables.get(t) for t in ("races", "quality", "taper"))
        if races is not None and quality is not None:
            used = {kind for row in races.rows for kind in row.quality}  # type: ignore[attr-defined]
            for kind in quality.sessions:  # type: ignore[attr-defined]
                if kind not in used:
                    self.add(
                        "unused-row",
                        f"no race's quality rotation uses {kind!r}",
                        ("tables", "quality", "sessions", kind),
                        key=True,
                        hint="add it to a race's quality list, or remove it",
                    )
        if races is not None and taper is not None:
            longest = max((row.taper_weeks for row in races.rows), default=0)  # type: ignore[attr-defined]
            for k, row in enumerate(taper.rows):  # type: ignore[attr-defined]
                if row.weeks_to_race > longest:
                    self.add(
                        "unused-row",
                        f"no race tapers {row.weeks_to_race} weeks out (the longest taper is {longest})",
                        ("tables", "taper", "rows", k, "weeks_to_race"),
                    )
        self._check_unused_sources()

    def _check_unused_sources(self) -> None:
        data = self.doc.data if isinstance(self.doc.data, dict) else {}
        cited: set[str] = set()
        for section in ("parameters", "tables", "readiness"):
            cited |= {source for _, source in cited_sources(data.get(section))}
        for section in ("gates", "rules"):
            for item in _sequence(data.get(section)):
                if isinstance(item, dict) and isinstance(item.get("source"), str):
                    cited.add(item["source"])
        for key in sorted(self.ctx.sources - cited):
            self.add(
                "unused-source",
                f"source {key!r} is cited by nothing",
                ("sources", key),
                key=True,
                hint="cite it from a rule, parameter or table, or remove it",
            )

    # ------------------------------------------------------------------ tables
    def check_tables(self) -> None:
        t = self.ctx.tables
        for name, table in t.items():
            source = getattr(table, "source", None)
            if isinstance(source, str):
                self.check_source(("tables", name), source, f"table {name!r}")
        data = self.doc.data if isinstance(self.doc.data, dict) else {}
        for path, source in cited_sources(data.get("tables")):
            if len(path) > 1:  # the table's own source is checked above; these are its rows' and parts'
                self.check_source(("tables", *path), source, f"table {path[0]!r} {' '.join(map(str, path[1:]))}")
        if "walk_run" in t:
            self.check_walk_run(t["walk_run"])
        if "hop_stages" in t:
            self.check_hops(t["hop_stages"])
        if "strength_blocks" in t:
            self.check_strength(t["strength_blocks"])
        if "races" in t:
            self.check_unique("races", [r.race for r in t["races"].rows], "race")  # type: ignore[attr-defined]
        if "taper" in t:
            self.check_taper(t["taper"], t.get("races"))
        if "pain_allowance" in t:
            self.check_pain(t["pain_allowance"])
        self.check_safety_tables(t)
        if "bsi_sites" in t:
            sites = t["bsi_sites"]
            both = sorted(set(sites.high_risk) & set(sites.low_risk))  # type: ignore[attr-defined]
            if both:
                self.add(
                    "table-shape", f"sites listed as both high and low risk: {', '.join(both)}", ("tables", "bsi_sites")
                )

    def check_hops(self, table: Any) -> None:
        rows = table.rows
        self.check_numbered("hop_stages", [r.stage for r in rows], "stage")
        ready = [k for k, r in enumerate(rows) if r.readiness]
        if len(ready) != 1:
            self.add(
                "table-shape",
                f"exactly one hop stage must be the readiness stage (found {len(ready)})",
                ("tables", "hop_stages", "rows"),
                key=True,
                hint="mark the 3 x 30 s single-leg stage readiness: true",
            )
        elif not rows[ready[0]].single_leg:
            self.add(
                "table-shape",
                "the readiness hop stage must be single-leg",
                ("tables", "hop_stages", "rows", ready[0], "single_leg"),
            )

    def check_pain(self, table: Any) -> None:
        injuries = [r.injury for r in table.rows]
        self.check_unique("pain_allowance", injuries, "injury")
        if "default" not in injuries:
            self.add(
                "table-shape",
                "the pain_allowance table needs a 'default' row",
                ("tables", "pain_allowance", "rows"),
                key=True,
            )

    def check_safety_tables(self, t: Mapping[str, BaseModel]) -> None:
        """Red flags, race long runs and the pre-gate ceiling agree with the rest of the ruleset."""
        if "red_flags" in t:
            self.check_red_flags(t["red_flags"])
        if "races" in t:
            self.check_race_long_runs(t["races"])
        if "walk_run" in t:
            self.check_walk_run_minutes(t["walk_run"])

    def check_red_flags(self, table: Any) -> None:
        flags = [r.flag for r in table.rows]
        self.check_unique("red_flags", flags, "flag")
        missing = [f for f in RED_FLAGS if f not in flags]
        if missing:
            self.add(
                "table-shape",
                f"the red_flags table has no row for {', '.join(missing)}",
                ("tables", "red_flags", "rows"),
                key=True,
                hint="every red flag a profile may report needs its name and urgency",
            )

    def check_race_long_runs(self, table: Any) -> None:
        """Each race's long-run need fits the run ceilings, and the race fits the cap over it (or says why not)."""
        p = self.param_values
        pace, cap = p.get("easy_pace_min_per_mile"), p.get("single_run_cap_pct")
        ceiling, share = p.get("max_run_minutes"), p.get("long_run_max_share_pct")
        if pace is None or cap is None or ceiling is None or share is None:
            return
        for k, row in enumerate(table.rows):
            need = row.long_run_need(pace)
            path: Path_ = ("tables", "races", "rows", k)
            if need > ceiling / pace + 1e-9:
                self.add(
                    "contradicts-invariant",
                    f"the {row.race} needs a {need:g} mi long run, longer than max_run_minutes allows "
                    f"({ceiling:g} min, {ceiling / pace:.1f} mi)",
                    (*path, "long_run_miles"),
                    hint="add long_run_max_minutes, or raise max_run_minutes",
                )
            if need > row.peak_weekly_miles * share / 100 + 1e-9:
                self.add(
                    "contradicts-invariant",
                    f"the {row.race}'s {need:g} mi long run is more than {share:g}% of its "
                    f"{row.peak_weekly_miles:g} mi peak week (long_run_max_share_pct)",
                    (*path, "long_run_miles"),
                    hint="raise peak_weekly_miles, or lower the long-run need",
                )
            if row.cap_exception is None and row.miles > need * (1 + cap / 100) + 1e-9:
                self.add(
                    "contradicts-invariant",
                    f"the {row.race} ({row.miles:g} mi) is more than {cap:g}% over its {need:g} mi long-run need, "
                    "so race day would break the single-run cap",
                    (*path, "long_run_miles"),
                    hint="raise long_run_miles, or document why with cap_exception: {note, source, grade}",
                )
            if row.cap_exception is not None:
                self.check_source((*path, "cap_exception"), row.cap_exception.source, f"race {row.race}")

    def check_walk_run_minutes(self, table: Any) -> None:
        """The continuous stage fits the pre-gate run ceiling, and the gate can be reached under it."""
        p = self.param_values
        pre, pace = p.get("pre_gate_max_run_minutes"), p.get("easy_pace_min_per_mile")
        runs, gate = p.get("gate_min_runs"), p.get("gate_weekly_miles")
        if pre is None or pace is None:
            return
        for k, row in enumerate(table.rows):
            if row.continuous_min is not None and row.continuous_min > pre:
                self.add(
                    "contradicts-invariant",
                    f"stage {row.stage} runs {row.continuous_min:g} min continuously, over pre_gate_max_run_minutes "
                    f"({pre:g})",
                    ("tables", "walk_run", "rows", k, "continuous_min"),
                )
        if runs is not None and gate is not None and runs * math.floor(pre / pace * 10 + 1e-6) / 10 < gate - 1e-9:
            self.add(
                "contradicts-invariant",
                f"{runs:g} runs of at most {pre:g} min ({pre / pace:.1f} mi at the easy pace) cannot reach the "
                f"{gate:g} mi gate",
                ("parameters", "pre_gate_max_run_minutes", "value"),
                hint="raise pre_gate_max_run_minutes or gate_min_runs, or lower gate_weekly_miles",
            )

    def check_numbered(self, table: str, numbers: list[int], column: str) -> None:
        for k, n in enumerate(numbers):
            if n != k + 1:
                self.add(
                    "table-order",
                    f"row {k + 1} has {column} {n}; rows are numbered 1, 2, 3 ... in order",
                    ("tables", table, "rows", k, column),
                    hint=f"number the rows' {column} 1, 2, 3 ... in the order they are listed",
                )
                return

    def check_unique(self, table: str, values: list[str], column: str) -> None:
        seen: set[str] = set()
        for k, value in enumerate(values):
            if value in seen:
                self.add("duplicate-row", f"{column} {value!r} has two rows", ("tables", table, "rows", k, column))
            seen.add(value)

    def check_walk_run(self, table: Any) -> None:
        rows = table.rows
        self.check_numbered("walk_run", [r.stage for r in rows], "stage")
        for k, row in enumerate(rows[:-1]):
            if row.continuous_min is not None:
                self.add(
                    "table-shape",
                    "only the last walk-run stage may be continuous",
                    ("tables", "walk_run", "rows", k),
                )
        if rows[-1].continuous_min is None:
            self.add(
                "table-shape",
                "the last walk-run stage must be continuous running",
                ("tables", "walk_run", "rows", len(rows) - 1),
                hint="end with a row like {stage: 6, continuous_min: 30}",
            )

    def check_strength(self, table: Any) -> None:
        p = self.param_values
        self.check_numbered("strength_blocks", [r.block for r in table.rows], "block")
        lo, hi = p.get("strength_block_min_weeks"), p.get("strength_block_max_weeks")
        s_lo, s_hi = p.get("strength_min_heavy_sessions"), p.get("strength_max_heavy_sessions")
        for k, row in enumerate(table.rows):
            if lo is not None and hi is not None and not lo <= row.weeks <= hi:
                self.add(
                    "contradicts-invariant",
                    f"block {row.block} lasts {row.weeks} weeks; blocks last {lo:g}-{hi:g} weeks",
                    ("tables", "strength_blocks", "rows", k, "weeks"),
                    hint="$strength_block_min_weeks and $strength_block_max_weeks bound every block",
                )
            if s_lo is not None and s_hi is not None and not s_lo <= row.sessions <= s_hi:
                self.add(
                    "contradicts-invariant",
                    f"block {row.block} has {row.sessions} sessions a week; heavy weeks need {s_lo:g}-{s_hi:g}",
                    ("tables", "strength_blocks", "rows", k, "sessions"),
                )

    def check_taper(self, table: Any, races: Any) -> None:
        weeks = sorted(r.weeks_to_race for r in table.rows)
        self.check_unique("taper", [str(r.weeks_to_race) for r in table.rows], "weeks_to_race")
        if weeks and weeks != list(range(1, len(weeks) + 1)):
            self.add(
                "table-order",
                "taper rows must cover weeks_to_race 1, 2 ... without gaps",
                ("tables", "taper", "rows"),
                key=True,
                hint="give one row for each week to the race, from 1 (race week) up",
            )
        if races is not None:
            for k, race in enumerate(races.rows):
                if race.taper_weeks > len(weeks):
                    self.add(
                        "table-shape",
                        f"{race.race} tapers {race.taper_weeks} weeks but the taper table has {len(weeks)} rows",
                        ("tables", "races", "rows", k, "taper_weeks"),
                    )


def meaning_diagnostics(doc: Document) -> list[Diagnostic]:
    """Every meaning problem in a parsed ruleset document."""
    if not isinstance(doc.data, dict):
        return []
    return _Checker(doc, _collect(doc.data)).run()
