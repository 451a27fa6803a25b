"""Exceptions raised by the planner.

Every exception the planner raises on purpose derives from :class:`PlannerError`;
the CLI catches that one class at its boundary and maps it to an exit code::

    PlannerError
    ├── InputError              bad user input: a profile, ruleset or plan file (exit 2)
    │   ├── ProfileError        carries diagnostics with file:line:column
    │   ├── RulesetError        carries diagnostics with file:line:column
    │   └── PlanFileError       a plan file that cannot be read as rtr.plan/v1
    └── EngineError             the rules engine misbehaved (exit 3)
        ├── EngineUnavailable   durable_rules cannot be imported: an installation problem, with a hint
        └── RuleActionError     an action raised; names the rule and the week

Anything else that escapes is a bug and is reported as an internal error (exit 3).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from planner.diagnostics import Diagnostic, SourceText


class PlannerError(Exception):
    """Base class of every error the planner raises deliberately."""


class InputError(PlannerError):
    """A file written by a person is not usable; the diagnostics say why."""

    def __init__(
        self,
        summary: str,
        diagnostics: Sequence[Diagnostic] = (),
        sources: Mapping[str, SourceText] | None = None,
    ) -> None:
        super().__init__(summary)
        self.summary = summary
        self.diagnostics = tuple(diagnostics)
        self.sources = dict(sources or {})


class ProfileError(InputError):
    """A runner profile failed to load or validate."""


class RulesetError(InputError):
    """A ruleset failed to load, validate or compile."""


class PlanFileError(InputError):
    """A plan file could not be read as an ``rtr.plan/v1`` document."""


class EngineError(PlannerError):
    """The rules engine returned an error or an incomplete result."""


ENGINE_INSTALL_HINT = (
    "reinstall the engine in this environment: pip install --force-reinstall --no-cache-dir durable-rules==2.0.28"
    " (it compiles from source: gcc and the Python headers are needed; with Python 3.13 and gcc 14 or newer,"
    " set CPPFLAGS=-DPyEval_CallObject=PyObject_CallObject first); `rtr --version`, `rtr schema` and"
    " `rtr rules check` work without it"
)


class EngineUnavailable(EngineError):
    """durable_rules could not be imported: the installation is broken, not the input."""

    def __init__(self, cause: BaseException) -> None:
        super().__init__(f"the durable_rules engine cannot be loaded ({type(cause).__name__}: {cause})")
        self.hint = ENGINE_INSTALL_HINT


class RuleActionError(EngineError):
    """An action bound to a rule raised while the engine ran it.

    durable_rules would swallow the exception into the session state and carry
    on; the planner's action wrapper records it and re-raises it here instead.
    """

    def __init__(self, rule_id: str, week: int, original: BaseException) -> None:
        super().__init__(f"rule {rule_id!r} failed in week {week}: {original!r}")
        self.rule_id = rule_id
        self.week = week
        self.original = original
