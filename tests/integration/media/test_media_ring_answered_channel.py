"""``POST /channels/{id}/ring`` on an answered channel: ringback in band.

An answered SIP call cannot be told to ring any more (no 180 after the 200),
so the reference's core plays the tone zone's ``ring`` tone to it instead;
``DELETE .../ring`` stops it. The phone (SOFTPHONE_A, RTP on a test-owned
port) must hear the US ringback, 440 + 480 Hz in a 2 s on, 4 s off cadence,
and then nothing.
"""

from __future__ import annotations

import asyncio

import numpy as np
import pytest
from ari_app_events import Ari
from audio_measure import RATE, voiced_seconds
from media_phones import MediaCallFactory

pytestmark = [pytest.mark.integration, pytest.mark.timeout(30)]


def _strongest_frequencies(samples: np.ndarray, count: int) -> list[float]:
    spectrum = np.abs(np.fft.rfft(samples.astype(np.float64) * np.hanning(len(samples))))
    freqs = np.fft.rfftfreq(len(samples), 1 / RATE)
    peaks = [
        i for i in range(1, len(spectrum) - 1) if spectrum[i - 1] < spectrum[i] >= spectrum[i + 1]
    ]
    peaks.sort(key=lambda i: spectrum[i], reverse=True)
    return sorted(round(float(freqs[i])) for i in peaks[:count])


async def test_ring_on_an_answered_channel_plays_ringback_until_ring_stop(
    media_call: MediaCallFactory, ari: Ari
) -> None:
    async with media_call() as call:
        rtp = call.rtp
        await asyncio.sleep(0.2)
        assert rtp.received() == [], "RTP sent to a channel that plays nothing"
        status, _ = await ari.request("POST", f"channels/{call.channel_id}/ring")
        assert status == 204
        await rtp.wait_until(lambda: voiced_seconds(rtp.audio()) >= 1.5, "1.5 s of ringback")
        heard = rtp.audio()
        voiced = heard[np.abs(heard).astype(np.int32) > 0][:RATE]
        assert _strongest_frequencies(voiced, 2) == pytest.approx([440, 480], abs=6)

        status, _ = await ari.request("DELETE", f"channels/{call.channel_id}/ring")
        assert status == 204
        await rtp.wait_quiet(0.4, timeout=2)
        mark = rtp.mark()
        await asyncio.sleep(0.5)
        assert rtp.received(mark) == [], "ringback went on after ring stop"
