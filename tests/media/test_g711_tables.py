"""G.711 tables against the reference algorithm and known code values."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from ariel.media.g711 import (
    ALAW_SILENCE,
    ULAW_SILENCE,
    alaw_decode,
    alaw_encode,
    ulaw_decode,
    ulaw_encode,
)

Encode = Callable[[npt.NDArray[np.int16]], npt.NDArray[np.uint8]]
Decode = Callable[[npt.NDArray[np.uint8]], npt.NDArray[np.int16]]
ALL_CODES = np.arange(256, dtype=np.uint8)
ALL_SAMPLES = np.arange(-32768, 32768, dtype=np.int32).astype(np.int16)


def _ref_linear2ulaw(pcm: int) -> int:
    """A scalar transcription of the classic reference linear2ulaw."""
    pcm >>= 2
    mask = 0xFF
    if pcm < 0:
        pcm, mask = -pcm, 0x7F
    pcm = min(pcm, 8159) + 33
    for seg, end in enumerate((0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF, 0x1FFF)):
        if pcm <= end:
            return ((seg << 4) | ((pcm >> (seg + 1)) & 0xF)) ^ mask
    return 0x7F ^ mask


def _ref_linear2alaw(pcm: int) -> int:
    """A scalar transcription of the classic reference linear2alaw."""
    pcm >>= 3
    mask = 0xD5
    if pcm < 0:
        pcm, mask = -pcm - 1, 0x55
    for seg, end in enumerate((0x1F, 0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF)):
        if pcm <= end:
            shift = 1 if seg < 2 else seg
            return ((seg << 4) | ((pcm >> shift) & 0xF)) ^ mask
    return 0x7F ^ mask


@pytest.mark.parametrize(
    ("code", "value"),
    [(0xFF, 0), (0x7F, 0), (0x00, -32124), (0x80, 32124), (0xFE, 8), (0x7E, -8), (0xF0, 120)],
)
def test_ulaw_decode_matches_reference_table_values(code: int, value: int) -> None:
    assert ulaw_decode(bytes([code])).tolist() == [value]


@pytest.mark.parametrize(
    ("code", "value"),
    [(0xD5, 8), (0x55, -8), (0xAA, 32256), (0x2A, -32256), (0x80, 5504), (0x00, -5504)],
)
def test_alaw_decode_matches_reference_table_values(code: int, value: int) -> None:
    assert alaw_decode(bytes([code])).tolist() == [value]


def test_silence_constants_are_the_codes_of_zero() -> None:
    zero = np.zeros(1, dtype=np.int16)
    assert ulaw_encode(zero)[0] == ULAW_SILENCE == 0xFF
    assert alaw_encode(zero)[0] == ALAW_SILENCE == 0xD5


def test_ulaw_encode_table_equals_reference_for_every_sample() -> None:
    sample = list(range(-32768, 32768))
    expected = [_ref_linear2ulaw(v) for v in sample]
    assert ulaw_encode(np.array(sample, dtype=np.int16)).tolist() == expected


def test_alaw_encode_table_equals_reference_for_every_sample() -> None:
    sample = list(range(-32768, 32768))
    expected = [_ref_linear2alaw(v) for v in sample]
    assert alaw_encode(np.array(sample, dtype=np.int16)).tolist() == expected


def test_ulaw_encode_of_decode_is_identity_except_negative_zero() -> None:
    back = ulaw_encode(ulaw_decode(ALL_CODES))
    expected = ALL_CODES.copy()
    expected[0x7F] = 0xFF  # -0 decodes to 0, which encodes as +0
    assert np.array_equal(back, expected)


def test_alaw_encode_of_decode_is_identity_for_all_codes() -> None:
    assert np.array_equal(alaw_encode(alaw_decode(ALL_CODES)), ALL_CODES)


@pytest.mark.parametrize(
    ("encode", "decode"), [(ulaw_encode, ulaw_decode), (alaw_encode, alaw_decode)]
)
def test_round_trip_error_is_within_half_a_step_everywhere(encode: Encode, decode: Decode) -> None:
    back = decode(encode(ALL_SAMPLES)).astype(np.int32)
    error = np.abs(back - ALL_SAMPLES.astype(np.int32))
    assert np.all(error <= np.abs(ALL_SAMPLES.astype(np.int32)) / 32 + 8)


@given(st.integers(min_value=-32768, max_value=32767))
def test_ulaw_round_trip_error_is_bounded(value: int) -> None:
    back = int(ulaw_decode(ulaw_encode(np.array([value], dtype=np.int16)))[0])
    assert abs(back - value) <= abs(value) / 32 + 8
    assert back == 0 or (back > 0) == (value > 0)


@given(st.integers(min_value=-32768, max_value=32767))
def test_alaw_round_trip_error_is_bounded(value: int) -> None:
    back = int(alaw_decode(alaw_encode(np.array([value], dtype=np.int16)))[0])
    assert abs(back - value) <= abs(value) / 32 + 8
    assert (back > 0) == (value >= 0)


@given(arrays(np.int16, st.tuples(st.integers(1, 6), st.just(160))))
def test_batch_encode_equals_per_row_encode(batch: npt.NDArray[np.int16]) -> None:
    for encode in (ulaw_encode, alaw_encode):
        whole = encode(batch)
        assert whole.shape == batch.shape
        assert whole.dtype == np.uint8
        for row in range(batch.shape[0]):
            assert np.array_equal(whole[row], encode(batch[row]))


def test_encode_accepts_non_contiguous_views() -> None:
    batch = np.arange(-800, 800, dtype=np.int16).reshape(10, 160)
    view = batch[::2, ::3]
    assert np.array_equal(ulaw_encode(view), ulaw_encode(view.copy()))


def test_decode_accepts_uint8_arrays_of_any_shape() -> None:
    codes = ALL_CODES.reshape(16, 16)
    assert ulaw_decode(codes).shape == (16, 16)
    assert alaw_decode(codes).dtype == np.int16


def test_encode_rejects_non_int16_samples() -> None:
    with pytest.raises(TypeError):
        ulaw_encode(np.zeros(4, dtype=np.int32))
    with pytest.raises(TypeError):
        alaw_decode(np.zeros(4, dtype=np.int16))
