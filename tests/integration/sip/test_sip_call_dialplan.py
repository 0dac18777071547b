"""What the dialplan does before Stasis shows in StasisStart: arguments from
``Stasis(app,args...)`` and an ``Answer()`` before it."""

from __future__ import annotations

import pytest
from ari_app_events import AppEvents, Ari
from sipp_phone import PhoneFactory

pytestmark = pytest.mark.timeout(30)


async def test_extension_243_passes_its_stasis_args(
    stasis: AppEvents, ari: Ari, phone: PhoneFactory, caller_name: str
) -> None:
    async with phone("rejected.xml", dial="243") as sipp:
        start = await stasis.stasis_start(caller_name)
        channel_id = start["channel"]["id"]
        assert start["args"] == ["alpha", "beta"]
        assert start["channel"]["dialplan"]["exten"] == "243"
        assert start["channel"]["state"] == "Ring"
        status, _ = await ari.request("DELETE", f"channels/{channel_id}")
        assert status == 204
        assert await sipp.finish() == 0, sipp.report()

    await stasis.channel_event(channel_id, "StasisEnd")
    await ari.wait_channel_gone(channel_id)


async def test_extension_245_answers_before_stasis_so_the_channel_starts_up(
    stasis: AppEvents, ari: Ari, phone: PhoneFactory, caller_name: str
) -> None:
    async with phone("answered_then_bye_from_server.xml", dial="245") as sipp:
        start = await stasis.stasis_start(caller_name)
        channel_id = start["channel"]["id"]
        assert start["args"] == ["answered"]
        assert start["channel"]["state"] == "Up"
        ok = await sipp.wait_status(200)
        assert ok.sdp_audio() is not None, ok.text

        status, _ = await ari.request("DELETE", f"channels/{channel_id}")
        assert status == 204
        await sipp.wait_request("BYE")
        assert await sipp.finish() == 0, sipp.report()

    await stasis.channel_event(channel_id, "StasisEnd")
    types = stasis.types_for(channel_id)
    assert "ChannelStateChange" not in types, types
    assert sipp.statuses() == [100, 200], sipp.report()
    await ari.wait_channel_gone(channel_id)
