"""Audio file formats: the registry, WAV and raw readers, and the crash-safe streaming writer."""

from __future__ import annotations

import contextlib
import struct
import wave
from collections.abc import Callable
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ariel.media.formats import (
    FORMATS,
    AudioFileError,
    AudioWriter,
    decode_audio,
    format_for_extension,
    read_audio,
    wav_bytes,
    write_audio,
)
from ariel.media.g711 import alaw_encode, ulaw_encode

Encode = Callable[[npt.NDArray[np.int16]], npt.NDArray[np.uint8]]
HELLO_WORLD = Path("/usr/share/asterisk/sounds/en/hello-world.wav")
GSM_SILENCE_FRAME = bytes.fromhex(
    "d820a2e15a50004924924924500049249249245000492492492450004924924924"
)
RAMP = np.arange(-4000, 4000, 5, dtype=np.int16)


def _chunk(chunk_id: bytes, body: bytes) -> bytes:
    return chunk_id + struct.pack("<I", len(body)) + body + (b"\0" if len(body) % 2 else b"")


def _riff(*chunks: bytes) -> bytes:
    body = b"WAVE" + b"".join(chunks)
    return b"RIFF" + struct.pack("<I", len(body)) + body


def _fmt(tag: int, channels: int, rate: int, bits: int, extra: bytes = b"") -> bytes:
    align = channels * bits // 8
    return _chunk(
        b"fmt ",
        struct.pack("<HHIIHH", tag, channels, rate, (rate * align) & 0xFFFFFFFF, align, bits)
        + extra,
    )


def _stdlib_wav(path: Path, frames: bytes, width: int, channels: int = 1, rate: int = 8000) -> None:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(channels)
        out.setsampwidth(width)
        out.setframerate(rate)
        out.writeframes(frames)


# --- registry -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "ext", "mime", "rate"),
    [
        ("wav", "wav", "audio/wav", 8000),
        ("wav16", "wav16", "audio/wav", 16000),
        ("sln", "sln", "audio/x-sln", 8000),
        ("sln16", "sln16", "audio/x-sln", 16000),
        ("pcm", "pcm", "audio/basic", 8000),
        ("alaw", "alaw", "audio/x-alaw-basic", 8000),
        ("gsm", "gsm", "audio/gsm", 8000),
    ],
)
def test_registry_names_formats_as_asterisk_does(name: str, ext: str, mime: str, rate: int) -> None:
    fmt = FORMATS[name]
    assert (fmt.name, fmt.extensions[0], fmt.content_type, fmt.rate) == (name, ext, mime, rate)


@pytest.mark.parametrize(
    ("ext", "name"),
    [
        ("wav", "wav"),
        (".WAV", "wav"),
        ("ulaw", "pcm"),
        ("mu", "pcm"),
        ("al", "alaw"),
        ("raw", "sln"),
    ],
)
def test_extension_finds_its_format(ext: str, name: str) -> None:
    found = format_for_extension(ext)
    assert found is not None and found.name == name


def test_unknown_extension_finds_nothing_and_ulaw_is_an_alias_of_pcm() -> None:
    assert format_for_extension("mp3") is None
    assert FORMATS["ulaw"] is FORMATS["pcm"]
    assert not FORMATS["gsm"].writable


# --- reading WAV --------------------------------------------------------------------------------


def test_wav_round_trip_is_exact_and_readable_by_stdlib_wave(tmp_path: Path) -> None:
    path = tmp_path / "ramp.wav"
    write_audio(path, "wav", RAMP)
    with wave.open(str(path)) as check:
        assert (check.getnchannels(), check.getsampwidth(), check.getframerate()) == (1, 2, 8000)
        assert check.getnframes() == len(RAMP)
    assert np.array_equal(read_audio(path, "wav"), RAMP)


def test_16khz_wav_is_resampled_to_the_rate_asked_for(tmp_path: Path) -> None:
    path = tmp_path / "wide.wav"
    path.write_bytes(wav_bytes(np.zeros(3200, dtype=np.int16), 16000))
    assert len(read_audio(path, "wav", rate=8000)) == 1600
    assert len(read_audio(path, "wav", rate=16000)) == 3200


