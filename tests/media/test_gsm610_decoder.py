"""GSM 06.10 decoder, checked bit for bit against the reference decoder's output.

The expected digests were made by decoding the same frames with libgsm's ``untoast -l`` (the
ETSI reference implementation's arithmetic): the speech frames are six frames of Asterisk's
hello-world prompt encoded by ``toast``; the silence frame is ``toast``'s encoding of zeros.
"""

from __future__ import annotations

import hashlib

import numpy as np
import numpy.typing as npt
import pytest

from ariel.media.gsm610 import (
    GSM_FRAME_BYTES,
    GSM_FRAME_SAMPLES,
    GsmDecodeError,
    GsmDecoder,
    gsm_decode,
)

SPEECH_FRAMES = bytes.fromhex(
    "d1efb9e1a46e812592b1a91b72a0c9a34bba9be4e098e492c8d6e4c03c1a45371bd16ed21d9be480cda1aa36"
    "dc7300b71c9236f2e2c0272a49c97f752030f18dd653d16fcb25a27380673d22db0cdd60c29b72daa47160d6"
    "e429c92e6d00ea6590d654d173b2a59a6940b726862ce36920b6dc6eeada6980e2db8db7646760b5327236db"
    "d1f1ba61a2cfc0c91c531ce2678136dc92c6f167c04b1471e84965416a6c6d46e4d22ddb20e26720e81f0eb4"
    "59cb213b3d8a073367a226d47e252965811f0d75cf22"
)
SPEECH_SHA256 = "315bd13e08443a7d85cda0cbf4144022f11f4d66389abaa303742ac0c561990a"
SILENCE_FRAME = bytes.fromhex("d820a2e15a50004924924924500049249249245000492492492450004924924924")
SILENCE_TWO_FRAMES_SHA256 = "cbd799ae5d61914b7c40c9cec289dddef3ab32b4d4cbd9dbe3464d83b117d832"


def _digest(samples: npt.NDArray[np.int16]) -> str:
    return hashlib.sha256(samples.astype("<i2").tobytes()).hexdigest()


def test_speech_frames_decode_bit_exactly_like_the_reference() -> None:
    out = gsm_decode(SPEECH_FRAMES)
    assert len(out) == 6 * GSM_FRAME_SAMPLES
    assert out[:8].tolist() == [-72, -88, -72, -128, -128, -112, 32, 72]
    assert out[160:168].tolist() == [144, 208, 280, 424, 592, 760, 976, 1160]
    assert (int(out.max()), int(out.min())) == (6160, -3264)
    assert _digest(out) == SPEECH_SHA256


def test_silence_frames_decode_to_the_reference_low_level_noise() -> None:
    out = gsm_decode(SILENCE_FRAME * 2)
    assert out[:12].tolist() == [8, 0, 0, 8, 8, 8, 16, 8, 8, 16, 16, 8]
    assert set(out.tolist()) <= {0, 8, 16}
    assert _digest(out) == SILENCE_TWO_FRAMES_SHA256


def test_output_samples_are_truncated_to_13_bits() -> None:
    out = gsm_decode(SPEECH_FRAMES)
    assert out.dtype == np.int16
    assert not (out & 7).any()


def test_decoder_state_carries_across_calls() -> None:
    decoder = GsmDecoder()
    pieces = [decoder.decode(SPEECH_FRAMES[i : i + 66]) for i in range(0, len(SPEECH_FRAMES), 66)]
    assert _digest(np.concatenate(pieces)) == SPEECH_SHA256


def test_a_fresh_decoder_differs_from_a_continued_one() -> None:
    decoder = GsmDecoder()
    decoder.decode(SPEECH_FRAMES)
    continued = decoder.decode(SPEECH_FRAMES[:GSM_FRAME_BYTES])
    assert not np.array_equal(continued, gsm_decode(SPEECH_FRAMES[:GSM_FRAME_BYTES]))


def test_empty_input_decodes_to_no_samples() -> None:
    assert len(gsm_decode(b"")) == 0


def test_partial_frame_is_rejected() -> None:
    with pytest.raises(GsmDecodeError, match="33-byte frames"):
        gsm_decode(SPEECH_FRAMES[:40])


def test_frame_without_signature_is_rejected_with_its_index() -> None:
    bad = bytearray(SPEECH_FRAMES)
    bad[2 * GSM_FRAME_BYTES] = 0x21
    with pytest.raises(GsmDecodeError, match="frame 2"):
        gsm_decode(bytes(bad))


def test_decode_error_is_a_value_error() -> None:
    assert issubclass(GsmDecodeError, ValueError)


def test_every_parameter_pattern_decodes_without_overflow() -> None:
    rng = np.random.default_rng(7)
    frames = rng.integers(0, 256, size=(40, GSM_FRAME_BYTES), dtype=np.uint8)
    frames[:, 0] = 0xD0 | (frames[:, 0] & 0x0F)
    frames[::2, 1:] = 0xFF  # extreme codes: largest gains, amplitudes and LARs
    out = gsm_decode(frames.tobytes())
    assert len(out) == 40 * GSM_FRAME_SAMPLES
