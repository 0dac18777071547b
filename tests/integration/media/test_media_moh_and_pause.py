"""Music on hold and playback pause, heard (or not) at the phone's RTP port.

A SIPp phone (``SOFTPHONE_A``) calls 242 with its RTP on a test-owned UDP
port; nothing plays, so nothing is sent. ``POST /channels/{id}/moh`` must
make non-silent PCMU arrive at 20 ms pacing and ``DELETE .../moh`` must stop
it (no packet for half a second). A playback of ``sound:tt-monkeys`` that is
paused must stop sending (no packet for half a second, the playback state
``paused``) and, unpaused, go on from where it stopped: everything the phone
heard, put end to end, is the start of the prompt.
"""

from __future__ import annotations

import asyncio
import time

import numpy as np
import pytest
from ari_app_events import AppEvents, Ari
from audio_measure import FRAME, RATE, best_alignment, read_wav, ulaw_round_trip, voiced_seconds
from media_phones import MediaCallFactory, require_moh, require_prompts
from rtp_peer import PT_PCMU, RtpPeer

pytestmark = [pytest.mark.integration, pytest.mark.timeout(30)]

#: Silence long enough to tell "stopped" from a late packet.
QUIET_S = 0.5
#: How soon after a stop request the packets must stop.
STOP_WITHIN_S = 0.1


async def _assert_stops(rtp: RtpPeer, asked_at: float, what: str) -> None:
    """The packets stop within STOP_WITHIN_S of ``asked_at`` and stay away QUIET_S."""
    last = await rtp.wait_quiet(0.1, timeout=2)
    assert last - asked_at <= STOP_WITHIN_S, (
        f"{what}: packets went on for {(last - asked_at) * 1000:.0f} ms after the request"
    )
    mark = rtp.mark()
    await asyncio.sleep(QUIET_S)
    assert rtp.received(mark) == [], f"{what}: {len(rtp.received(mark))} packets while stopped"


async def test_music_on_hold_starts_and_stops(media_call: MediaCallFactory, ari: Ari) -> None:
    require_moh()
    async with media_call() as call:
        rtp = call.rtp
        await asyncio.sleep(0.3)
        assert rtp.received() == [], "RTP sent to a channel that plays nothing"

        mark = rtp.mark()
        status, _ = await ari.request("POST", f"channels/{call.channel_id}/moh")
        assert status == 204
        await rtp.wait_until(
            lambda: voiced_seconds(rtp.audio(mark)) >= 0.6, "0.6 s of music on hold", timeout=3
        )
        packets = rtp.received(mark)
        asked = time.monotonic()
        status, _ = await ari.request("DELETE", f"channels/{call.channel_id}/moh")
        assert status == 204
        await _assert_stops(rtp, asked, "music on hold stopped")

    assert {p.payload_type for p in packets} == {PT_PCMU}
    gaps = np.diff([p.arrival for p in packets])
    assert gaps.max() < 0.060, f"a {gaps.max() * 1000:.0f} ms gap in the music"
    span = packets[-1].arrival - packets[0].arrival
    assert abs(span - (len(packets) - 1) * 0.020) <= 0.1, (
        f"{len(packets)} packets of music over {span:.3f} s: not 20 ms pacing"
    )


async def test_paused_playback_sends_nothing_and_resumes_where_it_stopped(
    media_call: MediaCallFactory, ari: Ari, stasis: AppEvents
) -> None:
    prompt, _, _ = read_wav(require_prompts("tt-monkeys")["tt-monkeys"])
    reference = ulaw_round_trip(prompt)
    async with media_call() as call:
        rtp = call.rtp
        mark = rtp.mark()
        status, body = await ari.request(
            "POST", f"channels/{call.channel_id}/play", params={"media": "sound:tt-monkeys"}
        )
        assert status == 201, (status, body)
        playback = body["id"]
        try:
            await stasis.wait_for(
                lambda e: e["type"] == "PlaybackStarted" and e["playback"]["id"] == playback,
                "PlaybackStarted",
            )
            await rtp.wait_until(
                lambda: voiced_seconds(rtp.audio(mark)) >= 0.4, "0.4 s of the prompt", timeout=3
            )

            asked = time.monotonic()
            status, _ = await ari.request(
                "POST", f"playbacks/{playback}/control", params={"operation": "pause"}
            )
            assert status == 204
            await _assert_stops(rtp, asked, "playback paused")
            status, body = await ari.request("GET", f"playbacks/{playback}")
            assert (status, body["state"]) == (200, "paused"), body

            resumed = rtp.mark()
            status, _ = await ari.request(
                "POST", f"playbacks/{playback}/control", params={"operation": "unpause"}
            )
            assert status == 204
            await rtp.wait_until(
                lambda: len(rtp.received(resumed, PT_PCMU)) >= 25,
                "0.5 s of the prompt after unpause",
                timeout=2,
            )
            status, body = await ari.request("GET", f"playbacks/{playback}")
            assert (status, body["state"]) == (200, "playing"), body
        finally:
            await ari.request("DELETE", f"playbacks/{playback}")
        await stasis.wait_for(
            lambda e: e["type"] == "PlaybackFinished" and e["playback"]["id"] == playback,
            "PlaybackFinished after DELETE /playbacks",
        )
        await rtp.wait_quiet(0.2, timeout=2)
        before = rtp.audio(mark)[: (resumed - mark) * FRAME]
        heard = rtp.audio(mark)
        last_before = rtp.received(mark)[resumed - mark - 1]
        first_after = rtp.received(resumed)[0]

    # The stream goes on after the pause as a new talkspurt of the same stream, its RTP
    # clock having run on meanwhile (RFC 3550 5.1, RFC 3551 4.1).
    assert first_after.ssrc == last_before.ssrc
    assert (first_after.sequence - last_before.sequence) % (1 << 16) == 1
    assert first_after.marker, "no marker bit on the first packet after unpause"
    wall_ms = (first_after.arrival - last_before.arrival) * 1000
    rtp_ms = ((first_after.timestamp - last_before.timestamp) % (1 << 32)) / 8
    assert abs(rtp_ms - wall_ms) <= 40, (
        f"paused {wall_ms:.0f} ms between packets, but the RTP timestamp moved {rtp_ms:.0f} ms"
    )

    assert len(before) >= 0.4 * RATE
    lag, correlation = best_alignment(heard, reference)
    assert (lag, round(correlation, 2)) == (0, 1.0), (
        f"before and after the pause together are not the prompt's start "
        f"(best lag {lag}, correlation {correlation:.3f})"
    )
    # And the part after the pause, alone, is where the prompt was left.
    after = heard[len(before) :]
    lag, correlation = best_alignment(after, reference[len(before) :])
    assert (lag, round(correlation, 2)) == (0, 1.0), (
        f"after unpause the prompt did not go on from {len(before) / RATE:.2f} s "
        f"(best lag {lag}, correlation {correlation:.3f})"
    )
