"""In-band DTMF: generating the tone pairs and detecting them with Goertzel filters.

Theory of operation. Generation: a digit is the sum of one low ("row") and one high ("column")
frequency; :func:`dtmf_tone` renders the pair with :class:`~ariel.media.tones.ToneGenerator` at
Asterisk's level (7219 per tone), as ``ast_senddigit`` does with ``playtones`` for peers that
negotiated in-band DTMF.

Detection follows Asterisk's ``dsp.c``. Audio is cut into blocks of 102 samples (12.75 ms at
8 kHz). For each block the power at the eight DTMF frequencies is the squared magnitude of a
single DFT term at that exact frequency -- the quantity the Goertzel recursion computes -- found
here for all blocks and frequencies at once as two matrix products. A block is a *hit* for a digit
when, with the strongest row and column:

* both powers reach the level threshold (Asterisk's ``8.0e7``, a tone of amplitude ~175);
* the twist is acceptable: the row may exceed the column by up to 8 dB, the column may exceed
  the row by up to 4 dB (``dtmf_normal_twist``/``dtmf_reverse_twist``);
* each is at least 8 dB above the other frequencies of its group (relative peak);
* the two make up most of the block's energy (``DTMF_TO_TOTAL_ENERGY`` = 42 for 102 samples,
  i.e. about 82 % of what a pure tone pair gives).

A digit begins after two consecutive hits (``dtmf_hits_to_begin``) and ends after three blocks
that are not hits for it (``dtmf_misses_to_end``); its duration is the number of hit blocks times
the block length. Two hits need at least 2 x 102 samples of clean tone, so tones of 40 ms are
always found whatever their alignment, while tones of 20 ms or less cannot fill two blocks with
enough of their energy and are rejected.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ariel.media.tones import ToneGenerator, ToneSegment

__all__ = [
    "DTMF_COLUMN_HZ",
    "DTMF_ROW_HZ",
    "DtmfDetection",
    "InbandDtmfDetector",
    "dtmf_frequencies",
    "dtmf_tone",
]

DTMF_ROW_HZ = (697, 770, 852, 941)
"""The low group."""

DTMF_COLUMN_HZ = (1209, 1336, 1477, 1633)
"""The high group."""

_KEYPAD = ("123A", "456B", "789C", "*0#D")
_BLOCK_8K = 102  # DTMF_GSIZE
_THRESHOLD_8K = 8.0e7  # DTMF_THRESHOLD, |X|^2 for a 102-sample block
_TO_TOTAL_ENERGY_8K = 42.0  # DTMF_TO_TOTAL_ENERGY
_RELATIVE_PEAK = 6.3  # DTMF_RELATIVE_PEAK_ROW / _COL (8 dB)
_HITS_TO_BEGIN = 2
_MISSES_TO_END = 3


def dtmf_frequencies(digit: str) -> tuple[int, int]:
    """The (row, column) frequencies of ``digit`` (``0-9``, ``*``, ``#``, ``A-D``, any case).

    Raises:
        ValueError: Not a DTMF digit.

    >>> dtmf_frequencies("5")
    (770, 1336)
    """
    if len(digit) == 1:
        key = digit.upper()
        for row, keys in enumerate(_KEYPAD):
            col = keys.find(key)
            if col >= 0:
                return DTMF_ROW_HZ[row], DTMF_COLUMN_HZ[col]
    raise ValueError(f"{digit!r} is not a DTMF digit")


def dtmf_tone(digit: str, duration_ms: int, rate: int = 8000) -> npt.NDArray[np.int16]:
    """The in-band tone pair for ``digit``, ``duration_ms`` long.

    Raises:
        ValueError: Not a DTMF digit, or a negative duration.

    >>> dtmf_tone("1", 100).shape
    (800,)
    """
    if duration_ms < 0:
        raise ValueError(f"duration must not be negative, not {duration_ms}")
    low, high = dtmf_frequencies(digit)
    generator = ToneGenerator([ToneSegment(freq1=low, freq2=high)], rate)
    return generator.read(round(duration_ms * rate / 1000))


@dataclass(frozen=True, slots=True, kw_only=True)
class DtmfDetection:
    """A digit starting (``end=False``) or finishing (``end=True``).

    Attributes:
        digit: ``0-9``, ``*``, ``#`` or ``A-D``.
        end: False for the begin event, True for the end event.
        duration_ms: How long the digit was heard; 0 on begin events.
        start_sample: Where the digit began, counted in samples fed since creation.
    """

    digit: str
    end: bool
    duration_ms: int
    start_sample: int


class InbandDtmfDetector:
    """Finds DTMF digits in audio fed frame by frame (any frame length, 160 is typical).

    Args:
        rate: Sample rate in Hz; the block length scales from 102 samples at 8 kHz.
        max_low_over_high_db: How much the row tone may exceed the column tone.
        max_high_over_low_db: How much the column tone may exceed the row tone.

    >>> det = InbandDtmfDetector()
    >>> tone = np.concatenate([dtmf_tone("7", 100), np.zeros(800, dtype=np.int16)])
    >>> [(e.digit, e.end) for e in det.feed(tone)]
    [('7', False), ('7', True)]
    """

    def __init__(
        self,
        rate: int = 8000,
        *,
        max_low_over_high_db: float = 8.0,
        max_high_over_low_db: float = 4.0,
    ) -> None:
        if rate <= 0:
            raise ValueError(f"sample rate must be positive, not {rate}")
        self._rate = rate
        self._block = max(16, round(_BLOCK_8K * rate / 8000))
        scale = (self._block / _BLOCK_8K) ** 2
        self._threshold = _THRESHOLD_8K * scale
        self._to_total = _TO_TOTAL_ENERGY_8K * self._block / _BLOCK_8K
        self._low_over_high = 10.0 ** (max_low_over_high_db / 10.0)
        self._high_over_low = 10.0 ** (max_high_over_low_db / 10.0)
        n = np.arange(self._block, dtype=np.float64)[:, np.newaxis]
        freqs = np.array(DTMF_ROW_HZ + DTMF_COLUMN_HZ, dtype=np.float64)[np.newaxis, :]
        angle = 2.0 * np.pi * n * freqs / rate
        self._cos = np.cos(angle)  # (block, 8)
        self._sin = np.sin(angle)
        self._pending = np.zeros(0, dtype=np.float64)
        self._blocks_done = 0
        self._current: str | None = None
        self._current_start = 0
        self._current_blocks = 0
        self._misses = 0
        self._candidate: str | None = None
        self._candidate_hits = 0

    @property
    def current_digit(self) -> str | None:
        """The digit being heard now, if any."""
        return self._current

    def feed(self, frame: npt.NDArray[np.int16]) -> list[DtmfDetection]:
        """Analyse more audio.

        Returns:
            The begin and end events completed by this audio, in order.
        """
        data = np.concatenate((self._pending, frame.astype(np.float64)))
        count = len(data) // self._block
        self._pending = data[count * self._block :]
        if count == 0:
            return []
        blocks = data[: count * self._block].reshape(count, self._block)
        events: list[DtmfDetection] = []
        for hit in self._classify(blocks):
            self._step(hit, events)
            self._blocks_done += 1
        return events

    def flush(self) -> list[DtmfDetection]:
        """End the digit being heard, if any (at the end of the stream)."""
        events: list[DtmfDetection] = []
        if self._current is not None:
            events.append(self._end_event())
            self._current = None
        self._candidate, self._candidate_hits = None, 0
        return events

    def _classify(self, blocks: npt.NDArray[np.float64]) -> list[str | None]:
        power = (blocks @ self._cos) ** 2 + (blocks @ self._sin) ** 2  # (count, 8)
        energy = np.einsum("ij,ij->i", blocks, blocks)
        rows, cols = power[:, :4], power[:, 4:]
        best_row = np.argmax(rows, axis=1)
        best_col = np.argmax(cols, axis=1)
        index = np.arange(len(blocks))
        row_peak = rows[index, best_row]
        col_peak = cols[index, best_col]
        ok = (row_peak >= self._threshold) & (col_peak >= self._threshold)
        ok &= col_peak < row_peak * self._high_over_low
        ok &= row_peak < col_peak * self._low_over_high
        # Relative peak: every other tone of each group is 8 dB under the winner.
        row_others = rows * _RELATIVE_PEAK > row_peak[:, np.newaxis]
        row_others[index, best_row] = False
        col_others = cols * _RELATIVE_PEAK > col_peak[:, np.newaxis]
        col_others[index, best_col] = False
        ok &= ~row_others.any(axis=1) & ~col_others.any(axis=1)
        ok &= (row_peak + col_peak) > self._to_total * energy
        return [
            _KEYPAD[int(r)][int(c)] if good else None
            for r, c, good in zip(best_row, best_col, ok, strict=True)
        ]

    def _step(self, hit: str | None, events: list[DtmfDetection]) -> None:
        if self._current is not None:
            if hit == self._current:
                self._misses = 0
                self._current_blocks += 1
            else:
                self._misses += 1
                if self._misses >= _MISSES_TO_END:
                    events.append(self._end_event())
                    self._current = None
        # As in dsp.c, a new digit may begin before the previous one has timed out.
        if hit != self._candidate:
            self._candidate, self._candidate_hits = hit, 0
        if hit is not None and hit != self._current:
            self._candidate_hits += 1
            if self._candidate_hits == _HITS_TO_BEGIN:
                if self._current is not None:
                    events.append(self._end_event())
                self._current = hit
                self._current_blocks = _HITS_TO_BEGIN
                self._current_start = (self._blocks_done - _HITS_TO_BEGIN + 1) * self._block
                self._misses = 0
                events.append(
                    DtmfDetection(
                        digit=hit, end=False, duration_ms=0, start_sample=self._current_start
                    )
                )

    def _end_event(self) -> DtmfDetection:
        assert self._current is not None
        return DtmfDetection(
            digit=self._current,
            end=True,
            duration_ms=self._current_blocks * self._block * 1000 // self._rate,
            start_sample=self._current_start,
        )
