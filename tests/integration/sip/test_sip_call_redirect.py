"""ARI redirect: an unanswered caller gets 302 to the target endpoint; error codes.

Also the reference's state gate: a channel created but not dialled refuses
control operations with 412, before their arguments are even looked at.
"""

from __future__ import annotations

import pytest
from ari_app_events import AppEvents, Ari
from sipp_phone import PhoneFactory

pytestmark = [pytest.mark.integration, pytest.mark.timeout(30)]


async def test_redirect_of_an_unanswered_call_sends_302_to_the_target_contact(
    stasis: AppEvents, ari: Ari, phone: PhoneFactory, caller_name: str
) -> None:
    async with phone("redirected.xml", dial="242") as sipp:
        start = await stasis.stasis_start(caller_name)
        chan = start["channel"]["id"]
        status, _ = await ari.request(
            "POST", f"channels/{chan}/redirect", params={"endpoint": "PJSIP/SOFTPHONE_B"}
        )
        assert status == 204
        moved = await sipp.wait_status(302)
        assert "Contact: <sip:SOFTPHONE_B@127.0.0.1:5072>" in moved.text, moved.text
        assert await sipp.finish() == 0, sipp.report()
    await stasis.channel_event(chan, "StasisEnd")


async def test_redirect_errors(
    stasis: AppEvents, ari: Ari, phone: PhoneFactory, caller_name: str
) -> None:
    status, body = await ari.request(
        "POST", "channels/12345/redirect", params={"endpoint": "PJSIP/SOFTPHONE_B"}
    )
    assert (status, body) == (404, {"message": "Channel not found"})
    async with phone("answered_then_bye_from_server.xml", dial="242") as sipp:
        start = await stasis.stasis_start(caller_name)
        chan = start["channel"]["id"]
        status, _ = await ari.request("POST", f"channels/{chan}/redirect")
        assert status == 400
        for endpoint in ("Local/s@default", "PJSIP/"):
            status, _ = await ari.request(
                "POST", f"channels/{chan}/redirect", params={"endpoint": endpoint}
            )
            assert status == 422, endpoint
        status, _ = await ari.request("POST", f"channels/{chan}/answer")
        assert status == 204
        await sipp.wait_status(200)
        status, _ = await ari.request("DELETE", f"channels/{chan}")
        assert status == 204
        assert await sipp.finish() == 0, sipp.report()


async def test_a_created_channel_refuses_control_with_412_before_checking_arguments(
    ari: Ari, stasis: AppEvents
) -> None:
    status, chan = await ari.request(
        "POST", "channels/create", params={"endpoint": "PJSIP/SOFTPHONE_B", "app": "zarniwoop"}
    )
    assert status == 200 and chan["state"] == "Down"
    ident = chan["id"]
    await stasis.channel_event(ident, "StasisStart")
    gated = [
        ("POST", "continue", {}),
        ("POST", "redirect", {"endpoint": "doesnt_matter"}),
        ("POST", "answer", {}),
        ("POST", "dtmf", {"dtmf": "12345"}),
        ("POST", "ring", {}),
        ("DELETE", "ring", {}),
        ("POST", "mute", {}),
        ("DELETE", "mute", {}),
        ("POST", "hold", {}),
        ("DELETE", "hold", {}),
        ("POST", "moh", {}),
        ("DELETE", "moh", {}),
        ("POST", "silence", {}),
        ("DELETE", "silence", {}),
        ("POST", "play", {"media": "sound:silence/5"}),
    ]
    for method, path, params in gated:
        status, body = await ari.request(method, f"channels/{ident}/{path}", params=params)
        assert (status, body) == (412, {"message": "Channel in invalid state"}), (method, path)
    status, _ = await ari.request("GET", f"channels/{ident}")
    assert status == 200
    status, _ = await ari.request("DELETE", f"channels/{ident}")
    assert status == 204
