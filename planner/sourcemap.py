"""Map pydantic validation errors back onto the lines and columns of a file.

pydantic reports a ``loc`` path such as ``('current', 'weekly_miles')``; the YAML
reader recorded the span of every key and value, so each error becomes a
diagnostic that points at the offending text, with a hint where one helps.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Sequence
from typing import Any, get_args, get_origin

from pydantic import BaseModel, ValidationError

from planner.diagnostics import Diagnostic, did_you_mean
from planner.yamlsource import Document, Path_

_CODE_BY_TYPE = {
    "missing": "missing-field",
    "extra_forbidden": "unknown-field",
    "literal_error": "invalid-choice",
    "enum": "invalid-choice",
    "greater_than": "out-of-range",
    "greater_than_equal": "out-of-range",
    "less_than": "out-of-range",
    "less_than_equal": "out-of-range",
    "too_short": "out-of-range",
    "too_long": "out-of-range",
    "finite_number": "out-of-range",
    "date_from_datetime_parsing": "invalid-date",
    "date_parsing": "invalid-date",
    "date_type": "invalid-date",
    "union_tag_invalid": "invalid-choice",
    "union_tag_not_found": "invalid-choice",
    "int_parsing": "wrong-type",
    "float_parsing": "wrong-type",
    "bool_parsing": "wrong-type",
    "int_from_float": "wrong-type",
    "unknown_action": "invalid-choice",
    "weekday": "invalid-choice",
}


# Files are read as YAML 1.2 (planner.yamlsource): a bare yes/no/on/off is text, never a boolean.
_WRITE_A_BOOLEAN = "write true or false (yes/no, on/off and numbers are not booleans here)"
# A hint for every kind of shape error, so no diagnostic leaves the reader guessing.
_HINT_BY_TYPE = {
    "missing": "add it (see `rtr schema` for the file's fields)",
    "bool_type": _WRITE_A_BOOLEAN,
    "bool_parsing": _WRITE_A_BOOLEAN,
    "int_type": "write a whole number, such as 3",
    "int_parsing": "write a whole number, such as 3",
    "int_from_float": "write a whole number, such as 3",
    "float_type": "write a number, such as 10 or 2.5",
    "float_parsing": "write a number, such as 10 or 2.5",
    "string_type": "write text (quote it if it looks like a number or a date)",
    "finite_number": "write an ordinary number (not NaN or infinity)",
    "date_type": "write a date as YYYY-MM-DD",
    "date_parsing": "write a date as YYYY-MM-DD",
    "date_from_datetime_parsing": "write a date as YYYY-MM-DD",
    "greater_than": "use a larger value",
    "greater_than_equal": "use a larger value",
    "less_than": "use a smaller value",
    "less_than_equal": "use a smaller value",
    "too_short": "add at least the items the message asks for",
    "too_long": "use fewer items or a shorter text",
    "string_too_short": "write at least the characters the message asks for",
    "string_too_long": "shorten it",
    "string_pattern_mismatch": "use lower-case letters, digits and the separator the message shows",
    "dict_type": "write a mapping of key: value lines",
    "list_type": "write a list (items starting with '- ', or [a, b])",
    "model_type": "write a mapping of key: value lines",
    "model_attributes_type": "write a mapping of key: value lines",
    "union_tag_invalid": "use one of the forms the message lists",
    "union_tag_not_found": "use one of the forms the message lists",
    "unknown_action": "use one of the actions the message lists",
    "value_error": "correct the value as the message says",
}


def loc_to_text(loc: Sequence[str | int], data: Any = None) -> str:
    """``('rules', 3, 'then')`` -> ``rules[walk-run-hold].then``.

    Items are named by id when they have one (that is how people know their rules),
    else by position: ``rules[3].then``.
    """
    out = ""
    node = data
    for part in loc:
        if isinstance(part, int):
            item = node[part] if isinstance(node, list) and 0 <= part < len(node) else None
            item_id = item.get("id") if isinstance(item, dict) else None
            out += f"[{item_id}]" if isinstance(item_id, str) else f"[{part}]"
            node = item
        else:
            out += ("." if out else "") + part
            node = node.get(part) if isinstance(node, dict) else None
    return out


def _strip_union_markers(loc: tuple[str | int, ...], data: Any) -> Path_:
    """Drop the tags pydantic inserts for union members (e.g. 'function-after[...]').

    A loc element that does not exist in the document data is a validator label,
    not a key, unless it is the last element (a missing key).
    """
    out: list[str | int] = []
    node: Any = data
    for i, part in enumerate(loc):
        if isinstance(node, dict) and isinstance(part, str) and part in node:  # noqa: SIM114 - split so mypy narrows
            out.append(part)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            out.append(part)
            node = node[part]
        elif i == len(loc) - 1 and isinstance(part, str) and not part.startswith(("function-", "tagged-")):
            out.append(part)
            node = None
        elif isinstance(part, str) and ("[" in part or part.startswith(("function-", "tagged-"))):
            continue  # a union/validator label
        else:
            out.append(part)
            node = None
    return tuple(out)


def _unwrap(annotation: Any) -> list[Any]:
    origin = get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        found: list[Any] = []
        for arg in get_args(annotation):
            found.extend(_unwrap(arg))
        return found
    if origin is typing.Annotated:
        return _unwrap(get_args(annotation)[0])
    if origin in (list, tuple, set, frozenset):
        args = get_args(annotation)
        return _unwrap(args[0]) if args else []
    if origin is dict:
        args = get_args(annotation)
        return _unwrap(args[1]) if len(args) == 2 else []
    return [annotation]


def fields_at(model: type[BaseModel], loc: Sequence[str | int]) -> list[str]:
    """The field names allowed in the mapping at ``loc`` (for did-you-mean hints)."""
    candidates: list[Any] = [model]
    for part in loc:
        if isinstance(part, int):
            continue
        nxt: list[Any] = []
        for cand in candidates:
            if isinstance(cand, type) and issubclass(cand, BaseModel):
                info = cand.model_fields.get(part)
                if info is None:
                    info = next((f for f in cand.model_fields.values() if f.alias == part), None)
                if info is not None:
                    nxt.extend(_unwrap(info.annotation))
        candidates = nxt
    names: list[str] = []
    for cand in candidates:
        if isinstance(cand, type) and issubclass(cand, BaseModel):
            names.extend(f.alias or n for n, f in cand.model_fields.items())
    return sorted(set(names))


def validation_diagnostics(error: ValidationError, doc: Document, model: type[BaseModel]) -> list[Diagnostic]:
    """Turn every pydantic error into a positioned diagnostic."""
    found: list[Diagnostic] = []
    for item in error.errors(include_url=False):
        kind = item["type"]
        loc = _strip_union_markers(tuple(item["loc"]), doc.data)
        where = loc_to_text(loc, doc.data) or "(top level)"
        code = _CODE_BY_TYPE.get(kind, "wrong-type" if kind.endswith("_type") else "invalid-value")
        hint: str | None = None
        message = str(item["msg"])
        if kind == "extra_forbidden":
            allowed = fields_at(model, loc[:-1])
            message = f"unknown field {str(loc[-1])!r}"
            hint = did_you_mean(str(loc[-1]), allowed, what="allowed fields") if allowed else None
            span = doc.span(loc, key=True)
        elif kind == "missing":
            message = f"missing required field {str(loc[-1])!r}"
            span = doc.span(loc[:-1], key=True) or doc.span(loc[:-1])
        else:
            span = doc.span(loc)
            if kind in ("literal_error", "enum") and isinstance(item.get("input"), str):
                expected = str(item.get("ctx", {}).get("expected", ""))
                options = [o.strip().strip("'") for o in expected.replace(" or ", ",").split(",") if o.strip()]
                if options:
                    hint = did_you_mean(item["input"], options, what="allowed values")
            if message.startswith("Value error, "):
                message = message[len("Value error, ") :]
        if (
            kind not in ("missing", "extra_forbidden")
            and "input" in item
            and not isinstance(item["input"], dict | list)
        ):
            shown = repr(item["input"])
            message = f"{message} (got {shown if len(shown) <= 60 else shown[:57] + '...'})"
        ctx_hint = item.get("ctx", {}).get("hint")  # an error raised with its own hint (a day name, say)
        hint = (
            hint
            or (str(ctx_hint) if ctx_hint else None)
            or _HINT_BY_TYPE.get(kind)
            or ("check the value against `rtr schema`" if code else None)
        )
        found.append(Diagnostic(code=code, message=message, span=span, subject=f"field {where}", hint=hint))
    return found
