"""RIFF WAVE parsing and header building, the container half of :mod:`ariel.media.formats`.

Theory of operation: a WAV file is ``RIFF <size> WAVE`` followed by chunks of ``<id> <size>
<body>`` (bodies padded to an even length). Only two chunks matter: ``fmt `` (format tag,
channels, rate, bits per sample) and ``data`` (the samples). :func:`scan_wav` walks the chunk
headers with seeks, so even a long recording is not read to find its header, and returns where
the samples are. A ``data`` size that runs past the end of the file (a recording that was cut
short, or a streaming writer's placeholder) is cut at the end of the file.

:func:`decode_wav` turns 8/16/24/32-bit PCM (format tag 1), A-law (6) and µ-law (7) samples,
also when wrapped as WAVE_FORMAT_EXTENSIBLE (0xFFFE), into ``int16``, averaging channels to
mono. The writer in :mod:`ariel.media.formats` only writes the canonical 44-byte header of
:func:`wav_header` (16-bit PCM mono), so the two sizes it must keep current sit at fixed
offsets: :data:`RIFF_SIZE_OFFSET` and :data:`DATA_SIZE_OFFSET`.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import BinaryIO

import numpy as np
import numpy.typing as npt

from ariel.media.g711 import alaw_decode, ulaw_decode

__all__ = [
    "DATA_SIZE_OFFSET",
    "HEADER_SIZE",
    "MAX_RATE",
    "MIN_RATE",
    "RIFF_SIZE_OFFSET",
    "TAG_ALAW",
    "TAG_PCM",
    "TAG_ULAW",
    "AudioFileError",
    "WavInfo",
    "decode_wav",
    "scan_wav",
    "wav_bytes",
    "wav_header",
]

TAG_PCM, TAG_ALAW, TAG_ULAW = 1, 6, 7
_TAG_EXTENSIBLE = 0xFFFE
HEADER_SIZE = 44
"""Size of the canonical header; the samples start right after it."""
MIN_RATE, MAX_RATE = 1000, 384000
"""Sample rates outside this range are taken for corruption."""
RIFF_SIZE_OFFSET = 4
DATA_SIZE_OFFSET = 40
_HEADER = struct.Struct("<4sI4s4sIHHIIHH4sI")
# Sample widths in bytes, by format tag then bits per sample.
_WIDTHS = {TAG_PCM: {8: 1, 16: 2, 24: 3, 32: 4}, TAG_ALAW: {8: 1}, TAG_ULAW: {8: 1}}


class AudioFileError(ValueError):
    """An audio file is unreadable, corrupt, or of a kind this package cannot handle."""


@dataclass(frozen=True, slots=True)
class WavInfo:
    """What the chunk headers of a WAV file say.

    Attributes:
        tag: The format tag (the sub-format's for WAVE_FORMAT_EXTENSIBLE).
        channels: Interleaved channels.
        rate: Samples per second per channel.
        bits: Bits per sample.
        data_offset: File offset of the first sample byte.
        data_size: Bytes of samples, cut at the end of the file.
    """

    tag: int
    channels: int
    rate: int
    bits: int
    data_offset: int
    data_size: int


def scan_wav(fh: BinaryIO, file_size: int) -> WavInfo:
    """Read the chunk headers of a WAV file.

    Args:
        fh: The file, opened for binary reading; its position is left undefined.
        file_size: The file's size in bytes.

    Returns:
        The format and where the samples are.

    Raises:
        AudioFileError: If the RIFF header, ``fmt`` or ``data`` chunk is missing or truncated.
    """
    fh.seek(0)
    head = fh.read(12)
    if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        raise AudioFileError("not a WAV file: no RIFF/WAVE header")
    fmt: tuple[int, int, int, int] | None = None
    pos = 12
    while pos + 8 <= file_size:
        fh.seek(pos)
        chunk_id, size = struct.unpack("<4sI", fh.read(8))
        if chunk_id == b"fmt ":
            body = fh.read(min(size, 40))
            if size < 16 or len(body) < 16:
                raise AudioFileError(f"WAV fmt chunk is truncated ({len(body)} of 16 bytes)")
            tag, channels, rate, _, _, bits = struct.unpack("<HHIIHH", body[:16])
            if tag == _TAG_EXTENSIBLE and len(body) >= 26:
                tag = struct.unpack("<H", body[24:26])[0]  # first two bytes of the sub-format
            fmt = (tag, channels, rate, bits)
        elif chunk_id == b"data":
            if fmt is None:
                raise AudioFileError("WAV data chunk comes before any fmt chunk")
            size = min(size, file_size - pos - 8)
            return WavInfo(*fmt, data_offset=pos + 8, data_size=size)
        pos += 8 + size + (size & 1)
    if fmt is None:
        raise AudioFileError("WAV file has no fmt chunk")
    raise AudioFileError("WAV file has no data chunk")


def decode_wav(fh: BinaryIO, file_size: int) -> tuple[npt.NDArray[np.int16], int]:
    """Read the samples of a WAV file as mono ``int16``.

    Args:
        fh: The file, opened for binary reading.
        file_size: The file's size in bytes.

    Returns:
        The samples (a trailing partial frame is dropped) and their sample rate.

    Raises:
        AudioFileError: If the file is corrupt or its encoding is not supported.
    """
    info = scan_wav(fh, file_size)
    if info.channels < 1 or not MIN_RATE <= info.rate <= MAX_RATE:
        raise AudioFileError(f"WAV has {info.channels} channels at {info.rate} Hz")
    if info.tag not in _WIDTHS:
        raise AudioFileError(f"WAV format tag {info.tag:#x} is not PCM, A-law or µ-law")
    if info.bits not in _WIDTHS[info.tag]:
        raise AudioFileError(f"WAV format tag {info.tag} with {info.bits}-bit samples")
    frame = _WIDTHS[info.tag][info.bits] * info.channels
    fh.seek(info.data_offset)
    raw = fh.read(info.data_size - info.data_size % frame)
    raw = raw[: len(raw) - len(raw) % frame]
    u8 = np.frombuffer(raw, dtype=np.uint8)
    wide: npt.NDArray[np.int32]
    if info.tag == TAG_ALAW:
        wide = alaw_decode(u8).astype(np.int32)
    elif info.tag == TAG_ULAW:
        wide = ulaw_decode(u8).astype(np.int32)
    elif info.bits == 8:
        wide = (u8.astype(np.int32) - 128) << 8
    elif info.bits == 16:
        wide = np.frombuffer(raw, dtype="<i2").astype(np.int32)
    elif info.bits == 24:  # keep the top two bytes of each little-endian sample
        wide = u8.reshape(-1, 3)[:, 1:].copy().view("<i2").reshape(-1).astype(np.int32)
    else:
        wide = np.frombuffer(raw, dtype="<i4").astype(np.int32) >> 16
    if info.channels > 1:
        wide = wide.reshape(-1, info.channels).sum(axis=1) // info.channels
    return wide.astype(np.int16), info.rate


def wav_header(rate: int, data_size: int) -> bytes:
    """Build the canonical 44-byte header of a 16-bit mono PCM WAV file.

    Args:
        rate: The sample rate.
        data_size: Bytes of samples that follow.

    Returns:
        The header bytes.
    """
    return _HEADER.pack(
        b"RIFF", 36 + data_size, b"WAVE", b"fmt ", 16, TAG_PCM, 1, rate, 2 * rate, 2, 16,
        b"data", data_size,
    )  # fmt: skip


def wav_bytes(samples: npt.NDArray[np.int16], rate: int = 8000) -> bytes:
    """Build a complete 16-bit mono WAV file in memory.

    Args:
        samples: 1-D ``int16`` samples.
        rate: The sample rate to record in the header (no resampling is done).

    Returns:
        The file's bytes.

    Raises:
        TypeError: If ``samples`` is not a 1-D ``int16`` array.
    """
    arr = np.asarray(samples)
    if arr.dtype != np.int16 or arr.ndim != 1:
        raise TypeError(f"samples must be a 1-D int16 array, not {arr.dtype} {arr.shape}")
    data = arr.astype("<i2").tobytes()
    return wav_header(rate, len(data)) + data
