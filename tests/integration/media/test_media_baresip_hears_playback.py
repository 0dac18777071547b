"""baresip, a real softphone, hears what a Stasis application plays to it.

baresip (``SOFTPHONE_B``) dials 242 (``Stasis(zarniwoop)``); the application
answers and queues two playbacks: ``tone:!1000/2000`` (a 1000 Hz tone played
once for two seconds) and ``sound:hello-world``. baresip's ``sndfile`` filter
writes what the phone decodes to a WAV file, which the test reads after the
call: a leading stretch of 1000 Hz tone about two seconds long at the
``playtones`` level, then the prompt itself (matched against the prompt file
sent through u-law) with as much non-silent audio as the prompt has.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import numpy as np
import pytest
from ari_app_events import AppEvents, Ari
from ariel_process import AriServer
from audio_measure import (
    FRAME,
    RATE,
    best_alignment,
    dominant_frequency,
    frame_rms,
    read_wav,
    tone_purity,
    ulaw_round_trip,
    voiced_seconds,
)
from media_phones import RecordingBaresip, recording_baresip_path, require_prompts

pytestmark = [pytest.mark.integration, pytest.mark.timeout(30)]

TONE_HZ = 1000
TONE_S = 2.0
TOLERANCE_HZ = 20
TOLERANCE_S = 0.3
#: Peak of each playtones sine (Asterisk's default volume), so the RMS of a pure tone.
TONE_RMS = 7219 / np.sqrt(2)


def _tone_run(samples: np.ndarray, freq: float) -> tuple[int, int]:
    """``(first frame, frame count)`` of the longest run of frames that are a pure ``freq``."""
    pure = (tone_purity(samples, freq) > 0.9) & (frame_rms(samples) > 300)
    best = (0, 0)
    start = None
    for i, flag in enumerate([*pure.tolist(), False]):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            if i - start > best[1]:
                best = (start, i - start)
            start = None
    return best


async def _finished(stasis: AppEvents, playback_id: str, timeout: float) -> None:
    event = await stasis.wait_for(
        lambda e: e["type"] == "PlaybackFinished" and e["playback"]["id"] == playback_id,
        f"PlaybackFinished for {playback_id}",
        timeout,
    )
    assert event["playback"]["state"] == "done", event


async def test_baresip_hears_a_tone_then_a_prompt(
    ariel_server: AriServer, stasis: AppEvents, ari: Ari, tmp_path: Path, caller_name: str
) -> None:
    if recording_baresip_path() is None:
        pytest.skip("baresip or its sndfile module is not installed")
    prompt_path = require_prompts("hello-world")["hello-world"]
    uri = f"sip:242@127.0.0.1:{ariel_server.sip_port}"
    channel_id = None
    try:
        async with RecordingBaresip(
            workdir=tmp_path, uri=uri, user="SOFTPHONE_B", display=caller_name
        ) as softphone:
            start = await stasis.stasis_start(caller_name)
            channel_id = start["channel"]["id"]
            status, _ = await ari.request("POST", f"channels/{channel_id}/answer")
            assert status == 204
            await softphone.wait_output(r"Call established: " + uri)
            await softphone.wait_output(r"sndfile: dumping decode audio to ")

            playbacks = []
            for media in (f"tone:!{TONE_HZ}/{int(TONE_S * 1000)}", "sound:hello-world"):
                status, body = await ari.request(
                    "POST", f"channels/{channel_id}/play", params={"media": media}
                )
                assert status == 201, (media, status, body)
                playbacks.append(body["id"])
            await _finished(stasis, playbacks[0], TONE_S + 3)
            await _finished(stasis, playbacks[1], 4)
            await asyncio.sleep(0.2)  # the last packets reach the phone before the BYE

            status, _ = await ari.request("DELETE", f"channels/{channel_id}")
            assert status == 204
            channel_id = None
            await softphone.wait_output(r"terminated \(duration")
            assert await softphone.stop() is not None
    finally:
        if channel_id is not None:
            await ari.request("DELETE", f"channels/{channel_id}")

    heard, rate, channels = read_wav(softphone.received_wav())
    assert (rate, channels) == (RATE, 1)
    assert len(heard) > 0, "the phone decoded no audio at all"

    first, count = _tone_run(heard, TONE_HZ)
    tone = heard[first * FRAME : (first + count) * FRAME]
    assert abs(count * FRAME / RATE - TONE_S) <= TOLERANCE_S, (
        f"{count * FRAME / RATE:.2f} s of {TONE_HZ} Hz tone heard, expected {TONE_S} s; "
        f"frame levels: {np.round(frame_rms(heard)).astype(int).tolist()}"
    )
    assert abs(dominant_frequency(tone) - TONE_HZ) <= TOLERANCE_HZ, dominant_frequency(tone)
    assert abs(voiced_seconds(tone) - TONE_S) <= TOLERANCE_S
    level = float(frame_rms(tone).mean())
    assert 0.8 * TONE_RMS <= level <= 1.2 * TONE_RMS, f"tone RMS {level:.0f}, not ~{TONE_RMS:.0f}"

    prompt, prompt_rate, _ = read_wav(prompt_path)
    assert prompt_rate == RATE
    reference = ulaw_round_trip(prompt)
    after = heard[(first + count) * FRAME :]
    assert abs(voiced_seconds(after) - voiced_seconds(reference)) <= TOLERANCE_S, (
        f"{voiced_seconds(after):.2f} s of non-silent audio after the tone, the prompt has "
        f"{voiced_seconds(reference):.2f} s"
    )
    assert abs(len(after) / RATE - len(prompt) / RATE) <= TOLERANCE_S, (
        f"{len(after) / RATE:.2f} s of audio after the tone, the prompt lasts "
        f"{len(prompt) / RATE:.2f} s"
    )
    lag, correlation = best_alignment(after, reference)
    assert correlation >= 0.95, (
        f"what followed the tone is not hello-world (best correlation {correlation:.3f} "
        f"at lag {lag})"
    )
