"""In-band DTMF: generated tone pairs and the Goertzel detector."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest

from ariel.media.dtmf_tones import (
    DtmfDetection,
    InbandDtmfDetector,
    dtmf_frequencies,
    dtmf_tone,
)
from ariel.media.tones import DEFAULT_VOLUME

RATE = 8000
DIGITS = "0123456789*#ABCD"


def silence(ms: int) -> npt.NDArray[np.int16]:
    return np.zeros(ms * RATE // 1000, dtype=np.int16)


def detect(
    samples: npt.NDArray[np.int16], frame: int = 160, detector: InbandDtmfDetector | None = None
) -> list[DtmfDetection]:
    det = detector or InbandDtmfDetector()
    events: list[DtmfDetection] = []
    for start in range(0, len(samples), frame):
        events += det.feed(samples[start : start + frame])
    return events + det.flush()


def digits_of(events: list[DtmfDetection]) -> str:
    return "".join(e.digit for e in events if not e.end)


def pair(digit: str, low_db: float, high_db: float, ms: int = 100) -> npt.NDArray[np.int16]:
    low, high = dtmf_frequencies(digit)
    t = np.arange(ms * RATE // 1000) / RATE
    signal = DEFAULT_VOLUME * 10 ** (low_db / 20) * np.sin(2 * np.pi * low * t)
    signal += DEFAULT_VOLUME * 10 ** (high_db / 20) * np.sin(2 * np.pi * high * t)
    return np.rint(signal).astype(np.int16)


@pytest.mark.parametrize(
    ("digit", "expected"),
    [
        ("1", (697, 1209)),
        ("5", (770, 1336)),
        ("9", (852, 1477)),
        ("*", (941, 1209)),
        ("0", (941, 1336)),
        ("#", (941, 1477)),
        ("A", (697, 1633)),
        ("d", (941, 1633)),
    ],
)
def test_digits_map_to_the_keypad_frequency_pairs(digit, expected):
    assert dtmf_frequencies(digit) == expected


@pytest.mark.parametrize("digit", list(DIGITS))
def test_generated_tone_contains_exactly_its_two_frequencies(digit):
    samples = dtmf_tone(digit, 500)
    spectrum = np.abs(np.fft.rfft(samples.astype(np.float64)))
    freqs = np.fft.rfftfreq(len(samples), 1 / RATE)
    top = sorted(float(freqs[i]) for i in np.argsort(spectrum)[-2:])
    assert top == pytest.approx(list(dtmf_frequencies(digit)), abs=2)


def test_generated_tone_has_requested_length_and_asterisk_level():
    samples = dtmf_tone("5", 100)
    assert samples.dtype == np.int16 and samples.shape == (800,)
    assert dtmf_tone("5", 100, rate=16000).shape == (1600,)
    assert np.abs(samples).max() <= 2 * DEFAULT_VOLUME + 1
    assert samples[0] == 0


@pytest.mark.parametrize("bad", ["E", "", "12", " ", "x"])
def test_non_dtmf_digits_are_refused(bad):
    with pytest.raises(ValueError):
        dtmf_tone(bad, 100)


@pytest.mark.parametrize("digit", list(DIGITS))
def test_each_digit_is_detected_with_begin_and_end(digit):
    events = detect(np.concatenate([silence(30), dtmf_tone(digit, 100), silence(100)]))
    assert [(e.digit, e.end) for e in events] == [(digit, False), (digit, True)]
    assert 100 - 26 <= events[1].duration_ms <= 100
    assert events[0].duration_ms == 0
    assert abs(events[0].start_sample - 240) <= 102


def test_begin_comes_before_the_tone_ends_and_end_after_it():
    det = InbandDtmfDetector()
    assert det.feed(silence(20)) == []
    tone = dtmf_tone("8", 200)
    begins = det.feed(tone[:480])
    assert [(e.digit, e.end) for e in begins] == [("8", False)]
    assert det.current_digit == "8"
    assert det.feed(tone[480:]) == []
    ends = det.feed(silence(60))
    assert [(e.digit, e.end) for e in ends] == [("8", True)]
    assert det.current_digit is None


@pytest.mark.parametrize("offset", range(0, 160, 17))
def test_forty_millisecond_tones_are_found_at_any_alignment(offset):
    samples = np.concatenate([silence(0), np.zeros(offset, np.int16), dtmf_tone("3", 40)])
    assert digits_of(detect(np.concatenate([samples, silence(100)]))) == "3"


@pytest.mark.parametrize("offset", range(0, 160, 17))
def test_twenty_millisecond_blips_are_rejected(offset):
    samples = np.concatenate([np.zeros(offset, np.int16), dtmf_tone("3", 20), silence(100)])
    assert detect(samples) == []


def test_a_dialled_sequence_is_detected_in_order():
    parts = []
    for digit in "5551234#":
        parts += [dtmf_tone(digit, 60), silence(60)]
    assert digits_of(detect(np.concatenate(parts))) == "5551234#"


def test_back_to_back_different_digits_end_the_first_before_beginning_the_second():
    events = detect(np.concatenate([dtmf_tone("1", 100), dtmf_tone("2", 100), silence(100)]))
    assert [(e.digit, e.end) for e in events] == [
        ("1", False),
        ("1", True),
        ("2", False),
        ("2", True),
    ]


def test_frame_size_does_not_change_the_result():
    samples = np.concatenate([silence(13), dtmf_tone("6", 80), silence(50), dtmf_tone("9", 80)])
    samples = np.concatenate([samples, silence(100)])
    assert detect(samples, frame=160) == detect(samples, frame=37) == detect(samples, frame=1000)


def test_flush_ends_a_digit_still_sounding():
    det = InbandDtmfDetector()
    assert [e.end for e in det.feed(dtmf_tone("0", 200))] == [False]
    (end,) = det.flush()
    assert end.end and end.digit == "0" and end.duration_ms >= 170
    assert det.flush() == []


def test_white_noise_gives_no_digits():
    rng = np.random.default_rng(11)
    for sigma in (300, 3000, 12000):
        noise = np.clip(rng.normal(0, sigma, RATE * 5), -32768, 32767).astype(np.int16)
        assert detect(noise) == []


def test_single_tones_and_music_like_chords_give_no_digits():
    t = np.arange(RATE * 2) / RATE
    for freqs in ([697], [1336], [440, 554, 659], [697, 770, 1209]):
        chord = sum(4000 * np.sin(2 * np.pi * f * t) for f in freqs)
        assert detect(np.rint(chord).astype(np.int16)) == []


@pytest.mark.parametrize("snr_db", [30, 20, 15])
def test_digits_survive_background_noise(snr_db):
    rng = np.random.default_rng(snr_db)
    tone = dtmf_tone("7", 100).astype(np.float64)
    noise_power = np.mean(tone**2) / 10 ** (snr_db / 10)
    noisy = tone + rng.normal(0, np.sqrt(noise_power), len(tone))
    samples = np.concatenate([silence(20), np.clip(noisy, -32768, 32767).astype(np.int16)])
    assert digits_of(detect(np.concatenate([samples, silence(100)]))) == "7"


@pytest.mark.parametrize(("low_db", "high_db"), [(0, 3), (0, -3), (0, -7.5), (-6, -6)])
def test_usual_twist_is_accepted(low_db, high_db):
    samples = np.concatenate([pair("9", low_db, high_db), silence(100)])
    assert digits_of(detect(samples)) == "9"


@pytest.mark.parametrize(("low_db", "high_db"), [(0, 6), (0, -10)])
def test_excessive_twist_is_rejected(low_db, high_db):
    assert detect(np.concatenate([pair("9", low_db, high_db), silence(100)])) == []


def test_twist_limits_can_be_relaxed():
    det = InbandDtmfDetector(max_high_over_low_db=8.0)
    samples = np.concatenate([pair("9", 0, 6), silence(100)])
    assert digits_of(detect(samples, detector=det)) == "9"


def test_quiet_but_valid_tones_are_detected_and_too_quiet_ones_are_not():
    quiet = (dtmf_tone("4", 100).astype(np.float64) * 10 ** (-30 / 20)).astype(np.int16)
    assert digits_of(detect(np.concatenate([quiet, silence(100)]))) == "4"
    faint = (dtmf_tone("4", 100).astype(np.float64) / 100).astype(np.int16)
    assert detect(np.concatenate([faint, silence(100)])) == []


def test_detector_works_at_sixteen_kilohertz():
    samples = np.concatenate([dtmf_tone("B", 100, rate=16000), np.zeros(1600, np.int16)])
    det = InbandDtmfDetector(rate=16000)
    events = detect(samples, frame=320, detector=det)
    assert [(e.digit, e.end) for e in events] == [("B", False), ("B", True)]
