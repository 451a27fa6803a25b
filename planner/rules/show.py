"""Print a ruleset as it takes effect.

Inherited and overridden items are each marked with the file they came from.
"""

from __future__ import annotations

from typing import Any

from planner.rules.compiler import CompiledRuleset
from planner.rules.inherit import Origin
from planner.yamlsource import dump_yaml


def _origin_comment(origin: Origin | None, indent: str) -> str:
    if origin is None:
        return ""
    note = f" (overrides {origin.overrides})" if origin.overrides else ""
    return f"{indent}# from {origin.path}{note}\n"


def _readable(item: dict[str, Any]) -> dict[str, Any]:
    """Identity first, as a person reads an item: id, title, then the rest."""
    first: dict[str, Any] = {k: item[k] for k in ("id", "title") if k in item}
    return {**first, **{k: v for k, v in item.items() if k not in first}}


def _list_section(name: str, items: list[dict[str, Any]], kind: str, origins: dict[str, Origin]) -> str:
    out = [f"{name}:\n"]
    for item in map(_readable, items):
        out.append(_origin_comment(origins.get(f"{kind}:{item.get('id')}"), "  "))
        body = dump_yaml([item]).rstrip("\n").replace("\n", "\n  ")
        out.append(f"  {body}\n")
    return "".join(out)


def _map_section(name: str, items: dict[str, Any], kind: str, origins: dict[str, Origin]) -> str:
    out = [f"{name}:\n"]
    for key, value in items.items():
        out.append(_origin_comment(origins.get(f"{kind}:{key}"), "  "))
        body = dump_yaml({key: value}).rstrip("\n").replace("\n", "\n  ")
        out.append(f"  {body}\n")
    return "".join(out)


def render_resolved(ruleset: CompiledRuleset) -> str:
    """The effective ruleset as YAML, with ``# from <file>`` before every item."""
    data = ruleset.spec.model_dump(mode="json", by_alias=True, exclude_none=True)
    origins = dict(ruleset.origins)
    head = {k: data[k] for k in ("schema", "id", "version", "title", "description", "extends", "injuries") if k in data}
    parts = [
        f"# Effective ruleset {ruleset.spec.id} {ruleset.spec.version} (sha256 {ruleset.sha256})\n",
        dump_yaml(head),
        _map_section("sources", data["sources"], "source", origins),
        _map_section("parameters", data["parameters"], "parameter", origins),
        _list_section("phases", data["phases"], "phase", origins),
        _map_section("tables", data["tables"], "table", origins),
        _list_section("gates", data["gates"], "gate", origins),
        dump_yaml({"readiness": data["readiness"]}),
        _list_section("rules", data["rules"], "rule", origins),
    ]
    return "\n".join(p.rstrip("\n") + "\n" for p in parts)
