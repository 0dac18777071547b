"""A caller giving up while the phone rings: 180 Ringing over ARI, then CANCEL."""

from __future__ import annotations

import pytest
from ari_app_events import AppEvents, Ari
from sipp_phone import PhoneFactory

pytestmark = pytest.mark.timeout(30)


async def test_cancel_while_ringing_gets_487_and_ends_stasis(
    stasis: AppEvents, ari: Ari, phone: PhoneFactory, caller_name: str
) -> None:
    async with phone("cancelled_while_ringing.xml", dial="242") as sipp:
        start = await stasis.stasis_start(caller_name)
        channel_id = start["channel"]["id"]
        status, _ = await ari.request("POST", f"channels/{channel_id}/ring")
        assert status == 204
        await sipp.wait_status(180)  # the scenario cancels on hearing it

        await stasis.channel_event(channel_id, "ChannelHangupRequest")
        await stasis.channel_event(channel_id, "StasisEnd")
        assert await sipp.finish() == 0, sipp.report()

    assert sipp.statuses() == [100, 180, 487], sipp.report()
    assert sipp.statuses("CANCEL") == [200], sipp.report()
    assert [m.method for m in sipp.sent()] == ["INVITE", "CANCEL", "ACK"], sipp.report()
    types = stasis.types_for(channel_id)
    assert "ChannelStateChange" not in types, types
    await ari.wait_channel_gone(channel_id)
