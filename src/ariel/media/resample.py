"""Sample-rate conversion by polyphase windowed-sinc filtering.

Theory of operation: converting ``src_rate`` to ``dst_rate`` is upsampling by ``up`` (insert
``up - 1`` zeros between samples), low-pass filtering, then keeping every ``down``-th sample,
with ``up/down = dst_rate/src_rate`` in lowest terms (16000 -> 8000 is 1/2, 8000 -> 48000 is 6/1,
44100 -> 8000 is 80/441). The low-pass cut-off sits just under the Nyquist frequency of the
lower of the two rates, so decimation cannot fold energy above it back into the band (no
aliasing) and interpolation removes the spectral images.

Nothing is computed at the upsampled rate. The filter is a Kaiser-windowed sinc, evaluated
directly in the upsampled time axis and split into ``up`` phases of ``taps`` coefficients each;
output sample ``n`` sits at upsampled position ``p = n * down`` and is the dot product of phase
``p % up`` with the ``taps`` input samples around ``p // up``. Outputs that share a phase are
``up`` apart, and their input windows are ``down`` apart, so each phase is one strided
matrix-vector product over a sliding-window view. Each phase is normalised to unit DC gain.

:func:`resample` converts a whole signal with zero delay (the filter is centred on each output).
:class:`Resampler` converts a stream chunk by chunk, keeping the last ``taps`` inputs between
calls; it delays the signal by ``taps // 2`` input samples so it never needs future input, and
for chunks whose length is a multiple of ``down / gcd`` it yields exactly ``len * up / down``
samples per call (160 -> 320 for 8000 -> 16000).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt
from numpy.lib.stride_tricks import sliding_window_view

__all__ = ["Resampler", "resample"]

_ZERO_CROSSINGS = 24  # sinc lobes kept on each side of the centre, at the lower rate
_ROLLOFF = 0.93  # cut-off as a fraction of the lower rate's Nyquist frequency
_KAISER_BETA = 9.0  # about 90 dB of stopband attenuation


_TABLE_PHASES = 1024  # plans with more phases compute each phase's row when it is needed
_LANE_BLOCK = 256


@dataclass(frozen=True, slots=True)
class _Plan:
    up: int
    down: int
    taps: int
    cutoff: float  # cycles per upsampled sample
    table: npt.NDArray[np.float64] | None  # shape (up, taps), or None for rows on demand

    def rows(self, phases: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
        """Filter coefficients of the given phases, each row normalised to unit DC gain."""
        if self.table is not None:
            return self.table[phases]
        half = self.taps // 2
        k = np.arange(self.taps, dtype=np.float64)[None, :]
        distance = phases.astype(np.float64)[:, None] + (half - 1 - k) * self.up
        ratio = np.clip(distance / float(half * self.up), -1.0, 1.0)
        window = np.i0(_KAISER_BETA * np.sqrt(1.0 - ratio * ratio)) / np.i0(_KAISER_BETA)
        rows = np.sinc(2.0 * self.cutoff * distance) * window
        rows /= rows.sum(axis=1, keepdims=True)
        return rows


@lru_cache(maxsize=32)
def _plan(src_rate: int, dst_rate: int) -> _Plan:
    g = math.gcd(src_rate, dst_rate)
    up, down = dst_rate // g, src_rate // g
    widest = max(up, down)
    taps = 2 * math.ceil(_ZERO_CROSSINGS * widest / up)
    plan = _Plan(up=up, down=down, taps=taps, cutoff=_ROLLOFF * 0.5 / widest, table=None)
    if up > _TABLE_PHASES:
        return plan
    table = plan.rows(np.arange(up, dtype=np.int64))
    table.flags.writeable = False
    return _Plan(up=up, down=down, taps=taps, cutoff=plan.cutoff, table=table)


def _check_rates(src_rate: int, dst_rate: int) -> None:
    if src_rate <= 0 or dst_rate <= 0:
        raise ValueError(f"sample rates must be positive, not {src_rate} -> {dst_rate}")


def _as_int16(samples: npt.NDArray[np.int16]) -> npt.NDArray[np.int16]:
    arr = np.asarray(samples)
    if arr.dtype != np.int16:
        raise TypeError(f"samples must be int16, not {arr.dtype}")
    if arr.ndim != 1:
        raise ValueError(f"samples must be 1-D, not shape {arr.shape}")
    return arr


def _filter(
    plan: _Plan, xs: npt.NDArray[np.float64], first: int, count: int, lead: int
) -> npt.NDArray[np.float64]:
    """Compute outputs ``first .. first + count - 1``.

    ``lead`` is the index in ``xs`` of the input sample that output 0's centre refers to, minus
    any delay; the caller guarantees every tap index falls inside ``xs``.
    """
    out = np.empty(count, dtype=np.float64)
    windows = sliding_window_view(xs, plan.taps)
    half = plan.taps // 2
    lanes = min(plan.up, count)
    for lane0 in range(0, lanes, _LANE_BLOCK):  # bounds the memory of rows made on demand
        stop = min(lane0 + _LANE_BLOCK, lanes)
        coefficients = plan.rows((np.arange(first + lane0, first + stop) * plan.down) % plan.up)
        for i in range(lane0, stop):
            pos = (first + i) * plan.down
            start = lead + pos // plan.up - half + 1
            rows = -(-(count - i) // plan.up)
            block = windows[start : start + (rows - 1) * plan.down + 1 : plan.down]
            out[i :: plan.up] = block @ coefficients[i - lane0]
    return out


def _to_int16(values: npt.NDArray[np.float64]) -> npt.NDArray[np.int16]:
    return np.clip(np.rint(values), -32768, 32767).astype(np.int16)


def resample(samples: npt.NDArray[np.int16], src_rate: int, dst_rate: int) -> npt.NDArray[np.int16]:
    """Convert a whole signal from one sample rate to another.

    Args:
        samples: 1-D ``int16`` samples at ``src_rate``.
        src_rate: The input rate in Hz (8000, 16000, 48000 or any other positive rate).
        dst_rate: The output rate in Hz.

    Returns:
        ``ceil(len(samples) * dst_rate / src_rate)`` ``int16`` samples at ``dst_rate``, time
        aligned with the input (no delay); a copy of the input if the rates are equal.

    Raises:
        TypeError: If ``samples`` is not ``int16``.
        ValueError: If ``samples`` is not 1-D or a rate is not positive.
    """
    arr = _as_int16(samples)
    _check_rates(src_rate, dst_rate)
    if src_rate == dst_rate:
        return arr.copy()
    plan = _plan(src_rate, dst_rate)
    count = -(-len(arr) * plan.up // plan.down)
    if count == 0:
        return np.zeros(0, dtype=np.int16)
    pad = np.zeros(plan.taps, dtype=np.float64)
    xs = np.concatenate([pad, arr.astype(np.float64), pad])
    return _to_int16(_filter(plan, xs, 0, count, plan.taps))


class Resampler:
    """A streaming sample-rate converter that keeps filter state between chunks.

    Example:
        >>> r = Resampler(8000, 16000)
        >>> len(r.process(np.zeros(160, dtype=np.int16)))
        320
    """

    def __init__(self, src_rate: int, dst_rate: int) -> None:
        """Create a converter.

        Args:
            src_rate: The input rate in Hz.
            dst_rate: The output rate in Hz.

        Raises:
            ValueError: If a rate is not positive.
        """
        _check_rates(src_rate, dst_rate)
        self.src_rate = src_rate
        self.dst_rate = dst_rate
        self._plan = _plan(src_rate, dst_rate) if src_rate != dst_rate else None
        taps = self._plan.taps if self._plan is not None else 0
        self._buffer = np.zeros(taps, dtype=np.float64)
        self._origin = -taps  # absolute input index of _buffer[0]
        self._consumed = 0  # input samples received
        self._produced = 0  # output samples emitted

    @property
    def delay(self) -> int:
        """The delay this converter adds, in input samples (0 when the rates are equal)."""
        return 0 if self._plan is None else self._plan.taps // 2

    def process(self, samples: npt.NDArray[np.int16]) -> npt.NDArray[np.int16]:
        """Convert the next chunk of the stream.

        Args:
            samples: 1-D ``int16`` samples at ``src_rate``, following the previous chunk.

        Returns:
            Every output sample that the input so far determines, at ``dst_rate``.

        Raises:
            TypeError: If ``samples`` is not ``int16``.
            ValueError: If ``samples`` is not 1-D.
        """
        arr = _as_int16(samples)
        plan = self._plan
        if plan is None:
            return arr.copy()
        self._buffer = np.concatenate([self._buffer, arr.astype(np.float64)])
        self._consumed += len(arr)
        total = -(-self._consumed * plan.up // plan.down)
        count = total - self._produced
        if count <= 0:
            return np.zeros(0, dtype=np.int16)
        lead = -self._origin - plan.taps // 2  # delayed by taps // 2 inputs
        out = _filter(plan, self._buffer, self._produced, count, lead)
        self._produced = total
        # Keep only what the next output's first tap can still reach.
        keep_from = (total * plan.down) // plan.up - plan.taps // 2 - plan.taps // 2 + 1
        drop = max(0, keep_from - self._origin)
        if drop:
            self._buffer = self._buffer[drop:]
            self._origin += drop
        return _to_int16(out)
