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
    assert ("yaml-alias", 4, 7) in found
    assert codes("a:\n  <<: {x: 1}\n") == [("yaml-alias", 2, 3)]  # a merge key without an alias


def test_aliases_are_refused_before_anything_is_built():
    # A "billion laughs" file would expand to 10^9 values; a self-referencing alias would recurse.
    laughs = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{n}: &{n} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
        for p, n in zip("abcdefgh", "bcdefghi", strict=True)
    )
    doc = parse_text(laughs, "f.yaml")
    assert not doc.ok
    assert doc.data is None
    assert {d.code for d in doc.diagnostics} == {"yaml-alias"}
    loop = parse_text("a: &a [*a]\n", "f.yaml")
    assert not loop.ok
    assert {d.code for d in loop.diagnostics} == {"yaml-alias"}


def test_nesting_sizes_and_numbers_are_bounded():
    deep = parse_text("[" * 500 + "]" * 500, "f.yaml")
    assert [d.code for d in deep.diagnostics] == ["yaml-too-large"]
    assert not deep.ok
    long_value = parse_text("a: " + "x" * 50_000 + "\n", "f.yaml")
    assert [d.code for d in long_value.diagnostics] == ["yaml-too-large"]
    digits = parse_text("a: " + "9" * 4301 + "\nb: 1e400\n", "f.yaml")
    assert [(d.code, d.span.line) for d in digits.diagnostics if d.span] == [
        ("yaml-too-large", 1),
        ("yaml-too-large", 2),
    ]


def test_control_characters_are_reported_where_they_are():
    doc = parse_text("a: 1\nb: x\x00y\nc: \x1b[31m\n", "f.yaml")
    assert [(d.code, d.span.line, d.span.column) for d in doc.diagnostics if d.span] == [
        ("yaml-control-character", 2, 5),
        ("yaml-control-character", 3, 4),
    ]
    assert not doc.ok
