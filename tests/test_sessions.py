"""Placing sessions on days and splitting volume under the caps."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.loads import RunLimits, holdable_volume, single_run_cap, split_week
from planner.planning.sessions import blocked_after, choose_days, max_spaced_runs
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
    runs = split_week(10.0, 3, long_run=None, cap=5.0, easy_max=5.0)
    assert sum(runs) == pytest.approx(10.0)
    assert runs == [3.4, 3.3, 3.3]


def test_easy_runs_make_room_for_the_long_run():
    # A half-marathon long run of 12 in a 24-mile week: the other runs share what is left.
    assert split_week(24.0, 4, long_run=12.0, cap=13.0, easy_max=7.0) == [12.0, 4.0, 4.0, 4.0]
    # The long run is never held to a share of the week; only the caps bound it.
    assert split_week(24.0, 4, long_run=15.0, cap=13.0, easy_max=7.0)[0] == 13.0


def test_easy_runs_never_exceed_their_ceiling_nor_the_long_run():
    runs = split_week(40.0, 4, long_run=10.0, cap=11.0, easy_max=6.8)
    assert runs == [10.0, 6.8, 6.8, 6.8]  # the week is held to 30.4: easy runs at their ceiling


def test_a_volume_that_cannot_fit_under_the_cap_shrinks_the_week():
    runs = split_week(12.0, 2, long_run=None, cap=4.0, easy_max=4.0)
    assert runs == [4.0, 4.0]


@given(
    weekly=st.integers(0, 600).map(lambda n: n / 10),
    runs=st.integers(1, 7),
    cap=st.integers(1, 200).map(lambda n: n / 10),
    long_run=st.one_of(st.none(), st.integers(1, 200).map(lambda n: n / 10)),
    easy_max=st.integers(1, 100).map(lambda n: n / 10),
)
def test_split_never_breaks_a_ceiling_nor_exceeds_the_volume(
    weekly: float, runs: int, cap: float, long_run: float | None, easy_max: float
):
    got = split_week(weekly, runs, long_run=long_run, cap=cap, easy_max=easy_max)
    assert len(got) <= runs
    assert all(0 < r <= cap + 1e-9 for r in got)
    assert sum(got) <= weekly + 1e-9
    if long_run is not None and got:
        assert got[0] == max(got)
        assert got[0] <= long_run + 1e-9
        assert all(r <= easy_max + 1e-9 for r in got[1:])
    if long_run is None and weekly <= cap * runs and weekly > 0:
        assert sum(got) == pytest.approx(weekly, abs=0.05)


def test_holdable_volume_is_what_the_ceilings_allow():
    limits = RunLimits(max_run=16.3, easy_max=6.8, pre_gate_max=3.6, long_share=0.35, long_max_share=0.45)
    assert holdable_volume(4, limits, 16.3) == pytest.approx(16.3 + 3 * 6.8)
    assert holdable_volume(1, limits, 0.0) == pytest.approx(16.3)
    assert holdable_volume(0, limits, 0.0) == 0.0


def test_single_run_cap_grows_tiny_bases_by_the_allowance():
    assert single_run_cap(0.0, 10, 0.5) == 0.5
    assert single_run_cap(2.3, 10, 0.5) == 2.8
    assert single_run_cap(10.0, 10, 0.5) == 11.0


def test_alternate_days_hold_at_most_three_runs_round_the_week():
    assert max_spaced_runs(list(WEEKDAYS), 1) == 3
    assert max_spaced_runs(["sat", "sun"], 1) == 1
    assert max_spaced_runs(["tue", "thu", "sat", "sun"], 1) == 3
