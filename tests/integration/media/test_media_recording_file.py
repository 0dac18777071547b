"""What a phone says is recorded to a file; a prompt reaches the phone, paced.

A SIPp phone (``SOFTPHONE_A``) calls 242 with its RTP on a test-owned UDP
port. First a channel recording (``maxDurationSeconds=2``) runs while the
port sends 0.2 s of silence, 1.0 s of a 500 Hz sine and 0.2 s of silence as
PCMU; once ``RecordingFinished`` arrives the stored file, downloaded over
ARI, must be a WAV whose loud part is that second of 500 Hz, at the level
sent. Then ``sound:hello-world`` (1.40 s) is played to the phone: the port
must receive the prompt itself, as PCMU packets 160 samples apart in RTP
time, in sequence, from one source, and sent in real time (20 ms apart).
"""

from __future__ import annotations

import io
import time
import uuid
from itertools import pairwise

import numpy as np
import pytest
from ari_app_events import AppEvents, Ari
from audio_measure import (
    FRAME,
    RATE,
    VOICE_RMS,
    best_alignment,
    dominant_frequency,
    frame_rms,
    read_wav,
    sine,
    ulaw_round_trip,
    voiced_seconds,
)
from media_phones import MediaCallFactory, require_prompts
from rtp_peer import PT_PCMU

pytestmark = [pytest.mark.integration, pytest.mark.timeout(30)]

SINE_HZ = 500
SINE_S = 1.0
SINE_AMPLITUDE = 8000.0
MAX_DURATION_S = 2


async def test_recording_holds_what_the_phone_sent(
    media_call: MediaCallFactory, ari: Ari, stasis: AppEvents
) -> None:
    name = f"media-recording-{uuid.uuid4().hex[:12]}"
    sent = ulaw_round_trip(sine(SINE_HZ, SINE_S, SINE_AMPLITUDE))
    async with media_call() as call:
        status, body = await ari.request(
            "POST",
            f"channels/{call.channel_id}/record",
            params={
                "name": name,
                "format": "wav",
                "maxDurationSeconds": MAX_DURATION_S,
                "ifExists": "fail",
            },
        )
        assert status == 201, (status, body)
        try:
            started = await stasis.wait_for(
                lambda e: e["type"] == "RecordingStarted" and e["recording"]["name"] == name,
                f"RecordingStarted for {name}",
            )
            began = time.monotonic()
            await call.rtp.send_silence(0.2)
            await call.rtp.send_audio(sine(SINE_HZ, SINE_S, SINE_AMPLITUDE))
            await call.rtp.send_silence(0.2)
            finished = await stasis.wait_for(
                lambda e: e["type"] == "RecordingFinished" and e["recording"]["name"] == name,
                f"RecordingFinished for {name}",
                timeout=MAX_DURATION_S + 3,
            )
            ended = time.monotonic()

            async with ari.http.get(f"recordings/stored/{name}/file") as response:
                assert response.status == 200, await response.text()
                content_type = response.headers.get("Content-Type", "")
                data = await response.read()
        finally:
            await ari.request("DELETE", f"recordings/stored/{name}")

    assert started["recording"]["format"] == "wav"
    assert finished["recording"]["state"] == "done", finished
    # maxDurationSeconds ends it, not the end of the audio.
    assert MAX_DURATION_S - 0.5 <= ended - began <= MAX_DURATION_S + 1, ended - began
    assert content_type.split(";")[0].strip() == "audio/wav", content_type
    assert data[:4] == b"RIFF" and data[8:12] == b"WAVE", data[:16]
    recorded, rate, channels = read_wav(io.BytesIO(data))
    assert (rate, channels) == (RATE, 1)

    loud = frame_rms(recorded) >= VOICE_RMS
    assert abs(loud.sum() * FRAME / RATE - SINE_S) <= 0.1, (
        f"{loud.sum() * FRAME / RATE:.2f} s loud in the recording, the phone sent {SINE_S} s; "
        f"frame levels: {np.round(frame_rms(recorded)).astype(int).tolist()}"
    )
    first = int(np.argmax(loud))
    part = recorded[first * FRAME : (first + int(loud.sum())) * FRAME]
    assert loud[first : first + int(loud.sum())].all(), "the loud part is not in one piece"
    assert abs(dominant_frequency(part) - SINE_HZ) <= 20, dominant_frequency(part)
    level = float(np.sqrt(np.mean(part.astype(np.float64) ** 2)))
    expected = SINE_AMPLITUDE / np.sqrt(2)
    assert 0.9 * expected <= level <= 1.1 * expected, f"RMS {level:.0f}, sent {expected:.0f}"
    lag, correlation = best_alignment(recorded, sent, max_lag=len(recorded))
    assert correlation >= 0.99, (
        f"recording does not hold the sine sent (best correlation {correlation:.3f} at {lag})"
    )


