"""RFC 4733 digits in both directions on a real call.

A SIPp phone (``SOFTPHONE_A``) calls 242 and offers PCMU plus
telephone-event/8000 on payload type 101 at a UDP port the test owns. From
that port the test sends 200 ms of PCMU silence (so the server has learnt the
phone's RTP source) and then the digits ``1``, ``#``, ``5`` as phones do; the
Stasis application must see one ``ChannelDtmfReceived`` per digit, with the
held duration. Then ``POST /channels/{id}/dtmf?dtmf=29*`` must reach the port
as three telephone-events: one RTP timestamp each, a marker on the first
packet, a duration that never shrinks, and end packets carrying the duration
asked for.
"""

from __future__ import annotations

from itertools import groupby, pairwise

import pytest
from ari_app_events import AppEvents, Ari
from media_phones import MediaCallFactory
from rtp_peer import PT_EVENT, RtpPacket, TelephoneEvent

pytestmark = [pytest.mark.integration, pytest.mark.timeout(30)]

#: Digits the phone sends, and for how long each is held (ms).
PHONE_DIGITS = (("1", 120), ("#", 200), ("5", 80))
#: How far ChannelDtmfReceived.duration_ms may be from what the phone held.
DURATION_TOLERANCE_MS = 40
SERVER_DIGITS = "29*"
SERVER_DURATION_MS = 120
SERVER_BETWEEN_MS = 100


async def test_phone_digits_become_channel_dtmf_received_events(
    media_call: MediaCallFactory, stasis: AppEvents
) -> None:
    async with media_call() as call:
        assert "a=rtpmap:101 telephone-event/8000" in call.answer.sdp_lines, call.answer.text
        await call.rtp.send_silence(0.2)
        for digit, held_ms in PHONE_DIGITS:
            await call.rtp.send_digit(digit, held_ms)
            await call.rtp.send_silence(0.1)

        received = [
            await stasis.channel_event(call.channel_id, "ChannelDtmfReceived") for _ in PHONE_DIGITS
        ]
        # Three end packets per digit: still exactly one event each.
        await stasis.collect(0.3)
        extra = [
            e
            for e in stasis.seen
            if e["type"] == "ChannelDtmfReceived"
            and e["channel"]["id"] == call.channel_id
            and e not in received
        ]

    digits = [e["digit"] for e in received]
    assert digits == [d for d, _ in PHONE_DIGITS], received
    assert extra == [], f"digits reported more than once: {extra}"
    for event, (digit, held_ms) in zip(received, PHONE_DIGITS, strict=True):
        assert abs(event["duration_ms"] - held_ms) <= DURATION_TOLERANCE_MS, (
            f"digit {digit} held {held_ms} ms reported as {event['duration_ms']} ms"
        )


def _by_event(events: list[TelephoneEvent]) -> list[list[TelephoneEvent]]:
    """Telephone-event packets grouped by RTP timestamp (one group per event)."""
    return [list(group) for _, group in groupby(events, key=lambda e: e.timestamp)]


async def _server_digits(
    media_call: MediaCallFactory, ari: Ari
) -> tuple[list[list[TelephoneEvent]], list[RtpPacket]]:
    """POSTs /dtmf on a fresh call; the telephone-events received (grouped) and all packets."""
    async with media_call() as call:
        assert "a=rtpmap:101 telephone-event/8000" in call.answer.sdp_lines, call.answer.text
        rtp = call.rtp
        await rtp.send_silence(0.2)  # the server learns where the phone's RTP comes from
        mark = rtp.mark()
        status, body = await ari.request(
            "POST",
            f"channels/{call.channel_id}/dtmf",
            params={
                "dtmf": SERVER_DIGITS,
                "duration": SERVER_DURATION_MS,
                "between": SERVER_BETWEEN_MS,
            },
        )
        assert status == 204, (status, body)

        def all_ended() -> bool:
            groups = _by_event(rtp.events(mark))
            return len(groups) >= len(SERVER_DIGITS) and all(any(p.end for p in g) for g in groups)

        await rtp.wait_until(all_ended, f"the end packets of {SERVER_DIGITS!r}", timeout=5)
        await rtp.wait_quiet(0.2, timeout=3)
        return _by_event(rtp.events(mark)), rtp.received(mark)


async def test_post_dtmf_sends_telephone_events_to_the_phone(
    media_call: MediaCallFactory, ari: Ari
) -> None:
    groups, packets = await _server_digits(media_call, ari)

    timestamps = [g[0].timestamp for g in groups]
    assert len(set(timestamps)) == len(timestamps), f"a timestamp reused: {groups}"
    assert "".join(g[0].digit for g in groups) == SERVER_DIGITS, groups
    assert {p.payload_type for p in packets} == {PT_EVENT}, "audio sent along with the digits"
    for group in groups:
        digit = group[0].digit
        assert {p.event for p in group} == {group[0].event}, f"{digit}: codes change: {group}"
        assert group[0].marker, f"{digit}: no marker bit on the first packet: {group}"
        assert not any(p.marker for p in group[1:]), f"{digit}: marker after the first: {group}"
        durations = [p.duration for p in group]
        assert durations == sorted(durations), f"{digit}: duration shrinks: {durations}"
        ends = [p for p in group if p.end]
        assert ends, f"{digit}: no end packet: {group}"
        assert group[-1].end, f"{digit}: packets after the end: {group}"
        assert len({p.duration for p in ends}) == 1, f"{digit}: end packets differ: {ends}"
        held_ms = ends[0].duration / 8
        assert abs(held_ms - SERVER_DURATION_MS) <= 20, (
            f"{digit}: end packet says {held_ms} ms, asked for {SERVER_DURATION_MS} ms"
        )
    # Each event starts after the previous one ended (RTP time moves forward).
    for before, after in pairwise(groups):
        end = before[0].timestamp + before[-1].duration
        assert (after[0].timestamp - end) % (1 << 32) < 1 << 31, (
            f"event {after[0].digit} starts at {after[0].timestamp}, before "
            f"{before[0].digit} ends at {end}"
        )


async def test_post_dtmf_event_timestamps_follow_the_clock(
    media_call: MediaCallFactory, ari: Ari
) -> None:
    groups, _ = await _server_digits(media_call, ari)

    assert len(groups) == len(SERVER_DIGITS), groups
    for before, after in pairwise(groups):
        wall_ms = (after[0].arrival - before[0].arrival) * 1000
        rtp_ms = ((after[0].timestamp - before[0].timestamp) % (1 << 32)) / 8
        assert abs(rtp_ms - wall_ms) <= 40, (
            f"{before[0].digit} -> {after[0].digit}: first packets {wall_ms:.0f} ms apart, "
            f"timestamps {rtp_ms:.0f} ms apart"
        )
