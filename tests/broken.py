"""Apply the deliberate breakages of tests/data/broken_rulesets.yaml (test helper)."""

from __future__ import annotations

import copy
import re
from typing import Any

Path_ = list[str | int]


def parse_path(text: str) -> Path_:
    """``rules[taper].then`` -> ['rules', '#taper', 'then']; ``rows[0]`` -> ['rows', 0]."""
    out: Path_ = []
    for part in text.split("."):
        m = re.fullmatch(r"([a-z_]+)((?:\[[^\]]+\])*)", part)
        if m is None:
            raise ValueError(f"bad path {text!r}")
        out.append(m.group(1))
        for sel in re.findall(r"\[([^\]]+)\]", m.group(2)):
            out.append(int(sel) if sel.isdigit() else f"#{sel}")
    return out


def _step(node: Any, key: str | int) -> Any:
    if isinstance(key, str) and key.startswith("#"):
        return next(item for item in node if item.get("id") == key[1:])
    return node[key]


def apply_edits(data: Any, edits: list[dict[str, Any]]) -> Any:
    """A copy of ``data`` with the edits applied."""
    out = copy.deepcopy(data)
    for edit in edits:
        op = next(k for k in ("set", "remove", "append") if k in edit)
        path = parse_path(edit[op])
        parent = out
        for key in path[:-1]:
            parent = _step(parent, key)
        last = path[-1]
        if op == "append":
            _step(parent, last).append(copy.deepcopy(edit["value"]))
        elif isinstance(last, str) and last.startswith("#"):
            index = parent.index(_step(parent, last))
            if op == "remove":
                del parent[index]
            else:
                parent[index] = copy.deepcopy(edit["value"])
        elif op == "remove":
            del parent[last]
        else:
            parent[last] = copy.deepcopy(edit["value"])
    return out
