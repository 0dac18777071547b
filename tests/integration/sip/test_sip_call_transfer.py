"""A transfer the caller asks for (SIP REFER) is handed to the application.

As in Asterisk 22 this needs ``Set(PJSIP_TRANSFER_HANDLING()=ari-only)`` in the
dialplan (extension ``ari-only`` of :mod:`transfer_dialplan`); the default,
``core``, carries transfers out itself (``test_media_transfer_core.py``). The
phone, once answered, sends REFER with ``Refer-To: sip:300@...``. It gets 202,
the application sees ChannelTransfer naming the destination, and each
``transfer_progress`` reaches the phone as a NOTIFY with a sipfrag.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from ari_app_events import AppEvents, Ari
from ariel_process import AriServer
from sipp_phone import PhoneFactory, SipMessage, SippPhone
from transfer_dialplan import transfer_server

pytestmark = [pytest.mark.integration, pytest.mark.timeout(30)]


@pytest.fixture(scope="module")
def ariel_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AriServer]:
    """An Ariel whose dialplan has the ``ari-only`` extension."""
    yield from transfer_server(tmp_path_factory.mktemp("ariel-transfer"))


async def test_refer_becomes_channel_transfer_and_progress_goes_back_as_notify(
    stasis: AppEvents, ari: Ari, phone: PhoneFactory, caller_name: str
) -> None:
    async with phone("refer_after_answer.xml", dial="ari-only") as sipp:
        start = await stasis.stasis_start(caller_name)
        chan = start["channel"]["id"]
        status, _ = await ari.request(
            "POST", f"channels/{chan}/transfer_progress", params={"states": "channel_progress"}
        )
        assert status == 400  # nothing asked yet
        status, _ = await ari.request("POST", f"channels/{chan}/answer")
        assert status == 204
        transfer = await stasis.wait_for(
            lambda e: e["type"] == "ChannelTransfer", "ChannelTransfer"
        )
        destination = transfer["refer_to"]["requested_destination"]["destination"]
        assert destination.startswith("sip:300@")
        assert transfer["referred_by"]["source_channel"]["id"] == chan
        status, _ = await ari.request(
            "POST", f"channels/{chan}/transfer_progress", params={"states": "bogus"}
        )
        assert status == 400
        for state in ("channel_progress", "channel_answered"):
            status, _ = await ari.request(
                "POST", f"channels/{chan}/transfer_progress", params={"states": state}
            )
            assert status == 204, state
        notifies = await _notifies(sipp, 2)
        assert "SIP/2.0 100 Trying" in notifies[0].text
        assert "SIP/2.0 200 OK" in notifies[1].text
        assert "terminated" in notifies[1].text
        assert await sipp.finish() == 0, sipp.report()
    await stasis.channel_event(chan, "StasisEnd")


async def _notifies(sipp: SippPhone, count: int) -> list[SipMessage]:
    await sipp.wait_request("NOTIFY")
    for _ in range(50):
        found = [m for m in sipp.received() if m.method == "NOTIFY"]
        if len(found) >= count:
            return found
        await asyncio.sleep(0.1)
    raise AssertionError(f"fewer than {count} NOTIFYs received:\n{sipp.report()}")
