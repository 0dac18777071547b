"""SIP transfers the core carries out from the basic bridge ``Dial`` makes.

Phone A (SIPp) dials ``dial-b`` or ``dial-c``, whose ``Dial(PJSIP/...)``
calls phone B or C: SIPp answering phones whose RTP the test holds. Nothing
is in Stasis; an application connected with ``subscribeAll=true`` sees it all.

* Blind: A sends a REFER to ``300`` (answers, plays ``tt-monkeys``). As
  Asterisk 22 does for a two-party bridge, B leaves the bridge and runs the
  dialplan at ``300@sets``; BridgeBlindTransfer names B as the transferee and
  no replacement; A gets NOTIFY 100 then 200 and hangs up; B hears the prompt.
* Attended: A calls B (bridge 1) and C (bridge 2), then REFERs the B call
  with ``Replaces`` naming the C call. Both bridges hold two channels, so
  ``ast_bridges_allow_optimization`` *swaps*: B moves into bridge 2 in place
  of A's second leg, A's first leg leaves bridge 1 (which dissolves) and no
  BridgeMerged is published. BridgeAttendedTransfer has ``destination_type``
  ``bridge`` naming bridge 2; B and C then hear each other, and when B hangs
  up the bridge dissolves and C is hung up.
"""

from __future__ import annotations

import asyncio
import random
import re
import socket
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from ari_app_events import AppEvents
from ariel_process import EXTENSIONS_CONF, AriServer, free_port, launch_ariel, write_config
from audio_measure import FRAME, Samples, dominant_frequency, frame_rms, sine, voiced_seconds
from media_phones import CalledSippPhone, require_prompts
from rtp_peer import RtpPeer
from sipp_phone import SipMessage, SippPhone, free_udp_port
from transfer_dialplan import TRANSFER_EXTENSIONS
from websockets.asyncio.client import connect

pytestmark = [pytest.mark.integration, pytest.mark.timeout(60)]

ANSWERING_SCENARIO = Path(__file__).resolve().parents[2] / "client" / "scenarios"
B_TONE, C_TONE = 440.0, 1000.0
_TAG = re.compile(r";\s*tag=([^;>\s]+)")

DIAL_EXTENSIONS = """
exten => dial-b,1,Dial(PJSIP/xfer_b,20)
 same => n,Hangup()

exten => dial-c,1,Dial(PJSIP/xfer_c,20)
 same => n,Hangup()
"""

PHONE_ENDPOINTS = """
[{name}](phone)
aors = {name}

[{name}]
type = aor
contact = sip:{name}@127.0.0.1:{port}
"""


class _Server:
    def __init__(self, server: AriServer, ports: dict[str, int]) -> None:
        self.server = server
        self.ports = ports


