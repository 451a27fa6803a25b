"""Ruleset inheritance: ``extends: <ruleset id>``.

A child ruleset names its parent and writes only what differs. Merging rules:

* ``rules``, ``gates`` and ``phases`` override by id (the child's item replaces the
  parent's whole item); new ids are added after the parent's;
* ``parameters`` merge field by field (a child can change a value and cite its own
  source and grade);
* ``sources`` merge by key; ``tables`` merge by table (a child's table replaces the
  parent's table of that name, so a table is always one coherent, cited unit);
* ``readiness``, ``injuries`` and the identity (``id``, ``version``, ``title``,
  ``description``) come from the child when it gives them.

Positions survive the merge: each item keeps the file, line and column it was
written at, so diagnostics point into whichever file holds the mistake.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from planner.diagnostics import Diagnostic, Span, display_path
from planner.errors import InputError
from planner.files import read_user_file
from planner.yamlsource import Document, Path_, parse_text

MAX_DEPTH = 8
ID_SECTIONS = ("phases", "gates", "rules")
KEYED_SECTIONS = ("sources", "tables")
OWN_IDENTITY = ("id", "version", "title")


@dataclass(frozen=True)
class Origin:
    """Where a merged item came from, and whose item it replaced."""

    path: str
    overrides: str | None = None


class _Positions:
    """A document's positions grouped by their first one and two steps.

    Copying one item's positions then costs that item's size, not the document's:
    a ruleset of thousands of rules merges in linear time.
    """

    def __init__(self, doc: Document) -> None:
        self.groups: dict[Path_, list[tuple[bool, Path_, Span]]] = {}
        for is_key, table in ((False, doc.values), (True, doc.keys)):
            for path, span in table.items():
                for n in (1, 2):
                    if len(path) >= n:
                        self.groups.setdefault(path[:n], []).append((is_key, path, span))

    def copy(self, dst: Document, src_prefix: Path_, dst_prefix: Path_) -> None:
        n = len(src_prefix)
        for is_key, path, span in self.groups.get(src_prefix, ()):
            (dst.keys if is_key else dst.values)[(*dst_prefix, *path[n:])] = span

    def drop(self, dst: Document, prefix: Path_) -> None:
        """Remove from ``dst`` what :meth:`copy` put there under ``prefix`` (the prefix itself stays)."""
        n = len(prefix)
        for is_key, path, _ in self.groups.get(prefix, ()):
            if len(path) > n:
                (dst.keys if is_key else dst.values).pop(path, None)


def _ids(items: Any) -> list[str | None]:
    if not isinstance(items, list):
        return []
    return [item.get("id") if isinstance(item, dict) and isinstance(item.get("id"), str) else None for item in items]


def merge(parent: Document, child: Document) -> tuple[Document, dict[str, Origin]]:
    """The child's document laid over its parent's, with positions and origins."""
    p_data = parent.data if isinstance(parent.data, dict) else {}
    c_data = child.data if isinstance(child.data, dict) else {}
    out = Document(source=child.source, data={}, sources={**parent.sources, **child.sources})
    out.values[()] = child.values.get((), Span(child.source.path, 1, 1))
    origins: dict[str, Origin] = {}
    data: dict[str, Any] = out.data
    positions = {id(parent): _Positions(parent), id(child): _Positions(child)}

    for key in sorted(set(p_data) | set(c_data), key=lambda k: (k not in c_data, k)):
        here = child if key in c_data else parent
        if key in ID_SECTIONS and isinstance(p_data.get(key), list) and isinstance(c_data.get(key), list):
            data[key] = _merge_by_id(key, parent, child, out, origins, positions)
        elif (
            key in (*KEYED_SECTIONS, "parameters")
            and isinstance(p_data.get(key), dict)
            and isinstance(c_data.get(key), dict)
        ):
            data[key] = _merge_keyed(key, parent, child, out, origins, positions, fieldwise=key == "parameters")
        else:
            data[key] = here.data[key]
            positions[id(here)].copy(out, (key,), (key,))
            _note_origins(key, here.data[key], here.source.path, origins)
        if (key,) in here.keys:
            out.keys[(key,)] = here.keys[(key,)]
    return out, origins


def _note_origins(section: str, value: Any, path: str, origins: dict[str, Origin]) -> None:
    if section in ID_SECTIONS:
        for item_id in _ids(value):
            if item_id:
                origins.setdefault(f"{section[:-1]}:{item_id}", Origin(path))
    elif section in (*KEYED_SECTIONS, "parameters") and isinstance(value, dict):
        for name in value:
            origins.setdefault(f"{_singular(section)}:{name}", Origin(path))


def _singular(section: str) -> str:
    return {"sources": "source", "tables": "table", "parameters": "parameter"}.get(section, section)


def _merge_by_id(
    section: str,
    parent: Document,
    child: Document,
    out: Document,
    origins: dict[str, Origin],
    positions: dict[int, _Positions],
) -> list[Any]:
    from_parent, from_child = positions[id(parent)], positions[id(child)]
    items: list[Any] = []
    where: dict[str, int] = {}
    for i, (item, item_id) in enumerate(zip(parent.data[section], _ids(parent.data[section]), strict=True)):
        from_parent.copy(out, (section, i), (section, len(items)))
        if item_id:
            where[item_id] = len(items)
            origins[f"{section[:-1]}:{item_id}"] = Origin(parent.source.path)
        items.append(item)
    own: set[str] = set()  # ids the child itself has used: a repeat is a mistake, reported later
    for i, (item, item_id) in enumerate(zip(child.data[section], _ids(child.data[section]), strict=True)):
        if item_id and item_id in where and item_id not in own:
            slot = where[item_id]
            from_parent.drop(out, (section, slot))  # a parent's slot i sits at i in the merged list
            items[slot] = item
            overridden = origins[f"{section[:-1]}:{item_id}"].path
            origins[f"{section[:-1]}:{item_id}"] = Origin(child.source.path, overrides=overridden)
        else:
            slot = len(items)
            items.append(item)
            if item_id and item_id not in where:
                where[item_id] = slot
                origins[f"{section[:-1]}:{item_id}"] = Origin(child.source.path)
        if item_id:
            own.add(item_id)
        from_child.copy(out, (section, i), (section, slot))
    out.values[(section,)] = child.values.get((section,), parent.values.get((section,), Span(child.source.path, 1, 1)))
    return items


def _merge_keyed(
    section: str,
    parent: Document,
    child: Document,
    out: Document,
    origins: dict[str, Origin],
    positions: dict[int, _Positions],
    *,
    fieldwise: bool,
) -> dict[str, Any]:
    from_parent, from_child = positions[id(parent)], positions[id(child)]
    merged: dict[str, Any] = {}
    singular = _singular(section)
    for name, value in parent.data[section].items():
        merged[name] = value
        from_parent.copy(out, (section, name), (section, name))
        origins[f"{singular}:{name}"] = Origin(parent.source.path)
    for name, value in child.data[section].items():
        if name in merged:
            origins[f"{singular}:{name}"] = Origin(child.source.path, overrides=origins[f"{singular}:{name}"].path)
            if fieldwise and isinstance(merged[name], dict) and isinstance(value, dict):
                merged[name] = {**merged[name], **value}
                from_child.copy(out, (section, name), (section, name))
                continue
            from_parent.drop(out, (section, name))
        else:
            origins[f"{singular}:{name}"] = Origin(child.source.path)
        merged[name] = value
        from_child.copy(out, (section, name), (section, name))
    out.values[(section,)] = child.values.get((section,), parent.values.get((section,), Span(child.source.path, 1, 1)))
    return merged


def read_with_parents(
    text: str, path: str, find_parent: Callable[[str, str], Path | None], chain: tuple[str, ...] = ()
) -> tuple[Document, dict[str, Origin], list[Diagnostic]]:
    """Parse a ruleset and, recursively, the rulesets it extends; merge them.

    ``find_parent(parent_id, child_path)`` locates a parent file. Problems with the
    chain (a missing parent, a cycle) come back as diagnostics at the ``extends`` value.
    """
    doc = parse_text(text, path)
    found: list[Diagnostic] = []
    data = doc.data if isinstance(doc.data, dict) else {}
    parent_id = data.get("extends")
    origins: dict[str, Origin] = {}
    if not doc.ok or not isinstance(parent_id, str):
        for section, value in data.items():
            _note_origins(section, value, path, origins)
        return doc, origins, found
    at = doc.span(("extends",))
    if parent_id in chain:
        found.append(
            Diagnostic(
                "extends-cycle",
                f"ruleset {parent_id!r} extends itself through {' -> '.join(chain)}",
                at,
                hint="a ruleset may extend another, never one that (indirectly) extends it",
            )
        )
        return doc, origins, found
    if len(chain) >= MAX_DEPTH:
        found.append(
            Diagnostic(
                "extends-cycle",
                f"the extends chain is deeper than {MAX_DEPTH} rulesets ({' -> '.join(chain[:3])} ...)",
                at,
                hint=f"extend a ruleset closer to the default; at most {MAX_DEPTH} levels",
            )
        )
        return doc, origins, found
    parent_path = find_parent(parent_id, path)
    if parent_path is None:
        found.append(
            Diagnostic(
                "unknown-parent",
                f"no ruleset {parent_id!r} to extend",
                at,
                hint="name a ruleset id: a shipped one (rtr rules list) or <id>.yaml in this folder, not a path",
            )
        )
        return doc, origins, found
    try:
        parent_text = read_user_file(parent_path, "ruleset", regular_only=True)[1]
    except InputError as error:
        message = error.diagnostics[0].message if error.diagnostics else str(error)
        found.append(Diagnostic("unknown-parent", f"cannot read {parent_path}: {message}", at, hint="check the file"))
        return doc, origins, found
    parent_doc, parent_origins, parent_found = read_with_parents(
        parent_text, display_path(parent_path), find_parent, (*chain, str(data.get("id", path)))
    )
    found.extend(parent_found)
    found.extend(parent_doc.diagnostics)
    if not parent_doc.ok:
        return doc, origins, found
    for key in OWN_IDENTITY:
        if key not in data:
            found.append(
                Diagnostic(
                    "missing-field",
                    f"a ruleset that extends another still needs its own {key!r}",
                    doc.span(()),
                    subject=f"field {key}",
                )
            )
    merged, merged_origins = merge(parent_doc, doc)
    merged.diagnostics = list(doc.diagnostics)
    # Items the parent itself inherited keep their first file as the one overridden.
    for key, origin in merged_origins.items():
        if origin.path == parent_doc.source.path and key in parent_origins:
            merged_origins[key] = parent_origins[key]
    return merged, merged_origins, found
