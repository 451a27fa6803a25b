"""Compiled shipped rulesets, cached on disk by content, so a plan's start-up does not compile.

Compiling a ruleset (its YAML with source positions, its parents, three layers of checks)
was most of ``rtr plan``'s own start-up; reading the compiled form back is a few
milliseconds. Only the shipped rulesets are cached: a ruleset being edited is compiled
every time, with every check. The key is a hash of every shipped ruleset's text (a parent
is a shipped ruleset too), the file's name, and the versions of rtr, Python and pydantic,
so any change to any of them is a new entry.

The cache is the user's (``$RTR_CACHE_DIR``, else ``$XDG_CACHE_HOME/rtr-planner``, else
``~/.cache/rtr-planner``; ``RTR_NO_CACHE=1`` turns it off). An entry is written to a
temporary file and renamed, so concurrent runs only ever read whole entries; an entry that
cannot be read back (corrupt, truncated, from another build) is ignored and replaced; an
entry another user could have written is never read. Nothing here is needed for a plan:
every failure falls back to compiling. An entry is a pickle, which runs code when read: the
cache folder and its ``rulesets`` folder must be the user's own and writable by no one else
(made 0700), and an entry is read only from an open file that is the user's own regular file,
writable by no one else, opened without following a symbolic link. The key includes the size
and time of every module of the planner, so a changed compiler never reads an old entry.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import stat
import sys
import tempfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from planner.diagnostics import display_path
from planner.rules.compiler import CompiledRuleset

FORMAT = 1  # bump when what an entry holds changes


def cache_dir() -> Path | None:
    """Where entries go; None when caching is off."""
    if os.environ.get("RTR_NO_CACHE"):
        return None
    given = os.environ.get("RTR_CACHE_DIR")
    if given:
        return Path(given)
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # the XDG spec: a relative path is ignored
        base = str(Path.home() / ".cache")
    return Path(base) / "rtr-planner"


def _private(info: os.stat_result, kind: int) -> bool:
    """Of that kind, the user's own, and writable by no one else."""
    mine = not hasattr(os, "getuid") or info.st_uid == os.getuid()
    return stat.S_IFMT(info.st_mode) == kind and mine and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _private_folder(path: Path) -> bool:
    """A folder only the user can change: no one else can swap or plant entries in it."""
    try:
        return _private(os.lstat(path), stat.S_IFDIR)
    except OSError:
        return False


def _code_stamp() -> str:
    """The planner's code as installed (each module's size and time): a changed compiler is a new entry."""
    package = Path(__file__).resolve().parents[1]
    parts = []
    for path in sorted(package.rglob("*.py")):
        info = path.stat()
        parts.append(f"{path.relative_to(package)}:{info.st_size}:{info.st_mtime_ns}")
    return "\n".join(parts)


def entry_key(path: Path, shipped: list[Path]) -> str:
    """The hash naming a shipped ruleset's entry."""
    import pydantic

    from planner import __version__

    digest = hashlib.sha256()
    for part in (str(FORMAT), __version__, sys.version, pydantic.VERSION, _code_stamp(), path.name):
        digest.update(part.encode() + b"\0")
    for p in shipped:
        digest.update(p.name.encode() + b"\0" + p.read_bytes() + b"\0")
    return digest.hexdigest()


def _read_entry(path: Path) -> bytes | None:
    """The entry's bytes when the file opened is the user's own regular file, writable by no one else.

    Checked on the open file (no symbolic link followed), so nothing can be swapped in between.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as entry:
        if not _private(os.fstat(entry.fileno()), stat.S_IFREG):
            return None
        return entry.read()


def cached(path: Path, shipped: list[Path], compile_: Callable[[], CompiledRuleset]) -> CompiledRuleset:
    """The shipped ruleset at ``path``: from its cache entry, else compiled (and the entry written)."""
    folder = cache_dir()
    if folder is None:
        return compile_()
    with contextlib.suppress(OSError):
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        (folder / "rulesets").mkdir(mode=0o700, exist_ok=True)
    # Only a cache no one else can write to is used: an entry is code (a pickle) this run loads.
    if not (_private_folder(folder) and _private_folder(folder / "rulesets")):
        return compile_()
    try:
        entry = folder / "rulesets" / f"{entry_key(path, shipped)}.pickle"
    except OSError:
        return compile_()
    with contextlib.suppress(Exception):  # anything wrong with an entry: compile instead
        data = _read_entry(entry)
        if data is not None:
            found = pickle.loads(data)  # the user's own private cache, checked above
            if isinstance(found, CompiledRuleset):
                return _relocated(found, display_path)  # the file names as this run shows them
    compiled = compile_()
    with contextlib.suppress(OSError, pickle.PicklingError):
        fd, tmp = tempfile.mkstemp(prefix=".entry.", suffix=".tmp", dir=entry.parent)
        try:
            with os.fdopen(fd, "wb") as out:
                stored = _relocated(compiled, lambda shown: str(Path(shown).resolve()))
                pickle.dump(stored, out, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, entry)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
    return compiled


def _relocated(compiled: CompiledRuleset, where: Callable[[str], str]) -> CompiledRuleset:
    """The ruleset with its file names (its own, and each item's origin) passed through ``where``.

    Names are shown relative to the working folder: an entry stores them absolute, and a
    run shows them from wherever it runs.
    """
    origins = {
        key: replace(o, path=where(o.path), overrides=where(o.overrides) if o.overrides else None)
        for key, o in compiled.origins.items()
    }
    return replace(compiled, path=where(compiled.path), origins=origins, _by_id={})
