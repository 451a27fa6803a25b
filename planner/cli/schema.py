"""``rtr schema``: JSON Schemas so editors can check files while they are typed."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import BaseModel

from planner.cli.common import emit, reported_errors
from planner.models.plan import Plan
from planner.models.profile import Profile


class SchemaName(StrEnum):
    """The documents rtr reads and writes."""

    PROFILE = "profile"
    PLAN = "plan"


def json_schema(name: SchemaName) -> dict[str, Any]:
    """The JSON Schema of a document kind."""
    model: type[BaseModel] = Profile if name is SchemaName.PROFILE else Plan
    schema = model.model_json_schema(by_alias=True, mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://rtr-planner.invalid/schema/rtr.{name.value}.v1.json",
        **schema,
        "title": f"rtr.{name.value}/v1",
    }


def schema(
    name: Annotated[SchemaName, typer.Argument(help="profile or plan")],
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file.")] = None,
) -> None:
    """Print the JSON Schema of a profile or plan file.

    Example:  rtr schema profile -o rtr-profile.schema.json
    """
    with reported_errors():
        emit(json.dumps(json_schema(name), indent=2, sort_keys=True) + "\n", output)
