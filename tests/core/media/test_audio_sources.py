"""Audio sources: SamplesSource, ToneSource, SilenceSource and the shared SoundCache."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from ariel.config.indications import TonePart
from ariel.core.media.sources import (
    FRAME_SAMPLES,
    SamplesSource,
    SilenceSource,
    SoundCache,
    ToneSource,
)
from ariel.media.formats import write_audio
from ariel.media.tones import ToneGenerator


def ramp(n: int) -> np.ndarray:
    return np.arange(n, dtype=np.int16)


# -- SamplesSource ------------------------------------------------------------------------------


def test_samples_source_reads_consecutive_frames_and_pads_the_last_with_zeros() -> None:
    source = SamplesSource(ramp(400))
    first, second, third = source.read(160), source.read(160), source.read(160)
    assert first is not None and second is not None and third is not None
    assert first.tolist() == list(range(160))
    assert second.tolist() == list(range(160, 320))
    assert third.tolist() == list(range(320, 400)) + [0] * 80
    assert source.finished


def test_samples_source_gives_none_once_finished() -> None:
    source = SamplesSource(ramp(160))
    assert source.read(160) is not None
    assert source.finished
    assert source.read(160) is None


def test_samples_source_starts_at_the_offset() -> None:
    source = SamplesSource(ramp(800), offset_ms=20)
    frame = source.read(160)
    assert frame is not None
    assert int(frame[0]) == 160
    assert source.position_ms == 40


@pytest.mark.parametrize(("offset_ms", "first"), [(-500, 0), (0, 0)])
def test_samples_source_negative_offset_starts_at_the_beginning(offset_ms: int, first: int) -> None:
    source = SamplesSource(ramp(320), offset_ms=offset_ms)
    frame = source.read(160)
    assert frame is not None
    assert int(frame[0]) == first


def test_samples_source_offset_past_the_end_is_finished_at_once() -> None:
    source = SamplesSource(ramp(320), offset_ms=10_000)
    assert source.finished
    assert source.read(160) is None


def test_paused_samples_source_sends_nothing_and_keeps_its_place() -> None:
    source = SamplesSource(ramp(480))
    source.read(160)
    source.paused = True
    assert source.read(160) is None
    assert source.position_ms == 20
    source.paused = False
    frame = source.read(160)
    assert frame is not None
    assert int(frame[0]) == 160


def test_samples_source_reports_position_and_duration_in_ms() -> None:
    source = SamplesSource(ramp(8000))
    assert (source.position_ms, source.duration_ms) == (0, 1000)
    for _ in range(10):
        source.read(160)
    assert source.position_ms == 200


def test_samples_source_restart_goes_back_to_the_first_sample() -> None:
    source = SamplesSource(ramp(480))
    source.read(160)
    source.read(160)
    source.restart()
    frame = source.read(160)
    assert frame is not None
    assert int(frame[0]) == 0


def test_samples_source_skip_moves_both_ways_and_clamps() -> None:
    source = SamplesSource(ramp(8000))
    source.skip_ms(500)
    assert source.position_ms == 500
    source.skip_ms(-200)
    assert source.position_ms == 300
    source.skip_ms(-10_000)
    assert source.position_ms == 0
    source.skip_ms(10_000)
    assert source.position_ms == 1000
    assert source.finished


def test_samples_source_stop_spends_it() -> None:
    source = SamplesSource(ramp(8000))
    source.stop()
    assert source.finished
    assert source.read(160) is None


# -- ToneSource ---------------------------------------------------------------------------------


def test_tone_source_plays_the_generator_frames() -> None:
    parts = (TonePart(freq1=440),)
    source = ToneSource(ToneGenerator(parts))
    reference = ToneGenerator(parts)
    for _ in range(3):
        frame = source.read(160)
        assert frame is not None
        assert np.array_equal(frame, reference.read(160))
    assert not source.finished


def test_tone_source_with_a_limit_finishes_after_it() -> None:
    source = ToneSource(ToneGenerator((TonePart(freq1=440),)), limit_ms=100)
    frames = 0
    while not source.finished:
        assert source.read(160) is not None
        frames += 1
    assert frames == 5
    assert source.read(160) is None


def test_paused_tone_source_does_not_use_up_its_limit() -> None:
    source = ToneSource(ToneGenerator((TonePart(freq1=440),)), limit_ms=40)
    source.paused = True
    for _ in range(10):
        assert source.read(160) is None
    assert not source.finished
    source.paused = False
    assert source.read(160) is not None
    assert source.read(160) is not None
    assert source.finished


def test_tone_source_finishes_when_a_once_only_tone_has_played() -> None:
    source = ToneSource(ToneGenerator((TonePart(freq1=440, duration_ms=40, once=True),)))
    assert source.read(160) is not None
    assert source.read(160) is not None
    assert source.finished
    assert source.read(160) is None


# -- SilenceSource ------------------------------------------------------------------------------


@pytest.mark.parametrize("n", [FRAME_SAMPLES, 80, 320])
def test_silence_source_gives_zeros_of_the_size_asked_forever(n: int) -> None:
    source = SilenceSource()
    for _ in range(3):
        frame = source.read(n)
        assert frame is not None
        assert frame.dtype == np.int16
        assert frame.tolist() == [0] * n
    assert not source.finished


# -- SoundCache ---------------------------------------------------------------------------------


def wav(path: Path, samples: np.ndarray) -> Path:
    write_audio(path, "wav", samples)
    return path


def test_sound_cache_decodes_a_16khz_file_to_8khz(tmp_path: Path) -> None:
    path = tmp_path / "wide.wav"
    write_audio(path, "wav16", np.zeros(3200, dtype=np.int16), rate=16000)
    samples = SoundCache().load(path, "wav")
    assert samples.dtype == np.int16
    assert len(samples) == 1600


def test_sound_cache_shares_one_read_only_array_per_file(tmp_path: Path) -> None:
    path = wav(tmp_path / "a.wav", ramp(320))
    cache = SoundCache()
    first = cache.load(path, "wav")
    assert cache.load(path, "wav") is first
    with pytest.raises(ValueError):
        first[0] = 1


def test_sound_cache_decodes_a_rerecorded_file_again(tmp_path: Path) -> None:
    path = wav(tmp_path / "a.wav", ramp(320))
    cache = SoundCache()
    first = cache.load(path, "wav")
    wav(path, ramp(480))
    again = cache.load(path, "wav")
    assert again is not first
    assert len(again) == 480


def test_sound_cache_notices_a_new_mtime_with_the_same_size(tmp_path: Path) -> None:
    path = wav(tmp_path / "a.wav", np.full(160, 7, dtype=np.int16))
    cache = SoundCache()
    cache.load(path, "wav")
    wav(path, np.full(160, 9, dtype=np.int16))
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    assert int(cache.load(path, "wav")[0]) == 9


def test_sound_cache_evicts_the_least_recently_used_file(tmp_path: Path) -> None:
    a = wav(tmp_path / "a.wav", ramp(1000))
    b = wav(tmp_path / "b.wav", ramp(1000))
    c = wav(tmp_path / "c.wav", ramp(1000))
    cache = SoundCache(max_bytes=2 * 2000)  # room for two files of 1000 int16 samples
    first_a = cache.load(a, "wav")
    first_b = cache.load(b, "wav")
    assert cache.load(a, "wav") is first_a  # a is now the most recently used
    cache.load(c, "wav")
    assert cache.load(a, "wav") is first_a
    assert cache.load(b, "wav") is not first_b


def test_sound_cache_keeps_a_single_file_larger_than_its_budget(tmp_path: Path) -> None:
    a = wav(tmp_path / "a.wav", ramp(1000))
    cache = SoundCache(max_bytes=10)
    first = cache.load(a, "wav")
    assert cache.load(a, "wav") is first


def test_sound_cache_missing_file_raises_oserror(tmp_path: Path) -> None:
    with pytest.raises(OSError):
        SoundCache().load(tmp_path / "absent.wav", "wav")


def test_sound_cache_corrupt_file_raises_valueerror(tmp_path: Path) -> None:
    path = tmp_path / "bad.wav"
    path.write_bytes(b"this is not a RIFF file at all")
    with pytest.raises(ValueError):
        SoundCache().load(path, "wav")
