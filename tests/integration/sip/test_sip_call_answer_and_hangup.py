"""An inbound SIP call answered over ARI, then hung up by either side.

A SIPp phone (From ``SOFTPHONE_A``) dials 242, which runs
``Stasis(zarniwoop)``; the test drives the channel over ARI and checks both
what the application sees (events) and what the phone hears (SIP).
"""

from __future__ import annotations

import pytest
from ari_app_events import AppEvents, Ari
from sipp_phone import PhoneFactory

pytestmark = pytest.mark.timeout(30)

RTP_START, RTP_END = 10000, 20000  # rtp.conf of the test configuration


async def test_answered_call_hung_up_over_ari_sends_bye_and_ends_stasis(
    stasis: AppEvents, ari: Ari, phone: PhoneFactory, caller_name: str
) -> None:
    async with phone("answered_then_bye_from_server.xml", dial="242") as sipp:
        start = await stasis.stasis_start(caller_name)
        channel = start["channel"]
        channel_id = channel["id"]
        assert start["args"] == []
        assert channel["state"] == "Ring"
        assert channel["name"].startswith("PJSIP/SOFTPHONE_A-")
        assert channel["caller"] == {"name": caller_name, "number": "SOFTPHONE_A"}
        assert channel["dialplan"]["context"] == "sets"
        assert channel["dialplan"]["exten"] == "242"
        assert channel["protocol_id"] == sipp.call_id
        status, body = await ari.request("GET", f"channels/{channel_id}")
        assert (status, body["state"]) == (200, "Ring")

        status, _ = await ari.request("POST", f"channels/{channel_id}/answer")
        assert status == 204
        change = await stasis.channel_event(channel_id, "ChannelStateChange")
        assert change["channel"]["state"] == "Up"
        ok = await sipp.wait_status(200)
        address, port = ok.sdp_audio() or ("", 0)
        assert address == "127.0.0.1", ok.text
        assert RTP_START <= port <= RTP_END, ok.text
        assert "a=rtpmap:0 PCMU/8000" in ok.sdp_lines, ok.text

        status, _ = await ari.request("DELETE", f"channels/{channel_id}")
        assert status == 204
        await sipp.wait_request("BYE")
        assert await sipp.finish() == 0, sipp.report()

    hangup = await stasis.channel_event(channel_id, "ChannelHangupRequest")
    await stasis.channel_event(channel_id, "StasisEnd")
    assert hangup["channel"]["id"] == channel_id
    types = stasis.types_for(channel_id)
    assert types.index("ChannelHangupRequest") < types.index("StasisEnd"), types
    assert sipp.statuses() == [100, 200], sipp.report()
    await ari.wait_channel_gone(channel_id)


async def test_phone_hanging_up_an_answered_call_ends_stasis(
    stasis: AppEvents, ari: Ari, phone: PhoneFactory, caller_name: str
) -> None:
    async with phone("answered_then_phone_hangs_up.xml", dial="242") as sipp:
        start = await stasis.stasis_start(caller_name)
        channel_id = start["channel"]["id"]
        status, _ = await ari.request("POST", f"channels/{channel_id}/answer")
        assert status == 204
        change = await stasis.channel_event(channel_id, "ChannelStateChange")
        assert change["channel"]["state"] == "Up"
        await sipp.wait_status(200)

        sipp.press()  # the user hangs up: the phone sends BYE
        await stasis.channel_event(channel_id, "ChannelHangupRequest")
        await stasis.channel_event(channel_id, "StasisEnd")
        assert await sipp.finish() == 0, sipp.report()

    assert sipp.statuses("BYE") == [200], sipp.report()
    types = stasis.types_for(channel_id)
    assert types == ["StasisStart", "ChannelStateChange", "ChannelHangupRequest", "StasisEnd"]
    await ari.wait_channel_gone(channel_id)