async def test_prompt_reaches_the_phone_in_real_time(
    media_call: MediaCallFactory, ari: Ari, stasis: AppEvents
) -> None:
    prompt_path = require_prompts("hello-world")["hello-world"]
    prompt, _, _ = read_wav(prompt_path)
    reference = ulaw_round_trip(prompt)
    async with media_call() as call:
        rtp = call.rtp
        mark = rtp.mark()
        status, body = await ari.request(
            "POST", f"channels/{call.channel_id}/play", params={"media": "sound:hello-world"}
        )
        assert status == 201, (status, body)
        playback_id = body["id"]
        await stasis.wait_for(
            lambda e: e["type"] == "PlaybackFinished" and e["playback"]["id"] == playback_id,
            "PlaybackFinished of hello-world",
            timeout=5,
        )
        await rtp.wait_quiet(0.2, timeout=3)
        packets = rtp.received(mark)
        heard = rtp.audio(mark)

    assert packets, "no RTP reached the phone"
    assert {p.payload_type for p in packets} == {PT_PCMU}, {p.payload_type for p in packets}
    assert len({p.ssrc for p in packets}) == 1, "the SSRC changed"
    assert len({p.source for p in packets}) == 1, "packets came from more than one address"
    assert all(len(p.payload) == FRAME for p in packets), {len(p.payload) for p in packets}
    seconds = len(packets) * FRAME / RATE
    assert abs(seconds - len(prompt) / RATE) <= 0.04, (
        f"{seconds:.2f} s of PCMU for a {len(prompt) / RATE:.2f} s prompt"
    )
    assert packets[0].marker, "no marker bit on the first packet of the talkspurt"
    steps = {(b.timestamp - a.timestamp) % (1 << 32) for a, b in pairwise(packets)}
    assert steps == {FRAME}, f"RTP timestamps step by {sorted(steps)}, not {FRAME}"
    seqs = {(b.sequence - a.sequence) % (1 << 16) for a, b in pairwise(packets)}
    assert seqs == {1}, f"sequence numbers step by {sorted(seqs)}"
    gaps = np.diff([p.arrival for p in packets])
    span = packets[-1].arrival - packets[0].arrival
    assert gaps.max() < 0.060, f"a {gaps.max() * 1000:.0f} ms gap between packets"
    assert abs(span - (len(packets) - 1) * 0.020) <= 0.1, (
        f"{len(packets)} packets arrived over {span:.3f} s: not sent at 20 ms pacing"
    )
    assert abs(voiced_seconds(heard) - voiced_seconds(reference)) <= 0.1, (
        f"{voiced_seconds(heard):.2f} s non-silent, the prompt has "
        f"{voiced_seconds(reference):.2f} s"
    )
    lag, correlation = best_alignment(heard, reference)
    assert (lag, round(correlation, 2)) == (0, 1.0), (
        f"the phone did not hear hello-world as it is (lag {lag}, correlation {correlation:.3f})"
    )