def test_wav_at_an_uncommon_rate_is_resampled() -> None:
    data = wav_bytes(np.full(1102, 1000, dtype=np.int16), 11025)
    out = decode_audio(data, "wav", rate=8000)
    assert len(out) == 800
    assert np.all(np.abs(out[100:-100] - 1000) <= 1)


def test_8bit_unsigned_wav_is_widened(tmp_path: Path) -> None:
    path = tmp_path / "u8.wav"
    _stdlib_wav(path, bytes([0, 128, 255]), width=1)
    assert read_audio(path, "wav").tolist() == [-32768, 0, 32512]


@pytest.mark.parametrize(("width", "sample"), [(3, b"\x11\x34\x12"), (4, b"\x11\x22\x34\x12")])
def test_24_and_32_bit_wav_keep_the_top_16_bits(tmp_path: Path, width: int, sample: bytes) -> None:
    path = tmp_path / "wide.wav"
    _stdlib_wav(path, sample, width=width)
    assert read_audio(path, "wav").tolist() == [0x1234]


def test_stereo_wav_is_down_mixed_by_averaging(tmp_path: Path) -> None:
    path = tmp_path / "stereo.wav"
    _stdlib_wav(path, struct.pack("<4h", 1000, 3000, -32768, -32768), width=2, channels=2)
    assert read_audio(path, "wav").tolist() == [2000, -32768]


@pytest.mark.parametrize(("tag", "encode"), [(7, ulaw_encode), (6, alaw_encode)])
def test_g711_wav_with_fact_chunk_is_decoded(tag: int, encode: Encode, tmp_path: Path) -> None:
    codes = encode(RAMP).tobytes()
    data = _riff(
        _fmt(tag, 1, 8000, 8, b"\0\0"),
        _chunk(b"fact", struct.pack("<I", len(codes))),
        _chunk(b"data", codes),
    )
    (tmp_path / "g711.wav").write_bytes(data)
    out = read_audio(tmp_path / "g711.wav", "wav").astype(np.int32)
    assert np.all(np.abs(out - RAMP) <= np.abs(RAMP.astype(np.int32)) // 32 + 8)


def test_extensible_wav_uses_its_subformat_tag() -> None:
    extra = struct.pack("<HHI", 22, 16, 4) + struct.pack("<H", 1) + bytes(14)
    data = _riff(_fmt(0xFFFE, 1, 8000, 16, extra), _chunk(b"data", struct.pack("<2h", 7, -7)))
    assert decode_audio(data, "wav").tolist() == [7, -7]


def test_chunks_before_data_are_skipped_with_their_padding() -> None:
    data = _riff(
        _chunk(b"LIST", b"odd"), _fmt(1, 1, 8000, 16), _chunk(b"data", struct.pack("<h", 9))
    )
    assert decode_audio(data, "wav").tolist() == [9]


def test_data_chunk_longer_than_the_file_is_cut_at_the_end() -> None:
    data = wav_bytes(RAMP)[:-101]
    assert np.array_equal(decode_audio(data, "wav"), RAMP[: (len(RAMP) * 2 - 101) // 2])


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "RIFF/WAVE"),
        (b"RIFX" + bytes(40), "RIFF/WAVE"),
        (wav_bytes(RAMP)[:30], "fmt chunk is truncated"),
        (wav_bytes(RAMP)[:36], "no data chunk"),
        (_riff(_chunk(b"data", b"\0\0"), _fmt(1, 1, 8000, 16)), "before any fmt"),
        (_riff(_chunk(b"data", b"\0\0")), "before any fmt"),
        (_riff(_fmt(1, 1, 8000, 16)), "no data chunk"),
        (_riff(_fmt(0x55, 1, 8000, 16), _chunk(b"data", b"")), "format tag 0x55"),
        (_riff(_fmt(1, 1, 8000, 12), _chunk(b"data", b"")), "12-bit"),
        (_riff(_fmt(1, 0, 8000, 16), _chunk(b"data", b"")), "0 channels"),
        (_riff(_fmt(1, 1, 0, 16), _chunk(b"data", b"")), "at 0 Hz"),
        (_riff(_fmt(1, 1, 4_000_000_000, 16), _chunk(b"data", b"")), "at 4000000000 Hz"),
    ],
)
def test_corrupt_wav_raises_audio_file_error(data: bytes, message: str, tmp_path: Path) -> None:
    path = tmp_path / "bad.wav"
    path.write_bytes(data)
    with pytest.raises(AudioFileError, match=message):
        read_audio(path, "wav")


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 200), st.binary(max_size=64))
def test_any_truncated_or_garbled_wav_reads_or_raises_audio_file_error(
    cut: int, junk: bytes
) -> None:
    data = wav_bytes(RAMP[:50])[:cut] + junk
    with contextlib.suppress(AudioFileError):
        decode_audio(data, "wav")


