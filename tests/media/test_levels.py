"""Levels and silence detection with Asterisk's mean-amplitude rule."""

from __future__ import annotations

import math

import numpy as np
import pytest

from ariel.media.levels import (
    DEFAULT_SILENCE_THRESHOLD,
    SilenceDetector,
    mean_abs_amplitude,
    rms_dbfs,
)

FRAME = 160


def sine(amplitude: float, freq: float = 1000.0, n: int = 8000) -> np.ndarray:
    return np.rint(amplitude * np.sin(2 * np.pi * freq * np.arange(n) / 8000)).astype(np.int16)


def frame_of(level: int) -> np.ndarray:
    # A frame whose mean absolute amplitude is exactly ``level``.
    return np.where(np.arange(FRAME) % 2 == 0, level, -level).astype(np.int16)


def test_full_scale_sine_is_about_minus_three_dbfs():
    assert rms_dbfs(sine(32767)) == pytest.approx(-3.01, abs=0.01)


def test_halving_the_amplitude_drops_six_db():
    assert rms_dbfs(sine(8000)) - rms_dbfs(sine(16000)) == pytest.approx(-6.02, abs=0.02)


def test_silence_and_empty_input_are_minus_infinity():
    assert rms_dbfs(np.zeros(FRAME, dtype=np.int16)) == -math.inf
    assert rms_dbfs(np.zeros(0, dtype=np.int16)) == -math.inf


def test_most_negative_sample_does_not_overflow():
    assert rms_dbfs(np.full(FRAME, -32768, dtype=np.int16)) == pytest.approx(0.0)
    assert mean_abs_amplitude(np.full(FRAME, -32768, dtype=np.int16)) == 32768


def test_mean_absolute_amplitude_truncates_like_c():
    assert mean_abs_amplitude(np.array([1, 1, 0], dtype=np.int16)) == 0
    assert mean_abs_amplitude(np.array([-3, 2], dtype=np.int16)) == 2


def test_default_threshold_is_asterisks_256():
    assert DEFAULT_SILENCE_THRESHOLD == 256
    assert SilenceDetector().threshold == 256


def test_frame_just_below_threshold_is_silence_and_at_threshold_is_talking():
    det = SilenceDetector()
    assert det.feed(frame_of(255)) is False
    assert det.feed(frame_of(256)) is True


def test_silence_run_grows_per_frame_and_resets_on_talking():
    det = SilenceDetector()
    for _ in range(5):
        det.feed(np.zeros(FRAME, dtype=np.int16))
    assert det.current_silence_ms == 100
    assert det.current_talking_ms == 0
    det.feed(frame_of(1000))
    assert det.current_silence_ms == 0
    assert det.current_talking_ms == 20


def test_totals_count_talking_and_silence_for_the_whole_recording():
    det = SilenceDetector()
    pattern = [1000] * 10 + [0] * 25 + [3000] * 5 + [100] * 3
    for level in pattern:
        det.feed(frame_of(level))
    assert det.talking_ms == 15 * 20
    assert det.silence_ms == 28 * 20
    assert det.current_silence_ms == 3 * 20


def test_speech_like_tone_is_talking_and_low_hiss_is_silence():
    det = SilenceDetector()
    assert det.feed(sine(2000, 300, FRAME)) is True
    rng = np.random.default_rng(3)
    hiss = rng.normal(0, 100, FRAME).astype(np.int16)
    assert det.feed(hiss) is False


def test_max_silence_is_exceeded_only_when_strictly_longer():
    det = SilenceDetector()
    for _ in range(100):
        det.feed(np.zeros(FRAME, dtype=np.int16))
    assert det.current_silence_ms == 2000
    assert not det.silence_exceeds(2000)
    det.feed(np.zeros(FRAME, dtype=np.int16))
    assert det.silence_exceeds(2000)
    assert not det.silence_exceeds(0)


def test_durations_do_not_drift_with_odd_frame_sizes():
    det = SilenceDetector()
    for _ in range(300):
        det.feed(np.zeros(80, dtype=np.int16))  # 10 ms frames
    assert det.silence_ms == 3000
    wide = SilenceDetector(rate=16000)
    wide.feed(np.zeros(320, dtype=np.int16))
    assert wide.silence_ms == 20


def test_custom_threshold_and_reset():
    det = SilenceDetector(threshold=1000)
    assert det.feed(frame_of(999)) is False
    assert det.last_energy == 999
    det.reset()
    assert (det.silence_ms, det.talking_ms, det.current_silence_ms) == (0, 0, 0)


def test_is_silent_does_not_change_the_counters():
    det = SilenceDetector()
    assert det.is_silent(np.zeros(FRAME, dtype=np.int16))
    assert det.silence_ms == 0


def test_empty_frame_counts_for_nothing():
    det = SilenceDetector()
    assert det.feed(np.zeros(0, dtype=np.int16)) is False
    assert det.silence_ms == 0


def test_invalid_settings_are_refused():
    with pytest.raises(ValueError):
        SilenceDetector(threshold=-1)
    with pytest.raises(ValueError):
        SilenceDetector(rate=0)
