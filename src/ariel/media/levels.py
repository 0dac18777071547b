"""Audio levels and silence detection, as Asterisk's DSP judges them for recordings.

Theory of operation: Asterisk's ``ast_dsp_silence`` calls a frame silent when the *mean absolute
amplitude* of its samples (integer division, as in C) is below a threshold; the default threshold
is ``ast_dsp_get_threshold_from_settings(THRESHOLD_SILENCE)``, 256 unless ``dsp.conf`` says
otherwise. It keeps two counters: the length of the current run of silent frames and of the
current run of non-silent ("noise") frames; a run resets the other one. ``ast_play_and_record``
(which ARI live recordings use) ends a recording when the silence run exceeds ``maxSilenceSeconds``
and reports the talking and silence durations of the whole recording.

:class:`SilenceDetector` follows that rule frame by frame and also keeps the totals. Durations are
kept in samples and converted to milliseconds on demand, so 10 ms and 20 ms frames add up without
rounding drift.

:func:`rms_dbfs` is the usual RMS level relative to a full-scale square wave (32768): a full-scale
sine reads about -3 dBFS and digital silence reads ``-inf``.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

__all__ = [
    "DEFAULT_SILENCE_THRESHOLD",
    "SilenceDetector",
    "mean_abs_amplitude",
    "rms_dbfs",
]

DEFAULT_SILENCE_THRESHOLD = 256
"""Asterisk's default silence threshold on the mean absolute amplitude of a frame."""

_FULL_SCALE = 32768.0


def rms_dbfs(samples: npt.NDArray[np.int16]) -> float:
    """The RMS level of ``samples`` in dB relative to full scale (32768).

    Returns:
        The level in dBFS; ``-inf`` for an empty or all-zero array.

    >>> round(rms_dbfs(np.full(160, 32767, dtype=np.int16)), 3)
    -0.0
    >>> rms_dbfs(np.zeros(160, dtype=np.int16))
    -inf
    """
    if samples.size == 0:
        return -math.inf
    wide = samples.astype(np.float64)
    mean_square = float(np.mean(wide * wide))
    if mean_square == 0.0:
        return -math.inf
    return 10.0 * math.log10(mean_square / (_FULL_SCALE * _FULL_SCALE))


def mean_abs_amplitude(samples: npt.NDArray[np.int16]) -> int:
    """The mean absolute sample value, truncated like Asterisk's ``accum /= len``.

    Returns:
        0 for an empty array.

    >>> mean_abs_amplitude(np.array([-300, 100, 0, 5], dtype=np.int16))
    101
    """
    if samples.size == 0:
        return 0
    total = int(np.abs(samples.astype(np.int64)).sum())
    return total // int(samples.size)


class SilenceDetector:
    """Classifies frames as talking or silent and times both.

    Args:
        threshold: A frame whose mean absolute amplitude is below this is silent
            (Asterisk's default 256).
        rate: The sample rate, to turn sample counts into milliseconds.

    Raises:
        ValueError: A negative threshold or non-positive rate.

    >>> det = SilenceDetector()
    >>> det.feed(np.zeros(160, dtype=np.int16)), det.current_silence_ms
    (False, 20)
    """

    def __init__(self, threshold: int = DEFAULT_SILENCE_THRESHOLD, rate: int = 8000) -> None:
        if threshold < 0:
            raise ValueError(f"silence threshold must not be negative, not {threshold}")
        if rate <= 0:
            raise ValueError(f"sample rate must be positive, not {rate}")
        self._threshold = threshold
        self._rate = rate
        self.reset()

    @property
    def threshold(self) -> int:
        """The mean absolute amplitude below which a frame is silent."""
        return self._threshold

    def reset(self) -> None:
        """Forget all runs and totals."""
        self._silence_run = 0
        self._talking_run = 0
        self._silence_total = 0
        self._talking_total = 0
        self._last_energy = 0

    def is_silent(self, frame: npt.NDArray[np.int16]) -> bool:
        """Whether ``frame`` is silent by the threshold rule (no state changes)."""
        return mean_abs_amplitude(frame) < self._threshold

    def feed(self, frame: npt.NDArray[np.int16]) -> bool:
        """Account for one frame.

        Returns:
            True if the frame is talking (not silent). Empty frames count as nothing and
            return False.
        """
        n = int(frame.size)
        if n == 0:
            return False
        self._last_energy = mean_abs_amplitude(frame)
        if self._last_energy < self._threshold:
            self._silence_run += n
            self._silence_total += n
            self._talking_run = 0
            return False
        self._talking_run += n
        self._talking_total += n
        self._silence_run = 0
        return True

    def _ms(self, samples: int) -> int:
        return samples * 1000 // self._rate

    @property
    def last_energy(self) -> int:
        """The mean absolute amplitude of the last frame fed."""
        return self._last_energy

    @property
    def current_silence_ms(self) -> int:
        """The length of the current run of silent frames (0 while talking)."""
        return self._ms(self._silence_run)

    @property
    def current_talking_ms(self) -> int:
        """The length of the current run of talking frames (0 during silence)."""
        return self._ms(self._talking_run)

    @property
    def silence_ms(self) -> int:
        """All silence so far (ARI ``LiveRecording.silence_duration``, in ms)."""
        return self._ms(self._silence_total)

    @property
    def talking_ms(self) -> int:
        """All talking so far (ARI ``LiveRecording.talking_duration``, in ms)."""
        return self._ms(self._talking_total)

    def silence_exceeds(self, max_silence_ms: int) -> bool:
        """Whether the current silence run is longer than ``max_silence_ms``.

        ``ast_play_and_record`` stops on ``dspsilence > maxsilence``, strictly greater.
        A limit of 0 or less means no limit (always False).
        """
        return max_silence_ms > 0 and self.current_silence_ms > max_silence_ms
