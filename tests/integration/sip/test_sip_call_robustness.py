"""What a phone or the network may throw at the SIP port: junk datagrams, an
OPTIONS ping, a BYE for a call long gone, an INVITE delivered twice."""

from __future__ import annotations

import socket

import pytest
from ari_app_events import AppEvents, Ari
from ariel_process import AriServer
from sipp_phone import PhoneFactory

pytestmark = pytest.mark.timeout(30)

JUNK = [
    b"\x00\xff\xfe garbage that is not SIP\r\n\r\n",
    b"INVITE sip:242@127.0.0.1 SIP/2.0\r\nVia: broken\r\nContent-Length: 99999\r\n\r\nv=0",
    b"SIP/2.0 200 OK\r\nCSeq: 1 INVITE\r\n\r\n",
    b"\r\n\r\n",
]


async def test_malformed_datagrams_then_options_ping_gets_200(
    ariel_server: AriServer, ari: Ari, phone: PhoneFactory
) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        for datagram in JUNK:
            sock.sendto(datagram, ("127.0.0.1", ariel_server.sip_port))

    async with phone("options_ping.xml") as sipp:
        assert await sipp.finish() == 0, sipp.report()

    assert sipp.statuses("OPTIONS") == [200], sipp.report()
    assert ariel_server.process.poll() is None
    status, _ = await ari.request("GET", "asterisk/ping")
    assert status == 200


async def test_a_call_after_malformed_datagrams_still_reaches_stasis(
    ariel_server: AriServer,
    stasis: AppEvents,
    ari: Ari,
    phone: PhoneFactory,
    caller_name: str,
) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        for datagram in JUNK:
            sock.sendto(datagram, ("127.0.0.1", ariel_server.sip_port))

    async with phone("rejected.xml", dial="242") as sipp:
        start = await stasis.stasis_start(caller_name)
        channel_id = start["channel"]["id"]
        status, _ = await ari.request("DELETE", f"channels/{channel_id}", params={"reason": "busy"})
        assert status == 204
        assert await sipp.finish() == 0, sipp.report()

    assert sipp.statuses() == [100, 486], sipp.report()
    await ari.wait_channel_gone(channel_id)


async def test_bye_for_a_dialog_that_does_not_exist_gets_481(phone: PhoneFactory) -> None:
    async with phone("stray_bye.xml") as sipp:
        assert await sipp.finish() == 0, sipp.report()

    assert sipp.statuses("BYE") == [481], sipp.report()
    assert sipp.response(481, "BYE").start_line == "SIP/2.0 481 Call/Transaction Does Not Exist"


async def test_a_duplicated_invite_makes_one_channel_and_repeats_the_100(
    stasis: AppEvents, ari: Ari, phone: PhoneFactory, caller_name: str
) -> None:
    # -nr: SIPp would take the repeated 100 for a retransmission and resend
    # its last message, the INVITE, again and again.
    async with phone("invite_twice_rejected.xml", dial="242", options=["-nr"]) as sipp:
        start = await stasis.stasis_start(caller_name)
        channel_id = start["channel"]["id"]
        # RFC 3261 17.2.1: a retransmission received in "Proceeding" gets the
        # most recent provisional response again.
        await sipp.wait_for(
            lambda m: len([r for r in sipp.received() if r.status == 100]) >= 2,
            "a second 100 Trying, answering the duplicate INVITE",
        )
        invites = [m for m in sipp.sent() if m.method == "INVITE"]
        assert len(invites) == 2
        assert invites[0].header("Via") == invites[1].header("Via")
        listed = [c["id"] for c in await ari.channels() if c["caller"]["name"] == caller_name]
        assert listed == [channel_id]
        status, _ = await ari.request("DELETE", f"channels/{channel_id}", params={"reason": "busy"})
        assert status == 204
        assert await sipp.finish() == 0, sipp.report()

    await stasis.channel_event(channel_id, "StasisEnd")
    await stasis.collect(0.2)
    starts = [e for e in stasis.about_caller(caller_name) if e["type"] == "StasisStart"]
    assert len(starts) == 1, stasis.recap()
    assert sipp.statuses() == [100, 486], sipp.report()
    await ari.wait_channel_gone(channel_id)
