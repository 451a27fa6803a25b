"""Placing sessions on days and splitting volume under the caps."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.planning.sessions import blocked_after, choose_days, single_run_cap, split_volume
from planner.rules.vocabulary import WEEKDAYS


def test_spacing_skips_consecutive_days_including_sunday_to_monday():
    assert choose_days(["tue", "thu", "sat", "sun"], 5, keep="sun", rest_days=1) == ["tue", "thu", "sun"]
    assert choose_days(list(WEEKDAYS), 7, keep="sun", rest_days=1) == ["tue", "thu", "sun"]
    assert choose_days(["mon", "sun"], 2, keep="sun", rest_days=1) == ["sun"]


def test_without_spacing_runs_spread_out_and_keep_the_long_run_day():
    # Every set of three weekdays holding Tuesday has two days in a row; the
    # evenest of them leaves three days before the next week's first run.
    assert choose_days(["mon", "tue", "wed", "thu", "fri"], 3, keep="tue") == ["mon", "tue", "fri"]
    assert choose_days(["mon", "tue", "wed", "thu", "fri", "sat", "sun"], 3, keep="sun") == ["tue", "thu", "sun"]


def test_two_rest_days_between_runs_and_across_the_week():
    assert choose_days(list(WEEKDAYS), 7, keep="sun", rest_days=2) == ["wed", "sun"]
    assert blocked_after(["sun"], 2) == ["mon", "tue"]
    assert blocked_after(["sat", "sun"], 1) == ["mon"]
    assert blocked_after(["sun"], 0) == []


def test_blocked_days_are_never_used():
    assert "mon" not in choose_days(["mon", "wed", "fri"], 3, rest_days=1, blocked=["mon"])


@given(
    days=st.lists(st.sampled_from(WEEKDAYS), min_size=1, max_size=7, unique=True),
    count=st.integers(1, 7),
    spacing=st.booleans(),
)
def test_chosen_days_are_available_and_respect_spacing(days: list[str], count: int, spacing: bool):
    chosen = choose_days(days, count, keep=days[0], rest_days=1 if spacing else 0)
    assert set(chosen) <= set(days)
    assert 1 <= len(chosen) <= count
    assert days[0] in chosen
    if spacing:
        idx = sorted(WEEKDAYS.index(d) for d in chosen)
        gaps = [b - a for a, b in itertools.pairwise(idx)] + ([idx[0] + 7 - idx[-1]] if len(idx) > 1 else [])
        assert min(gaps, default=2) >= 2


def test_ten_miles_over_three_runs_is_ten_miles():
    runs = split_volume(10.0, 3, long_share=0.35, cap=5.0, with_long_run=False)
    assert sum(runs) == pytest.approx(10.0)
    assert runs == [3.4, 3.3, 3.3]


def test_the_long_run_takes_its_share_within_the_cap():
    assert split_volume(20.0, 4, long_share=0.35, cap=10.0, with_long_run=True) == [7.0, 4.4, 4.3, 4.3]
    capped = split_volume(20.0, 4, long_share=0.35, cap=5.0, with_long_run=True)
    assert max(capped) <= 5.0
    assert sum(capped) == pytest.approx(20.0)


def test_a_volume_that_cannot_fit_under_the_cap_shrinks_the_week():
    runs = split_volume(12.0, 2, long_share=0.35, cap=4.0, with_long_run=False)
    assert runs == [4.0, 4.0]


@given(
    weekly=st.integers(0, 600).map(lambda n: n / 10),
    runs=st.integers(1, 7),
    cap=st.integers(1, 200).map(lambda n: n / 10),
    share=st.sampled_from([0.25, 0.35, 0.5]),
    with_long=st.booleans(),
)
def test_split_never_breaks_the_cap_nor_exceeds_the_volume(
    weekly: float, runs: int, cap: float, share: float, with_long: bool
):
    got = split_volume(weekly, runs, long_share=share, cap=cap, with_long_run=with_long)
    assert all(0 < r <= cap + 1e-9 for r in got)
    assert sum(got) <= weekly + 1e-9
    if with_long and got:
        assert got[0] == max(got)
    if weekly <= cap * runs * (0.9 if with_long else 1) and weekly > 0:
        assert sum(got) == pytest.approx(weekly, abs=0.05)


def test_single_run_cap_grows_tiny_bases_by_the_allowance():
    assert single_run_cap(0.0, 10, 0.5) == 0.5
    assert single_run_cap(2.3, 10, 0.5) == 2.8
    assert single_run_cap(10.0, 10, 0.5) == 11.0
