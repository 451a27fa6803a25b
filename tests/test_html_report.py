"""The HTML report: self-contained, escaped, deterministic; and opened in a real browser.

The fast tests parse the page with the standard library. The browser tests open every
example's report in headless Debian Chromium (``/usr/bin/chromium``) driven by Playwright
over its own protocol (no browser download), check there are no console errors and no
network requests, that the chart and every week are there, run axe-core in the page, and
save a screenshot per example and width as a test artifact (``$RTR_ARTIFACTS``, else
pytest's tmp_path). Chromium and axe-core are installed by ``.ci/run``; when either is
missing these tests fail, saying what to install: they are never skipped.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

import planner
from planner.api import ruleset_for_profile
from planner.cli import app
from planner.models.plan import Plan
from planner.render import render
from tests.conftest import EXAMPLES, TODAY
from tests.test_prescription import engine_words

EXAMPLE_PROFILES = sorted(EXAMPLES.glob("*.yaml"))
CHROMIUM = Path("/usr/bin/chromium")
AXE_DEFAULT = Path.home() / ".cache" / "rtr-axe" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}


@cache
def plan_of(path: Path) -> Plan:
    return planner.plan_for_file(path, today=TODAY)


@cache
def html_of(path: Path) -> str:
    return render(plan_of(path), "html", ruleset=ruleset_for_profile(path.read_text(encoding="utf-8")))


class Page(HTMLParser):
    """Every tag with its attributes, the text outside <style>, and the style sheets."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self.styles: list[str] = []
        self._in: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        self._in.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._in:
            while self._in.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if self._in and self._in[-1] == "style":
            self.styles.append(data)
        else:
            self.text.append(data)


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    return page


# ----------------------------------------------------------------------------- fast, without a browser
@pytest.mark.parametrize("path", EXAMPLE_PROFILES, ids=lambda p: p.stem)
def test_the_report_is_self_contained_and_has_every_week(path: Path):
    html = html_of(path)
    page = parse(html)
    tags = [t for t, _ in page.tags]
    assert html.startswith("<!DOCTYPE html>")
    assert "script" not in tags, "the report runs no script"
    for tag, attrs in page.tags:
        assert tag not in ("link", "img", "iframe", "object", "embed", "base"), f"<{tag}> loads a file"
        for name in ("src", "href", "srcset", "xlink:href", "action", "poster", "data"):
            value = attrs.get(name, "")
            assert not value or value.startswith("#"), f"<{tag} {name}={value!r}> points outside the page"
        assert "url(" not in attrs.get("style", "") or "url(#" in attrs.get("style", "")
    css = "".join(page.styles)
    assert not re.search(r"url\((?!#)", css), "the style sheet loads nothing"
    assert "@import" not in css
    assert "@font-face" not in css
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert "@media print" in css
    ids = {a.get("id") for _, a in page.tags}
    for w in plan_of(path).weeks:
        assert f"week-{w.week}" in ids, f"week {w.week} has no section"
    svg = [a for t, a in page.tags if t == "svg"]
    assert len(svg) == 1
    assert svg[0]["role"] == "img"
    assert svg[0]["aria-labelledby"] == "chart-title"
    assert svg[0]["aria-describedby"] == "chart-desc"
    assert {"chart-title", "chart-desc", "overview", "weeks"} <= ids
    assert ("checks" in ids) == any(w.gates for w in plan_of(path).weeks)


def test_the_report_is_the_same_bytes_every_time():
    path = EXAMPLES / "knee-flare-up.yaml"
    plan = plan_of(path)
    ruleset = ruleset_for_profile(path.read_text(encoding="utf-8"))
    assert render(plan, "html", ruleset=ruleset) == render(plan, "html", ruleset=ruleset)
    # ... and through the CLI, to a file and to stdout.
    from typer.testing import CliRunner

    runner = CliRunner()
    first = runner.invoke(app, ["plan", str(path), "-f", "html", "--today", TODAY.isoformat()])
    second = runner.invoke(app, ["plan", str(path), "-f", "html", "--today", TODAY.isoformat(), "-o", "-"])
    assert first.exit_code == 0
    assert first.stdout == second.stdout == render(plan, "html", ruleset=ruleset)


@pytest.mark.parametrize("path", EXAMPLE_PROFILES, ids=lambda p: p.stem)
def test_the_report_speaks_the_runners_language(path: Path):
    text = " ".join(parse(html_of(path)).text)
    for syntax in ("$", "==", ">=", "<=", "!=", "${"):
        assert syntax not in text, f"{syntax!r} in the report"
    for word in engine_words(ruleset_for_profile(path.read_text(encoding="utf-8"))):
        assert not re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text), f"engine word {word!r}"


def test_the_status_is_said_plainly_first():
    at_risk = html_of(EXAMPLES / "marathon-8wk-at-risk.yaml")
    referral = html_of(EXAMPLES / "red-flags-referral.yaml")
    chart = at_risk.index('id="glance"')
    assert at_risk.index("Your race date is too soon to get there safely") < chart
    assert at_risk.index("the earliest date every gate allows") < chart  # why, and what the plan does instead
    chart = referral.index('id="glance"')
    assert '<p class="status status-referral"><strong>See a clinician before any running.</strong>' in referral
    assert referral.index('<div class="referral" role="note">') < chart
    assert referral.index("red flag: pain at night or at rest") < chart


