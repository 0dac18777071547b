"""The AudioSocket protocol, sans-IO: messages to bytes and bytes to messages.

Theory of operation, after Asterisk's ``res_audiosocket``: every message is a
3-byte header -- one byte of *kind*, then the payload length as a 16-bit
big-endian integer ("network order", the reference writes it with
``htons``) -- and the payload. Asterisk is the TCP client: it connects to the
media server and first sends a UUID message (the 16 raw bytes of the UUID
the channel was created with), then audio messages (signed 16-bit linear,
8 kHz, mono, in host order -- little-endian on every platform Asterisk
ships on). The server answers with audio messages of the same format, and
ends the call with a hangup message (or by closing the socket); an error
message carries one byte of error code.

:class:`AudioSocketParser` is fed whatever the socket delivers and returns
the whole messages found so far; a partial message waits for more bytes.
"""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = [
    "HEADER_SIZE",
    "MAX_PAYLOAD",
    "AudioSocketError",
    "AudioSocketParser",
    "ErrorCode",
    "Kind",
    "Message",
    "Reframer",
    "audio_message",
    "decode_slin",
    "dtmf_message",
    "encode_message",
    "encode_slin",
    "hangup_message",
    "uuid_message",
]

HEADER_SIZE = 3
#: The length field is 16 bits wide.
MAX_PAYLOAD = 0xFFFF

Samples = npt.NDArray[np.int16]
_LE_INT16 = np.dtype("<i2")


class Kind(enum.IntEnum):
    """Message kinds (the first header byte)."""

    HANGUP = 0x00
    UUID = 0x01
    DTMF = 0x03
    AUDIO = 0x10
    """Signed linear, 8 kHz (``slin``)."""
    AUDIO_SLIN12 = 0x11
    AUDIO_SLIN16 = 0x12
    AUDIO_SLIN24 = 0x13
    AUDIO_SLIN32 = 0x14
    AUDIO_SLIN44 = 0x15
    AUDIO_SLIN48 = 0x16
    AUDIO_SLIN96 = 0x17
    AUDIO_SLIN192 = 0x18
    ERROR = 0xFF


class ErrorCode(enum.IntEnum):
    """The payload byte of an error message."""

    NONE = 0x00
    HANGUP = 0x01
    FRAME_FORWARDING = 0x02
    MEMORY = 0x04


class AudioSocketError(ValueError):
    """A message that cannot be built (payload too long, bad UUID, bad digit)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Message:
    """One AudioSocket message.

    Attributes:
        kind: The kind byte (a :class:`Kind` when known, else the raw number).
        payload: The payload bytes.
    """

    kind: int
    payload: bytes = b""

    @property
    def uuid(self) -> str:
        """The UUID of a UUID message, in its canonical text form."""
        if self.kind != Kind.UUID or len(self.payload) != 16:
            raise AudioSocketError("not a 16-byte UUID message")
        return str(uuid.UUID(bytes=self.payload))

    @property
    def digit(self) -> str:
        """The digit of a DTMF message."""
        if self.kind != Kind.DTMF or len(self.payload) != 1:
            raise AudioSocketError("not a 1-byte DTMF message")
        return chr(self.payload[0])

    @property
    def error_code(self) -> int | None:
        """The error code of an error message (``None`` when it carries none)."""
        if self.kind != Kind.ERROR:
            raise AudioSocketError("not an error message")
        return self.payload[0] if self.payload else None


def encode_message(kind: int, payload: bytes = b"") -> bytes:
    """The wire form of one message."""
    if not 0 <= kind <= 0xFF:
        raise AudioSocketError(f"kind {kind} does not fit in a byte")
    if len(payload) > MAX_PAYLOAD:
        raise AudioSocketError(f"payload of {len(payload)} bytes exceeds {MAX_PAYLOAD}")
    return bytes((kind,)) + len(payload).to_bytes(2, "big") + payload


def uuid_message(text: str) -> bytes:
    """The UUID message Asterisk sends first (``text``: any form ``uuid.UUID`` accepts)."""
    try:
        value = uuid.UUID(text)
    except ValueError:
        raise AudioSocketError(f"{text!r} is not a UUID") from None
    return encode_message(Kind.UUID, value.bytes)


def hangup_message() -> bytes:
    """A hangup message (no payload)."""
    return encode_message(Kind.HANGUP)


def dtmf_message(digit: str) -> bytes:
    """A DTMF message: the digit as one ASCII byte."""
    if len(digit) != 1 or digit not in "0123456789*#ABCD":
        raise AudioSocketError(f"{digit!r} is not a DTMF digit")
    return encode_message(Kind.DTMF, digit.encode("ascii"))


def encode_slin(samples: Samples) -> bytes:
    """Linear samples as little-endian 16-bit bytes (the AudioSocket audio payload)."""
    return np.asarray(samples, dtype=np.int16).astype(_LE_INT16).tobytes()


def decode_slin(payload: bytes) -> Samples:
    """Little-endian 16-bit bytes as samples; an odd trailing byte is ignored."""
    usable = len(payload) - (len(payload) % 2)
    return np.frombuffer(payload, dtype=_LE_INT16, count=usable // 2).astype(np.int16)


def audio_message(samples: Samples) -> bytes:
    """An 8 kHz ``slin`` audio message carrying ``samples``."""
    return encode_message(Kind.AUDIO, encode_slin(samples))


class AudioSocketParser:
    """Cuts a byte stream into messages.

    Args:
        max_payload: Payloads longer than this are refused (the socket is then
            to be dropped): the length field allows 64 KiB.
    """

    def __init__(self, max_payload: int = MAX_PAYLOAD) -> None:
        self._buffer = bytearray()
        self._max = max_payload

    @property
    def pending(self) -> int:
        """Bytes held that do not make a whole message yet."""
        return len(self._buffer)

    def feed(self, data: bytes) -> list[Message]:
        """Add ``data``; return every message now complete, in order.

        Raises:
            AudioSocketError: A header announces a payload over ``max_payload``.
        """
        buf = self._buffer
        buf += data
        messages: list[Message] = []
        start = 0
        while len(buf) - start >= HEADER_SIZE:
            kind = buf[start]
            length = int.from_bytes(buf[start + 1 : start + 3], "big")
            if length > self._max:
                raise AudioSocketError(f"message of {length} bytes exceeds {self._max}")
            end = start + HEADER_SIZE + length
            if len(buf) < end:
                break
            known: int = Kind(kind) if kind in Kind._value2member_map_ else kind
            messages.append(Message(kind=known, payload=bytes(buf[start + HEADER_SIZE : end])))
            start = end
        del buf[:start]
        return messages


class Reframer:
    """Cuts audio of any length into frames of ``frame`` samples (the media tick's 160).

    The server may send audio messages of any size; the channel's audio
    plane hears whole 20 ms frames. What does not fill a frame waits for the
    next message.
    """

    def __init__(self, frame: int = 160) -> None:
        self._frame = frame
        self._held = np.zeros(0, dtype=np.int16)

    def push(self, samples: Samples) -> list[Samples]:
        """Add ``samples``; return the whole frames now available."""
        held = np.concatenate((self._held, samples)) if self._held.size else samples
        whole = held.size // self._frame
        frames = [held[i * self._frame : (i + 1) * self._frame] for i in range(whole)]
        self._held = held[whole * self._frame :].copy()
        return frames
