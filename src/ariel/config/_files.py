"""Where ``#include`` looks for files and how they are named in diagnostics.

A relative name is taken from the configuration directory, not from the
including file's folder (as Asterisk does).  Names with ``*``, ``?`` or ``[``
are globs, expanded in sorted order like glob(3).
"""

from __future__ import annotations

import glob
from pathlib import Path

__all__ = ["display_name", "expand", "resolved"]

_GLOB_CHARS = frozenset("*?[")


def expand(config_dir: Path, pattern: str) -> list[Path]:
    """The files an ``#include`` names (none if nothing matches)."""
    full = Path(pattern) if Path(pattern).is_absolute() else config_dir / pattern
    if _GLOB_CHARS & set(pattern):
        return [Path(p) for p in sorted(glob.glob(str(full)))]
    return [full] if full.exists() else []


def display_name(path: Path, config_dir: Path | None) -> str:
    """``path`` relative to ``config_dir`` when inside it, else the whole path."""
    if config_dir is not None:
        try:
            return path.relative_to(config_dir).as_posix()
        except ValueError:
            pass
    return str(path)


def resolved(path: Path) -> str:
    """The absolute, symlink-free path as text (the path itself if that fails)."""
    try:
        return str(path.resolve())
    except (OSError, RuntimeError, ValueError):
        return str(path)
