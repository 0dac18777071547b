"""The phone putting an answered call on hold and taking it off again (re-INVITE)."""

from __future__ import annotations

import pytest
from ari_app_events import AppEvents, Ari
from sipp_phone import PhoneFactory

pytestmark = pytest.mark.timeout(30)


async def test_reinvite_sendonly_holds_and_sendrecv_unholds(
    stasis: AppEvents, ari: Ari, phone: PhoneFactory, caller_name: str
) -> None:
    async with phone("hold_then_unhold.xml", dial="242") as sipp:
        start = await stasis.stasis_start(caller_name)
        channel_id = start["channel"]["id"]
        status, _ = await ari.request("POST", f"channels/{channel_id}/answer")
        assert status == 204
        first = await sipp.wait_status(200)
        _, port = first.sdp_audio() or ("", 0)

        sipp.press()  # hold: re-INVITE with a=sendonly
        await stasis.channel_event(channel_id, "ChannelHold")
        hold_ok = await sipp.wait_for(
            lambda m: not m.sent and m.status == 200 and m.cseq == 2, "200 OK to the hold"
        )
        assert "a=recvonly" in hold_ok.sdp_lines, hold_ok.text
        assert hold_ok.sdp_audio() == ("127.0.0.1", port), hold_ok.text

        sipp.press()  # unhold: re-INVITE with a=sendrecv
        await stasis.channel_event(channel_id, "ChannelUnhold")
        unhold_ok = await sipp.wait_for(
            lambda m: not m.sent and m.status == 200 and m.cseq == 3, "200 OK to the unhold"
        )
        assert "a=sendrecv" in unhold_ok.sdp_lines, unhold_ok.text

        status, _ = await ari.request("DELETE", f"channels/{channel_id}")
        assert status == 204
        assert await sipp.finish() == 0, sipp.report()

    await stasis.channel_event(channel_id, "StasisEnd")
    types = stasis.types_for(channel_id)
    assert types == [
        "StasisStart",
        "ChannelStateChange",
        "ChannelHold",
        "ChannelUnhold",
        "ChannelHangupRequest",
        "StasisEnd",
    ], types
    await ari.wait_channel_gone(channel_id)
