"""Music on hold: ``musiconhold.conf`` classes played as channel generators.

Theory of operation, after Asterisk's ``res_musiconhold`` in ``files`` mode:
a class names a directory; its playable files are listed (sorted by name, or
shuffled for ``sort=random``; ``randstart`` starts at a random file) and
played one after the other, forever. Each listener gets its own position; the
decoded files are shared through the :class:`SoundCache`. An unknown class
falls back to ``default`` as ``ast_moh_start`` does; a class whose files are
all unreadable gives no source (the caller hears nothing, as with Asterisk).
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from pathlib import Path

import numpy as np

from ariel.config.moh import MohClass, MohConf
from ariel.core.media.sources import Samples, SoundCache

__all__ = ["MohSource", "MusicOnHold"]

log = logging.getLogger("ariel.moh")

_EXTENSION_READERS = {
    ".wav": "wav",
    ".sln": "sln",
    ".sln16": "sln16",
    ".ulaw": "ulaw",
    ".pcm": "ulaw",
    ".alaw": "alaw",
    ".gsm": "gsm",
}


class MohSource:
    """An endless walk through a class's files."""

    def __init__(self, files: list[Path], cache: SoundCache, *, start: int = 0) -> None:
        self._files = files
        self._cache = cache
        self._index = start % len(files) if files else 0
        self._samples: Samples | None = None
        self._pos = 0
        self._failures = 0
        self.paused = False

    @property
    def finished(self) -> bool:
        return not self._files or self._failures >= len(self._files)

    def read(self, n: int) -> Samples | None:
        if self.paused or self.finished:
            return None
        out: list[Samples] = []
        need = n
        while need > 0 and not self.finished:
            exhausted = self._samples is None or self._pos >= len(self._samples)
            if exhausted and not self._load_next():
                continue
            assert self._samples is not None
            piece = self._samples[self._pos : self._pos + need]
            self._pos += len(piece)
            need -= len(piece)
            out.append(piece)
        if not out:
            return None
        if len(out) == 1 and len(out[0]) == n:
            return out[0]
        joined = np.concatenate(out)
        if len(joined) < n:
            joined = np.concatenate([joined, np.zeros(n - len(joined), dtype=np.int16)])
        return joined

    def _load_next(self) -> bool:
        path = self._files[self._index]
        self._index = (self._index + 1) % len(self._files)
        fmt = _EXTENSION_READERS.get(path.suffix)
        try:
            if fmt is None:
                raise ValueError("no decoder for this format")
            samples = self._cache.load(path, fmt)
        except (OSError, ValueError) as exc:
            log.warning("music on hold: cannot play %s: %s", path, exc)
            self._failures += 1
            return False
        if len(samples) == 0:
            self._failures += 1
            return False
        self._failures = 0
        self._samples = samples
        self._pos = 0
        return True


class MusicOnHold:
    """The configured classes, ready to start."""

    def __init__(
        self,
        conf: MohConf,
        data_dir: Path,
        cache: SoundCache,
        *,
        rng: Callable[[int], int] | None = None,
    ) -> None:
        self._conf = conf
        self._data_dir = data_dir
        self._cache = cache
        self._rng = rng or (lambda n: random.randrange(n))

    def replace_conf(self, conf: MohConf) -> None:
        """Use reloaded classes from the next start on (listeners keep their files)."""
        self._conf = conf

    def has_class(self, name: str) -> bool:
        """Whether ``name`` is a configured class."""
        return name in self._conf.classes

    def source(self, class_name: str | None) -> MohSource | None:
        """A fresh listener position in ``class_name`` (``default`` if unknown)."""
        moh = self._conf.classes.get(class_name or "default") or self._conf.classes.get("default")
        if moh is None:
            return None
        files = self._files(moh)
        if not files:
            log.warning("music on hold class %s has no playable files", moh.name)
            return None
        if moh.sort == "random":
            files = sorted(files, key=lambda _: self._rng(1 << 30))
        start = self._rng(len(files)) if moh.sort == "randstart" else 0
        return MohSource(files, self._cache, start=start)

    def _files(self, moh: MohClass) -> list[Path]:
        if moh.mode == "playlist":
            paths = [Path(e) for e in moh.entries if not e.startswith(("http:", "https:"))]
            return [p for p in paths if p.suffix in _EXTENSION_READERS and p.is_file()]
        directory = moh.resolve_directory(self._data_dir)
        try:
            entries = sorted(directory.iterdir())
        except OSError as exc:
            log.warning("music on hold class %s: %s", moh.name, exc)
            return []
        return [p for p in entries if p.suffix in _EXTENSION_READERS and p.is_file()]
