"""The public surface: planner.__all__ is complete, sorted, and importable."""

from __future__ import annotations

import inspect

import planner
from planner.testing import strategies


def test_all_names_are_unique_and_exist():
    # Their order is ruff's (RUF022), checked by the lint step.
    assert len(set(planner.__all__)) == len(planner.__all__)
    for name in planner.__all__:
        assert hasattr(planner, name), name


def test_every_public_function_of_the_package_root_is_exported():
    public = {
        name
        for name, value in vars(planner).items()
        if not name.startswith("_") and (inspect.isfunction(value) or inspect.isclass(value))
    }
    assert public <= set(planner.__all__)


def test_the_public_strategies_are_documented():
    for strategy in (strategies.profiles, strategies.ruleset_variants):
        assert strategy.__doc__
        assert "Args:" in strategy.__doc__