def test_the_report_has_the_evidence_behind_each_rule():
    path = EXAMPLES / "shin-pain-10k.yaml"
    html = html_of(path)
    ruleset = ruleset_for_profile(path.read_text(encoding="utf-8"))
    fired = {r for w in plan_of(path).weeks for r in w.rules_fired}
    for rule in ruleset.rules:
        if rule.id in fired:
            assert rule.title.replace("'", "&#x27;") in html, rule.title
    assert "Buist et al., Am J Sports Med 2008" in html
    assert "<td>expert opinion</td>" in html
    assert "<td>weak</td>" in html


def test_the_runners_words_are_escaped(tmp_path: Path):
    text = (EXAMPLES / "shin-pain-10k.yaml").read_text(encoding="utf-8")
    hostile = '<script>alert("x")</script> & <img src=http://example.invalid/x.png>'
    profile = tmp_path / "hostile.yaml"
    profile.write_text(re.sub(r"(?m)^  name: .*$", "  name: " + json.dumps(hostile), text, count=1), encoding="utf-8")
    plan = planner.plan_for_file(profile, today=TODAY)
    assert plan.runner.name == hostile
    html = render(plan, "html")
    page = parse(html)
    assert "script" not in [t for t, _ in page.tags]
    assert "img" not in [t for t, _ in page.tags]
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img" in html
    assert any(hostile in chunk for chunk in page.text)  # shown as the runner wrote it


def test_lived_weeks_look_different_from_planned_ones():
    html = html_of(EXAMPLES / "knee-flare-up.yaml")
    page = parse(html)
    lived = [w.week for w in plan_of(EXAMPLES / "knee-flare-up.yaml").weeks if w.observed]
    assert lived, "the example's check-ins make lived weeks"
    bars = [a for t, a in page.tags if t == "rect" and "bar" in a.get("class", "").split()]
    assert sum("lived" in a["class"] for a in bars) == len(lived)
    assert all(a["fill"] == "url(#planned)" for a in bars if "planned" in a["class"])
    assert len({a["fill"] for a in bars if "lived" in a["class"]} & {"url(#planned)"}) == 0
    assert 'class="week lived"' in html


# ----------------------------------------------------------------------------- in a real browser
def _artifacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = os.environ.get("RTR_ARTIFACTS")
    folder = Path(where) if where else tmp_path_factory.mktemp("html-report")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: install Debian's browser (apt-get install -y chromium); .ci/run does",
            pytrace=False,
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the test extra installs it
        pytest.fail("playwright is missing: pip install -e '.[test]'", pytrace=False)
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def axe_js() -> str:
    path = Path(os.environ.get("RTR_AXE_JS", str(AXE_DEFAULT)))
    if not path.is_file():
        pytest.fail(
            f"axe-core not found at {path}: npm install axe-core@4 in a cache folder and point RTR_AXE_JS at "
            "its node_modules/axe-core/axe.min.js (.ci/run does)",
            pytrace=False,
        )
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def artifacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _artifacts(tmp_path_factory)


@pytest.mark.parametrize("width", WIDTHS, ids=str)
@pytest.mark.parametrize("path", EXAMPLE_PROFILES, ids=lambda p: p.stem)
def test_the_report_opens_in_chromium(
    path: Path, width: str, browser: Any, axe_js: str, artifacts: Path, tmp_path: Path
):
    report = tmp_path / f"{path.stem}.html"
    report.write_text(html_of(path), encoding="utf-8")
    w, h = WIDTHS[width]
    page = browser.new_page(viewport={"width": w, "height": h})
    errors: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    try:
        page.goto(report.as_uri(), wait_until="load")
        assert errors == [], errors
        assert requests == [report.as_uri()], f"requests other than the file itself: {requests}"
        chart = page.locator("svg#chart")
        assert chart.count() == 1
        assert chart.locator("title#chart-title").text_content() == (
            f"Your return-to-run plan, {plan_of(path).runner.name}: weekly running and the longest run, week by week"
        )
        box = chart.bounding_box()
        assert box is not None
        assert box["width"] > 300, box
        assert box["height"] > 200, box
        for week in plan_of(path).weeks:
            section = page.locator(f"section#week-{week.week}")
            assert section.count() == 1, f"week {week.week}"
            assert f"Week {week.week} " in section.locator("h3").text_content()
        # Readable on a phone: the page itself never scrolls sideways (wide tables scroll in their box).
        assert page.evaluate("document.documentElement.scrollWidth") <= w
        page.add_script_tag(content=axe_js)
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        violations = result["violations"]
        grave = [v for v in violations if v["impact"] in ("serious", "critical")]
        for v in violations:
            print(f"axe {path.stem} {width}: {v['impact']} {v['id']}: {v['help']} ({len(v['nodes'])} nodes)")
        assert grave == [], [(v["id"], v["help"], [n["target"] for n in v["nodes"][:3]]) for v in grave]
        assert errors == [], errors
        shot = artifacts / f"{path.stem}-{width}.png"
        page.screenshot(path=str(shot), full_page=False)
        page.locator("figure").screenshot(path=str(artifacts / f"{path.stem}-{width}-chart.png"))
        print(f"screenshot: {shot}")
    finally:
        page.close()


