"""Inbound SIP calls that never get answered: refused over ARI, by the
dialplan, or because the caller is unknown."""

from __future__ import annotations

import pytest
from ari_app_events import AppEvents, Ari
from sipp_phone import PhoneFactory

pytestmark = pytest.mark.timeout(30)


async def test_hangup_with_reason_busy_before_answer_sends_486(
    stasis: AppEvents, ari: Ari, phone: PhoneFactory, caller_name: str
) -> None:
    async with phone("rejected.xml", dial="242") as sipp:
        start = await stasis.stasis_start(caller_name)
        channel_id = start["channel"]["id"]
        status, _ = await ari.request("DELETE", f"channels/{channel_id}", params={"reason": "busy"})
        assert status == 204
        assert await sipp.finish() == 0, sipp.report()

    hangup = await stasis.channel_event(channel_id, "ChannelHangupRequest")
    await stasis.channel_event(channel_id, "StasisEnd")
    # As in Asterisk, an API hangup reports the soft-hangup flag
    # (AST_SOFTHANGUP_EXPLICIT) as its "cause", not the reason's Q.850 cause.
    assert (hangup.get("cause"), hangup.get("soft")) == (32, True), hangup
    assert sipp.statuses() == [100, 486], sipp.report()
    assert sipp.response(486).start_line == "SIP/2.0 486 Busy Here"
    assert [m.method for m in sipp.sent()] == ["INVITE", "ACK"], sipp.report()
    await ari.wait_channel_gone(channel_id)


async def test_hangup_without_reason_before_answer_declines_with_603(
    stasis: AppEvents, ari: Ari, phone: PhoneFactory, caller_name: str
) -> None:
    async with phone("rejected.xml", dial="242") as sipp:
        start = await stasis.stasis_start(caller_name)
        channel_id = start["channel"]["id"]
        status, _ = await ari.request("DELETE", f"channels/{channel_id}")
        assert status == 204
        assert await sipp.finish() == 0, sipp.report()

    await stasis.channel_event(channel_id, "StasisEnd")
    assert sipp.statuses() == [100, 603], sipp.report()
    await ari.wait_channel_gone(channel_id)


async def test_unknown_caller_gets_403_and_no_channel(
    observer: AppEvents, ari: Ari, phone: PhoneFactory, caller_name: str
) -> None:
    async with phone("rejected.xml", dial="242", from_user="NOBODY_KNOWN") as sipp:
        assert await sipp.finish() == 0, sipp.report()

    assert sipp.statuses() == [100, 403], sipp.report()
    # A channel would have been announced before the 403 went out.
    await observer.collect(0.2)
    assert observer.about_caller(caller_name) == []
    assert [c for c in await ari.channels() if c["caller"]["name"] == caller_name] == []


async def test_dialplan_hangup_with_cause_21_sends_403(
    observer: AppEvents, ari: Ari, phone: PhoneFactory, caller_name: str
) -> None:
    async with phone("rejected.xml", dial="reject") as sipp:
        created = await observer.wait_for(
            lambda e: (
                e["type"] == "ChannelCreated" and e["channel"]["caller"]["name"] == caller_name
            ),
            f"ChannelCreated for {caller_name}",
        )
        channel_id = created["channel"]["id"]
        assert created["channel"]["dialplan"]["exten"] == "reject"
        destroyed = await observer.channel_event(channel_id, "ChannelDestroyed")
        assert await sipp.finish() == 0, sipp.report()

    assert (destroyed["cause"], destroyed["cause_txt"]) == (21, "Call Rejected")
    assert sipp.statuses() == [100, 403], sipp.report()
    await ari.wait_channel_gone(channel_id)
