"""Load rulesets: read, check (syntax, shape, meaning), compile; find shipped ones.

``check_ruleset_text`` never raises for bad input: it returns every diagnostic it
found. ``load_ruleset`` raises :class:`~planner.errors.RulesetError` carrying them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from planner import kinds
from planner.diagnostics import Diagnostic, SourceText, display_path, has_errors, is_stdin
from planner.errors import RulesetError
from planner.files import read_user_file
from planner.kinds import wrong_kind
from planner.rules import diskcache
from planner.rules.compiler import CompiledRuleset, compile_ruleset
from planner.rules.inherit import read_with_parents
from planner.rules.semantics import meaning_diagnostics
from planner.rules.spec import RulesetSpec
from planner.sourcemap import validation_diagnostics
from planner.yamlsource import drop_shadowed

DEFAULT_RULESET = "return-to-run"
RULESET_SUFFIX = ".yaml"
CASES_SUFFIX = ".cases.yaml"


@dataclass(frozen=True)
class RulesetCheck:
    """The outcome of checking one ruleset file (and the rulesets it extends)."""

    path: str
    source: SourceText
    diagnostics: tuple[Diagnostic, ...]
    compiled: CompiledRuleset | None
    sources: dict[str, SourceText] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """No errors (warnings allowed)."""
        return self.compiled is not None


def _evidence_codes(found: list[Diagnostic]) -> list[Diagnostic]:
    """Report a missing ``source`` or ``grade`` as the language's own kind of mistake."""
    out = []
    for d in found:
        if d.code == "missing-field" and d.message in (
            "missing required field 'source'",
            "missing required field 'grade'",
        ):
            what = "source" if "source" in d.message else "evidence grade"
            d = Diagnostic(
                "missing-evidence",
                f"no {what}: every rule, gate, parameter and table cites its evidence",
                d.span,
                d.severity,
                d.subject,
                "add source: <a key of sources:> and grade: strong | moderate | weak | expert-opinion",
            )
        out.append(d)
    return out


def find_parent(parent_id: str, child_path: str) -> Path | None:
    """A parent ruleset by id: a file next to the child, else a shipped ruleset.

    Only an id is looked up (``extends: ../secrets`` reads nothing), and only in those
    two folders.
    """
    if re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+)*", parent_id) is None:
        return None
    for base in (Path(child_path).parent, shipped_rulesets_dir()):
        candidate = base / f"{parent_id}{RULESET_SUFFIX}"
        if candidate.is_file():
            return candidate
    return None


def check_ruleset_text(text: str, path: str) -> RulesetCheck:
    """Check a ruleset's text in three layers, reporting everything at once."""
    doc, origins, found = read_with_parents(text, path, find_parent)
    other = wrong_kind(doc, kinds.RULESET)
    if other is not None:  # a profile given as a ruleset: say that, not what a ruleset lacks
        return RulesetCheck(path, doc.source, (other,), None, doc.sources)
    found = [*doc.diagnostics, *found]
    if not doc.ok:
        return RulesetCheck(path, doc.source, tuple(found), None, doc.sources)
    spec: RulesetSpec | None = None
    try:
        spec = RulesetSpec.model_validate(doc.data)
    except ValidationError as error:
        found.extend(_evidence_codes(validation_diagnostics(error, doc, RulesetSpec)))
    found.extend(meaning_diagnostics(doc))
    found = drop_shadowed(found)
    compiled = None
    if spec is not None and not has_errors(found):
        compiled = compile_ruleset(spec, path, origins)
    return RulesetCheck(path, doc.source, tuple(found), compiled, doc.sources)


def read_text(path: Path) -> str:
    """A ruleset file's text, or RulesetError naming the file and the cause."""
    return read_user_file(path, "ruleset", RulesetError)[1]


def check_ruleset_file(path: Path) -> RulesetCheck:
    """Check a ruleset file (an unreadable file is one diagnostic)."""
    shown = display_path(path)
    try:
        text = read_text(path)
    except RulesetError as error:
        return RulesetCheck(shown, SourceText(shown, ""), error.diagnostics, None, {})
    return check_ruleset_text(text, shown)


def load_ruleset(path: Path) -> CompiledRuleset:
    """Load and compile a ruleset file, or raise RulesetError with every problem."""
    result = check_ruleset_file(path)
    if result.compiled is None:
        raise RulesetError(f"ruleset {result.path} has errors", result.diagnostics, result.sources)
    return result.compiled


def shipped_rulesets_dir() -> Path:
    """Where the shipped rulesets are.

    That is the source tree (editable installs), or the package data of an installed
    wheel (``planner/bundled_rulesets``).
    """
    package = Path(__file__).resolve().parents[1]
    for candidate in (package.parent / "rulesets", package / "bundled_rulesets"):
        if (candidate / f"{DEFAULT_RULESET}{RULESET_SUFFIX}").is_file():
            return candidate
    raise RulesetError(
        "the shipped rulesets are missing from this installation",
        [
            Diagnostic(
                "file-unreadable",
                f"no {DEFAULT_RULESET}{RULESET_SUFFIX} next to {package}",
                None,
                hint="reinstall rtr-planner",
            )
        ],
    )


