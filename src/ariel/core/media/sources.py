"""Audio sources: what a channel plays, read one 20 ms frame at a time.

Theory of operation: the media clock asks each channel for its next frame
every 20 ms (see :class:`ariel.core.media.channel_media.ChannelMedia`). A
source answers with 16-bit signed linear samples at 8 kHz, or ``None`` when
it has nothing to send this tick (paused) -- the reference sends no RTP at
all then, so neither do we. ``finished`` turns true once a source is spent.

Sources hold decoded audio as numpy arrays; prompt files are decoded once and
shared through :class:`SoundCache`, so a thousand calls playing the same
prompt cost one array and a thousand offsets.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from pathlib import Path
from typing import Protocol

import numpy as np
import numpy.typing as npt

from ariel.media.formats import read_audio

__all__ = [
    "FRAME_SAMPLES",
    "RATE",
    "AudioSource",
    "Samples",
    "SamplesSource",
    "SilenceSource",
    "SoundCache",
    "ToneSource",
]

Samples = npt.NDArray[np.int16]

#: The internal rate and frame size: 8 kHz, 20 ms.
RATE = 8000
FRAME_SAMPLES = 160


class AudioSource(Protocol):
    """Something that produces audio frames."""

    @property
    def finished(self) -> bool:
        """Whether the source has nothing more to give."""
        ...

    def read(self, n: int) -> Samples | None:
        """The next ``n`` samples, or ``None`` for no audio this tick."""
        ...


class SamplesSource:
    """Decoded audio played from an offset, with the controls ARI playbacks need."""

    def __init__(self, samples: Samples, *, offset_ms: int = 0) -> None:
        self._samples = samples
        self._pos = min(len(samples), max(0, offset_ms) * RATE // 1000)
        self.paused = False

    @property
    def finished(self) -> bool:
        return self._pos >= len(self._samples)

    @property
    def position_ms(self) -> int:
        """Where playback is, in milliseconds from the start."""
        return self._pos * 1000 // RATE

    @property
    def duration_ms(self) -> int:
        """The length of the whole audio."""
        return len(self._samples) * 1000 // RATE

    def read(self, n: int) -> Samples | None:
        if self.paused or self.finished:
            return None
        frame = self._samples[self._pos : self._pos + n]
        self._pos += n
        if len(frame) < n:
            frame = np.concatenate([frame, np.zeros(n - len(frame), dtype=np.int16)])
        return frame

    def restart(self) -> None:
        """Back to the start."""
        self._pos = 0

    def skip_ms(self, ms: int) -> None:
        """Move forward (positive) or back (negative), clamped to the audio."""
        self._pos = min(len(self._samples), max(0, self._pos + ms * RATE // 1000))

    def stop(self) -> None:
        """Spend the source."""
        self._pos = len(self._samples)


class ReadsSamples(Protocol):
    """A generator of endless audio (tones)."""

    def read(self, n: int) -> Samples:
        """The next ``n`` samples."""
        ...


class ToneSource:
    """A tone generator as a source; endless unless the tone ends by itself."""

    def __init__(self, generator: ReadsSamples, *, limit_ms: int | None = None) -> None:
        self._generator = generator
        self._left = None if limit_ms is None else limit_ms * RATE // 1000
        self.paused = False

    @property
    def finished(self) -> bool:
        done = bool(getattr(self._generator, "finished", False))
        return done or (self._left is not None and self._left <= 0)

    def read(self, n: int) -> Samples | None:
        if self.paused or self.finished:
            return None
        if self._left is not None:
            self._left -= n
        return self._generator.read(n)


class SilenceSource:
    """Comfort silence: frames of zeros, forever (``POST /silence``)."""

    def __init__(self) -> None:
        self._frame = np.zeros(FRAME_SAMPLES, dtype=np.int16)

    @property
    def finished(self) -> bool:
        return False

    def read(self, n: int) -> Samples | None:
        if n != len(self._frame):
            return np.zeros(n, dtype=np.int16)
        return self._frame


class SoundCache:
    """Decoded prompt files, shared, least recently used first out.

    Entries are keyed by path and checked against the file's modification
    time and size, so a re-recorded prompt is decoded again.
    """

    def __init__(self, max_bytes: int = 64 * 1024 * 1024) -> None:
        self._max = max_bytes
        self._size = 0
        self._items: OrderedDict[str, tuple[float, int, Samples]] = OrderedDict()

    def load(self, path: Path, fmt: str) -> Samples:
        """The samples of ``path`` (format ``fmt``) at 8 kHz.

        Raises:
            OSError: The file cannot be read.
            ValueError: Its content is not valid audio of that format.
        """
        key = os.fspath(path)
        st = path.stat()
        hit = self._items.get(key)
        if hit is not None and hit[0] == st.st_mtime and hit[1] == st.st_size:
            self._items.move_to_end(key)
            return hit[2]
        samples = read_audio(path, fmt, rate=RATE)
        samples.setflags(write=False)
        if hit is not None:
            self._size -= hit[2].nbytes
        self._items[key] = (st.st_mtime, st.st_size, samples)
        self._size += samples.nbytes
        while self._size > self._max and len(self._items) > 1:
            _, (_, _, old) = self._items.popitem(last=False)
            self._size -= old.nbytes
        return samples
