"""Load a runner profile and report every problem at once with file:line:column.

Reading, shape checks, then checks against the ruleset.

Cross-field and ruleset checks live here rather than in pydantic validators so
each can point at the exact key that is wrong.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from pydantic import ValidationError

from planner import kinds
from planner.dates import monday_after
from planner.diagnostics import Diagnostic, Severity, SourceText, did_you_mean, has_errors
from planner.errors import ProfileError
from planner.files import read_user_file
from planner.kinds import wrong_kind
from planner.models.profile import DISTANCE_NAMES, Profile
from planner.rules.compiler import CompiledRuleset
from planner.sourcemap import validation_diagnostics
from planner.yamlsource import Path_, drop_shadowed, parse_text

PROFILE_CODES: dict[str, str] = {
    "file-unreadable": "the profile file cannot be read",
    "yaml-syntax": "the text is not valid YAML or JSON",
    "yaml-tab": "a tab is used for indentation",
    "yaml-duplicate-key": "a key appears twice",
    "yaml-alias": "anchors, aliases or merge keys are used",
    "yaml-tag": "an explicit YAML tag is used",
    "yaml-complex-key": "a key is not plain text",
    "yaml-multiple-documents": "more than one YAML document",
    "yaml-empty": "the file is empty",
    "yaml-implicit-type": "a bare yes/no/on/off, 0123 or 1:30 is kept as text, as YAML 1.2 reads it (warning; "
    "where a boolean or number is wanted, an error)",
    "yaml-control-character": "a control character (NUL, ESC ...) is in the text",
    "yaml-too-large": "the file is nested too deep, holds too many values, or a value or number too long",
    "missing-field": "a required field is missing",
    "unknown-field": "a field the profile schema does not have",
    "wrong-type": "a value of the wrong type",
    "invalid-choice": "a value outside the allowed set",
    "out-of-range": "a number outside its allowed range",
    "invalid-value": "a value that breaks a rule of its field",
    "invalid-date": "a date that is not YYYY-MM-DD",
    "inconsistent": "two fields contradict each other",
    "unknown-name": "a name the ruleset's tables do not have (deficit, site, stage)",
    "race-date": "the race date is before the plan starts or beyond the planning horizon",
    "wrong-kind-of-file": "the file is a plan, ruleset, cases file or check-in log, not a profile",
}


@dataclass(frozen=True)
class LoadedProfile:
    """A profile that passed every check, with the warnings it produced."""

    profile: Profile
    source: SourceText
    warnings: tuple[Diagnostic, ...]


@dataclass(frozen=True, slots=True)
class Problem:
    """A problem found in a valid-shaped profile, by field path (no positions yet)."""

    code: str
    message: str
    path: Path_
    hint: str | None = None
    on_key: bool = False


def _cross_field(p: Profile) -> Iterator[Problem]:
    inj, cur, goal, av = p.injury, p.current, p.goal, p.availability
    if inj.kind == "bone_stress_injury" and inj.site is None:
        yield Problem(
            "missing-field",
            "a bone stress injury needs its 'site'",
            ("injury",),
            "for example site: posteromedial_tibia (see the ruleset's bsi_sites table)",
            on_key=True,
        )
    if inj.kind != "bone_stress_injury" and inj.site is not None:
        yield Problem(
            "inconsistent",
            "'site' is only for kind bone_stress_injury",
            ("injury", "site"),
            "remove site, or set kind: bone_stress_injury",
            on_key=True,
        )
    if goal.race != "none" and goal.race_date is None:
        yield Problem(
            "missing-field",
            f"a {goal.race} goal needs a race_date",
            ("goal",),
            "add race_date: YYYY-MM-DD",
            on_key=True,
        )
    if goal.race == "none" and goal.race_date is not None:
        yield Problem(
            "inconsistent",
            "race_date is set but race is 'none'",
            ("goal", "race_date"),
            "set race: 5k, 10k, half or marathon, or remove race_date",
            on_key=True,
        )
    if av.long_run_day not in av.run_days:
        yield Problem(
            "inconsistent",
            f"long_run_day {av.long_run_day!r} is not one of the run_days",
            ("availability", "long_run_day"),
            f"run_days: {', '.join(av.run_days)}",
        )
    # Distances are kept to the hundredth: a seventh of 13.3 is 1.9 (7 equal runs), not 1.9000000000000001.
    seventh = round(cur.weekly_miles / 7, 2)
    if cur.weekly_miles > 0 and not seventh - 0.005 <= cur.longest_run_miles <= cur.weekly_miles:
        yield Problem(
            "inconsistent",
            f"the longest run is {cur.longest_run_miles:g} but the weekly distance is {cur.weekly_miles:g}",
            ("current", "longest_run_miles"),
            "give the longest single run of the last 30 days: no more than a week's running, and at least a "
            "seventh of it (a week holds at most 7 runs)",
        )
    if cur.weekly_miles == 0 and cur.longest_run_miles > 0:
        yield Problem(
            "inconsistent",
            f"longest_run_miles is {cur.longest_run_miles:g} but weekly_miles is 0",
            ("current", "longest_run_miles"),
            "set weekly_miles to what the runner runs now, or longest_run_miles to 0",
        )
    if cur.weekly_miles == 0 and cur.running_pain > 0:
        yield Problem(
            "inconsistent",
            "running_pain is set but weekly_miles is 0",
            ("current", "running_pain"),
            "set weekly_miles to what the runner runs now, or running_pain to 0",
        )
    if cur.runs_per_week is not None and (cur.runs_per_week == 0) != (cur.weekly_miles == 0):
        yield Problem(
            "inconsistent",
            f"runs_per_week is {cur.runs_per_week} but weekly_miles is {cur.weekly_miles:g}",
            ("current", "runs_per_week"),
            "give the runs a week that make up weekly_miles (0 only when not running)",
        )
    if cur.weekly_miles == 0 and cur.walk_run_stage:
        yield Problem(
            "inconsistent",
            "walk_run_stage is set but weekly_miles is 0",
            ("current", "walk_run_stage"),
            "set weekly_miles to the running the walk-run sessions hold, or remove walk_run_stage",
        )


def _against_ruleset(p: Profile, ruleset: CompiledRuleset) -> Iterator[Problem]:
    t = ruleset.spec.tables
    deficits = t.warmup.by_deficit
    for i, name in enumerate(p.current.deficits):
        if name not in deficits:
            yield Problem(
                "unknown-name",
                f"unknown deficit {name!r}",
                ("current", "deficits", i),
                did_you_mean(name, deficits, what="deficits in the warm-up table"),
            )
    sites = [*t.bsi_sites.high_risk, *t.bsi_sites.low_risk]
    if p.injury.site is not None and p.injury.site not in sites:
        yield Problem(
            "unknown-name",
            f"unknown bone stress injury site {p.injury.site!r}",
            ("injury", "site"),
            did_you_mean(p.injury.site, sites, what="sites"),
        )
    if p.current.runs_per_week is not None and p.current.runs_per_week > len(p.availability.run_days):
        yield Problem(
            "inconsistent",
            f"runs_per_week is {p.current.runs_per_week} but only {len(p.availability.run_days)} run days are listed",
            ("current", "runs_per_week"),
            "list every day the runner runs in availability.run_days",
        )
    if p.current.hops.stage > len(t.hop_stages.rows):
        yield Problem(
            "out-of-range",
            f"hop stage {p.current.hops.stage} does not exist (the table has {len(t.hop_stages.rows)} stages)",
            ("current", "hops", "stage"),
            f"give a stage from 0 (none) to {len(t.hop_stages.rows)}; `rtr rules show {ruleset.spec.id}` lists them",
        )
    stage = p.current.walk_run_stage
    if stage is not None and stage > len(t.walk_run.rows):
        yield Problem(
            "out-of-range",
            f"walk-run stage {stage} does not exist (the table has {len(t.walk_run.rows)})",
            ("current", "walk_run_stage"),
            f"give a stage from 1 to {len(t.walk_run.rows)}, or leave walk_run_stage out when running continuously",
        )
    needed = int(ruleset.param("strength_min_heavy_sessions"))
    if len(p.availability.strength_days) < needed:
        yield Problem(
            "out-of-range",
            f"{len(p.availability.strength_days)} strength day(s); heavy strength training "
            f"needs at least {needed} a week",
            ("availability", "strength_days"),
            "list the days the runner can lift, e.g. [mon, thu]",
            on_key=True,
        )
    if p.goal.race != "none" and p.goal.race not in {r.race for r in t.races.rows}:
        yield Problem("invalid-choice", f"this ruleset has no {p.goal.race} row in its races table", ("goal", "race"))


def _race_date(p: Profile, ruleset: CompiledRuleset, today: date) -> Iterator[Problem]:
    race_date = p.goal.race_date
    if race_date is None:
        return
    start = p.start_date or monday_after(today)
    horizon = int(ruleset.param("horizon_weeks"))
    if race_date < start:
        yield Problem(
            "race-date",
            f"race_date {race_date} is before the plan starts ({start})",
            ("goal", "race_date"),
            "a past race cannot be planned; set the next goal race",
        )
    elif race_date >= start + timedelta(weeks=horizon):
        yield Problem(
            "race-date",
            f"race_date {race_date} is more than {horizon} weeks after the start ({start})",
            ("goal", "race_date"),
            "plan toward an earlier goal first, or set race: none",
        )


def profile_problems(profile: Profile, ruleset: CompiledRuleset, today: date) -> list[Problem]:
    """Cross-field and ruleset problems of a profile that has the right shape."""
    return [*_cross_field(profile), *_against_ruleset(profile, ruleset), *_race_date(profile, ruleset, today)]


def check_profile_text(
    text: str, path: str, ruleset: CompiledRuleset, today: date
) -> tuple[Profile | None, list[Diagnostic], SourceText]:
    """Every problem in a profile's text; the profile when there is none."""
    doc = parse_text(text, path)
    other = wrong_kind(doc, kinds.PROFILE)
    if other is not None:  # a plan or ruleset given as a profile: say that, not what a profile lacks
        return None, [other], doc.source
    found = list(doc.diagnostics)
    if not doc.ok:
        return None, found, doc.source
    try:
        profile = Profile.model_validate(doc.data)
    except ValidationError as error:
        found.extend(validation_diagnostics(error, doc, Profile))
        return None, drop_shadowed(found), doc.source
    for prob in profile_problems(profile, ruleset, today):
        where = _as_written(prob.path, doc.values)
        field = ".".join(str(x) for x in where)
        span = doc.span(where, key=prob.on_key)
        found.append(Diagnostic(prob.code, prob.message, span, Severity.ERROR, f"field {field}", prob.hint))
    return (None if has_errors(found) else profile), found, doc.source


