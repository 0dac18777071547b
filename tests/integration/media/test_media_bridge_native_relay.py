"""Two SIP calls in a mixing bridge exchange their RTP packets untouched (native_rtp).

Phone A sends PCMU packets with its own timing -- a timestamp jump where a
phone that suppresses silence would leave one. Phone B must receive the very
packets (payload, timestamps, SSRC), as the reference's native RTP bridge
forwards them: not decoded, mixed and re-paced (which would give B's own
SSRC, steps of 160 and new bytes).
While B hears a playback of its own, nothing of A is relayed to it; once the
playback ends, forwarding resumes.
"""

from __future__ import annotations

import asyncio

import pytest
from ari_app_events import AppEvents, Ari
from audio_measure import dominant_frequency, sine, voiced_seconds
from media_phones import MediaCall, MediaCallFactory, require_prompts
from rtp_peer import PT_PCMU

pytestmark = [pytest.mark.integration, pytest.mark.timeout(40)]

#: Timestamps A stamps its packets with: three frames, 1680 samples of nothing, two more.
TIMESTAMPS = [1000, 1160, 1320, 3000, 3160]


def _payloads(first: int) -> list[bytes]:
    return [bytes([first + i]) * 160 for i in range(len(TIMESTAMPS))]


async def _send_with_own_timing(call: MediaCall, payloads: list[bytes]) -> None:
    previous = None
    for payload, ts in zip(payloads, TIMESTAMPS, strict=True):
        marker = previous is None or ts - previous > 160
        call.rtp._send(PT_PCMU, payload, marker=marker, timestamp=ts)
        previous = ts
        await asyncio.sleep(0.02)


async def _bridge_of(ari: Ari, a: MediaCall, b: MediaCall) -> dict[str, str]:
    """A mixing bridge holding both calls."""
    status, bridge = await ari.request("POST", "bridges", params={"type": "mixing"})
    assert status == 200
    status, _ = await ari.request(
        "POST",
        f"bridges/{bridge['id']}/addChannel",
        params={"channel": f"{a.channel_id},{b.channel_id}"},
    )
    assert status == 204
    return bridge


async def _relayed(a: MediaCall, b: MediaCall, first: int) -> None:
    payloads = _payloads(first)
    mark = b.rtp.mark()
    await _send_with_own_timing(a, payloads)
    await b.rtp.wait_until(lambda: len(b.rtp.received(mark)) >= len(payloads), "A's packets")
    got = b.rtp.received(mark)
    assert [p.payload for p in got] == payloads
    assert [p.timestamp for p in got] == TIMESTAMPS
    assert {p.ssrc for p in got} == {a.rtp._ssrc}
    assert [p.marker for p in got] == [True, False, False, True, False]


async def test_bridged_calls_forward_packets_untouched_except_while_one_hears_a_playback(
    media_call: MediaCallFactory, ari: Ari, stasis: AppEvents
) -> None:
    require_prompts("beep")
    async with media_call() as a, media_call() as b:
        bridge = await _bridge_of(ari, a, b)
        await asyncio.sleep(0.1)
        await _relayed(a, b, first=0x10)

        status, playback = await ari.request(
            "POST", f"channels/{b.channel_id}/play", params={"media": "sound:beep"}
        )
        assert status == 201
        mark = b.rtp.mark()
        await _send_with_own_timing(a, _payloads(0x40))
        heard = {p.payload for p in b.rtp.received(mark)}
        assert not heard & set(_payloads(0x40)), "A was relayed over B's playback"
        await stasis.wait_for(
            lambda e: e["type"] == "PlaybackFinished" and e["playback"]["id"] == playback["id"],
            "PlaybackFinished of the beep",
            timeout=5,
        )
        await asyncio.sleep(0.1)
        await _relayed(a, b, first=0x60)
        status, _ = await ari.request("DELETE", f"bridges/{bridge['id']}")
        assert status == 204


async def test_a_third_party_joining_a_relaying_bridge_hears_both(
    media_call: MediaCallFactory, ari: Ari
) -> None:
    async with media_call() as a, media_call() as b, media_call() as c:
        bridge = await _bridge_of(ari, a, b)
        await asyncio.sleep(0.1)
        await _relayed(a, b, first=0x10)
        status, _ = await ari.request(
            "POST", f"bridges/{bridge['id']}/addChannel", params={"channel": c.channel_id}
        )
        assert status == 204
        await asyncio.sleep(0.1)
        mark = c.rtp.mark()
        await a.rtp.send_audio(sine(700, 1.0))
        await c.rtp.wait_until(
            lambda: voiced_seconds(c.rtp.audio(mark)) >= 0.6, "A's tone at C", timeout=5
        )
        assert abs(dominant_frequency(c.rtp.audio(mark)) - 700) < 10
        status, _ = await ari.request("DELETE", f"bridges/{bridge['id']}")
        assert status == 204


async def test_a_bridge_playback_reaches_both_relaying_parties(
    media_call: MediaCallFactory, ari: Ari, stasis: AppEvents
) -> None:
    require_prompts("tt-monkeys")
    async with media_call() as a, media_call() as b:
        bridge = await _bridge_of(ari, a, b)
        await asyncio.sleep(0.2)  # relaying, and the channels no longer asked
        await _relayed(a, b, first=0x10)
        marks = (a.rtp.mark(), b.rtp.mark())
        status, _ = await ari.request(
            "POST", f"bridges/{bridge['id']}/play", params={"media": "sound:tt-monkeys"}
        )
        assert status == 201
        for call, mark in zip((a, b), marks, strict=True):
            await call.rtp.wait_until(
                lambda call=call, mark=mark: voiced_seconds(call.rtp.audio(mark)) >= 1.0,
                "1 s of the bridge's playback",
            )
        status, _ = await ari.request("DELETE", f"bridges/{bridge['id']}")
        assert status == 204
