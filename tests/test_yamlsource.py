"""The line-aware YAML reader: positions, and the traps it refuses."""

from __future__ import annotations

import pytest

from planner.diagnostics import Severity, Span
from planner.yamlsource import parse_text


def codes(text: str) -> list[tuple[str, int, int]]:
    doc = parse_text(text, "f.yaml")
    return [(d.code, d.span.line, d.span.column) for d in doc.diagnostics if d.span]


def test_values_and_keys_keep_their_positions():
    doc = parse_text("a:\n  b: 10\n  c: [x, y]\n", "f.yaml")
    assert doc.data == {"a": {"b": 10, "c": ["x", "y"]}}
    assert doc.values[("a", "b")] == Span("f.yaml", 2, 6, 2)
    assert doc.keys[("a", "c")] == Span("f.yaml", 3, 3, 1)
    assert doc.values[("a", "c", 1)].column == 10


def test_span_of_a_missing_path_falls_back_to_its_nearest_ancestor():
    doc = parse_text("a:\n  b: 10\n", "f.yaml")
    assert doc.span(("a", "zz", 3)) == doc.values[("a",)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("n: 3", 3),
        ("n: -2.5", -2.5),
        ("n: true", True),
        ("n: False", False),
        ("n: ~", None),
        ("n: null", None),
        ("n: '3'", "3"),
        ("n: 2027-01-04", "2027-01-04"),  # dates stay text; the schema parses them
        ("n: mon", "mon"),
    ],
)
def test_plain_scalars_follow_a_small_explicit_schema(text: str, expected: object):
    doc = parse_text(text, "f.yaml")
    assert doc.data == {"n": expected}
    assert doc.diagnostics == []


@pytest.mark.parametrize("value", ["no", "yes", "on", "off", "1:30", "0o17", "010", ".inf"])
def test_yaml11_traps_stay_text_with_a_warning(value: str):
    doc = parse_text(f"n: {value}\n", "f.yaml")
    assert doc.data == {"n": value}
    [d] = doc.diagnostics
    assert (d.code, d.severity, d.span.line, d.span.column) == ("yaml-implicit-type", Severity.WARNING, 1, 4)


def test_duplicate_keys_are_errors_pointing_at_the_second():
    assert codes("a: 1\nb: 2\na: 3\n") == [("yaml-duplicate-key", 3, 1)]


def test_a_tab_used_for_indentation_gets_its_own_hint():
    doc = parse_text("a:\n\tb: 1\n", "f.yaml")
    [d] = doc.diagnostics
    assert d.code == "yaml-tab"
    assert d.hint is not None
    assert "spaces" in d.hint
    assert not doc.ok


def test_anchors_aliases_and_merge_keys_are_refused():
    found = codes("base: &b {x: 1}\nother: *b\nthird:\n  <<: *b\n")
    assert ("yaml-alias", 1, 7) in found
    assert ("yaml-alias", 2, 8) in found
    assert ("yaml-alias", 4, 3) in found


def test_explicit_tags_are_refused():
    assert codes("a: !!python/object:os.system x\n") == [("yaml-tag", 1, 4)]


def test_syntax_errors_carry_a_position():
    doc = parse_text("a: [1, 2\nb: 3\n", "f.yaml")
    [d] = doc.diagnostics
    assert d.code == "yaml-syntax"
    assert d.span is not None
    assert d.span.line >= 1
    assert not doc.ok


def test_empty_and_multi_document_files():
    assert codes("") == [("yaml-empty", 1, 1)]
    assert [c for c, _, _ in codes("a: 1\n---\nb: 2\n")] == ["yaml-multiple-documents"]


def test_json_is_read_with_positions():
    doc = parse_text('{\n  "a": {"b": [1, 2]}\n}\n', "f.json")
    assert doc.data == {"a": {"b": [1, 2]}}
    assert doc.values[("a", "b", 1)].line == 2
