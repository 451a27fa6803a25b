"""``rtr schema``: JSON Schemas so editors can check files while they are typed."""

from __future__ import annotations

import copy
import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import BaseModel

from planner.cases import CasesFile
from planner.cli.common import emit, reported_errors
from planner.models.checkin import CheckinEvent
from planner.models.plan import Plan
from planner.models.profile import DISTANCE_NAMES, Profile
from planner.rules.spec import RulesetSpec


class SchemaName(StrEnum):
    """The documents rtr reads and writes."""

    PROFILE = "profile"
    PLAN = "plan"
    RULESET = "ruleset"
    CASES = "cases"
    CHECKINS = "checkins"


def json_schema(name: SchemaName) -> dict[str, Any]:
    """The JSON Schema of a document kind."""
    models: dict[SchemaName, type[BaseModel]] = {
        SchemaName.PROFILE: Profile,
        SchemaName.PLAN: Plan,
        SchemaName.RULESET: RulesetSpec,
        SchemaName.CASES: CasesFile,
        SchemaName.CHECKINS: CheckinEvent,
    }
    model = models[name]
    schema = model.model_json_schema(by_alias=True, mode="validation")
    if name is SchemaName.RULESET:
        _allow_partial_children(schema)
    if name is SchemaName.PROFILE:
        _allow_mile_names(schema)
    if name is SchemaName.CHECKINS:
        schema["description"] = (
            "One line of a check-in log (JSON Lines: one event a line, appended, never rewritten). "
            + str(schema.get("description", ""))
        )
    schema = _portable(schema)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://rtr-planner.invalid/schema/rtr.{name.value}.v1.json",
        **schema,
        "title": f"rtr.{name.value}/v1",
    }


def _portable(node: Any) -> Any:
    """The schema as every supported pydantic writes it, so ``rtr schema`` prints the same bytes on each.

    pydantic versions differ in details that mean nothing to a JSON Schema validator: ``500``
    or ``500.0``, an explicit ``additionalProperties: true`` (the default), and ``ge``/``le``
    on dates (not JSON Schema keywords). The committed ``schemas/`` must equal the output on
    the floor version too.
    """
    if isinstance(node, dict):
        portable = {key: _portable(value) for key, value in node.items()}
        if portable.get("additionalProperties") is True:
            del portable["additionalProperties"]
        if portable.get("format") in ("date", "date-time"):
            for keyword in ("ge", "gt", "le", "lt"):
                portable.pop(keyword, None)
        return portable
    if isinstance(node, list):
        return [_portable(item) for item in node]
    if isinstance(node, float) and node.is_integer() and abs(node) < 2**53:
        return int(node)
    return node


def _allow_mile_names(schema: dict[str, Any]) -> None:
    """The older ``*_miles`` names of the unit-neutral distance fields stay valid in an editor too."""
    for obj in [schema, *schema.get("$defs", {}).values()]:
        props = obj.get("properties", {})
        for new, old in DISTANCE_NAMES.items():
            if new in props and old not in props:
                props[old] = {**props[new], "description": f"the older name of {new} (either, not both)"}
        required = obj.get("required", [])
        for new, old in DISTANCE_NAMES.items():
            if new in required:  # one of the two names is required
                required.remove(new)
                obj.setdefault("allOf", []).append({"anyOf": [{"required": [new]}, {"required": [old]}]})
        if not required:
            obj.pop("required", None)


def _allow_partial_children(schema: dict[str, Any]) -> None:
    """Let a ruleset that extends another write only what differs.

    It needs its identity; its parameter entries may change single fields (they merge
    field by field with the parent's), and it replaces only the tables it names.
    """
    required = schema.pop("required", [])
    full = {key: schema["properties"][key] for key in ("parameters", "tables")}
    partial_parameter = copy.deepcopy(schema["$defs"]["Parameter"])
    partial_parameter.pop("required", None)
    some_tables = copy.deepcopy(schema["$defs"]["Tables"])
    some_tables.pop("required", None)
    schema["$defs"]["ParameterOverride"] = partial_parameter
    schema["$defs"]["SomeTables"] = some_tables
    for key in full:
        schema["properties"][key] = {"type": "object"}
    schema["if"] = {"required": ["extends"]}
    schema["then"] = {
        "required": ["schema", "id", "version", "title", "extends"],
        "properties": {
            "parameters": {"type": "object", "additionalProperties": {"$ref": "#/$defs/ParameterOverride"}},
            "tables": {"$ref": "#/$defs/SomeTables"},
        },
    }
    schema["else"] = {"required": required, "properties": full}


def schema(
    name: Annotated[SchemaName, typer.Argument(metavar="NAME", help="profile, plan, ruleset or cases")],
    output: Annotated[Path | None, typer.Option("--output", "-o", metavar="FILE", help="Write to this file.")] = None,
) -> None:
    """Print the JSON Schema of a profile, plan, ruleset or cases file.

    Example:  rtr schema profile -o rtr-profile.schema.json
    """
    with reported_errors():
        emit(json.dumps(json_schema(name), indent=2, sort_keys=True) + "\n", output)
