"""Audio file formats for playback and recording, named as Asterisk names them.

Theory of operation: a :class:`FileFormat` is Asterisk's ``ast_format_def`` reduced to data: a
name (``wav``, ``sln16``, ``pcm``...), the file extensions it owns, a MIME type for HTTP, the
sample rate of its audio, and how samples are stored. Everything inside Ariel is 16-bit linear
PCM (``int16`` arrays), so reading means "decode, down-mix, resample to the rate asked for" and
writing means "resample to the format's rate, encode, append".

Formats, their rates and content types (Asterisk publishes only ``audio/wav`` for wav; the
others are the registered or customary types for the encoding):

=========  ===================  =====  =======================================================
name       extensions           rate   content
=========  ===================  =====  =======================================================
wav        .wav                 8000   RIFF WAVE, 16-bit PCM mono (``audio/wav``)
wav16      .wav16               16000  the same at 16 kHz (``audio/wav``)
sln, slnN  .sln .raw, .slnN     N kHz  raw 16-bit little-endian PCM (``audio/x-sln``)
pcm        .pcm .ulaw .ul .mu   8000   raw G.711 µ-law (``audio/basic``); alias ``ulaw``
alaw       .alaw .al .alw       8000   raw G.711 A-law (``audio/x-alaw-basic``)
gsm        .gsm                 8000   raw GSM 06.10 frames, read only (``audio/gsm``)
=========  ===================  =====  =======================================================

WAV files of any rate, 8/16/24/32-bit PCM, A-law or µ-law, any channel count, are read (see
:mod:`ariel.media.wav`). Every problem with the content raises :class:`AudioFileError`; only
opening or reading the file may raise ``OSError``.

:class:`AudioWriter` keeps a WAV file valid on disk: the header is written first with zero sizes,
and every :meth:`AudioWriter.flush` rewrites the RIFF and ``data`` sizes, so a crash loses only
what was written after the last flush. Appending continues the existing ``data`` chunk (anything
after it, and any bytes past its recorded size, are cut) or the end of a raw file.
"""

from __future__ import annotations

import io
import os
import struct
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType, TracebackType
from typing import BinaryIO, Literal

import numpy as np
import numpy.typing as npt

from ariel.media.g711 import alaw_decode, alaw_encode, ulaw_decode, ulaw_encode
from ariel.media.gsm610 import GSM_FRAME_BYTES, GsmDecodeError, gsm_decode
from ariel.media.resample import Resampler, resample
from ariel.media.wav import (
    DATA_SIZE_OFFSET,
    HEADER_SIZE,
    RIFF_SIZE_OFFSET,
    TAG_PCM,
    AudioFileError,
    decode_wav,
    scan_wav,
    wav_bytes,
    wav_header,
)

__all__ = [
    "FORMATS",
    "AudioFileError",
    "AudioWriter",
    "FileFormat",
    "decode_audio",
    "format_for_extension",
    "read_audio",
    "wav_bytes",
    "write_audio",
]

Storage = Literal["wav", "slin", "ulaw", "alaw", "gsm"]


@dataclass(frozen=True, slots=True, kw_only=True)
class FileFormat:
    """One audio file format.

    Attributes:
        name: Asterisk's format name, e.g. ``"wav"`` or ``"sln16"``.
        extensions: File extensions without the dot, the first one used for new files.
        content_type: The MIME type to serve the file with.
        rate: The sample rate of files written in this format (and of raw files read).
        storage: How samples are stored: ``wav``, ``slin``, ``ulaw``, ``alaw`` or ``gsm``.
        writable: Whether :class:`AudioWriter` can write it.
    """

    name: str
    extensions: tuple[str, ...]
    content_type: str
    rate: int
    storage: Storage
    writable: bool = True


def _sln(name: str, rate: int, *extra: str) -> FileFormat:
    return FileFormat(
        name=name, extensions=(name, *extra), content_type="audio/x-sln", rate=rate, storage="slin"
    )


_PCM = FileFormat(
    name="pcm",
    extensions=("pcm", "ulaw", "ul", "mu", "ulw"),
    content_type="audio/basic",
    rate=8000,
    storage="ulaw",
)
_ALL = [
    FileFormat(name="wav", extensions=("wav",), content_type="audio/wav", rate=8000, storage="wav"),
    FileFormat(
        name="wav16", extensions=("wav16",), content_type="audio/wav", rate=16000, storage="wav"
    ),
    _sln("sln", 8000, "raw"),
    *(_sln(f"sln{k}", 1000 * k) for k in (12, 16, 24, 32, 48, 96, 192)),
    _sln("sln44", 44100),
    _PCM,
    FileFormat(
        name="alaw",
        extensions=("alaw", "al", "alw"),
        content_type="audio/x-alaw-basic",
        rate=8000,
        storage="alaw",
    ),
    FileFormat(
        name="gsm",
        extensions=("gsm",),
        content_type="audio/gsm",
        rate=8000,
        storage="gsm",
        writable=False,
    ),
]

