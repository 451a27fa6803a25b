"""The example runners shipped with rtr, in the source tree or inside an installed wheel.

A plain ``pip install`` has no ``examples/`` folder to point at, so the examples travel as
package data (``planner/bundled_examples``) and ``rtr examples`` lists, prints and copies them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from planner.checkins import default_log_path
from planner.diagnostics import Diagnostic, Span
from planner.errors import InputError

PROFILE_SUFFIX = ".yaml"


@dataclass(frozen=True, slots=True)
class Example:
    """One example runner: its profile and, when it has one, its check-in log."""

    name: str
    profile: Path
    log: Path | None
    summary: str  # the profile's leading comment, in one line

    @property
    def files(self) -> tuple[Path, ...]:
        """The files that make up the example."""
        return (self.profile,) if self.log is None else (self.profile, self.log)


def shipped_examples_dir() -> Path:
    """The source tree's ``examples/`` (editable installs), or the installed package data."""
    package = Path(__file__).resolve().parent
    for candidate in (package.parent / "examples", package / "bundled_examples"):
        if any(candidate.glob(f"*{PROFILE_SUFFIX}")):
            return candidate
    raise InputError(
        "the example runners are missing from this installation",
        [Diagnostic("file-unreadable", f"no example profiles next to {package}", None, hint="reinstall rtr-planner")],
    )


def _summary(profile: Path) -> str:
    lines: list[str] = []
    for line in profile.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        if not line.startswith("# yaml-language-server:"):  # for editors, not people
            lines.append(line.lstrip("#").strip())
    return " ".join(part for part in lines if part)


def headline(summary: str, width: int = 80) -> str:
    """The summary's first sentence, cut at a word to ``width`` characters."""
    first = summary.split(". ", 1)[0].rstrip(".")
    if len(first) <= width:
        return first
    return first[: width - 1].rsplit(" ", 1)[0] + "…"


def shipped_examples() -> list[Example]:
    """Every example, sorted by name."""
    examples = []
    for profile in sorted(shipped_examples_dir().glob(f"*{PROFILE_SUFFIX}")):
        log = default_log_path(profile)
        examples.append(
            Example(
                profile.name.removesuffix(PROFILE_SUFFIX), profile, log if log.is_file() else None, _summary(profile)
            )
        )
    return examples


def example_named(name: str) -> Example:
    """An example by name, with or without ``.yaml``; an input error listing the names otherwise."""
    wanted = name.removesuffix(PROFILE_SUFFIX)
    examples = shipped_examples()
    for example in examples:
        if example.name == wanted:
            return example
    raise InputError(
        f"no example named {name!r}",
        [
            Diagnostic(
                "unknown-example",
                f"no example named {name!r}",
                None,
                hint="the examples are: " + ", ".join(e.name for e in examples),
            )
        ],
    )


def files_to_copy(target: Path) -> list[tuple[Path, Path]]:
    """Every (source, destination) pair for copying all examples into ``target``.

    Refuses, before anything is written, when a destination already exists: a copy never
    overwrites a runner's edited profile or log.
    """
    pairs = [(source, target / source.name) for example in shipped_examples() for source in example.files]
    taken = [destination for _, destination in pairs if destination.exists() or destination.is_symlink()]
    if taken:
        raise InputError(
            f"refusing to copy the examples into {target}: {len(taken)} file(s) already there",
            [
                Diagnostic(
                    "output-exists",
                    f"{path} already exists",
                    Span(str(path), 1, 1),
                    hint="copy into a new or empty folder; rtr never overwrites a file it did not write",
                )
                for path in taken
            ],
        )
    return pairs
