"""SIP transfers the core carries out (``PJSIP_TRANSFER_HANDLING`` left at ``core``).

Phone A (SIPp, ``refer_when_pressed.xml``) and phone B (SIPp whose RTP the test
holds) call ``Stasis(zarniwoop)``; the test answers both and bridges them.
A then sends a blind REFER to ``300``, which answers and plays a prompt. As
Asterisk 22 does for a Stasis bridge: the app sees BridgeBlindTransfer, then a
Local ``;1`` entering the app with ``replace_channel`` = A and taking A's place
in the bridge; A gets NOTIFY 100 then NOTIFY 200 and hangs up; B hears the
prompt. A REFER from a channel in no bridge is Invalid (NOTIFY 400); one to an
extension that does not exist gets NOTIFY 404 and no event.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from ari_app_events import AppEvents, Ari
from ariel_process import AriServer
from audio_measure import voiced_seconds
from media_phones import MediaCallFactory, require_prompts
from sipp_phone import SippPhone, sipp_path
from transfer_dialplan import transfer_server

pytestmark = [pytest.mark.integration, pytest.mark.timeout(60)]


@pytest.fixture(scope="module")
def ariel_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AriServer]:
    """An Ariel with the transfer extensions and an RTP block of its own."""
    start = 20000 + 2 * random.randrange((32000 - 20000 - 1000) // 2)
    yield from transfer_server(
        tmp_path_factory.mktemp("ariel-transfer-core"), rtp_block=(start, start + 1000)
    )


@pytest.fixture
async def transferer(
    ariel_server: AriServer, ari: Ari, tmp_path: Path, caller_name: str
) -> AsyncIterator[list[SippPhone]]:
    """Phones that send a REFER when pressed; stopped on the way out."""
    if sipp_path() is None:
        pytest.skip("sipp is not installed")
    phones: list[SippPhone] = []
    yield phones
    for made in phones:
        await made.stop()


def _phone(server: AriServer, tmp_path: Path, name: str, refer_to: str) -> SippPhone:
    workdir = tmp_path / name
    workdir.mkdir()
    return SippPhone(
        "refer_when_pressed.xml",
        sip_port=server.sip_port,
        workdir=workdir,
        dial="242",
        display=name,
        options=("-key", "refer_to", refer_to),
    )


async def _answered(stasis: AppEvents, ari: Ari, name: str) -> str:
    start = await stasis.stasis_start(name)
    chan: str = start["channel"]["id"]
    status, _ = await ari.request("POST", f"channels/{chan}/answer")
    assert status == 204
    return chan


async def test_blind_refer_in_a_stasis_bridge_replaces_the_transferer_with_a_local_channel(
    ariel_server: AriServer,
    ari: Ari,
    stasis: AppEvents,
    media_call: MediaCallFactory,
    transferer: list[SippPhone],
    tmp_path: Path,
    caller_name: str,
) -> None:
    require_prompts("tt-monkeys")
    async with media_call() as b:
        a_name = f"{caller_name}-a"
        a_phone = _phone(ariel_server, tmp_path, a_name, "<sip:300@127.0.0.1>")
        transferer.append(a_phone)
        async with a_phone:
            a = await _answered(stasis, ari, a_name)
            status, bridge = await ari.request("POST", "bridges", params={"type": "mixing"})
            assert status == 200
            bridge_id = bridge["id"]
            status, _ = await ari.request(
                "POST", f"bridges/{bridge_id}/addChannel", params={"channel": f"{a},{b.channel_id}"}
            )
            assert status == 204
            await stasis.channel_event(b.channel_id, "ChannelEnteredBridge")
            a_phone.press()

            blind = await stasis.wait_for(
                lambda e: e["type"] == "BridgeBlindTransfer", "BridgeBlindTransfer"
            )
            assert blind["channel"]["id"] == a
            assert blind["transferee"]["id"] == b.channel_id
            assert blind["result"] == "Success"
            assert (blind["exten"], blind["context"]) == ("300", "sets")
            assert blind["is_external"] is True
            assert blind["bridge"]["id"] == bridge_id
            local_name = blind["replace_channel"]["name"]
            assert local_name.startswith("Local/300@sets-") and local_name.endswith(";1")

            start = await stasis.wait_for(
                lambda e: e["type"] == "StasisStart" and e["channel"]["name"] == local_name,
                "StasisStart of the replacement",
            )
            assert start["replace_channel"]["id"] == a
            assert start["args"] == []
            local = start["channel"]["id"]
            entered = await stasis.channel_event(local, "ChannelEnteredBridge")
            assert entered["bridge"]["id"] == bridge_id
            left = await stasis.channel_event(a, "ChannelLeftBridge")
            assert left["bridge"]["id"] == bridge_id
            assert stasis.seen.index(entered) < stasis.seen.index(left)

            notifies = await a_phone.wait_notifies(2)
            assert "SIP/2.0 100 Trying" in notifies[0].text
            assert "SIP/2.0 200 OK" in notifies[1].text
            assert "terminated" in (notifies[1].header("Subscription-State") or "")
            await stasis.channel_event(a, "StasisEnd", timeout=10)
            assert await a_phone.finish() == 0, a_phone.report()

            mark = b.rtp.mark()
            await asyncio.sleep(2.0)
            heard = voiced_seconds(b.rtp.audio(mark))
            assert heard > 0.5, f"B heard {heard:.2f} s of the transfer target"
            status, _ = await ari.request("DELETE", f"bridges/{bridge_id}")
            assert status == 204


async def test_blind_refer_outside_a_bridge_is_invalid_and_notified_400(
    ariel_server: AriServer,
    ari: Ari,
    stasis: AppEvents,
    transferer: list[SippPhone],
    tmp_path: Path,
    caller_name: str,
) -> None:
    a_phone = _phone(ariel_server, tmp_path, caller_name, "<sip:300@127.0.0.1>")
    transferer.append(a_phone)
    async with a_phone:
        a = await _answered(stasis, ari, caller_name)
        a_phone.press()
        blind = await stasis.wait_for(
            lambda e: e["type"] == "BridgeBlindTransfer", "BridgeBlindTransfer"
        )
        assert blind["channel"]["id"] == a
        assert blind["result"] == "Invalid"
        assert "bridge" not in blind and "replace_channel" not in blind
        notifies = await a_phone.wait_notifies(2)
        assert "SIP/2.0 400 Bad Request" in notifies[1].text
        assert await a_phone.finish() == 0, a_phone.report()


async def test_blind_refer_to_a_missing_extension_is_notified_404_without_event(
    ariel_server: AriServer,
    ari: Ari,
    stasis: AppEvents,
    transferer: list[SippPhone],
    tmp_path: Path,
    caller_name: str,
) -> None:
    a_phone = _phone(ariel_server, tmp_path, caller_name, "<sip:nowhere@127.0.0.1>")
    transferer.append(a_phone)
    async with a_phone:
        a = await _answered(stasis, ari, caller_name)
        a_phone.press()
        notifies = await a_phone.wait_notifies(2)
        assert "SIP/2.0 404 Not Found" in notifies[1].text
        assert await a_phone.finish() == 0, a_phone.report()
        await stasis.channel_event(a, "StasisEnd")
        assert not [e for e in stasis.seen if e["type"] == "BridgeBlindTransfer"]
