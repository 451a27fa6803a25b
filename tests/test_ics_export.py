"""``rtr plan --format ics``: every session on its date, stable UIDs, parsed back with icalendar."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar
from typer.testing import CliRunner

from planner.cli import app
from planner.models.plan import Plan
from planner.render import render
from planner.render.ics import DAYS, render_ics
from tests.conftest import EXAMPLES

runner = CliRunner()
PROFILES = sorted(EXAMPLES.glob("*.yaml"))
TODAY = "2026-11-26"


def rtr(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.stderr
    return result.stdout_bytes.decode("utf-8")  # as written: .stdout would turn CRLF into LF


@cache
def plan_json(path: Path) -> dict[str, Any]:
    return json.loads(rtr("plan", str(path), "-f", "json", "--today", TODAY))


@cache
def ics_of(path: Path) -> str:
    return rtr("plan", str(path), "-f", "ics", "--today", TODAY)


def events(text: str) -> list[Any]:
    return list(Calendar.from_ical(text).walk("VEVENT"))


def expected_dates(plan: dict[str, Any]) -> Counter[date]:
    """Every session's date, read from the plan JSON: runs, strength days, hop days, a referral's week."""
    found: Counter[date] = Counter()
    for w in plan["weeks"]:
        start = date.fromisoformat(w["start_date"])

        def on(day: str, start: date = start) -> date:
            return start + timedelta(days=(DAYS.index(day) - start.weekday()) % 7)

        found.update(date.fromisoformat(s["date"]) for s in w["running"]["sessions"])
        if w["strength"]["sessions"]:
            found.update(on(d) for d in w["strength"]["days"])
        if w["plyometrics"]["stage"]:
            found.update(on(d) for d in w["plyometrics"]["days"])
        if w.get("referrals"):
            found[start] += 1
    return found


@pytest.mark.parametrize("path", PROFILES, ids=lambda p: p.stem)
def test_every_session_is_an_event_on_its_date(path: Path):
    plan = plan_json(path)
    evs = events(ics_of(path))
    assert evs, "a calendar with no event"
    got = Counter(e.decoded("dtstart") for e in evs)
    assert all(type(d) is date for d in got), "sessions have no time: all-day events"
    assert got == expected_dates(plan)
    assert len(evs) == sum(expected_dates(plan).values())
    for e in evs:
        assert e.decoded("dtend") == e.decoded("dtstart") + timedelta(days=1)
        assert str(e["summary"]).strip()
        assert "does not replace it" in str(e["description"])


@pytest.mark.parametrize("path", PROFILES, ids=lambda p: p.stem)
def test_uids_are_unique_and_the_same_on_every_run(path: Path):
    first = ics_of(path)
    again = rtr("plan", str(path), "-f", "ics", "--today", TODAY)
    assert first == again  # same bytes: no clock, no random ids
    uids = [str(e["uid"]) for e in events(first)]
    assert len(uids) == len(set(uids))
    assert all(u.endswith("@rtr-planner") for u in uids)
    assert uids == [str(e["uid"]) for e in events(again)]


@pytest.mark.parametrize("path", PROFILES, ids=lambda p: p.stem)
def test_the_race_is_an_event_on_the_race_date(path: Path):
    plan = plan_json(path)
    races = [e for e in events(ics_of(path)) if str(e["summary"]).startswith("RACE")]
    if plan["planned_race_date"] is None:
        assert races == []
        return
    assert [e.decoded("dtstart") for e in races] == [date.fromisoformat(plan["planned_race_date"])]


def test_descriptions_carry_the_warm_up_and_the_checks_of_the_week():
    path = EXAMPLES / "shin-pain-10k.yaml"
    plan = plan_json(path)
    week1 = plan["weeks"][0]
    evs = [e for e in events(ics_of(path)) if e.decoded("dtstart") < date.fromisoformat(plan["weeks"][1]["start_date"])]
    run = next(e for e in evs if str(e["summary"]).startswith("Walk-run"))
    text = str(run["description"])
    assert "Warm-up before every run: " + "; ".join(week1["warmup"]) in text
    open_gates = [g["runner_text"] for g in week1["gates"] if not g["passed"]]
    assert open_gates
    assert all(g in text for g in open_gates)
    assert "5 x (1 min run / 5 min walk)" in str(run["summary"])  # the walk-run intervals
    strength = next(e for e in evs if str(e["summary"]).startswith("Strength"))
    assert "straight-knee heel raises: 2 x 6-8" in str(strength["description"])
    hops = next(e for e in evs if str(e["summary"]).startswith("Hops"))
    assert "3 x 30 s" in str(hops["description"])


def test_the_stamp_and_sequence_come_from_today_not_the_clock():
    path = EXAMPLES / "shin-pain-10k.yaml"
    later = rtr("plan", str(path), "-f", "ics", "--today", "2026-12-01")
    a, b = events(ics_of(path))[0], events(later)[0]
    assert a.decoded("dtstamp").date() == date(2026, 11, 26)
    assert b.decoded("dtstamp").date() == date(2026, 12, 1)
    assert int(b["sequence"]) > int(a["sequence"])  # a plan made later is the newer version


def unescape_text(wire: str) -> str:
    """A TEXT value as RFC 5545 3.3.11 reads it: backslash escapes of backslash, semicolon, comma, newline."""
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), wire)


def _model(path: Path) -> Plan:
    return Plan.model_validate(plan_json(path))


def _uids_by_date(text: str) -> dict[tuple[date, str], str]:
    return {(e.decoded("dtstart"), str(e["summary"])): str(e["uid"]) for e in events(text)}


def test_a_re_plan_with_one_changed_week_keeps_the_uids_of_the_other_slots():
    plan = _model(EXAMPLES / "shin-pain-10k.yaml")
    before = events(render_ics(plan, date(2026, 11, 26)))
    changed = plan.model_copy(deep=True)
    week = changed.weeks[8]
    dates = {s.date for s in week.running.sessions}
    week.running.sessions[0].miles += 1.0  # a longer run, a new description, one run dropped
    week.running.sessions[0].description = "changed by the re-plan"
    week.running.sessions.pop()
    after = events(render_ics(changed, date(2026, 12, 3)))
    old = {str(e["uid"]): e for e in before}
    new = {str(e["uid"]): e for e in after}
    assert len(new) == len(old) - 1
    assert set(new) < set(old)  # nothing new: the changed slots update, the dropped run goes
    for uid, e in new.items():
        if e.decoded("dtstart") not in dates:
            assert str(e["summary"]) == str(old[uid]["summary"])
    edited = next(e for e in after if "changed by the re-plan" in str(e["description"]))
    assert str(edited["summary"]) != str(old[str(edited["uid"])]["summary"])  # same slot, new content


def test_a_real_re_plan_keeps_the_uid_of_every_slot_both_plans_have(tmp_path: Path):
    # knee-flare-up with its check-in log and without: weeks differ, slots on the same date keep their UID.
    profile = EXAMPLES / "knee-flare-up.yaml"
    empty = tmp_path / "empty.checkins.jsonl"
    empty.write_text("")
    lived = events(ics_of(profile))
    projected = events(rtr("plan", str(profile), "-f", "ics", "--today", TODAY, "--log", str(empty)))

    def slots(evs: list[Any]) -> dict[tuple[date, str], set[str]]:
        out: dict[tuple[date, str], set[str]] = {}
        for e in evs:
            out.setdefault((e.decoded("dtstart"), str(e["categories"].cats[0])), set()).add(str(e["uid"]))
        return out

    a, b = slots(lived), slots(projected)
    shared = set(a) & set(b)
    assert len(shared) > len(a) // 2
    assert str(lived) != str(projected)
    for key in shared:
        small, big = sorted((a[key], b[key]), key=len)
        assert small <= big, key


def test_commas_semicolons_newlines_and_non_ascii_names_round_trip():
    plan = _model(EXAMPLES / "shin-pain-10k.yaml").model_copy(deep=True)
    plan.runner.name = 'Zoë O\'Brien; Łódź, "the hill"\nrunner 日本'
    tricky = 'easy, conversational; then "strides"\nsecond line\\ with a backslash – ünïcode'
    plan.weeks[0].running.sessions[0].description = tricky
    text = render_ics(plan, date(2026, 11, 26))
    assert "\r\n" in text
    assert "\n" not in text.replace("\r\n", "")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))  # folded at 75 octets
    cal = Calendar.from_ical(text)
    # icalendar leaves an X- property's value as it was on the wire; as TEXT (RFC 5545 3.3.11) it reads back whole.
    assert unescape_text(str(cal["x-wr-calname"])) == f"Return to run: {plan.runner.name}"
    first = next(iter(cal.walk("VEVENT")), None)
    assert first is not None
    run = next(e for e in cal.walk("VEVENT") if str(e["description"]).startswith(tricky))
    assert str(run["description"]).split("\n\n")[0].startswith(tricky)
    assert "\\," in text
    assert "\\;" in text
    assert "\\n" in text


def test_control_characters_in_a_name_cannot_reach_the_calendar():
    plan = _model(EXAMPLES / "shin-pain-10k.yaml").model_copy(deep=True)
    plan.runner.name = "Sam\x1b[31m\x07"
    text = render_ics(plan, date(2026, 11, 26))
    assert "\x1b" not in text
    assert "\x07" not in text
    assert "Sam\\x1b[31m" in unescape_text(str(Calendar.from_ical(text)["x-wr-calname"]))


def test_ics_is_written_to_a_file_and_identical_to_stdout(tmp_path: Path):
    path = EXAMPLES / "shin-pain-10k.yaml"
    out = tmp_path / "plan.ics"
    rtr("plan", str(path), "--format", "ics", "-o", str(out), "--today", TODAY)
    assert out.read_bytes() == ics_of(path).encode()
    assert out.read_bytes().startswith(b"BEGIN:VCALENDAR\r\n")
    assert render(_model(path), "ics", today=date(2026, 11, 26)) == ics_of(path)
