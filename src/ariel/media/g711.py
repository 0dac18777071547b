"""ITU-T G.711 µ-law and A-law companding with numpy lookup tables.

Theory of operation: G.711 maps a 16-bit linear sample to an 8-bit code made of a sign bit, a
3-bit segment (exponent) and a 4-bit step (mantissa). Both directions are pure functions of
small integer domains, so each is computed once, at import, as a table:

* decoding indexes a 256-entry ``int16`` table with the code bytes;
* encoding indexes a 65536-entry ``uint8`` table with the ``uint16`` view of the samples, so a
  whole ``(n_streams, 160)`` batch of one 20 ms tick is encoded with a single fancy-index and no
  Python loop.

The tables are built with vectorised numpy arithmetic that follows the classic Sun Microsystems
reference (``g711.c``), which is also what Asterisk's ``ulaw.c``/``alaw.c`` tables reproduce:

* µ-law: 14-bit magnitude plus a bias of 33, clipped at 8159; codes are stored inverted, so
  ``0xFF`` is +0 and ``0x7F`` is -0 (both decode to 0; 0 encodes to ``0xFF``).
* A-law: 13-bit magnitude, negative values folded with ``-x - 1``; even bits are inverted with
  the mask ``0x55``, so ``0xD5`` decodes to +8 and ``0x55`` to -8.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = [
    "ALAW_SILENCE",
    "ULAW_SILENCE",
    "alaw_decode",
    "alaw_encode",
    "ulaw_decode",
    "ulaw_encode",
]

ULAW_SILENCE = 0xFF
"""The µ-law code of a zero sample (positive zero)."""

ALAW_SILENCE = 0xD5
"""The A-law code of the smallest positive sample, what encoders emit for zero."""

_ULAW_BIAS = 0x84
_ULAW_CLIP = 8159  # in the 14-bit domain

# Upper bounds of the eight segments, as in the reference's seg_uend / seg_aend.
_SEG_UEND = np.array([0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF, 0x1FFF], dtype=np.int32)
_SEG_AEND = np.array([0x1F, 0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF], dtype=np.int32)


def _build_ulaw_decode() -> npt.NDArray[np.int16]:
    code = ~np.arange(256, dtype=np.int32) & 0xFF
    t = ((code & 0x0F) << 3) + _ULAW_BIAS
    t <<= (code & 0x70) >> 4
    return np.where(code & 0x80, _ULAW_BIAS - t, t - _ULAW_BIAS).astype(np.int16)


def _build_alaw_decode() -> npt.NDArray[np.int16]:
    code = np.arange(256, dtype=np.int32) ^ 0x55
    t = (code & 0x0F) << 4
    seg = (code & 0x70) >> 4
    t = np.where(seg == 0, t + 8, t + 0x108)
    t = np.where(seg > 1, t << np.maximum(seg - 1, 0), t)
    return np.where(code & 0x80, t, -t).astype(np.int16)


def _all_int16_in_uint16_order() -> npt.NDArray[np.int32]:
    """Every int16 value, placed at the index of its uint16 bit pattern."""
    return np.arange(65536, dtype=np.uint16).view(np.int16).astype(np.int32)


def _build_ulaw_encode() -> npt.NDArray[np.uint8]:
    pcm = _all_int16_in_uint16_order() >> 2
    mask = np.where(pcm < 0, 0x7F, 0xFF)
    mag = np.minimum(np.abs(pcm), _ULAW_CLIP) + (_ULAW_BIAS >> 2)
    seg = np.searchsorted(_SEG_UEND, mag, side="left").astype(np.int32)
    safe_seg = np.minimum(seg, 7)
    code = (safe_seg << 4) | ((mag >> (safe_seg + 1)) & 0x0F)
    code = np.where(seg >= 8, 0x7F, code)
    return (code ^ mask).astype(np.uint8)


def _build_alaw_encode() -> npt.NDArray[np.uint8]:
    pcm = _all_int16_in_uint16_order() >> 3
    negative = pcm < 0
    mask = np.where(negative, 0x55, 0xD5)
    mag = np.where(negative, -pcm - 1, pcm)
    seg = np.searchsorted(_SEG_AEND, mag, side="left").astype(np.int32)
    safe_seg = np.minimum(seg, 7)
    shift = np.where(safe_seg < 2, 1, safe_seg)
    code = (safe_seg << 4) | ((mag >> shift) & 0x0F)
    code = np.where(seg >= 8, 0x7F, code)
    return (code ^ mask).astype(np.uint8)


_ULAW_DECODE = _build_ulaw_decode()
_ALAW_DECODE = _build_alaw_decode()
_ULAW_ENCODE = _build_ulaw_encode()
_ALAW_ENCODE = _build_alaw_encode()
for _table in (_ULAW_DECODE, _ALAW_DECODE, _ULAW_ENCODE, _ALAW_ENCODE):
    _table.flags.writeable = False


def _codes(data: bytes | bytearray | memoryview | npt.NDArray[np.uint8]) -> npt.NDArray[np.uint8]:
    if isinstance(data, np.ndarray):
        if data.dtype != np.uint8:
            raise TypeError(f"G.711 codes must be uint8, not {data.dtype}")
        return data
    return np.frombuffer(data, dtype=np.uint8)


def _as_uint16(samples: npt.NDArray[np.int16]) -> npt.NDArray[np.uint16]:
    arr = np.asarray(samples)
    if arr.dtype != np.int16:
        raise TypeError(f"linear samples must be int16, not {arr.dtype}")
    return arr.view(np.uint16)


def ulaw_decode(
    data: bytes | bytearray | memoryview | npt.NDArray[np.uint8],
) -> npt.NDArray[np.int16]:
    """Decode µ-law codes to linear samples.

    Args:
        data: Code bytes, or a ``uint8`` array of any shape.

    Returns:
        A new ``int16`` array with the shape of ``data`` (1-D for bytes).

    Raises:
        TypeError: If ``data`` is an array of another dtype.
    """
    return _ULAW_DECODE[_codes(data)]


def ulaw_encode(samples: npt.NDArray[np.int16]) -> npt.NDArray[np.uint8]:
    """Encode linear samples to µ-law codes.

    Args:
        samples: An ``int16`` array of any shape, e.g. ``(n_streams, 160)``.

    Returns:
        A new ``uint8`` array of the same shape; ``.tobytes()`` gives the payload.

    Raises:
        TypeError: If ``samples`` is not ``int16``.
    """
    return _ULAW_ENCODE[_as_uint16(samples)]


def alaw_decode(
    data: bytes | bytearray | memoryview | npt.NDArray[np.uint8],
) -> npt.NDArray[np.int16]:
    """Decode A-law codes to linear samples.

    Args:
        data: Code bytes, or a ``uint8`` array of any shape.

    Returns:
        A new ``int16`` array with the shape of ``data`` (1-D for bytes).

    Raises:
        TypeError: If ``data`` is an array of another dtype.
    """
    return _ALAW_DECODE[_codes(data)]


def alaw_encode(samples: npt.NDArray[np.int16]) -> npt.NDArray[np.uint8]:
    """Encode linear samples to A-law codes.

    Args:
        samples: An ``int16`` array of any shape, e.g. ``(n_streams, 160)``.

    Returns:
        A new ``uint8`` array of the same shape; ``.tobytes()`` gives the payload.

    Raises:
        TypeError: If ``samples`` is not ``int16``.
    """
    return _ALAW_ENCODE[_as_uint16(samples)]