def shipped_ruleset_paths() -> list[Path]:
    """Every shipped ruleset file, sorted by name (cases files excluded)."""
    base = shipped_rulesets_dir()
    return sorted(p for p in base.glob(f"*{RULESET_SUFFIX}") if not p.name.endswith(CASES_SUFFIX))


def resolve_ruleset_path(name_or_path: str, *, shipped_only: bool = False) -> Path:
    """A shipped ruleset id (``return-to-run``) or a path to a ruleset file.

    ``shipped_only`` takes ids only: for names read from inside a file (a plan's
    ruleset), which must never lead the planner to read an arbitrary file.
    """
    candidate = Path(name_or_path)
    if is_stdin(name_or_path) and not shipped_only:  # `--ruleset -`: read from standard input
        return candidate
    is_id = re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+)*", name_or_path) is not None
    if not shipped_only and (candidate.suffix in (".yaml", ".yml", ".json") or (not is_id and candidate.exists())):
        return candidate
    shipped = shipped_rulesets_dir() / f"{name_or_path}{RULESET_SUFFIX}"
    if is_id and shipped.is_file():
        return shipped
    if not shipped_only and candidate.exists():
        return candidate
    known = ", ".join(p.stem for p in shipped_ruleset_paths())
    raise RulesetError(
        f"no ruleset named {name_or_path!r}",
        [
            Diagnostic(
                "file-unreadable",
                f"{name_or_path!r} is neither a shipped ruleset nor a file",
                None,
                hint=f"shipped rulesets: {known}",
            )
        ],
    )


_CACHE: dict[tuple[str, str], CompiledRuleset] = {}


def load_ruleset_cached(path: Path) -> CompiledRuleset:
    """Load a ruleset once per process per content (compiling is not free)."""
    text = read_text(path)
    key = (str(path.resolve()), text)
    if key not in _CACHE:

        def compile_() -> CompiledRuleset:
            result = check_ruleset_text(text, display_path(path))
            if result.compiled is None:
                raise RulesetError(f"ruleset {result.path} has errors", result.diagnostics, result.sources)
            return result.compiled

        shipped = shipped_ruleset_paths()
        if not is_stdin(path) and path.resolve() in {p.resolve() for p in shipped}:
            _CACHE[key] = diskcache.cached(path, shipped, compile_)  # a shipped ruleset: compiled once per build
        else:
            _CACHE[key] = compile_()  # a ruleset being written: every check, every time
    return _CACHE[key]


def shipped_ruleset_for(injury_kind: str | None) -> Path:
    """The shipped ruleset written for an injury kind (its ``injuries`` list).

    The default ruleset when none claims the kind.
    """
    default = shipped_rulesets_dir() / f"{DEFAULT_RULESET}{RULESET_SUFFIX}"
    if not injury_kind:
        return default
    paths = shipped_ruleset_paths()
    # A cheap read of each file's top-level ``injuries:`` line picks the one to compile:
    # compiling every ruleset to read one list was 40% of a plan's start-up. The pick is
    # confirmed on the compiled ruleset; a header this read cannot take falls back to that.
    headers = [_injuries_header(read_text(path)) for path in paths]
    if all(h is not None for h in headers):
        for path, claimed in zip(paths, headers, strict=True):
            if (
                claimed is not None
                and injury_kind in claimed
                and injury_kind in load_ruleset_cached(path).spec.injuries
            ):
                return path
        if not any(claimed is not None and injury_kind in claimed for claimed in headers):
            return default
    for path in paths:
        if injury_kind in load_ruleset_cached(path).spec.injuries:
            return path
    return default


_INJURIES_LINE = re.compile(r"^injuries:[ \t]*(?P<flow>\[[^\]#]*\])?[ \t]*(#.*)?$", re.MULTILINE)
_BLOCK_ITEM = re.compile(r"^[ \t]+-[ \t]+(?P<item>[a-z_]+)[ \t]*(#.*)?$")


def _injuries_header(text: str) -> tuple[str, ...] | None:
    """A ruleset's top-level ``injuries`` as written (flow or block list); ``()`` when absent.

    None when the line is in a form this cheap read does not take: the caller compiles then.
    """
    found = list(_INJURIES_LINE.finditer(text))
    if not found:
        return () if not re.search(r"^injuries\b", text, re.MULTILINE) else None
    if len(found) > 1:
        return None
    match = found[0]
    if match["flow"] is not None:
        items = [item.strip() for item in match["flow"][1:-1].split(",") if item.strip()]
        return tuple(items) if all(re.fullmatch(r"[a-z_]+", i) for i in items) else None
    block: list[str] = []
    for line in text[match.end() :].splitlines()[1:]:
        item = _BLOCK_ITEM.match(line)
        if item is not None:
            block.append(item["item"])
        elif line.strip() and not line.lstrip().startswith("#"):
            if line[0] in " \t-":
                return None  # an item in another form (quoted, an anchor ...)
            break  # the next top-level key
    return tuple(block)
