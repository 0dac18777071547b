"""An attended SIP transfer the core carries out between two Stasis bridges.

Phone A calls twice (two SIPp processes, one per dialog): its first call A1
(``refer_when_pressed.xml``) is bridged with phone B, its second call A2
(``answered_then_phone_hangs_up.xml``) with phone C; B and C are SIPp calls
whose RTP ports the test holds. A then sends a REFER on A1 whose Refer-To
carries ``Replaces`` naming the A2 dialog (its Call-ID and tags, learnt from
A2's INVITE and the server's 200 OK). As Asterisk 22 does when both calls are
in Stasis bridges, the two bridges are *linked* by a Local pair: the app sees
BridgeAttendedTransfer (``destination_type`` ``link``), then ``;1`` entering
the app with ``replace_channel`` = A1 and taking A1's place in bridge 1, and
``;2`` doing the same for A2 in bridge 2. A gets NOTIFY 100 then 200 and
hangs up both calls; B and C then hear each other through the link.
"""

from __future__ import annotations

import asyncio
import random
import re
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from ari_app_events import AppEvents, Ari, Event
from ariel_process import AriServer
from audio_measure import FRAME, Samples, dominant_frequency, frame_rms, sine
from media_phones import MediaCall, MediaCallFactory
from sipp_phone import SipMessage, SippPhone, sipp_path
from transfer_dialplan import transfer_server

pytestmark = [pytest.mark.integration, pytest.mark.timeout(60)]

#: What B and C say to each other after the transfer (Hz).
B_TONE, C_TONE = 440.0, 1000.0
_TAG = re.compile(r";\s*tag=([^;>\s]+)")