@pytest.fixture(scope="module")
def dial_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[_Server]:
    """An Ariel whose ``dial-b``/``dial-c`` call two SIPp phones on ports of their own."""
    root = tmp_path_factory.mktemp("ariel-transfer-dial")
    config_dir = root / "config"
    config_dir.mkdir()
    http_port = free_port()
    sip_port = free_port(socket.SOCK_DGRAM)
    write_config(config_dir, http_port=http_port, sip_port=sip_port)
    ports = {"xfer_b": free_udp_port(), "xfer_c": free_udp_port()}
    pjsip = config_dir / "pjsip.conf"
    pjsip.write_text(
        pjsip.read_text()
        + "".join(PHONE_ENDPOINTS.format(name=n, port=p) for n, p in ports.items())
    )
    (config_dir / "extensions.conf").write_text(
        EXTENSIONS_CONF + TRANSFER_EXTENSIONS + DIAL_EXTENSIONS
    )
    start = 20000 + 2 * random.randrange((32000 - 20000 - 1000) // 2)
    (config_dir / "rtp.conf").write_text(
        f"[general]\nrtpstart = {start}\nrtpend = {start + 1000}\nicesupport = no\n"
    )
    with launch_ariel(root, config_dir, http_port=http_port, sip_port=sip_port) as server:
        yield _Server(server, ports)


@pytest.fixture
async def observer(dial_server: _Server) -> AsyncIterator[AppEvents]:
    """An application subscribed to everything."""
    server = dial_server.server
    url = (
        f"ws://127.0.0.1:{server.http_port}/ari/events"
        f"?app=xfer-observer&subscribeAll=true&api_key={server.api_key}"
    )
    async with connect(url, open_timeout=10) as ws:
        yield AppEvents(ws, "xfer-observer")


def _answering(*, listen_port: int, **kwargs: Any) -> CalledSippPhone:
    """SIPp as a called phone on the endpoint's contact port (``answering_phone.xml``)."""
    return CalledSippPhone(
        "answering_phone.xml",
        scenarios=ANSWERING_SCENARIO,
        listen_port=listen_port,
        options=("-d", "0"),
        **kwargs,
    )


async def _called(
    server: _Server, name: str, rtp: RtpPeer, workdir: Path, made: list[SippPhone]
) -> CalledSippPhone:
    workdir.mkdir()
    phone = _answering(
        listen_port=server.ports[name],
        rtp_port=rtp.port,
        sip_port=server.server.sip_port,
        workdir=workdir,
    )
    made.append(phone)
    await phone.start()
    return phone


async def _answered_leg(phone: CalledSippPhone, rtp: RtpPeer) -> None:
    """The called phone took the INVITE; its RTP goes to the server's offer."""
    invite = await phone.wait_request("INVITE")
    remote = invite.sdp_audio()
    assert remote is not None, invite.text
    rtp.remote = remote


async def _bridged(observer: AppEvents, peer_prefix: str) -> tuple[str, str, str]:
    """The Dial bridge that joined a caller and ``peer_prefix``: (bridge, caller, peer)."""
    entered = await observer.wait_for(
        lambda e: (
            e["type"] == "ChannelEnteredBridge" and e["channel"]["name"].startswith(peer_prefix)
        ),
        f"{peer_prefix} entering a bridge",
    )
    bridge = entered["bridge"]
    assert bridge["bridge_class"] == "basic", bridge
    assert len(bridge["channels"]) == 2, bridge
    peer: str = entered["channel"]["id"]
    caller = next(c for c in bridge["channels"] if c != peer)
    return bridge["id"], caller, peer


def _tag(header: str | None) -> str:
    found = _TAG.search(header or "")
    assert found is not None, f"no tag in {header!r}"
    return found.group(1)


def _replaces_refer_to(invite: SipMessage, ok: SipMessage) -> str:
    call_id = invite.header("Call-ID") or ""
    replaces = f"{call_id};to-tag={_tag(ok.header('To'))};from-tag={_tag(invite.header('From'))}"
    return f"<sip:dial-c@127.0.0.1?Replaces={quote(replaces, safe='')}>"


def _voiced(samples: Samples) -> Samples:
    rms = frame_rms(samples)
    frames = samples[: len(rms) * FRAME].reshape(-1, FRAME)
    return frames[rms >= 300.0].reshape(-1)


async def test_blind_refer_from_a_dial_bridge_sends_the_callee_to_the_new_extension(
    dial_server: _Server, observer: AppEvents, phones: list[SippPhone], tmp_path: Path
) -> None:
    require_prompts("tt-monkeys")
    async with RtpPeer() as rtp_b:
        b_phone = await _called(dial_server, "xfer_b", rtp_b, tmp_path / "b", phones)
        (tmp_path / "a").mkdir()
        a_phone = SippPhone(
            "refer_when_pressed.xml",
            sip_port=dial_server.server.sip_port,
            workdir=tmp_path / "a",
            dial="dial-b",
            display="blind-a",
            options=("-key", "refer_to", "<sip:300@127.0.0.1>"),
        )
        phones.append(a_phone)
        async with a_phone:
            await _answered_leg(b_phone, rtp_b)
            await a_phone.wait_status(200)
            bridge, a, b = await _bridged(observer, "PJSIP/xfer_b-")
            a_phone.press()

            blind = await observer.wait_for(
                lambda e: e["type"] == "BridgeBlindTransfer", "BridgeBlindTransfer"
            )
            assert blind["result"] == "Success"
            assert blind["channel"]["id"] == a
            assert blind["transferee"]["id"] == b
            assert (blind["exten"], blind["context"]) == ("300", "sets")
            assert blind["is_external"] is True
            assert blind["bridge"]["id"] == bridge
            assert "replace_channel" not in blind
            for chan in (a, b):
                left = await observer.channel_event(chan, "ChannelLeftBridge")
                assert left["bridge"]["id"] == bridge
            await observer.wait_for(
                lambda e: e["type"] == "BridgeDestroyed" and e["bridge"]["id"] == bridge,
                "the Dial bridge destroyed",
            )
            playing = await observer.wait_for(
                lambda e: (
                    e["type"] == "ChannelDialplan"
                    and e["channel"]["id"] == b
                    and e["dialplan_app"] == "Playback"
                ),
                "B running Playback",
            )
            assert playing["channel"]["dialplan"]["exten"] == "300"

            notifies = await a_phone.wait_notifies(2)
            assert "SIP/2.0 100 Trying" in notifies[0].text
            assert "SIP/2.0 200 OK" in notifies[1].text
            assert await a_phone.finish() == 0, a_phone.report()

            mark = rtp_b.mark()
            await asyncio.sleep(2.0)
            heard = voiced_seconds(rtp_b.audio(mark))
            assert heard > 0.5, f"B heard {heard:.2f} s of the transfer target"
            # 300 hangs up after the prompt: B takes the BYE.
            assert await b_phone.finish(timeout=30) == 0, b_phone.report()
            for chan in (a, b):
                await observer.channel_event(chan, "ChannelDestroyed")


async def test_attended_refer_between_dial_bridges_swaps_the_callee_into_the_other_bridge(
    dial_server: _Server, observer: AppEvents, phones: list[SippPhone], tmp_path: Path
) -> None:
    async with RtpPeer() as rtp_b, RtpPeer() as rtp_c:
        sip_port = dial_server.server.sip_port
        c_phone = await _called(dial_server, "xfer_c", rtp_c, tmp_path / "c", phones)
        (tmp_path / "a2").mkdir()
        a2_phone = SippPhone(
            "answered_then_bye_from_server.xml",
            sip_port=sip_port,
            workdir=tmp_path / "a2",
            dial="dial-c",
            display="attended-a2",
        )
        phones.append(a2_phone)
        async with a2_phone:
            await _answered_leg(c_phone, rtp_c)
            ok = await a2_phone.wait_status(200)
            bridge2, a2, c = await _bridged(observer, "PJSIP/xfer_c-")
            invite = next(m for m in a2_phone.sent() if m.method == "INVITE")

            b_phone = await _called(dial_server, "xfer_b", rtp_b, tmp_path / "b", phones)
            (tmp_path / "a1").mkdir()
            a1_phone = SippPhone(
                "refer_when_pressed.xml",
                sip_port=sip_port,
                workdir=tmp_path / "a1",
                dial="dial-b",
                display="attended-a1",
                options=("-key", "refer_to", _replaces_refer_to(invite, ok)),
            )
            phones.append(a1_phone)
            async with a1_phone:
                await _answered_leg(b_phone, rtp_b)
                await a1_phone.wait_status(200)
                bridge1, a1, b = await _bridged(observer, "PJSIP/xfer_b-")
                a1_phone.press()

                event = await observer.wait_for(
                    lambda e: e["type"] == "BridgeAttendedTransfer", "BridgeAttendedTransfer"
                )
                assert event["result"] == "Success", event
                assert event["destination_type"] == "bridge"
                assert event["destination_bridge"] == bridge2
                assert event["transferer_first_leg"]["id"] == a1
                assert event["transferer_second_leg"]["id"] == a2
                assert event["transferer_first_leg_bridge"]["id"] == bridge1
                assert event["transferer_second_leg_bridge"]["id"] == bridge2
                assert event["transferee"]["id"] == b
                assert event["transfer_target"]["id"] == c
                for absent in ("replace_channel", "destination_application"):
                    assert absent not in event

                entered = await observer.channel_event(b, "ChannelEnteredBridge")
                assert entered["bridge"]["id"] == bridge2
                assert set(entered["bridge"]["channels"]) == {a2, b, c}
                left = await observer.channel_event(a2, "ChannelLeftBridge")
                assert left["bridge"]["id"] == bridge2
                await observer.wait_for(
                    lambda e: e["type"] == "BridgeDestroyed" and e["bridge"]["id"] == bridge1,
                    "bridge 1 dissolved",
                )

                notifies = await a1_phone.wait_notifies(2)
                assert "SIP/2.0 100 Trying" in notifies[0].text
                assert "SIP/2.0 200 OK" in notifies[1].text
                assert await a1_phone.finish() == 0, a1_phone.report()
                assert await a2_phone.finish() == 0, a2_phone.report()

                b_mark, c_mark = rtp_b.mark(), rtp_c.mark()
                await asyncio.gather(
                    rtp_b.send_audio(sine(B_TONE, 1.5)), rtp_c.send_audio(sine(C_TONE, 1.5))
                )
                await asyncio.sleep(0.3)
                heard_by_b, heard_by_c = _voiced(rtp_b.audio(b_mark)), _voiced(rtp_c.audio(c_mark))
                assert len(heard_by_c) >= FRAME * 50, f"C heard {len(heard_by_c) / 8000:.2f} s"
                assert len(heard_by_b) >= FRAME * 50, f"B heard {len(heard_by_b) / 8000:.2f} s"
                assert abs(dominant_frequency(heard_by_c) - B_TONE) < 5.0
                assert abs(dominant_frequency(heard_by_b) - C_TONE) < 5.0
                assert not [e for e in observer.seen if e["type"] == "BridgeMerged"]

                # B hangs up: the basic bridge dissolves and C is hung up.
                b_phone.press()
                assert await b_phone.finish() == 0, b_phone.report()
                assert await c_phone.finish() == 0, c_phone.report()
                await observer.wait_for(
                    lambda e: e["type"] == "BridgeDestroyed" and e["bridge"]["id"] == bridge2,
                    "bridge 2 dissolved",
                )
                for chan in (a1, a2, b, c):
                    await observer.channel_event(chan, "ChannelDestroyed")