def test_the_browser_checks_can_fail(browser: Any, axe_js: str, tmp_path: Path):
    # A page that breaks the rules the report keeps: an image from the network, no alt, no lang, no title.
    bad = tmp_path / "bad.html"
    bad.write_text(
        '<!DOCTYPE html><html><body><img src="http://192.0.2.1/x.png"><p style="color:#eee">faint</p>'
        "<script>console.error('boom')</script></body></html>",
        encoding="utf-8",
    )
    page = browser.new_page()
    errors: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("request", lambda r: requests.append(r.url))
    try:
        page.goto(bad.as_uri(), wait_until="domcontentloaded")
        page.add_script_tag(content=axe_js)
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    finally:
        page.close()
    assert "boom" in errors
    assert "http://192.0.2.1/x.png" in requests
    grave = {v["id"] for v in result["violations"] if v["impact"] in ("serious", "critical")}
    assert {"image-alt", "html-has-lang", "color-contrast"} <= grave, grave


# ----------------------------------------------------------------------------- the Markdown handout, printed
def markdown_of(path: Path) -> str:
    return render(plan_of(path), "markdown", ruleset=ruleset_for_profile(path.read_text(encoding="utf-8")))


def week_items(handout: str) -> list[str]:
    """The handout's weeks: each is one list item, ``- **Week N, from ...**``."""
    body = handout.split("## Week by week", 1)[1].split("\n## ", 1)[0]
    return [line for line in body.splitlines() if line.startswith("- **Week ")]


@pytest.mark.parametrize("path", EXAMPLE_PROFILES, ids=lambda p: p.stem)
def test_the_handout_has_every_week_once_and_says_strength_only_when_it_changes(path: Path):
    handout, plan = markdown_of(path), plan_of(path)
    items = week_items(handout)
    assert [int(re.match(r"- \*\*Week (\d+)", i)[1]) for i in items] == [w.week for w in plan.weeks]  # type: ignore[index]
    assert "as last week" not in " ".join(items)  # what repeats is left out, not announced
    said = [bool(re.search(r"Strength on [^:]+: routine \d+", i)) for i in items]
    routines = [w.strength.model_dump(include={"days", "label", "deload", "novice", "exercises"}) for w in plan.weeks]
    for n, (item_says, now, before) in enumerate(zip(said, routines, [None, *routines], strict=False)):
        if plan.weeks[n].strength.sessions:
            assert item_says == (now != before), items[n]


def test_a_deload_routine_is_said_in_one_line_naming_the_routine_it_lightens():
    handout = markdown_of(EXAMPLES / "shin-pain-10k.yaml")
    deloads = re.findall(r"\*\*Routine (\d+): [^*]*deload[^*]*\*\* \(weeks? [^)]+\)\n\n(.+)\n", handout)
    assert deloads, "no deload routine in the 10k plan"
    for number, line in deloads:
        parent = re.match(r"The exercises, reps and rests of routine (\d+), (\d+) sets of each - ", line)
        assert parent, line
        assert int(parent[1]) < int(number)
        assert f"**Routine {parent[1]}: " in handout


def printed_pages(browser: Any, markdown: str) -> int:
    """A4 pages of the handout printed from Chromium: CommonMark with tables, 10.5 pt, 15 mm margins."""
    from markdown_it import MarkdownIt  # rich's Markdown parser: installed with rich

    css = (
        "body{font:10.5pt/1.35 sans-serif;margin:0} table{border-collapse:collapse;font-size:9pt}"
        " td,th{border:1px solid #999;padding:1px 4px}"
    )
    body = MarkdownIt("commonmark").enable("table").render(markdown)
    page = browser.new_page()
    try:
        page.set_content(f"<!doctype html><html><head><style>{css}</style></head><body>{body}</body></html>")
        pdf = page.pdf(format="A4", margin=dict.fromkeys(("top", "bottom", "left", "right"), "15mm"))
    finally:
        page.close()
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


@pytest.mark.parametrize("path", EXAMPLE_PROFILES, ids=lambda p: p.stem)
def test_the_markdown_handout_prints_in_a_few_pages(path: Path, browser: Any):
    # About four weeks a page, plus two for the overview, the routines, the checks and the sources.
    # Before the compact weeks the 22-week 10k printed on 9 pages (now 7), the 36-week walking plan on 13 (10).
    pages, weeks = printed_pages(browser, markdown_of(path)), len(plan_of(path).weeks)
    assert 1 <= pages <= 2 + weeks // 4, f"{pages} A4 pages for {weeks} weeks"


def test_the_page_count_can_fail(browser: Any):
    handout = markdown_of(EXAMPLES / "shin-pain-10k.yaml")
    assert printed_pages(browser, handout * 3) > printed_pages(browser, handout) + 10