FORMATS: Mapping[str, FileFormat] = MappingProxyType({**{f.name: f for f in _ALL}, "ulaw": _PCM})
"""Every file format by name; ``ulaw`` is an alias of Asterisk's ``pcm``."""

_BY_EXTENSION = {ext: f for f in _ALL for ext in f.extensions}


def format_for_extension(ext: str) -> FileFormat | None:
    """Find the format that owns a file extension.

    Args:
        ext: The extension, with or without the leading dot, in any case.

    Returns:
        The format, or ``None`` if no format owns it.
    """
    return _BY_EXTENSION.get(ext.lower().removeprefix("."))


def _resolve(fmt: str) -> FileFormat:
    found = FORMATS.get(fmt) or format_for_extension(fmt)
    if found is None:
        raise AudioFileError(f"unknown audio file format {fmt!r}")
    return found


# --- reading ------------------------------------------------------------------------------------


def _check_samples(samples: npt.NDArray[np.int16]) -> npt.NDArray[np.int16]:
    arr = np.asarray(samples)
    if arr.dtype != np.int16 or arr.ndim != 1:
        raise TypeError(f"samples must be a 1-D int16 array, not {arr.dtype} {arr.shape}")
    return arr


def _decode(fh: BinaryIO, size: int, fmt: FileFormat) -> tuple[npt.NDArray[np.int16], int]:
    if fmt.storage == "wav":
        return decode_wav(fh, size)
    raw = fh.read()
    if fmt.storage == "slin":
        return np.frombuffer(raw, dtype="<i2", count=len(raw) // 2).astype(np.int16), fmt.rate
    if fmt.storage == "ulaw":
        return ulaw_decode(raw), fmt.rate
    if fmt.storage == "alaw":
        return alaw_decode(raw), fmt.rate
    try:  # a trailing partial frame (a recording cut short) is dropped, as Asterisk does
        return gsm_decode(raw[: len(raw) - len(raw) % GSM_FRAME_BYTES]), fmt.rate
    except GsmDecodeError as exc:
        raise AudioFileError(str(exc)) from None


def decode_audio(data: bytes, fmt: str, rate: int = 8000) -> npt.NDArray[np.int16]:
    """Decode a file's contents held in memory; see :func:`read_audio`."""
    return _read(io.BytesIO(data), len(data), fmt, rate)


def _read(fh: BinaryIO, size: int, fmt: str, rate: int) -> npt.NDArray[np.int16]:
    spec = _resolve(fmt)
    if rate < 1:
        raise ValueError(f"rate must be positive, not {rate}")
    samples, file_rate = _decode(fh, size, spec)
    return samples if file_rate == rate else resample(samples, file_rate, rate)


def read_audio(path: str | os.PathLike[str], fmt: str, rate: int = 8000) -> npt.NDArray[np.int16]:
    """Read a whole audio file as mono 16-bit samples.

    Args:
        path: The file.
        fmt: A format name from :data:`FORMATS` or an extension (``"wav"``, ``"ulaw"``...).
        rate: The sample rate wanted; the audio is resampled if the file's differs.

    Returns:
        A 1-D ``int16`` array at ``rate``.

    Raises:
        AudioFileError: If the format is unknown or the content is corrupt or unsupported.
        OSError: If the file cannot be opened or read.
    """
    with open(path, "rb") as fh:
        return _read(fh, os.fstat(fh.fileno()).st_size, fmt, rate)


# --- writing ------------------------------------------------------------------------------------

_ENCODERS: dict[Storage, Callable[[npt.NDArray[np.int16]], bytes]] = {
    "wav": lambda s: s.astype("<i2").tobytes(),
    "slin": lambda s: s.astype("<i2").tobytes(),
    "ulaw": lambda s: ulaw_encode(s).tobytes(),
    "alaw": lambda s: alaw_encode(s).tobytes(),
}
_MAX_RIFF = 0xFFFFFFFF


class AudioWriter:
    """A streaming audio file writer; for WAV the file is valid after every flush."""

    def __init__(self, fh: BinaryIO, fmt: FileFormat, rate: int, file_rate: int) -> None:
        """Wrap an open file positioned at its end; use :meth:`open` instead."""
        self._fh = fh
        self.format = fmt
        self.rate = rate
        self.file_rate = file_rate
        self._width = 1 if fmt.storage in ("ulaw", "alaw") else 2
        self._encode = _ENCODERS[fmt.storage]
        self._resampler = Resampler(rate, file_rate) if rate != file_rate else None
        self._data_offset = HEADER_SIZE if fmt.storage == "wav" else 0
        self._data_bytes = fh.tell() - self._data_offset

    @classmethod
    def open(
        cls, path: str | os.PathLike[str], fmt: str, rate: int = 8000, append: bool = False
    ) -> AudioWriter:
        """Create, or continue, an audio file.

        Args:
            path: The file.
            fmt: A format name from :data:`FORMATS` or an extension.
            rate: The sample rate of the samples that will be passed to :meth:`write`.
            append: Continue an existing file instead of replacing it (a missing or empty
                file is created).

        Returns:
            The writer; a new WAV file already holds a valid, empty header.

        Raises:
            AudioFileError: If the format is unknown or read-only, or the file to append to is
                not a 16-bit mono PCM WAV.
            OSError: If the file cannot be opened.
        """
        spec = _resolve(fmt)
        if not spec.writable:
            raise AudioFileError(f"{spec.name} files can be read but not written")
        if rate < 1:
            raise ValueError(f"rate must be positive, not {rate}")
        exists = append and os.path.exists(path) and os.path.getsize(path) > 0
        fh = open(path, "r+b" if exists else "w+b")  # noqa: SIM115 - owned by the writer
        try:
            file_rate = spec.rate
            if spec.storage == "wav" and exists:
                file_rate = cls._continue_wav(fh)
            elif spec.storage == "wav":
                fh.write(wav_header(file_rate, 0))
                fh.flush()
            else:
                end = fh.seek(0, io.SEEK_END)
                fh.truncate(end - end % (1 if spec.storage in ("ulaw", "alaw") else 2))
                fh.seek(0, io.SEEK_END)
            writer = cls(fh, spec, rate, file_rate)
        except BaseException:
            fh.close()
            raise
        return writer

    @staticmethod
    def _continue_wav(fh: BinaryIO) -> int:
        info = scan_wav(fh, fh.seek(0, io.SEEK_END))
        if (info.tag, info.channels, info.bits) != (TAG_PCM, 1, 16):
            raise AudioFileError("can only append to 16-bit mono PCM WAV files")
        size = info.data_size - info.data_size % 2
        data = b""
        if info.data_offset != HEADER_SIZE:  # move the samples behind a canonical header
            fh.seek(info.data_offset)
            data = fh.read(size)
        fh.seek(0)
        fh.write(wav_header(info.rate, size) + data)
        fh.truncate(HEADER_SIZE + size)
        fh.seek(0, io.SEEK_END)
        fh.flush()
        return info.rate

    @property
    def duration_s(self) -> float:
        """Seconds of audio in the file, what was there before an append included."""
        return self._data_bytes / self._width / self.file_rate

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` has been called."""
        return self._fh.closed

    def write(self, samples: npt.NDArray[np.int16]) -> None:
        """Append samples (at the writer's ``rate``) to the file.

        Args:
            samples: 1-D ``int16`` samples.

        Raises:
            AudioFileError: If a WAV file would grow past 4 GiB.
            ValueError: If the writer is closed.
        """
        if self._fh.closed:
            raise ValueError("write to a closed AudioWriter")
        arr = _check_samples(samples)
        if self._resampler is not None:
            arr = self._resampler.process(arr)
        data = self._encode(arr)
        if (
            self.format.storage == "wav"
            and HEADER_SIZE - 8 + self._data_bytes + len(data) > _MAX_RIFF
        ):
            raise AudioFileError("WAV file would exceed the 4 GiB RIFF limit")
        self._fh.write(data)
        self._data_bytes += len(data)

    def flush(self) -> None:
        """Push written data to the OS; for WAV, rewrite the header sizes first."""
        if self._fh.closed:
            return
        if self.format.storage == "wav":
            self._fh.seek(RIFF_SIZE_OFFSET)
            self._fh.write(struct.pack("<I", HEADER_SIZE - 8 + self._data_bytes))
            self._fh.seek(DATA_SIZE_OFFSET)
            self._fh.write(struct.pack("<I", self._data_bytes))
            self._fh.seek(0, io.SEEK_END)
        self._fh.flush()

    def close(self) -> None:
        """Write the resampler's tail, flush, and close the file; closing twice is a no-op."""
        if self._fh.closed:
            return
        try:
            if self._resampler is not None:
                self.write(np.zeros(self._resampler.delay, dtype=np.int16))
                self._resampler = None
            self.flush()
        finally:
            self._fh.close()

    def __enter__(self) -> AudioWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def write_audio(
    path: str | os.PathLike[str], fmt: str, samples: npt.NDArray[np.int16], rate: int = 8000
) -> None:
    """Write a whole audio file, replacing any existing one.

    Args:
        path: The file.
        fmt: A format name from :data:`FORMATS` or an extension.
        samples: 1-D ``int16`` samples at ``rate``.
        rate: The sample rate of ``samples``; resampled to the format's rate if different.

    Raises:
        AudioFileError: If the format is unknown or read-only.
        OSError: If the file cannot be written.
    """
    with AudioWriter.open(path, fmt, rate) as writer:
        writer.write(samples)
