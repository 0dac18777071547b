"""Audio arithmetic for the media tests: G.711 u-law, levels, tones, alignment.

Theory of operation: everything works on 8 kHz signed 16-bit samples held in
numpy arrays. What a phone receives or a recording holds is cut into 20 ms
frames (160 samples, one RTP packet's worth); a frame whose RMS is at least
:data:`VOICE_RMS` (about -40 dBFS, the conformance harness's threshold) counts
as non-silent. Frequencies are measured with a windowed FFT, refined by
parabolic interpolation around the peak bin, so a one-second excerpt is read
to well under a hertz. References (the prompts) go through the same u-law
round trip as the wire, so a faithful server gives a near-perfect match.
"""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import numpy.typing as npt

__all__ = [
    "FRAME",
    "RATE",
    "VOICE_RMS",
    "Samples",
    "best_alignment",
    "dominant_frequency",
    "frame_rms",
    "read_wav",
    "sine",
    "tone_purity",
    "ulaw_decode",
    "ulaw_encode",
    "ulaw_round_trip",
    "voiced_seconds",
]

RATE = 8000
FRAME = 160
#: A 20 ms frame at or above this RMS is "non-silent" (about -40 dBFS).
VOICE_RMS = 300.0

Samples = npt.NDArray[np.int16]

_BIAS = 0x84
_CLIP = 32635


def _decode_table() -> npt.NDArray[np.int16]:
    codes = ~np.arange(256, dtype=np.int32) & 0xFF
    exponent = (codes >> 4) & 0x07
    mantissa = codes & 0x0F
    magnitude = (((mantissa << 3) + _BIAS) << exponent) - _BIAS
    return np.where(codes & 0x80, -magnitude, magnitude).astype(np.int16)


_ULAW = _decode_table()


def ulaw_decode(payload: bytes) -> Samples:
    """G.711 u-law bytes -> linear samples."""
    return _ULAW[np.frombuffer(payload, dtype=np.uint8)]


def ulaw_encode(samples: npt.ArrayLike) -> bytes:
    """Linear samples -> G.711 u-law bytes."""
    x = np.asarray(samples, dtype=np.int32)
    sign = np.where(x < 0, 0x80, 0)
    magnitude = np.minimum(np.abs(x), _CLIP) + _BIAS
    exponent = np.clip(np.floor(np.log2(magnitude)).astype(np.int32) - 7, 0, 7)
    mantissa = (magnitude >> (exponent + 3)) & 0x0F
    return (~(sign | (exponent << 4) | mantissa) & 0xFF).astype(np.uint8).tobytes()


def ulaw_round_trip(samples: npt.ArrayLike) -> Samples:
    """What ``samples`` sound like after one trip over a PCMU stream."""
    return ulaw_decode(ulaw_encode(samples))


def sine(freq: float, seconds: float, amplitude: float = 8000.0) -> Samples:
    """A sine of ``freq`` Hz starting at phase 0."""
    t = np.arange(round(seconds * RATE)) / RATE
    return np.rint(amplitude * np.sin(2 * np.pi * freq * t)).astype(np.int16)


def read_wav(source: Path | object) -> tuple[Samples, int, int]:
    """``(samples of channel 1, frame rate, channels)`` of a 16-bit PCM WAV (path or file)."""
    with wave.open(str(source) if isinstance(source, Path) else source, "rb") as wav:
        assert wav.getsampwidth() == 2, f"{source}: {wav.getsampwidth() * 8}-bit, not 16-bit"
        channels = wav.getnchannels()
        rate = wav.getframerate()
        data = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2")
    return data[::channels].astype(np.int16), rate, channels


def frame_rms(samples: Samples) -> npt.NDArray[np.float64]:
    """The RMS of each whole 20 ms frame."""
    frames = np.asarray(samples[: len(samples) // FRAME * FRAME], dtype=np.float64)
    return np.sqrt((frames.reshape(-1, FRAME) ** 2).mean(axis=1))


def voiced_seconds(samples: Samples, threshold: float = VOICE_RMS) -> float:
    """Seconds of 20 ms frames at or above ``threshold`` RMS."""
    return float((frame_rms(samples) >= threshold).sum()) * FRAME / RATE


def dominant_frequency(samples: Samples) -> float:
    """The frequency in Hz of the strongest spectral peak (0 Hz excluded)."""
    x = np.asarray(samples, dtype=np.float64)
    x = x - x.mean()
    spectrum = np.abs(np.fft.rfft(x * np.hanning(len(x))))
    spectrum[0] = 0.0
    k = int(np.argmax(spectrum))
    shift = 0.0
    if 0 < k < len(spectrum) - 1:
        a, b, c = np.log(spectrum[k - 1 : k + 2] + 1e-12)
        denominator = a - 2 * b + c
        shift = 0.5 * (a - c) / denominator if denominator else 0.0
    return float((k + shift) * RATE / len(x))


def tone_purity(frames: Samples, freq: float) -> npt.NDArray[np.float64]:
    """For each 20 ms frame, the share of its energy that is a sine of ``freq`` Hz (0..1)."""
    x = np.asarray(frames[: len(frames) // FRAME * FRAME], dtype=np.float64).reshape(-1, FRAME)
    t = np.arange(FRAME) / RATE
    basis = np.stack([np.sin(2 * np.pi * freq * t), np.cos(2 * np.pi * freq * t)])
    basis /= np.linalg.norm(basis, axis=1, keepdims=True)
    projected = ((x @ basis.T) ** 2).sum(axis=1)
    energy = (x**2).sum(axis=1)
    return np.divide(projected, energy, out=np.zeros_like(energy), where=energy > 0)


def best_alignment(
    received: Samples, reference: Samples, max_lag: int = 2 * FRAME
) -> tuple[int, float]:
    """``(lag, correlation)`` of the best match of ``received`` against ``reference``.

    ``lag`` is where ``reference`` starts in ``received`` (negative: ``received``
    starts ``-lag`` samples into ``reference``), within ``max_lag``; the
    correlation is the normalised inner product over the overlap, 1.0 for an
    exact copy. Overlaps shorter than a frame are not considered.
    """
    r = np.asarray(received, dtype=np.float64)
    ref = np.asarray(reference, dtype=np.float64)
    if len(r) < FRAME or len(ref) < FRAME:
        return 0, 0.0
    products = np.correlate(r, ref, mode="full")  # [lag + len(ref) - 1]
    energy_r = np.concatenate([[0.0], np.cumsum(r * r)])
    energy_ref = np.concatenate([[0.0], np.cumsum(ref * ref)])
    best = (0, -1.0)
    for lag in range(max(-max_lag, FRAME - len(ref)), min(max_lag, len(r) - FRAME) + 1):
        if lag >= 0:
            n = min(len(r) - lag, len(ref))
            norm = (energy_r[lag + n] - energy_r[lag]) * energy_ref[n]
        else:
            n = min(len(r), len(ref) + lag)
            norm = energy_r[n] * (energy_ref[-lag + n] - energy_ref[-lag])
        score = float(products[lag + len(ref) - 1] / np.sqrt(norm)) if norm > 0 else 0.0
        if score > best[1]:
            best = (lag, score)
    return best
