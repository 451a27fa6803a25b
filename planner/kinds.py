"""The kind of a document, told from its ``schema:`` line, so a file given in the wrong place is named as such.

A profile passed to ``rtr validate`` would otherwise be reported as forty missing plan
fields; one line saying what the file is, and what to do with it, is what helps.
"""

from __future__ import annotations

import json
from typing import Final

from planner.diagnostics import STDIN, STDIN_NAME, Diagnostic, Span
from planner.yamlsource import Document

PROFILE: Final = "rtr.profile/v1"
PLAN: Final = "rtr.plan/v1"
RULESET: Final = "rtr.ruleset/v1"
CASES: Final = "rtr.cases/v1"
CHECKINS: Final = "rtr.checkins/v1"

_WHAT: Final = {
    PROFILE: "a runner's profile",
    PLAN: "a plan",
    RULESET: "a ruleset",
    CASES: "a ruleset's cases file",
    CHECKINS: "a check-in log",
}
# What to do with a file of each kind (``{file}``: the file as given).
_USE: Final = {
    PROFILE: "plan it with `rtr plan {file}`",
    PLAN: "check it with `rtr validate {file}`",
    RULESET: "give it with --ruleset {file}, or check it with `rtr rules check {file}`",
    CASES: "run it with `rtr rules test {file}`",
    CHECKINS: "give it with --log {file}",
}
# The one case the user most often means: a profile where its plan was wanted.
_INSTEAD: Final = {
    (PROFILE, PLAN): "run `rtr plan {file} -f json -o plan.json` first, then `rtr validate plan.json`",
}


def _schema_of(doc: Document) -> tuple[str, Span] | None:
    """The document's ``schema`` value and where it is; a check-in log's first line counts (JSON Lines)."""
    data = doc.data
    if isinstance(data, dict) and isinstance(data.get("schema"), str):
        span = doc.span(("schema",)) or Span(doc.source.path, 1, 1)
        return data["schema"], span
    first = doc.source.line(1) or ""
    try:
        line = json.loads(first)
    except (ValueError, RecursionError):
        return None
    if isinstance(line, dict) and line.get("schema") == CHECKINS:
        return CHECKINS, Span(doc.source.path, 1, 1)
    return None


def wrong_kind(doc: Document, expected: str) -> Diagnostic | None:
    """One error when ``doc`` is another kind of rtr document than ``expected``; None otherwise.

    A document with no ``schema`` or an unknown one is left to the schema check, which
    says what is missing.
    """
    found = _schema_of(doc)
    if found is None or found[0] == expected or found[0] not in _WHAT:
        return None
    kind, span = found
    shown = STDIN if doc.source.path == STDIN_NAME else doc.source.path  # a command line names stdin `-`
    hint = _INSTEAD.get((kind, expected), _USE[kind]).format(file=shown)
    return Diagnostic(
        "wrong-kind-of-file",
        f"this looks like {_WHAT[kind]} ({kind}), not {_WHAT[expected]}",
        span,
        hint=hint,
    )
