"""Every diagnostic code a ruleset check can report, with its default severity.

``rulesets/README.md`` documents each code; a test keeps the two lists equal.
"""

from __future__ import annotations

from typing import Final

from planner.diagnostics import Severity

E, W = Severity.ERROR, Severity.WARNING

RULESET_CODES: Final[dict[str, tuple[Severity, str]]] = {
    # --- reading the file -------------------------------------------------------------
    "file-unreadable": (E, "the file cannot be read"),
    "wrong-kind-of-file": (E, "the file is a profile, plan, cases file or check-in log, not a ruleset"),
    "yaml-syntax": (E, "the text is not valid YAML"),
    "yaml-tab": (E, "a tab is used for indentation"),
    "yaml-duplicate-key": (E, "a key appears twice in one mapping"),
    "yaml-alias": (E, "anchors, aliases or merge keys are used"),
    "yaml-tag": (E, "an explicit YAML tag is used"),
    "yaml-complex-key": (E, "a key is not plain text"),
    "yaml-multiple-documents": (E, "the file holds more than one YAML document"),
    "yaml-empty": (E, "the file is empty"),
    "yaml-implicit-type": (W, "a bare yes/no/on/off, 0123 or 1:30 where text is wanted is kept as text (YAML 1.2)"),
    "yaml-control-character": (E, "a control character (NUL, ESC ...) is in the text"),
    "yaml-too-large": (E, "the file is nested too deep, holds too many values, or a value or number too long"),
    # --- shape ---------------------------------------------------------------------------
    "missing-field": (E, "a required key is missing"),
    "unknown-field": (E, "a key the language does not know"),
    "wrong-type": (E, "a value of the wrong type"),
    "invalid-choice": (E, "a value outside the allowed set"),
    "out-of-range": (E, "a number or list length outside its allowed range"),
    "invalid-value": (E, "a value that breaks a rule of its field"),
    "invalid-date": (E, "a date that is not YYYY-MM-DD"),
    # --- inheritance ---------------------------------------------------------------------
    "unknown-parent": (E, "extends names a ruleset that cannot be found or read"),
    "extends-cycle": (E, "rulesets extend each other in a cycle"),
    # --- meaning -------------------------------------------------------------------------
    "condition-syntax": (E, "a condition is not 'fact op value'"),
    "unknown-fact": (E, "a condition names a fact the vocabulary does not have"),
    "operator-type": (E, "an operator that does not fit the fact's type"),
    "value-type": (E, "a value that does not fit the fact's type"),
    "too-many-conditions": (E, "more comparisons in one rule than the engine takes"),
    "engine-limit": (E, "more gates, rules, required gates or nesting than the engine takes, or a number it cannot"),
    "unknown-parameter": (E, "a $parameter that the ruleset does not declare"),
    "missing-parameter": (E, "a parameter the planner needs is not declared"),
    "unknown-source": (E, "a source key that the sources section does not declare"),
    "unknown-gate": (E, "requires names a gate that does not exist"),
    "gate-cycle": (E, "gates require each other in a cycle"),
    "kept-when-not-sticky": (E, "kept_when on a gate that is not sticky (it never stays passed)"),
    "unknown-phase": (E, "an action names a phase that does not exist"),
    "duplicate-id": (E, "two gates, rules or phases share an id"),
    "slot-conflict": (E, "two rules decide the same slot at the same priority"),
    "unknown-placeholder": (E, "a note, warning, referral or gate text names a fact or parameter that does not exist"),
    "unknown-name": (E, "a table names an exercise, block or deficit that does not exist"),
    "unit-in-text": (E, "a distance placeholder followed by its own unit (the planner writes mi or km)"),
    "table-order": (E, "table rows are not numbered 1, 2, 3 ... in order"),
    "table-shape": (E, "a table breaks a rule of its kind"),
    "duplicate-row": (E, "a table has two rows for the same thing"),
    "contradicts-invariant": (E, "a threshold that the plan invariants would reject"),
    "missing-evidence": (E, "a rule, gate, parameter or table without its source or evidence grade"),
    "missing-question": (E, "the readiness self-check has no question for one of the four readiness criteria"),
    "never-fires": (W, "a rule or gate whose conditions can never all hold"),
    "unused-phase": (W, "a phase that no rule enters"),
    "unused-row": (W, "a table row that no plan can use"),
    "unused-source": (W, "a source that nothing cites"),
}
