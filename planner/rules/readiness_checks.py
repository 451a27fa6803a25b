"""Checks of the readiness self-check (``readiness.self_check``): what ``rtr readiness`` asks.

Its questions answer from a profile through conditions, and read as the runner's words
with ``$param`` placeholders, so they get the checks rules and gates get; its own
parameters may be named only in its own texts and conditions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from planner.diagnostics import did_you_mean
from planner.rules.compiler import TemplateText
from planner.rules.conditions import ConditionParser
from planner.rules.prescription_checks import check_runner_text
from planner.rules.vocabulary import FACTS, READINESS_CRITERIA

if TYPE_CHECKING:
    from planner.rules.semantics import _Checker
    from planner.yamlsource import Path_

_AT: Path_ = ("readiness", "self_check")


def check_self_check(checker: _Checker) -> None:
    """Sources, ids, placeholders and conditions of the self-check; a question for every criterion."""
    ready = checker.ctx.readiness
    if ready is None or ready.self_check is None:
        return
    own = ready.self_check.parameters
    for name, param in own.items():
        checker.check_source((*_AT, "parameters", name), param.source, f"self-check parameter {name!r}")
        if name in checker.ctx.declared_params:
            checker.add(
                "duplicate-id",
                f"parameter {name!r} is declared in parameters too",
                (*_AT, "parameters", name),
                key=True,
                hint="give the self-check's parameter another name",
            )
    known = checker.ctx.declared_params | set(own)
    parser = checker.parser
    checker.parser = ConditionParser({**parser.parameters, **{k: p.value for k, p in own.items()}})
    try:
        seen: set[str] = set()
        for i, question in enumerate(ready.self_check.questions):
            path: Path_ = (*_AT, "questions", i)
            subject = f"readiness question {question.id!r}"
            if question.id in seen:
                checker.add("duplicate-id", f"question {question.id!r} is asked twice", (*path, "id"))
            seen.add(question.id)
            checker.check_source(path, question.source, subject)
            for field in ("ask", "if_not"):
                _placeholders(checker, (*path, field), getattr(question, field), subject, known)
            checker.check_conditions((*path, "yes_when"), question.yes_when, subject)
    finally:
        checker.parser = parser
    covered = {q.criterion for q in ready.self_check.questions}
    for criterion in READINESS_CRITERIA:
        if criterion not in covered:
            checker.add(
                "missing-question",
                f"no self-check question stands for the readiness criterion {criterion!r}",
                (*_AT, "questions"),
                key=True,
                hint=f"add `criterion: {criterion}` to the question that asks about it, or a question for it",
            )


def _placeholders(checker: _Checker, path: Path_, text: str, subject: str, known: set[str]) -> None:
    check_runner_text(checker, path, text, subject)
    for m in TemplateText.pattern.finditer(text):
        name = m.group("named") or m.group("braced")
        if m.group("invalid") is not None or m.group("escaped") is not None:
            checker.add(
                "unknown-placeholder",
                f"a $ that names nothing: {text[m.start() : m.start() + 12]!r}",
                path,
                subject=subject,
                hint="a $ starts a placeholder ($param or ${fact.name}); the runner reads no other $ sign",
            )
        elif name and name not in FACTS and name not in known:
            checker.add(
                "unknown-placeholder",
                f"unknown placeholder ${name}",
                path,
                subject=subject,
                hint=did_you_mean(name, sorted(known), what="parameters"),
                span=checker.text_span(path, m.start(), len(m.group(0))),
            )
