"""StasisBroadcast: every app is offered the call; the first claim wins; no claim times out."""

from __future__ import annotations

import pytest
from ari_app_events import AppEvents, Ari
from sipp_phone import PhoneFactory

pytestmark = [pytest.mark.integration, pytest.mark.timeout(30)]


def _broadcast_for(caller: str) -> object:
    return lambda e: e["type"] == "CallBroadcast" and e["channel"]["caller"]["name"] == caller


async def test_first_claim_wins_and_only_the_winner_gets_stasis_start(
    stasis: AppEvents, observer: AppEvents, ari: Ari, phone: PhoneFactory, caller_name: str
) -> None:
    async with phone("answered_then_bye_from_server.xml", dial="broadcast") as sipp:
        offer = await stasis.wait_for(_broadcast_for(caller_name), "CallBroadcast")  # type: ignore[arg-type]
        await observer.wait_for(_broadcast_for(caller_name), "CallBroadcast")  # type: ignore[arg-type]
        chan = offer["channel"]["id"]
        status, _ = await ari.request(
            "POST", "events/claim", params={"channelId": chan, "application": stasis.app}
        )
        assert status == 204
        status, body = await ari.request(
            "POST", "events/claim", params={"channelId": chan, "application": observer.app}
        )
        assert (status, body) == (
            409,
            {"message": "Channel has already been claimed by another application."},
        )
        start = await stasis.channel_event(chan, "StasisStart")
        assert start["application"] == stasis.app
        claimed = await observer.wait_for(lambda e: e["type"] == "CallClaimed", "CallClaimed")
        assert claimed["winner_app"] == stasis.app
        status, _ = await ari.request("POST", f"channels/{chan}/answer")
        assert status == 204
        await sipp.wait_status(200)
        status, _ = await ari.request("DELETE", f"channels/{chan}")
        assert status == 204
        assert await sipp.finish() == 0, sipp.report()
    assert "StasisStart" not in observer.types_for(chan)


async def test_no_claim_times_out_and_the_dialplan_goes_on(
    observer: AppEvents, ari: Ari, phone: PhoneFactory, caller_name: str
) -> None:
    status, body = await ari.request(
        "POST", "events/claim", params={"channelId": "nope", "application": "x"}
    )
    assert (status, body) == (404, {"message": "Channel not found or not in broadcast state."})
    async with phone("rejected.xml", dial="broadcast-quick") as sipp:
        offer = await observer.wait_for(_broadcast_for(caller_name), "CallBroadcast")  # type: ignore[arg-type]
        chan = offer["channel"]["id"]
        varset = await observer.wait_for(
            lambda e: (
                e["type"] == "ChannelVarset"
                and e["channel"]["id"] == chan
                and e["variable"] == "STASISSTATUS"
            ),
            "STASISSTATUS",
        )
        assert varset["value"] == "TIMEOUT"
        assert await sipp.finish() == 0, sipp.report()
