"""Line-aware YAML reading: the only module that imports the YAML library.

People write profiles and rulesets by hand, so the reader keeps the position of
every key and value, and refuses YAML's traps instead of guessing:

* duplicate keys, anchors/aliases and explicit tags are errors;
* plain scalars follow a small, explicit schema (YAML 1.2's): ``true``/``false``,
  ``null``/``~``, decimal integers and floats; everything else stays a string. YAML 1.1
  readings that surprise people (``no`` as false, ``1:30`` as 90, ``0o17``, ``.inf``) are
  never made: the text written is kept, and a ``yaml-implicit-type`` warning says so.
  Where the schema wants a boolean or a number, that text is an error ("write true or
  false"), and the warning, which would only repeat it, is dropped (:func:`drop_shadowed`);
* a tab used for indentation gets a hint to use spaces.

JSON documents go through the same reader (JSON is a subset of YAML 1.2), so they
get positions too.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from planner.diagnostics import Diagnostic, Severity, SourceText, Span

Path_ = tuple[str | int, ...]

_INT = re.compile(r"[-+]?[0-9]+\Z")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
_YAML11_BOOL = {"yes", "no", "on", "off", "y", "n"}
_SEXAGESIMAL = re.compile(r"[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?\Z")
_OTHER_NUMBER = re.compile(r"[-+]?(0x[0-9a-fA-F_]+|0o?[0-7_]+|0b[01_]+|\.(inf|Inf|INF|nan|NaN|NAN))\Z")
# libyaml's loader is many times faster and keeps the same marks; fall back to the
# pure-Python one where PyYAML was built without it.
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STANDARD_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:merge",
    "tag:yaml.org,2002:value",
}


@dataclass
class Document:
    """A parsed file: plain data plus where every piece of it came from."""

    source: SourceText
    data: Any = None
    # Every file a span may point into (a merged ruleset spans its parents too).
    sources: dict[str, SourceText] = field(default_factory=dict)
    values: dict[Path_, Span] = field(default_factory=dict)
    keys: dict[Path_, Span] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    ok: bool = True  # False when the text could not be parsed at all

    def __post_init__(self) -> None:
        self.sources.setdefault(self.source.path, self.source)

    def line_of(self, span: Span) -> str | None:
        """The text of the line a span points at, in whichever file it is."""
        src = self.sources.get(span.path)
        return src.line(span.line) if src else None

    def span(self, path: Path_, *, key: bool = False) -> Span | None:
        """The span of ``path`` (its key when ``key``), else of its nearest ancestor."""
        if key and path in self.keys:
            return self.keys[path]
        for cut in range(len(path), -1, -1):  # the value itself, else its nearest ancestor
            prefix = path[:cut]
            if prefix in self.values:
                return self.values[prefix]
        return None


def _span(path: str, node: Node) -> Span:
    start, end = node.start_mark, node.end_mark
    length = end.column - start.column if end.line == start.line else 1
    return Span(path, start.line + 1, start.column + 1, max(1, length))


class _Builder:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.path = doc.source.path

    def warn_trap(self, node: ScalarNode, reading: str, instead: str) -> None:
        self.doc.diagnostics.append(
            Diagnostic(
                code="yaml-implicit-type",
                message=f"{node.value!r} is kept as the text {node.value!r}, not read as {reading}",
                span=_span(self.path, node),
                severity=Severity.WARNING,
                hint=f'if you mean the text, quote it ("{node.value}"); if you mean {instead}',
            )
        )

    def scalar(self, node: ScalarNode) -> Any:
        value: str = node.value
        if node.style is not None and node.style != "":
            return value  # quoted or block scalar: always text
        lowered = value.lower()
        if lowered in ("true", "false"):
            return lowered == "true"
        if lowered in ("null", "~", ""):
            return None
        if lowered in _YAML11_BOOL:
            self.warn_trap(node, "a yes/no boolean (YAML 1.1)", "a boolean, write true or false")
            return value
        if _INT.match(value):
            if len(value.lstrip("+-")) > 1 and value.lstrip("+-").startswith("0"):
                self.warn_trap(node, "an octal number (YAML 1.1)", "a number, write it without the leading 0")
                return value
            if len(value.lstrip("+-")) > MAX_DIGITS:
                return self.too_long(node)
            return int(value)
        if _FLOAT.match(value):
            number = float(value)
            if not math.isfinite(number) or len(re.sub(r"[^0-9]", "", value.split("e")[0].split("E")[0])) > MAX_DIGITS:
                return self.too_long(node)
            return number
        if _SEXAGESIMAL.match(value):
            self.warn_trap(node, "a base-60 number (YAML 1.1 reads 1:30 as 90)", "a number, write it in one unit (90)")
            return value
        if _OTHER_NUMBER.match(value):
            self.warn_trap(node, "a number", "a number, write it in decimal digits")
            return value
        return value

    def too_long(self, node: ScalarNode) -> str:
        """A number beyond what a file of this kind can mean: an error, kept as its text."""
        self.doc.diagnostics.append(
            Diagnostic(
                "yaml-too-large",
                f"the number {node.value[:40]}{'...' if len(node.value) > 40 else ''} is too large "
                f"(more than {MAX_DIGITS} digits, or beyond a float)",
                _span(self.path, node),
                hint="write a number of ordinary size",
            )
        )
        return str(node.value)

    def check_tag(self, node: Node) -> None:
        if node.tag not in _STANDARD_TAGS:
            self.doc.diagnostics.append(
                Diagnostic(
                    code="yaml-tag",
                    message=f"explicit tag {node.tag!r} is not allowed",
                    span=_span(self.path, node),
                    hint="remove the tag; write plain values",
                )
            )

    def build(self, node: Node, path: Path_) -> Any:
        self.doc.values[path] = _span(self.path, node)
        self.check_tag(node)
        if isinstance(node, ScalarNode):
            return self.scalar(node)
        if isinstance(node, SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        if isinstance(node, MappingNode):
            return self.mapping(node, path)
        raise TypeError(f"unexpected YAML node {node!r}")  # pragma: no cover - closed set

    def mapping(self, node: MappingNode, path: Path_) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                self.doc.diagnostics.append(
                    Diagnostic(
                        code="yaml-complex-key",
                        message="a key must be plain text",
                        span=_span(self.path, key_node),
                    )
                )
                continue
            key = str(key_node.value)
            if key == "<<":
                self.doc.diagnostics.append(
                    Diagnostic(
                        code="yaml-alias",
                        message="merge keys ('<<') are not allowed",
                        span=_span(self.path, key_node),
                        hint="write the keys out in full",
                    )
                )
                continue
            child = (*path, key)
            if key in out:
                first = self.doc.keys[child]
                self.doc.diagnostics.append(
                    Diagnostic(
                        code="yaml-duplicate-key",
                        message=f"duplicate key {key!r} (first at line {first.line})",
                        span=_span(self.path, key_node),
                        hint="each key may appear once in a mapping; remove or merge one of them",
                    )
                )
                continue
            self.doc.keys[child] = _span(self.path, key_node)
            out[key] = self.build(value_node, child)
        return out


# Input limits (README "Input limits"): nothing a person writes comes near them, and
# past them a file is refused before anything is built from it.
MAX_DEPTH = 32  # nesting of mappings and lists
MAX_NODES = 200_000  # values in one document
MAX_SCALAR = 20_000  # characters in one value
MAX_DIGITS = 15  # digits in one number
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _control_diagnostics(text: str, path: str) -> list[Diagnostic]:
    """Control characters (NUL, ESC ...) at their true line and column."""
    found = []
    for m in _CONTROL.finditer(text):
        line = text.count("\n", 0, m.start()) + 1
        column = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
        found.append(
            Diagnostic(
                "yaml-control-character",
                f"a control character (U+{ord(m.group()):04X}) is not allowed",
                Span(path, line, column),
                hint="remove it; files are plain text",
            )
        )
        if len(found) >= 10:
            break
    return found


def _event_diagnostics(text: str, path: str) -> list[Diagnostic]:
    """Aliases, nesting and sizes, found from the event stream before anything is built.

    An alias is refused here, so a "billion laughs" file is never expanded, and a
    self-referencing one never recursed into.
    """
    found: list[Diagnostic] = []
    depth = nodes = 0
    try:
        for event in yaml.parse(text, Loader=_LOADER):
            mark = event.start_mark
            where = Span(path, mark.line + 1, mark.column + 1) if mark is not None else Span(path, 1, 1)
            anchor = getattr(event, "anchor", None)
            if isinstance(event, yaml.AliasEvent) or anchor:
                found.append(
                    Diagnostic(
                        code="yaml-alias",
                        message=f"anchors and aliases are not allowed (&{anchor} / *{anchor})",
                        span=Span(where.path, where.line, where.column, len(str(anchor)) + 1),
                        hint="write the value out in full where it is used",
                    )
                )
            if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    found.append(
                        Diagnostic(
                            "yaml-too-large",
                            f"values are nested more than {MAX_DEPTH} levels deep",
                            where,
                            hint="flatten the file",
                        )
                    )
                    return found
            elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
                depth -= 1
            if isinstance(event, yaml.ScalarEvent | yaml.MappingStartEvent | yaml.SequenceStartEvent):
                nodes += 1
                if nodes > MAX_NODES:
                    found.append(
                        Diagnostic("yaml-too-large", f"more than {MAX_NODES} values in a file", where, hint="split it")
                    )
                    return found
            if isinstance(event, yaml.ScalarEvent) and len(event.value) > MAX_SCALAR:
                found.append(
                    Diagnostic(
                        "yaml-too-large",
                        f"a value of {len(event.value)} characters; at most {MAX_SCALAR}",
                        where,
                        hint="shorten it",
                    )
                )
            if len(found) >= 50:
                break
    except yaml.YAMLError:
        pass  # syntax errors are reported by the composer
    return found


def _syntax_diagnostic(error: yaml.YAMLError, path: str, text: str) -> Diagnostic:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    problem = getattr(error, "problem", None) or str(error)
    span = Span(path, mark.line + 1, mark.column + 1) if mark is not None else Span(path, 1, 1)
    hint = None
    line = text.splitlines()[span.line - 1] if 0 < span.line <= len(text.splitlines()) else ""
    if "\t" in problem or "\t" in line[: span.column]:
        return Diagnostic(
            code="yaml-tab",
            message="a tab character is used for indentation",
            span=span,
            hint="indent with spaces; YAML does not allow tabs",
        )
    context = getattr(error, "context", None)
    message = f"{context}, {problem}" if context else problem
    if "mapping values are not allowed" in problem:
        hint = "a value that contains ': ' must be quoted"
    elif "could not find expected ':'" in problem:
        hint = "check the indentation and that each key ends with ':'"
    if hint is None and path.endswith(".json"):
        hint = "check the brackets, braces and commas near here (JSON is read as YAML, which accepts it)"
    elif hint is None:
        hint = "check the indentation, quotes and brackets near here"
    return Diagnostic(code="yaml-syntax", message=f"invalid YAML: {message}", span=span, hint=hint)


def parse_text(text: str, path: str) -> Document:
    """Parse YAML or JSON text; never raises for bad input, returns diagnostics."""
    doc = Document(source=SourceText(path, text))
    controls = _control_diagnostics(text, path)
    if controls:
        doc.ok = False
        doc.diagnostics.extend(controls)
        return doc
    refused = _event_diagnostics(text, path)
    if refused:  # aliases, too deep, too big: nothing is built from such a file
        doc.ok = False
        doc.diagnostics.extend(refused)
        return doc
    try:
        nodes = list(yaml.compose_all(text, Loader=_LOADER))
    except (yaml.YAMLError, RecursionError) as error:
        json_doc = _try_plain_json(text, path)
        if json_doc is not None:
            return json_doc
        doc.ok = False
        doc.diagnostics.append(
            _syntax_diagnostic(error, path, text)
            if isinstance(error, yaml.YAMLError)
            else Diagnostic("yaml-too-large", "the file is nested too deeply", Span(path, 1, 1), hint="flatten it")
        )
        return doc
    if len(nodes) > 1:
        second = nodes[1]
        doc.diagnostics.append(
            Diagnostic(
                code="yaml-multiple-documents",
                message="the file holds more than one YAML document",
                span=_span(path, second),
                hint="remove the '---' separator; one file holds one document",
            )
        )
    if not nodes or nodes[0] is None:
        doc.ok = False
        doc.diagnostics.append(
            Diagnostic(
                code="yaml-empty",
                message="the file is empty",
                span=Span(path, 1, 1),
                hint="is this the right file? (an editor may not have saved it yet)",
            )
        )
        return doc
    doc.data = _Builder(doc).build(nodes[0], ())
    return doc


def _try_plain_json(text: str, path: str) -> Document | None:
    """JSON that YAML rejects (tabs in whitespace, say) still loads, without positions."""

    def no_constant(name: str) -> Any:
        raise ValueError(f"{name} is not a number")

    try:
        data = json.loads(text, parse_constant=no_constant)  # NaN and Infinity are not numbers
    except (ValueError, RecursionError):  # JSONDecodeError is a ValueError; so is a 5,000-digit integer
        return None
    doc = Document(source=SourceText(path, text), data=data)
    doc.values[()] = Span(path, 1, 1)
    return doc


def drop_shadowed(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """Without the YAML 1.1 warnings at a value that has an error of its own.

    ``cleared_to_run: yes`` is an error (a boolean is wanted: "write true or false"); a
    warning beside it saying the text is kept, and suggesting quotes, would contradict it.
    """
    errors = {(d.span.path, d.span.line, d.span.column) for d in diagnostics if d.span and d.severity is Severity.ERROR}
    return [
        d
        for d in diagnostics
        if not (d.code == "yaml-implicit-type" and d.span and (d.span.path, d.span.line, d.span.column) in errors)
    ]


def dump_yaml(data: Any) -> str:
    """Plain block-style YAML for people to read (keys in the given order)."""
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100)
