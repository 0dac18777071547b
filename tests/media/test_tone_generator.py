"""ToneGenerator: indications.conf tones rendered like Asterisk's playtones."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest

from ariel.config.indications import parse_tone
from ariel.media.tones import DEFAULT_VOLUME, ToneGenerator, ToneSegment

RATE = 8000
FRAME = 160


def read_frames(gen: ToneGenerator, seconds: float) -> npt.NDArray[np.int16]:
    frames = [gen.read(FRAME) for _ in range(round(seconds * RATE / FRAME))]
    return np.concatenate(frames)


def peak_frequencies(samples: npt.NDArray[np.int16], count: int, rate: int = RATE) -> list[float]:
    spectrum = np.abs(np.fft.rfft(samples.astype(np.float64) * np.hanning(len(samples))))
    freqs = np.fft.rfftfreq(len(samples), 1 / rate)
    peaks: list[float] = []
    for index in np.argsort(spectrum)[::-1]:
        if all(abs(freqs[index] - p) > 5 for p in peaks):
            peaks.append(float(freqs[index]))
        if len(peaks) == count:
            break
    return sorted(peaks)


def on_frames(samples: npt.NDArray[np.int16]) -> list[bool]:
    return [bool(np.any(frame != 0)) for frame in samples.reshape(-1, FRAME)]


def max_step(samples: npt.NDArray[np.int16]) -> int:
    return int(np.max(np.abs(np.diff(samples.astype(np.int32)))))


def step_bound(*freqs: int) -> float:
    # The largest slope of a sum of sines of amplitude DEFAULT_VOLUME, per sample.
    return sum(DEFAULT_VOLUME * 2 * np.pi * f / RATE for f in freqs) + 2


def test_us_ring_tone_has_440_and_480_hz():
    gen = ToneGenerator(parse_tone("440+480/2000,0/4000"))
    on = read_frames(gen, 2.0)
    assert peak_frequencies(on, 2) == pytest.approx([440, 480], abs=1)


def test_us_ring_cadence_is_two_seconds_on_four_off_repeating():
    gen = ToneGenerator(parse_tone("440+480/2000,0/4000"))
    states = on_frames(read_frames(gen, 12.0))
    cycle = [True] * 100 + [False] * 200
    assert states == cycle + cycle


def test_us_busy_tone_is_480_plus_620_half_second_cadence():
    gen = ToneGenerator(parse_tone("480+620/500,0/500"))
    samples = read_frames(gen, 3.0)
    assert on_frames(samples) == ([True] * 25 + [False] * 25) * 3
    assert peak_frequencies(samples[:4000], 2) == pytest.approx([480, 620], abs=2)


def test_part_boundaries_fall_on_the_exact_sample_within_a_frame():
    gen = ToneGenerator(parse_tone("1000/15,0/15"))  # 120 samples each: not frame aligned
    samples = gen.read(480)
    nonzero = np.flatnonzero(samples)
    assert nonzero.max() < 120 + 240
    assert not np.any(samples[120:240])
    assert np.any(samples[240:360])


def test_once_parts_play_first_then_cycle_repeats_without_them():
    gen = ToneGenerator(parse_tone("!350+440/100,!0/100,350+440/300,0/300"))
    samples = gen.read(1600 + 4800 * 3)
    states = on_frames(samples)
    assert states[:10] == [True] * 5 + [False] * 5
    assert states[10:] == ([True] * 15 + [False] * 15) * 3
    assert not gen.finished


def test_stutter_dial_tone_becomes_steady_after_its_once_parts():
    gen = ToneGenerator(parse_tone("!350+440/100,!0/100,!350+440/100,!0/100,350+440"))
    samples = read_frames(gen, 5.0)
    assert on_frames(samples)[:20] == ([True] * 5 + [False] * 5) * 2
    assert all(on_frames(samples)[20:])
    assert not gen.finished


def test_tone_of_only_once_parts_finishes_then_reads_silence():
    gen = ToneGenerator(parse_tone("!950/330,!1400/330,!1800/330"))
    first = gen.read(3 * 2640 - 1)
    assert not gen.finished
    assert peak_frequencies(first[:2640], 1) == pytest.approx([950], abs=2)
    assert peak_frequencies(first[2640:5280], 1) == pytest.approx([1400], abs=2)
    gen.read(1)
    assert gen.finished
    assert not np.any(gen.read(FRAME))
    assert gen.read(FRAME).shape == (FRAME,)


def test_tone_finishing_inside_a_read_pads_with_silence():
    gen = ToneGenerator([ToneSegment(freq1=1000, duration_ms=10, once=True)])
    samples = gen.read(FRAME)
    assert gen.finished
    assert np.any(samples[:80])
    assert not np.any(samples[80:])


def test_part_without_duration_lasts_forever():
    gen = ToneGenerator(parse_tone("425"))
    assert all(on_frames(read_frames(gen, 20.0)))
    assert not gen.finished


def test_zero_duration_lasts_forever_as_in_asterisk():
    gen = ToneGenerator(parse_tone("440/0,0/100"))
    assert all(on_frames(read_frames(gen, 2.0)))


def test_once_part_without_duration_never_finishes():
    gen = ToneGenerator(parse_tone("!440"))
    read_frames(gen, 2.0)
    assert not gen.finished


def test_each_tone_has_asterisk_playtones_amplitude():
    single = read_frames(ToneGenerator(parse_tone("1000")), 1.0)
    assert np.abs(single).max() == pytest.approx(DEFAULT_VOLUME, abs=2)
    rms = np.sqrt(np.mean(single.astype(np.float64) ** 2))
    assert rms == pytest.approx(DEFAULT_VOLUME / np.sqrt(2), rel=0.01)
    dual = read_frames(ToneGenerator(parse_tone("440+480")), 2.0)
    assert np.abs(dual).max() <= 2 * DEFAULT_VOLUME + 1
    assert np.abs(dual).max() > 1.9 * DEFAULT_VOLUME


def test_tone_starts_at_zero_so_switching_on_does_not_click():
    gen = ToneGenerator(parse_tone("0/100,1000/100"))
    samples = gen.read(1600)
    assert samples[800] == 0
    assert max_step(samples) <= step_bound(1000)


def test_phase_is_continuous_across_reads_of_any_size():
    whole = ToneGenerator(parse_tone("350+440/130,0/70,480+620/250")).read(8000)
    gen = ToneGenerator(parse_tone("350+440/130,0/70,480+620/250"))
    sizes = [1, 37, 160, 3, 999, 2, 160] * 30
    pieces: list[npt.NDArray[np.int16]] = []
    total = 0
    for size in sizes:
        size = min(size, 8000 - total)
        pieces.append(gen.read(size))
        total += size
    assert total == 8000
    chunked = np.concatenate(pieces)
    assert np.abs(chunked.astype(np.int32) - whole.astype(np.int32)).max() <= 1


def test_steady_tone_read_in_frames_has_no_clicks():
    samples = read_frames(ToneGenerator(parse_tone("480+620")), 3.0)
    assert max_step(samples) <= step_bound(480, 620)


def test_phase_carries_over_between_parts_with_the_same_frequency():
    samples = read_frames(ToneGenerator(parse_tone("425/200,425+400/200,425/130")), 3.0)
    assert max_step(samples) <= step_bound(425, 400)
    # Restarting 425 Hz at phase 0 at each part boundary would be a visible jump.
    repeating = read_frames(ToneGenerator(parse_tone("425/130")), 2.0)
    assert max_step(repeating) <= step_bound(425)


def test_modulated_tone_has_carrier_and_sidebands():
    samples = read_frames(ToneGenerator(parse_tone("425*25")), 2.0)
    assert peak_frequencies(samples, 3) == pytest.approx([400, 425, 450], abs=1)
    depth = DEFAULT_VOLUME / 32768
    assert np.abs(samples).max() == pytest.approx(0.9 * DEFAULT_VOLUME * (1 + depth), rel=0.01)


def test_modulated_tone_without_second_frequency_is_a_quieter_sine():
    samples = read_frames(ToneGenerator([ToneSegment(freq1=1000, modulate=True)]), 1.0)
    assert np.abs(samples).max() == pytest.approx(0.9 * DEFAULT_VOLUME, rel=0.01)
    assert peak_frequencies(samples, 1) == pytest.approx([1000], abs=1)


def test_other_sample_rates_keep_frequencies_and_durations():
    gen = ToneGenerator(parse_tone("440+480/2000,0/4000"), rate=16000)
    samples = gen.read(16000 * 6)
    assert peak_frequencies(samples[:32000], 2, rate=16000) == pytest.approx([440, 480], abs=1)
    assert np.any(samples[31990:32000]) and not np.any(samples[32000:])


def test_generator_accepts_config_tone_parts_and_plain_segments_alike():
    from_config = ToneGenerator(parse_tone("!440/100,480")).read(2000)
    plain = ToneGenerator(
        [ToneSegment(freq1=440, duration_ms=100, once=True), ToneSegment(freq1=480)]
    ).read(2000)
    assert np.array_equal(from_config, plain)


def test_reading_zero_samples_returns_an_empty_int16_array():
    samples = ToneGenerator(parse_tone("440")).read(0)
    assert samples.dtype == np.int16 and samples.shape == (0,)


@pytest.mark.parametrize(
    "parts",
    [[], [ToneSegment(freq1=-1)], [ToneSegment(freq1=440, duration_ms=-5)]],
)
def test_invalid_tone_parts_are_refused(parts):
    with pytest.raises(ValueError):
        ToneGenerator(parts)


def test_negative_read_is_refused():
    with pytest.raises(ValueError):
        ToneGenerator(parse_tone("440")).read(-1)
