"""Value types shared by the ruleset's shape models and the action vocabulary."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictFloat, StringConstraints

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$", max_length=64)]
Ident = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$", max_length=64)]
ParamRef = Annotated[str, StringConstraints(pattern=r"^\$[a-z][a-z0-9_]*$")]
Grade = Literal["strong", "moderate", "weak", "expert-opinion"]
Text = Annotated[str, StringConstraints(min_length=1, max_length=2000)]
# A number the engine can take: finite, and written in its number format (no exponent),
# so at most 1e12 in size and nothing below 1e-4 but 0 (checked where rulesets are read).
Finite = Annotated[StrictFloat, Field(allow_inf_nan=False)]
Number = Finite | ParamRef  # a literal or a reference to a parameter ("$name")

GRADES: tuple[str, ...] = ("strong", "moderate", "weak", "expert-opinion")


class Strict(BaseModel):
    """Closed, immutable model: a misspelt key is an error, not silently ignored."""

    model_config = ConfigDict(defer_build=True, extra="forbid", frozen=True, populate_by_name=True, allow_inf_nan=False)