def test_missing_file_raises_os_error_and_unknown_format_audio_file_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        read_audio(tmp_path / "nope.wav", "wav")
    with pytest.raises(AudioFileError, match="unknown audio file format"):
        decode_audio(b"", "mp3")


# --- raw formats --------------------------------------------------------------------------------


@pytest.mark.parametrize(("fmt", "rate"), [("sln", 8000), ("sln16", 16000), ("sln48", 48000)])
def test_raw_slin_is_little_endian_at_the_format_rate(fmt: str, rate: int, tmp_path: Path) -> None:
    path = tmp_path / f"x.{fmt}"
    path.write_bytes(RAMP.astype("<i2").tobytes() + b"\x01")  # a stray odd byte is ignored
    assert np.array_equal(read_audio(path, fmt, rate=rate), RAMP)
    assert len(read_audio(path, fmt, rate=8000)) == -(-len(RAMP) * 8000 // rate)


@pytest.mark.parametrize(
    ("fmt", "encode"), [("ulaw", ulaw_encode), ("mu", ulaw_encode), ("alaw", alaw_encode)]
)
def test_raw_g711_files_decode(fmt: str, encode: Encode, tmp_path: Path) -> None:
    path = tmp_path / "x.raw"
    path.write_bytes(encode(RAMP).tobytes())
    write_audio(tmp_path / "again", fmt, read_audio(path, fmt))
    assert (tmp_path / "again").read_bytes() == path.read_bytes()


def test_gsm_file_decodes_and_drops_a_partial_last_frame(tmp_path: Path) -> None:
    path = tmp_path / "x.gsm"
    path.write_bytes(GSM_SILENCE_FRAME * 3 + GSM_SILENCE_FRAME[:10])
    out = read_audio(path, "gsm")
    assert len(out) == 480 and np.abs(out).max() <= 16


def test_gsm_file_without_signature_raises_audio_file_error(tmp_path: Path) -> None:
    path = tmp_path / "x.gsm"
    path.write_bytes(bytes(33))
    with pytest.raises(AudioFileError, match="signature"):
        read_audio(path, "gsm")


# --- writing ------------------------------------------------------------------------------------


def test_new_wav_is_valid_before_the_first_write(tmp_path: Path) -> None:
    writer = AudioWriter.open(tmp_path / "r.wav", "wav")
    with wave.open(str(tmp_path / "r.wav")) as check:
        assert check.getnframes() == 0
    writer.close()


def test_wav_header_is_valid_after_flush_without_close(tmp_path: Path) -> None:
    path = tmp_path / "r.wav"
    writer = AudioWriter.open(path, "wav")
    for _ in range(3):
        writer.write(RAMP[:160])
    writer.flush()
    writer.write(RAMP[:160])  # not flushed: a crash now loses only this frame
    with wave.open(str(path)) as check:
        assert check.getnframes() == 480
    assert np.array_equal(read_audio(path, "wav"), np.tile(RAMP[:160], 3))
    assert writer.duration_s == pytest.approx(0.08)
    writer.close()
    assert read_audio(path, "wav").size == 640


def test_append_continues_an_existing_wav(tmp_path: Path) -> None:
    path = tmp_path / "r.wav"
    write_audio(path, "wav", RAMP[:800])
    with AudioWriter.open(path, "wav", append=True) as writer:
        assert writer.duration_s == pytest.approx(0.1)
        writer.write(RAMP[800:])
    with wave.open(str(path)) as check:
        assert check.getnframes() == len(RAMP)
    assert np.array_equal(read_audio(path, "wav"), RAMP)


def test_append_rewrites_a_non_canonical_header_and_drops_trailing_chunks(tmp_path: Path) -> None:
    path = tmp_path / "r.wav"
    body = struct.pack("<3h", 1, 2, 3)
    path.write_bytes(
        _riff(
            _chunk(b"LIST", b"info"),
            _fmt(1, 1, 16000, 16),
            _chunk(b"data", body),
            _chunk(b"junk", b"x"),
        )
    )
    with AudioWriter.open(path, "wav", rate=16000, append=True) as writer:
        writer.write(np.array([4], dtype=np.int16))
    assert path.stat().st_size == 44 + 8
    assert read_audio(path, "wav", rate=16000).tolist() == [1, 2, 3, 4]


def test_append_refuses_a_wav_it_cannot_continue_and_leaves_it_alone(tmp_path: Path) -> None:
    path = tmp_path / "stereo.wav"
    _stdlib_wav(path, bytes(8), width=2, channels=2)
    before = path.read_bytes()
    with pytest.raises(AudioFileError, match="16-bit mono"):
        AudioWriter.open(path, "wav", append=True)
    assert path.read_bytes() == before


@pytest.mark.parametrize("fmt", ["ulaw", "alaw", "sln", "wav"])
def test_append_to_a_missing_file_creates_it(fmt: str, tmp_path: Path) -> None:
    path = tmp_path / f"new.{fmt}"
    with AudioWriter.open(path, fmt, append=True) as writer:
        writer.write(RAMP)
    assert len(read_audio(path, fmt)) == len(RAMP)


def test_append_continues_a_raw_file(tmp_path: Path) -> None:
    path = tmp_path / "r.sln"
    write_audio(path, "sln", RAMP[:100])
    with path.open("ab") as fh:
        fh.write(b"\x07")  # a torn sample from a crash is cut before appending
    with AudioWriter.open(path, "sln", append=True) as writer:
        writer.write(RAMP[100:])
    assert np.array_equal(read_audio(path, "sln"), RAMP)


def test_writer_resamples_to_the_format_rate(tmp_path: Path) -> None:
    path = tmp_path / "r.wav16"
    with AudioWriter.open(path, "wav16", rate=8000) as writer:
        for _ in range(50):
            writer.write(np.zeros(160, dtype=np.int16))
    with wave.open(str(path)) as check:
        assert check.getframerate() == 16000
        assert check.getnframes() >= 16000
    with AudioWriter.open(tmp_path / "r.wav", "wav", rate=16000) as writer:
        writer.write(np.zeros(3200, dtype=np.int16))
    assert writer.duration_s == pytest.approx(0.2, abs=0.01)


def test_writer_refuses_read_only_formats_and_closed_use(tmp_path: Path) -> None:
    with pytest.raises(AudioFileError, match="read but not written"):
        AudioWriter.open(tmp_path / "x.gsm", "gsm")
    writer = AudioWriter.open(tmp_path / "x.sln", "sln")
    writer.close()
    writer.close()
    assert writer.closed
    with pytest.raises(ValueError, match="closed"):
        writer.write(RAMP)


# --- a real prompt ------------------------------------------------------------------------------


@pytest.mark.skipif(not HELLO_WORLD.exists(), reason="Asterisk core sounds are not installed")
def test_asterisk_hello_world_prompt_reads_as_audible_speech() -> None:
    samples = read_audio(HELLO_WORLD, "wav")
    with wave.open(str(HELLO_WORLD)) as check:
        assert len(samples) == check.getnframes()
    assert 1.0 < len(samples) / 8000 < 1.6
    assert np.sqrt(np.mean(samples.astype(np.float64) ** 2)) > 100