@pytest.fixture(scope="module")
def ariel_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AriServer]:
    """An Ariel with the transfer extensions and an RTP block of its own."""
    start = 20000 + 2 * random.randrange((32000 - 20000 - 1000) // 2)
    yield from transfer_server(
        tmp_path_factory.mktemp("ariel-transfer-attended"), rtp_block=(start, start + 1000)
    )


@pytest.fixture
async def phones_of_a(ariel_server: AriServer, ari: Ari) -> AsyncIterator[list[SippPhone]]:
    """Phone A's SIPp processes; stopped on the way out."""
    if sipp_path() is None:
        pytest.skip("sipp is not installed")
    phones: list[SippPhone] = []
    yield phones
    for made in phones:
        await made.stop()


def _tag(header: str | None) -> str:
    found = _TAG.search(header or "")
    assert found is not None, f"no tag in {header!r}"
    return found.group(1)


def _replaces_refer_to(invite: SipMessage, ok: SipMessage) -> str:
    """A Refer-To asking the server to replace the dialog of ``invite`` (RFC 3891 §5)."""
    call_id = invite.header("Call-ID") or ""
    # From the server's side the to-tag is its own (local) tag, the from-tag the phone's.
    replaces = f"{call_id};to-tag={_tag(ok.header('To'))};from-tag={_tag(invite.header('From'))}"
    return f"<sip:242@127.0.0.1?Replaces={quote(replaces, safe='')}>"


async def _answered(stasis: AppEvents, ari: Ari, name: str) -> str:
    start = await stasis.stasis_start(name)
    chan: str = start["channel"]["id"]
    status, _ = await ari.request("POST", f"channels/{chan}/answer")
    assert status == 204
    return chan


async def _bridge(ari: Ari, stasis: AppEvents, *channels: str) -> str:
    status, bridge = await ari.request("POST", "bridges", params={"type": "mixing"})
    assert status == 200
    bridge_id: str = bridge["id"]
    status, _ = await ari.request(
        "POST", f"bridges/{bridge_id}/addChannel", params={"channel": ",".join(channels)}
    )
    assert status == 204
    for chan in channels:
        await stasis.channel_event(chan, "ChannelEnteredBridge")
    return bridge_id


async def _replacement(stasis: AppEvents, name: str, replaced: str, bridge_id: str) -> str:
    """The Local half ``name`` entered the app in place of ``replaced`` and swapped in."""
    start = await stasis.wait_for(
        lambda e: e["type"] == "StasisStart" and e["channel"]["name"] == name,
        f"StasisStart of {name}",
    )
    assert start["replace_channel"]["id"] == replaced
    assert start["args"] == []
    dialplan = start["channel"]["dialplan"]
    assert (dialplan["context"], dialplan["exten"]) == ("transfer", "_attended"), dialplan
    local: str = start["channel"]["id"]
    entered = await stasis.channel_event(local, "ChannelEnteredBridge")
    assert entered["bridge"]["id"] == bridge_id
    left = await stasis.channel_event(replaced, "ChannelLeftBridge")
    assert left["bridge"]["id"] == bridge_id
    assert stasis.seen.index(entered) < stasis.seen.index(left)
    return local


def _voiced(samples: Samples) -> Samples:
    """The non-silent 20 ms frames of ``samples``, back to back."""
    rms = frame_rms(samples)
    frames = samples[: len(rms) * FRAME].reshape(-1, FRAME)
    return frames[rms >= 300.0].reshape(-1)


async def _talk(b: MediaCall, c: MediaCall) -> tuple[Samples, Samples]:
    """B and C send their tones at once; what each of them received meanwhile."""
    b_mark, c_mark = b.rtp.mark(), c.rtp.mark()
    await asyncio.gather(b.rtp.send_audio(sine(B_TONE, 1.5)), c.rtp.send_audio(sine(C_TONE, 1.5)))
    await asyncio.sleep(0.3)
    return b.rtp.audio(b_mark), c.rtp.audio(c_mark)


def _assert_transfer_event(
    event: Event, *, a1: str, a2: str, b: str, c: str, bridge1: str, bridge2: str
) -> tuple[str, str]:
    """The fields of a linked BridgeAttendedTransfer; the names of the Local halves."""
    assert event["result"] == "Success"
    assert event["destination_type"] == "link"
    assert event["is_external"] is True
    assert event["transferer_first_leg"]["id"] == a1
    assert event["transferer_second_leg"]["id"] == a2
    assert event["transferer_first_leg_bridge"]["id"] == bridge1
    assert event["transferer_second_leg_bridge"]["id"] == bridge2
    assert event["transferee"]["id"] == b
    assert event["transfer_target"]["id"] == c
    first = event["destination_link_first_leg"]["name"]
    second = event["destination_link_second_leg"]["name"]
    assert first.startswith("Local/_attended@transfer-") and first.endswith(";1")
    assert second == first[:-2] + ";2"
    # Only a transfer to an application through a Local channel names one (stasis_bridges.c).
    for absent in ("replace_channel", "destination_bridge", "destination_application"):
        assert absent not in event
    return first, second


async def test_attended_refer_between_stasis_bridges_links_them_and_the_far_ends_talk(
    ariel_server: AriServer,
    ari: Ari,
    stasis: AppEvents,
    media_call: MediaCallFactory,
    phones_of_a: list[SippPhone],
    tmp_path: Path,
    caller_name: str,
) -> None:
    async with media_call() as b, media_call() as c:
        a2_name, a1_name = f"{caller_name}-a2", f"{caller_name}-a1"
        (tmp_path / "a2").mkdir()
        a2_phone = SippPhone(
            "answered_then_phone_hangs_up.xml",
            sip_port=ariel_server.sip_port,
            workdir=tmp_path / "a2",
            dial="242",
            display=a2_name,
        )
        phones_of_a.append(a2_phone)
        async with a2_phone:
            a2 = await _answered(stasis, ari, a2_name)
            ok = await a2_phone.wait_status(200)
            invite = next(m for m in a2_phone.sent() if m.method == "INVITE")
            (tmp_path / "a1").mkdir()
            a1_phone = SippPhone(
                "refer_when_pressed.xml",
                sip_port=ariel_server.sip_port,
                workdir=tmp_path / "a1",
                dial="242",
                display=a1_name,
                options=("-key", "refer_to", _replaces_refer_to(invite, ok)),
            )
            phones_of_a.append(a1_phone)
            async with a1_phone:
                a1 = await _answered(stasis, ari, a1_name)
                bridge1 = await _bridge(ari, stasis, a1, b.channel_id)
                bridge2 = await _bridge(ari, stasis, a2, c.channel_id)
                a1_phone.press()

                event = await stasis.wait_for(
                    lambda e: e["type"] == "BridgeAttendedTransfer", "BridgeAttendedTransfer"
                )
                first, second = _assert_transfer_event(
                    event, a1=a1, a2=a2, b=b.channel_id, c=c.channel_id,
                    bridge1=bridge1, bridge2=bridge2,
                )  # fmt: skip
                one = await _replacement(stasis, first, a1, bridge1)
                two = await _replacement(stasis, second, a2, bridge2)

                notifies = await a1_phone.wait_notifies(2)
                assert "SIP/2.0 100 Trying" in notifies[0].text
                assert "SIP/2.0 200 OK" in notifies[1].text
                assert "terminated" in (notifies[1].header("Subscription-State") or "")
                assert await a1_phone.finish() == 0, a1_phone.report()
                a2_phone.press()
                assert await a2_phone.finish() == 0, a2_phone.report()
                await stasis.channel_event(a1, "StasisEnd")
                await stasis.channel_event(a2, "StasisEnd")

                at_b, at_c = await _talk(b, c)
                heard_by_c, heard_by_b = _voiced(at_c), _voiced(at_b)
                assert len(heard_by_c) >= FRAME * 50, f"C heard {len(heard_by_c) / 8000:.2f} s"
                assert len(heard_by_b) >= FRAME * 50, f"B heard {len(heard_by_b) / 8000:.2f} s"
                assert abs(dominant_frequency(heard_by_c) - B_TONE) < 5.0
                assert abs(dominant_frequency(heard_by_b) - C_TONE) < 5.0

                for bridge_id in (bridge1, bridge2):
                    status, _ = await ari.request("DELETE", f"bridges/{bridge_id}")
                    assert status == 204
                status, _ = await ari.request("DELETE", f"channels/{one}")
                assert status == 204
                await stasis.channel_event(two, "StasisEnd")