def _as_written(path: tuple[str | int, ...], written: Mapping[tuple[str | int, ...], object]) -> tuple[str | int, ...]:
    """A field's path under the name the file uses: ``weekly_distance`` or its older ``weekly_miles``."""
    if not path or path in written:
        return path
    *parent, last = path
    for new, old in DISTANCE_NAMES.items():
        if last == old and (*parent, new) in written:
            return (*parent, new)
    return path


def read_profile(path: Path) -> tuple[str, str]:
    """``(shown path, text)`` of a profile file, read once (it may be a pipe)."""
    return read_user_file(path, "profile", ProfileError)


def load_profile(
    path: Path, ruleset: CompiledRuleset, today: date, *, text: tuple[str, str] | None = None
) -> LoadedProfile:
    """Load a profile file (or its already-read ``(shown, text)``), or raise ProfileError with every diagnostic."""
    shown, raw = text if text is not None else read_profile(path)
    profile, found, source = check_profile_text(raw, shown, ruleset, today)
    if profile is None:
        raise ProfileError(f"profile {shown} has errors", found, {shown: source})
    return LoadedProfile(profile, source, tuple(d for d in found if d.severity is Severity.WARNING))


def peek_injury_kind(text: str) -> str | None:
    """The profile text's ``injury.kind`` as written, or None when the text cannot tell.

    It chooses the profile's ruleset before the full check, which needs the ruleset.
    """
    data = parse_text(text, "<profile>").data
    injury = data.get("injury") if isinstance(data, dict) else None
    kind = injury.get("kind") if isinstance(injury, dict) else None
    return kind if isinstance(kind, str) else None
