"""The readiness self-check's answer, schema ``rtr.readiness/v1`` (``rtr readiness -f json``).

Distances are miles, as in a plan; the texts are already in the runner's units.
"""

from __future__ import annotations

from typing import Final, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt

READINESS_SCHEMA: Final = "rtr.readiness/v1"


class _Model(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid", frozen=True)


class QuestionAnswer(_Model):
    """One question of the self-check and its answer (from the profile, or the runner's)."""

    id: str
    question: str
    answer: StrictBool
    criterion: str | None = Field(description="the readiness criterion the question stands for; null: advice only")
    if_not: str = Field(description="what a no means, in the runner's words (shown for a no)")


class CriterionCheck(_Model):
    """One of the four readiness criteria: whether it holds now, and what the plan does until it does."""

    criterion: str
    gate: str = Field(description="the ruleset's gate that stands for it")
    title: str
    what_it_takes: str = Field(description="the gate's words for the runner")
    holds: StrictBool = Field(description="holds now (at the start of week 1)")
    holds_from_week: StrictInt | None = Field(
        description="the plan week from whose start it holds (1: now); null: not within the plan, or no plan"
    )
    plan: list[str] = Field(description="what the plan does about it, in the runner's words")


class Readiness(_Model):
    """A verdict, what is missing, and what the plan does about each missing item."""

    schema_: Literal["rtr.readiness/v1"] = Field(default=READINESS_SCHEMA, alias="schema")
    ready: StrictBool = Field(description="every readiness criterion holds now")
    verdict: str
    answered_from: Literal["profile", "answers"]
    ruleset: str
    runner: str | None = None
    questions: list[QuestionAnswer]
    criteria: list[CriterionCheck]
    missing: list[str] = Field(description="the criteria that do not hold now")
    advice: list[str] = Field(default_factory=list, description="what a no to an advice-only question means")
    plan_status: str | None = Field(default=None, description="the plan's status (null: no profile, no plan)")
    ready_week: StrictInt | None = Field(default=None, description="the plan week all four criteria hold from")
    next_step: str = ""

    def to_json(self) -> str:
        """Canonical JSON: same answer, same bytes."""
        return self.model_dump_json(by_alias=True, indent=2) + "\n"
