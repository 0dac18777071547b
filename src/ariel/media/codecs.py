"""The codec registry: what Asterisk calls a format, as it travels in RTP.

Theory of operation: a :class:`Codec` joins three names that different layers use for the same
thing (Asterisk's format name, e.g. ``"ulaw"`` in ``allow=`` lines and ARI; the SDP encoding name
of RFC 3551, e.g. ``"PCMU"`` in ``a=rtpmap``; and the static RTP payload type, if any) to the two
pure functions that turn an RTP payload into ``int16`` samples and back. The media engine works
on linear samples only and calls ``decode`` on receive and ``encode`` on send.

Payload byte order: RFC 3551 §4.5.11 says L16 samples are "transmitted in network byte order
(most significant byte first)", so ``slin``/``slin16`` payloads are big-endian, as Asterisk
sends them on RTP (its internal host-order ``slin`` frames are byte-swapped at the RTP edge).

The registry is a plain dict keyed by the Asterisk name; lookups by payload type and by SDP
name are linear scans over a handful of entries. A codec with no static payload type (``slin``)
is only found through SDP, where the offer binds it to a dynamic type.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import numpy.typing as npt

from ariel.media.g711 import (
    ALAW_SILENCE,
    ULAW_SILENCE,
    alaw_decode,
    alaw_encode,
    ulaw_decode,
    ulaw_encode,
)

__all__ = [
    "CODECS",
    "FRAME_MS",
    "Codec",
    "UnknownCodecError",
    "codec_by_name",
    "codec_by_payload_type",
    "codec_by_sdp_name",
]

FRAME_MS = 20
"""The packetisation time every registry entry's ``samples_per_frame`` is given for."""


