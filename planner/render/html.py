"""The plan as one self-contained HTML page: readable on a phone, printable on paper.

No script, no external file of any kind (fonts, images, style sheets): the style is inline
and the chart is inline SVG (:mod:`planner.render.chart`). The content is the runner's
handout (:mod:`planner.render.handout`), the same as the Markdown handout's. Every text is
escaped: the profile's words are user input.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from planner.models.plan import Plan
from planner.render.chart import BAR_LIVED, LONG, RACE, phase_colours, render_chart, strength_colours
from planner.render.common import phase_label
from planner.render.handout import Handout, ReferralLine, WeekDetail, build_handout, weeks_label
from planner.rules.compiler import CompiledRuleset

STYLE = """
:root { --ink: #1a1a1a; --muted: #4a4a4a; --line: #c8c8c8; --paper: #ffffff; --soft: #f4f6f8; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { margin: 0; color: var(--ink); background: var(--paper);
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; }
header, main, footer { max-width: 72rem; margin: 0 auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: 1rem 0 0.5rem; }
h2 { font-size: 1.3rem; margin: 2rem 0 0.6rem; border-bottom: 2px solid var(--line); padding-bottom: 0.2rem; }
h3 { font-size: 1.08rem; margin: 0 0 0.4rem; }
p, ul, ol { margin: 0.4rem 0; }
.status { border-left: 6px solid; padding: 0.6rem 0.8rem; margin: 0.6rem 0; background: var(--soft); }
.status strong { font-size: 1.1rem; }
.status-ready { border-color: #2e7d32; }
.status-race_at_risk { border-color: #b26a00; background: #fff4e0; }
.status-not_ready_by_horizon { border-color: #b26a00; background: #fff4e0; }
.status-referral { border-color: #b2182b; background: #fdecee; }
.warning { border: 2px solid #b2182b; background: #fdecee; padding: 0.6rem 0.8rem; margin: 0.6rem 0; }
.facts { padding-left: 1.2rem; }
figure { margin: 0; }
.scroll { overflow-x: auto; max-width: 100%; }
.scroll:focus { outline: 2px solid #1f4e79; outline-offset: 2px; }
#chart { display: block; width: 100%; max-width: var(--w, 100%); height: auto; }
#chart .marker, #chart .track { font-weight: 600; }
figcaption { color: var(--muted); font-size: 0.92rem; margin-top: 0.4rem; }
.legend { list-style: none; padding: 0; margin: 0.5rem 0; display: flex; flex-wrap: wrap; gap: 0.3rem 1.2rem;
  font-size: 0.92rem; }
.legend li { display: flex; align-items: center; gap: 0.4rem; }
.key { display: inline-block; width: 1.1rem; height: 0.8rem; border: 1px solid var(--ink); flex: none; }
.key-line { height: 0; border-width: 2px 0 0; }
.key-round { width: 0.9rem; height: 0.9rem; border-radius: 50%; background: #ffffff; }
.legend-title { font-weight: 600; }
.key-planned { background: repeating-linear-gradient(45deg, #5b8ec2 0 2px, #d4e3f2 2px 5px); }
table { border-collapse: collapse; width: 100%; font-size: 0.92rem; }
caption { text-align: left; color: var(--muted); padding: 0.2rem 0; }
th, td { border: 1px solid var(--line); padding: 0.25rem 0.45rem; text-align: left; vertical-align: top; }
thead th { background: var(--soft); }
td.num, td.date { text-align: right; white-space: nowrap; }
td.date { text-align: left; }
tr.lived th, tr.lived td { background: #e3ecf6; }
.week { border-top: 1px solid var(--line); padding: 0.8rem 0; }
.week.lived { border-left: 5px solid #1f4e79; padding-left: 0.7rem; }
.logged { font-style: italic; }
.referral { border: 2px solid #b2182b; background: #fdecee; padding: 0.5rem 0.8rem; margin: 0.4rem 0; }
.note { border-left: 3px solid var(--line); padding-left: 0.6rem; color: var(--muted); }
.checks li { margin: 0.3rem 0; }
.routine { margin: 0.8rem 0; }
.small { font-size: 0.9rem; color: var(--muted); }
footer { margin: 2rem auto; color: var(--muted); font-size: 0.9rem; }
@media (max-width: 40rem) {
  body { font-size: 15px; }
  header, main, footer { padding: 0 0.7rem; }
  h1 { font-size: 1.35rem; }
  #chart { max-width: none; width: auto; }
  table { font-size: 0.86rem; }
  .sessions td:last-child { min-width: 12rem; }
}
@media print {
  @page { size: A4; margin: 14mm 12mm; }
  body { font-size: 9.5pt; line-height: 1.35; }
  .week { padding: 0.4rem 0; }
  p, ul, ol { margin: 0.2rem 0; }
  header, main, footer { max-width: none; padding: 0; }
  h2 { break-after: avoid; margin-top: 1.2rem; }
  .scroll { overflow: visible; }
  #chart { width: 100%; max-width: 100%; }
  figure, .week, .routine, tr, .checks li { break-inside: avoid; }
  .status, .warning, .referral, tr.lived td, tr.lived th, thead th {
    -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
""".strip()


def _e(text: str) -> str:
    return escape(text, quote=True)


def _list(items: Iterable[str], cls: str = "") -> str:
    klass = f' class="{cls}"' if cls else ""
    body = "".join(f"<li>{_e(i)}</li>" for i in items)
    return f"<ul{klass}>{body}</ul>" if body else ""


def _referral(lines: list[ReferralLine]) -> str:
    if not lines:
        return ""
    out, details = [], []
    for line in lines:
        if line.detail:
            details.append(line.text)
            continue
        if details:
            out.append(_list(details))
            details = []
        out.append(f"<p><strong>{_e(line.text)}</strong></p>")
    if details:
        out.append(_list(details))
    return f'<div class="referral" role="note">{"".join(out)}</div>'


def _header(h: Handout) -> str:
    # A referral's reason is the referral itself, shown in full just below.
    reason = f" {_e(h.status_reason)}" if h.status_reason and not h.urgent else ""
    warnings = "".join(
        f'<p class="warning" role="note"><strong>Please read first:</strong> {_e(w)}</p>' for w in h.warnings
    )
    return (
        f"<header><h1>{_e(h.title)}</h1>"
        f'<p class="status status-{_e(h.status)}"><strong>{_e(h.status_text)}</strong>{reason}</p>'
        f"{_referral(h.urgent)}{warnings}{_list(h.facts, 'facts')}</header>"
    )


def _legend(plan: Plan) -> str:
    items = [
        f'<span class="key" style="background:{BAR_LIVED}"></span>a lived week (from your check-ins)'
        if any(w.observed for w in plan.weeks)
        else "",
        '<span class="key key-planned"></span>running planned for the week',
        f'<span class="key key-line" style="border-color:{LONG}"></span>the longest run of the week',
        '<span class="key key-line" style="border-color:#1a1a1a;border-top-width:3px"></span>what your check-in logged'
        if any(w.observed for w in plan.weeks)
        else "",
        f'<span class="key" style="background:{RACE}"></span>the race' if plan.race is not None else "",
        '<span class="key key-round"></span>a check passed as the week starts (numbers as in the checklist)',
    ]
    out = '<ul class="legend">' + "".join(f"<li>{i}</li>" for i in items if i) + "</ul>"
    for title, colours in (
        ("Phases", {phase_label(plan, p): c for p, c in phase_colours(plan).items()}),
        ("Strength", strength_colours(plan)),
    ):
        if colours:
            swatches = "".join(
                f'<li><span class="key" style="background:{c}"></span>{_e(label)}</li>' for label, c in colours.items()
            )
            out += f'<ul class="legend"><li class="legend-title">{title}:</li>{swatches}</ul>'
    return out


def _chart(plan: Plan, h: Handout) -> str:
    svg = render_chart(plan, title=f"{h.title}: weekly running and the longest run, week by week")
    return (
        '<section aria-labelledby="glance"><h2 id="glance">Your road back at a glance</h2>'
        '<figure><div class="scroll" tabindex="0" role="region" aria-label="Chart (scrolls sideways)">'
        f"{svg}</div>{_legend(plan)}"
        '<figcaption>Every figure of the chart is in the <a href="#overview">overview table</a> below.'
        "</figcaption></figure></section>"
    )


OVERVIEW_HEAD = (
    "Week",
    "From",
    "Phase",
    "Running",
    "Longest run",
    "Faster running",
    "Strength",
    "Hops",
    "Checks passed",
)


def _overview(h: Handout) -> str:
    head = "".join(f'<th scope="col">{c}</th>' for c in OVERVIEW_HEAD)
    rows = []
    for r in h.overview:
        lived = ' class="lived"' if r.observed else ""
        mark = " (lived)" if r.observed else ""
        cells = [r.start, r.phase, r.running, r.long_run, r.faster, r.strength, r.hops, r.checks]
        tds = "".join(
            f'<td class="{"date" if i == 0 else "num" if i in (2, 3) else "text"}">{_e(c)}</td>'
            for i, c in enumerate(cells)
        )
        rows.append(f'<tr{lived}><th scope="row"><a href="#week-{r.week}">{r.week}</a>{mark}</th>{tds}</tr>')
    key = "; ".join(f"{n} - {name}" for n, name in h.hop_stages)
    hops = f'<p class="small">Hop stages: {_e(key)}.</p>' if key else ""
    return (
        '<section aria-labelledby="overview"><h2 id="overview">Overview, week by week</h2>'
        '<div class="scroll" tabindex="0" role="region" aria-label="Overview table (scrolls sideways)">'
        '<table class="overview"><caption>The chart\'s figures: running and long run per week, faster running, '
        "strength, hops and the checks passed as each week starts.</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>{hops}</section>"
    )


def _sessions(w: WeekDetail) -> str:
    head = "".join(f'<th scope="col">{c}</th>' for c in ("Day", "Session", "Distance", "Time", "What to do"))
    rows = "".join(
        f'<tr><td class="date">{_e(s.day)}</td><td>{_e(s.session)}</td><td class="num">{_e(s.distance)}</td>'
        f'<td class="num">{_e(s.time)}</td><td>{_e(s.what or "as last week")}</td></tr>'
        for s in w.sessions
    )
    return (
        f'<div class="scroll" tabindex="0" role="region" aria-label="Week {w.week} sessions">'
        f'<table class="sessions"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>'
    )


def _week(w: WeekDetail) -> str:
    out = [f'<h3 id="week-{w.week}-h">{_e(w.heading)}{" (lived)" if w.observed else ""}</h3>']
    if w.logged:
        out.append(f'<p class="logged">{_e(w.logged)}</p>')
    out.append(_referral(w.referral))
    if w.sessions:
        out.append(_sessions(w))
    if w.total:
        out.append(f"<p>{_e(w.total)}</p>")
    if w.no_running:
        out.append("<p>No running this week.</p>")
    if w.strength:
        link = f' <a href="#routine-{w.routine}">(the routine)</a>' if w.routine else ""
        out.append(f"<p>{_e(w.strength)}.{link}</p>")
    if w.hops:
        out.append(f"<p>{_e(w.hops)}</p>")
    for line in (w.warmup, w.quality_warmup):
        if line:
            out.append(f"<p>{_e(line)}</p>")
    if w.checks_passed:
        out.append(
            f"<p>Checks passed as this week starts: {', '.join(map(str, w.checks_passed))} (see the checklist).</p>"
        )
    if w.checks_lost:
        out.append(
            f"<p><strong>No longer held: check {', '.join(map(str, w.checks_lost))}</strong> - it has to be passed "
            "again before the running grows.</p>"
        )
    out += [f'<p class="note">{_e(n)}</p>' for n in w.notes]
    lived = " lived" if w.observed else ""
    return f'<section class="week{lived}" id="week-{w.week}" aria-labelledby="week-{w.week}-h">{"".join(out)}</section>'


def _pain_guide(h: Handout) -> str:
    if not h.pain_scale:
        return ""
    rows = "".join(f'<tr><th scope="row">{_e(s)}</th><td>{_e(m)}</td></tr>' for s, m in h.pain_scale)
    bad = "".join(f"<li><strong>{_e(when)}:</strong> {_e(do)}.</li>" for when, do in h.bad_days)
    return (
        '<section aria-labelledby="pain"><h2 id="pain">Your pain scale and bad days</h2>'
        '<table class="pain"><thead><tr><th scope="col">Pain (0-10)</th><th scope="col">What it feels like</th>'
        f"</tr></thead><tbody>{rows}</tbody></table>"
        f'<h3 id="bad-days" style="margin-top:0.8rem">On a bad day</h3><ul>{bad}</ul>'
        f"<p>{_e(h.how_to_read)}</p></section>"
    )


def _routines(h: Handout) -> str:
    if not h.routines:
        return ""
    parts = [
        f'<section class="routine" id="routine-{r.number}" aria-labelledby="routine-{r.number}-h">'
        f'<h3 id="routine-{r.number}-h">Routine {r.number}: {_e(r.title)} (weeks {_e(weeks_label(r.weeks))})</h3>'
        f"{_list(r.lines)}</section>"
        for r in h.routines
    ]
    return (
        '<section aria-labelledby="routines"><h2 id="routines">Your strength routines</h2>'
        "<p>Each week names the routine to do on its strength days.</p>" + "".join(parts) + "</section>"
    )


def _checks(h: Handout) -> str:
    if not h.checks:
        return ""
    items = "".join(f"<li><strong>{_e(c.text)}</strong> {_e(c.when)}</li>" for c in h.checks)
    return (
        '<section aria-labelledby="checks"><h2 id="checks">The checks, in plain words</h2>'
        "<p>Each check is made as a week starts, from the weeks before it. Move on only when it truly passed.</p>"
        f'<ol class="checks">{items}</ol></section>'
    )


def _warmup(h: Handout) -> str:
    if not h.warmup:
        return ""
    parts = []
    for stage in h.warmup:
        lead = "Before every run" if stage.first else f"From week {stage.week}, add"
        if stage.first and stage.week > 1:
            lead = f"From week {stage.week}, before every run"
        parts.append(f"<p><strong>{lead}:</strong></p>{_list(stage.drills)}")
    if h.quality_warmup:
        parts.append(
            f"<p><strong>Before a faster session (from week {h.quality_warmup_from}), add:</strong></p>"
            f"{_list(h.quality_warmup)}"
        )
    return f'<section aria-labelledby="warmup"><h2 id="warmup">Your warm-up</h2>{"".join(parts)}</section>'


def _evidence(h: Handout) -> str:
    if not h.evidence:
        return ""
    rows = "".join(f"<tr><td>{_e(e.what)}</td><td>{_e(e.source)}</td><td>{_e(e.grade)}</td></tr>" for e in h.evidence)
    return (
        '<section aria-labelledby="evidence"><h2 id="evidence">The evidence behind each rule</h2>'
        "<p>Each check and rule this plan used, where it comes from, and how strong that evidence is "
        "(strong, moderate, weak, or expert opinion where no trial settles it).</p>"
        '<div class="scroll" tabindex="0" role="region" aria-label="Evidence table (scrolls sideways)">'
        '<table class="evidence"><thead><tr><th scope="col">What the plan does</th><th scope="col">Source</th>'
        f'<th scope="col">Evidence</th></tr></thead><tbody>{rows}</tbody></table></div></section>'
    )


def render_html(plan: Plan, ruleset: CompiledRuleset | None = None) -> str:
    """The runner's report as one HTML document; with the ruleset, the evidence behind each rule too."""
    h = build_handout(plan, ruleset)
    notes = [*h.assumptions, *(f"Recommended: {r}" for r in h.recommendations)]
    weeks = "".join(_week(w) for w in h.weeks)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="color-scheme" content="light">\n'
        f"<title>{_e(h.title)}</title>\n<style>\n{STYLE}\n</style>\n</head>\n<body>\n"
        + _header(h)
        + "\n<main>\n"
        + _chart(plan, h)
        + "\n"
        + _overview(h)
        + "\n"
        + '<section aria-labelledby="weeks"><h2 id="weeks">Week by week</h2>'
        + weeks
        + "</section>\n"
        + _routines(h)
        + _checks(h)
        + _warmup(h)
        + _pain_guide(h)
        + _evidence(h)
        + (
            f'<section aria-labelledby="notes"><h2 id="notes">Good to know</h2>{_list(notes)}</section>'
            if notes
            else ""
        )
        + f"\n</main>\n<footer><p>{_e(h.disclaimer)}</p></footer>\n</body>\n</html>\n"
    )
