"""Sample-rate conversion: lengths, pass-band gain, alias and image rejection, streaming."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from ariel.media.resample import Resampler, resample

RATES = [8000, 16000, 48000]
PAIRS = [(s, d) for s in RATES for d in RATES if s != d]


def tone(
    freq: float, rate: int, seconds: float = 0.5, amplitude: float = 10000.0
) -> npt.NDArray[np.int16]:
    t = np.arange(int(rate * seconds)) / rate
    return np.round(amplitude * np.sin(2 * np.pi * freq * t)).astype(np.int16)


def rms(samples: npt.NDArray[np.int16]) -> float:
    """RMS of the middle, away from the zero-padded edges."""
    edge = len(samples) // 10
    middle = samples[edge:-edge].astype(np.float64)
    return float(np.sqrt(np.mean(middle * middle)))


def band_energy(samples: npt.NDArray[np.int16], rate: int, lo: float, hi: float) -> float:
    spectrum = np.abs(np.fft.rfft(samples.astype(np.float64) * np.hanning(len(samples)))) ** 2
    freqs = np.fft.rfftfreq(len(samples), 1 / rate)
    return float(spectrum[(freqs >= lo) & (freqs < hi)].sum())


@pytest.mark.parametrize(("src", "dst"), [*PAIRS, (44100, 8000), (8000, 22050)])
def test_output_length_is_input_length_times_ratio_rounded_up(src: int, dst: int) -> None:
    for n in (0, 1, 159, 160, 1000):
        out = resample(np.zeros(n, dtype=np.int16), src, dst)
        assert len(out) == -(-n * dst // src)
        assert out.dtype == np.int16


@pytest.mark.parametrize(("src", "dst"), PAIRS)
def test_one_khz_tone_keeps_its_level(src: int, dst: int) -> None:
    out = resample(tone(1000, src), src, dst)
    assert rms(out) == pytest.approx(rms(tone(1000, dst)), rel=0.01)


@pytest.mark.parametrize(("src", "dst"), PAIRS)
def test_telephone_band_edge_3400_hz_loses_under_half_a_db(src: int, dst: int) -> None:
    out = resample(tone(3400, src), src, dst)
    assert 20 * np.log10(rms(out) / rms(tone(3400, dst))) > -0.5


@pytest.mark.parametrize("freq", [4500, 5000, 6000, 7000])
def test_16k_to_8k_removes_tones_above_4k_instead_of_aliasing(freq: int) -> None:
    source = tone(freq, 16000)
    out = resample(source, 16000, 8000)
    assert rms(out) < rms(source) * 10 ** (-60 / 20)


@pytest.mark.parametrize("freq", [5000, 9000, 15000, 20000])
def test_48k_to_8k_removes_tones_above_4k(freq: int) -> None:
    source = tone(freq, 48000)
    assert rms(resample(source, 48000, 8000)) < rms(source) * 10 ** (-60 / 20)


def test_8k_to_16k_puts_no_image_energy_above_4k() -> None:
    out = resample(tone(1000, 8000), 8000, 16000)
    assert band_energy(out, 16000, 4200, 8000) < band_energy(out, 16000, 900, 1100) * 1e-6


def test_equal_rates_return_a_copy() -> None:
    source = tone(440, 8000)
    out = resample(source, 8000, 8000)
    assert np.array_equal(out, source)
    assert out is not source


def test_dc_and_full_scale_are_preserved_without_wrapping() -> None:
    out = resample(np.full(800, 32767, dtype=np.int16), 8000, 16000)
    middle = out[200:-200]
    assert middle.min() >= 32700
    assert resample(np.full(800, -32768, dtype=np.int16), 16000, 8000)[100:-100].max() <= -32700


def test_bad_arguments_are_rejected() -> None:
    with pytest.raises(TypeError):
        resample(np.zeros(10, dtype=np.float32), 8000, 16000)
    with pytest.raises(ValueError, match="1-D"):
        resample(np.zeros((2, 10), dtype=np.int16), 8000, 16000)
    with pytest.raises(ValueError, match="positive"):
        resample(np.zeros(10, dtype=np.int16), 0, 16000)


def test_streaming_20ms_frames_yield_exact_frame_sizes() -> None:
    up, down = Resampler(8000, 16000), Resampler(48000, 8000)
    for _ in range(5):
        assert len(up.process(np.zeros(160, dtype=np.int16))) == 320
        assert len(down.process(np.zeros(960, dtype=np.int16))) == 160


@settings(max_examples=40, deadline=None)
@given(
    arrays(np.int16, st.integers(0, 2000)),
    st.lists(st.integers(0, 500), max_size=12),
    st.sampled_from([*PAIRS, (44100, 8000)]),
)
def test_streaming_equals_one_shot_of_the_delayed_signal(
    samples: npt.NDArray[np.int16],
    cuts: list[int],
    rates: tuple[int, int],
) -> None:
    src, dst = rates
    stream = Resampler(src, dst)
    pieces, start = [], 0
    for size in [*cuts, len(samples)]:
        pieces.append(stream.process(samples[start : start + size]))
        start = min(start + size, len(samples))
    streamed = np.concatenate(pieces)
    delayed = np.concatenate([np.zeros(stream.delay, dtype=np.int16), samples])
    reference = resample(delayed, src, dst)[: len(streamed)]
    assert len(streamed) == -(-len(samples) * dst // src)
    assert np.abs(streamed.astype(np.int32) - reference).max(initial=0) <= 1


def test_streaming_tone_matches_level_after_the_filter_settles() -> None:
    stream = Resampler(16000, 8000)
    source = tone(1000, 16000)
    out = np.concatenate([stream.process(source[i : i + 320]) for i in range(0, len(source), 320)])
    assert rms(out) == pytest.approx(rms(tone(1000, 8000)), rel=0.01)