class UnknownCodecError(KeyError):
    """No codec in the registry matches the name, payload type or SDP encoding asked for."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Codec:
    """One RTP audio codec.

    Attributes:
        name: The Asterisk format name (``"ulaw"``, ``"alaw"``, ``"slin"``, ``"slin16"``).
        sdp_name: The RFC 3551 encoding name used in ``a=rtpmap`` (``"PCMU"``, ``"L16"``...).
        payload_type: The static RTP payload type, or ``None`` where only dynamic types apply.
        clock_rate: The RTP clock rate in Hz, also the sample rate of the decoded audio.
        samples_per_frame: Samples in one 20 ms frame.
        bytes_per_sample: Payload bytes per sample (1 for G.711, 2 for L16).
        silence_byte: The byte value that fills a silent payload (``None`` for L16: zeros).
    """

    name: str
    sdp_name: str
    payload_type: int | None
    clock_rate: int
    samples_per_frame: int
    bytes_per_sample: int
    silence_byte: int | None
    decoder: Callable[[bytes], npt.NDArray[np.int16]]
    encoder: Callable[[npt.NDArray[np.int16]], bytes]

    @property
    def frame_bytes(self) -> int:
        """Payload bytes in one 20 ms frame."""
        return self.samples_per_frame * self.bytes_per_sample

    def decode(self, payload: bytes) -> npt.NDArray[np.int16]:
        """Decode an RTP payload to linear samples at ``clock_rate``.

        Args:
            payload: The payload bytes; for L16 an odd trailing byte is ignored.

        Returns:
            A 1-D ``int16`` array.
        """
        return self.decoder(payload)

    def encode(self, samples: npt.NDArray[np.int16]) -> bytes:
        """Encode linear samples at ``clock_rate`` to an RTP payload.

        Args:
            samples: An ``int16`` array; it is encoded in C order.

        Returns:
            The payload bytes.
        """
        return self.encoder(samples)

    def silence(self, samples: int | None = None) -> bytes:
        """Return a silent payload.

        Args:
            samples: How many samples; one 20 ms frame if omitted.

        Returns:
            ``samples`` worth of silent payload bytes.
        """
        count = self.samples_per_frame if samples is None else samples
        fill = 0 if self.silence_byte is None else self.silence_byte
        return bytes([fill]) * (count * self.bytes_per_sample)


def _ulaw_decode(payload: bytes) -> npt.NDArray[np.int16]:
    return ulaw_decode(payload)


def _ulaw_encode(samples: npt.NDArray[np.int16]) -> bytes:
    return ulaw_encode(samples).tobytes()


def _alaw_decode(payload: bytes) -> npt.NDArray[np.int16]:
    return alaw_decode(payload)


def _alaw_encode(samples: npt.NDArray[np.int16]) -> bytes:
    return alaw_encode(samples).tobytes()


_BE_INT16 = np.dtype(">i2")


def _l16_decode(payload: bytes) -> npt.NDArray[np.int16]:
    usable = len(payload) - (len(payload) % 2)
    return np.frombuffer(payload, dtype=_BE_INT16, count=usable // 2).astype(np.int16)


def _l16_encode(samples: npt.NDArray[np.int16]) -> bytes:
    arr = np.asarray(samples)
    if arr.dtype != np.int16:
        raise TypeError(f"linear samples must be int16, not {arr.dtype}")
    return arr.astype(_BE_INT16).tobytes()


def _codec(
    name: str,
    sdp_name: str,
    payload_type: int | None,
    rate: int,
    width: int,
    silence_byte: int | None,
    decoder: Callable[[bytes], npt.NDArray[np.int16]],
    encoder: Callable[[npt.NDArray[np.int16]], bytes],
) -> Codec:
    return Codec(
        name=name,
        sdp_name=sdp_name,
        payload_type=payload_type,
        clock_rate=rate,
        samples_per_frame=rate * FRAME_MS // 1000,
        bytes_per_sample=width,
        silence_byte=silence_byte,
        decoder=decoder,
        encoder=encoder,
    )


CODECS: Mapping[str, Codec] = MappingProxyType(
    {
        "ulaw": _codec("ulaw", "PCMU", 0, 8000, 1, ULAW_SILENCE, _ulaw_decode, _ulaw_encode),
        "alaw": _codec("alaw", "PCMA", 8, 8000, 1, ALAW_SILENCE, _alaw_decode, _alaw_encode),
        "slin": _codec("slin", "L16", None, 8000, 2, None, _l16_decode, _l16_encode),
        "slin16": _codec("slin16", "L16", None, 16000, 2, None, _l16_decode, _l16_encode),
    }
)
"""Every codec Ariel can carry, keyed by Asterisk format name."""


def codec_by_name(name: str) -> Codec:
    """Find a codec by its Asterisk format name.

    Args:
        name: E.g. ``"ulaw"``; matched case-insensitively.

    Returns:
        The codec.

    Raises:
        UnknownCodecError: If no codec has that name.
    """
    try:
        return CODECS[name.lower()]
    except KeyError:
        raise UnknownCodecError(f"no codec named {name!r}") from None


def codec_by_payload_type(payload_type: int) -> Codec:
    """Find a codec by its static RTP payload type.

    Args:
        payload_type: 0 (PCMU) or 8 (PCMA); dynamic types (96-127) are never static.

    Returns:
        The codec.

    Raises:
        UnknownCodecError: If no codec has that static payload type.
    """
    for codec in CODECS.values():
        if codec.payload_type is not None and codec.payload_type == payload_type:
            return codec
    raise UnknownCodecError(f"no codec with static payload type {payload_type}")


def codec_by_sdp_name(name: str, rate: int) -> Codec:
    """Find a codec by its SDP encoding name and clock rate, as in ``a=rtpmap``.

    Args:
        name: The encoding name, matched case-insensitively as media subtype names are,
            e.g. ``"PCMU"`` or ``"l16"``.
        rate: The clock rate from the rtpmap line.

    Returns:
        The codec.

    Raises:
        UnknownCodecError: If no codec has that name at that rate.
    """
    wanted = name.upper()
    for codec in CODECS.values():
        if codec.sdp_name == wanted and codec.clock_rate == rate:
            return codec
    raise UnknownCodecError(f"no codec for {name}/{rate}")
