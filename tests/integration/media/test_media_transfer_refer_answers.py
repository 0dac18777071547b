"""How Ariel answers a phone's REFER, as Asterisk 22's res_pjsip_refer.c does.

Phones are SIPp: a caller (``refer_answered_when_pressed.xml``) that, when
pressed, sends a REFER with the Refer-To and one extra header the test picks
and takes whatever answer comes; and a called phone
(``called_phone_refers_when_pressed.xml``) that does the same inside the
dialog of a call ``Dial()`` placed to it.

* ``Refer-Sub: false`` (RFC 4488): no 202 and no NOTIFY; the REFER's own
  final response carries the outcome -- ``404`` for a missing extension,
  ``200`` for a blind transfer that succeeded -- with ``Refer-Sub: false``.
* A Refer-To that is not a SIP URI (``tel:``) is answered ``400`` at once,
  and an endpoint with ``allow_transfer = no`` gets ``603``: no 202, no
  NOTIFY, and the call goes on.
* The *called* phone of a ``Dial()`` may transfer too: its REFER to ``300``
  sends the caller to ``300@sets`` (it hears ``tt-monkeys``); the called
  phone gets ``202`` + NOTIFY 100 + NOTIFY 200, or with ``Refer-Sub: false``
  a ``200``.
"""

from __future__ import annotations

import asyncio
import random
import socket
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from ari_app_events import AppEvents, Ari
from ariel_process import EXTENSIONS_CONF, AriServer, free_port, launch_ariel, write_config
from audio_measure import voiced_seconds
from media_phones import CalledSippPhone, MediaCallFactory, RtpSippPhone, require_prompts
from rtp_peer import RtpPeer
from sipp_phone import SCENARIOS, SipMessage, SippPhone, free_udp_port
from transfer_dialplan import TRANSFER_EXTENSIONS
from websockets.asyncio.client import connect

pytestmark = [pytest.mark.integration, pytest.mark.timeout(60)]

#: The endpoint whose transfers are refused, and the called phone of ``dial-callee``.
NO_TRANSFER, CALLEE = "NO_XFER_PHONE", "refer_callee"
#: A header that changes nothing, for REFERs that keep the default subscription.
PLAIN = "X-Ariel-Test: refer"
REFER_SUB_FALSE = "Refer-Sub: false"

EXTRA_EXTENSIONS = f"""
exten => dial-callee,1,Dial(PJSIP/{CALLEE},20)
 same => n,Hangup()
"""

EXTRA_ENDPOINTS = """
[{no_transfer}](phone)
aors = {no_transfer}
allow_transfer = no

[{no_transfer}]
type = aor
contact = sip:{no_transfer}@127.0.0.1:5074

[{callee}](phone)
aors = {callee}

[{callee}]
type = aor
contact = sip:{callee}@127.0.0.1:{callee_port}
"""


@pytest.fixture(scope="module")
def callee_port() -> int:
    """The SIP port the called phone of ``dial-callee`` listens on."""
    return free_udp_port()


@pytest.fixture(scope="module")
def ariel_server(tmp_path_factory: pytest.TempPathFactory, callee_port: int) -> Iterator[AriServer]:
    """An Ariel with the transfer extensions, a no-transfer endpoint and ``dial-callee``."""
    root = tmp_path_factory.mktemp("ariel-transfer-answers")
    config_dir = root / "config"
    config_dir.mkdir()
    http_port = free_port()
    sip_port = free_port(socket.SOCK_DGRAM)
    write_config(config_dir, http_port=http_port, sip_port=sip_port)
    pjsip = config_dir / "pjsip.conf"
    pjsip.write_text(
        pjsip.read_text()
        + EXTRA_ENDPOINTS.format(no_transfer=NO_TRANSFER, callee=CALLEE, callee_port=callee_port)
    )
    (config_dir / "extensions.conf").write_text(
        EXTENSIONS_CONF + TRANSFER_EXTENSIONS + EXTRA_EXTENSIONS
    )
    start = 20000 + 2 * random.randrange((32000 - 20000 - 1000) // 2)
    (config_dir / "rtp.conf").write_text(
        f"[general]\nrtpstart = {start}\nrtpend = {start + 1000}\nicesupport = no\n"
    )
    with launch_ariel(root, config_dir, http_port=http_port, sip_port=sip_port) as server:
        yield server


@pytest.fixture
async def observer(ariel_server: AriServer) -> AsyncIterator[AppEvents]:
    """An application subscribed to everything (for the calls outside Stasis)."""
    url = (
        f"ws://127.0.0.1:{ariel_server.http_port}/ari/events"
        f"?app=refer-answers-observer&subscribeAll=true&api_key={ariel_server.api_key}"
    )
    async with connect(url, open_timeout=10) as ws:
        yield AppEvents(ws, "refer-answers-observer")


def _caller(
    server: AriServer,
    workdir: Path,
    *,
    display: str,
    refer_to: str,
    header: str = PLAIN,
    from_user: str = "SOFTPHONE_A",
    dial: str = "242",
) -> SippPhone:
    workdir.mkdir()
    return SippPhone(
        "refer_answered_when_pressed.xml",
        sip_port=server.sip_port,
        workdir=workdir,
        dial=dial,
        from_user=from_user,
        display=display,
        options=("-key", "refer_to", refer_to, "-key", "refer_header", header),
    )


def _called(*, listen_port: int, refer_to: str, header: str, **kwargs: Any) -> CalledSippPhone:
    """SIPp as the called phone on the endpoint's contact port; REFERs when pressed."""
    return CalledSippPhone(
        "called_phone_refers_when_pressed.xml",
        scenarios=SCENARIOS,
        listen_port=listen_port,
        options=("-d", "0", "-key", "refer_to", refer_to, "-key", "refer_header", header),
        **kwargs,
    )


async def _answered(stasis: AppEvents, ari: Ari, name: str) -> str:
    start = await stasis.stasis_start(name)
    chan: str = start["channel"]["id"]
    status, _ = await ari.request("POST", f"channels/{chan}/answer")
    assert status == 204
    return chan


async def _refer_answer(phone: SippPhone) -> SipMessage:
    """The REFER's final response (202 included), once it came."""
    return await phone.wait_for(
        lambda m: not m.sent and m.method == "REFER" and (m.status or 0) >= 200,
        "a final response to the REFER",
        timeout=10,
    )


def _no_subscription(phone: SippPhone, status: int) -> SipMessage:
    """The REFER was answered ``status`` alone: no 202, no NOTIFY."""
    assert phone.statuses("REFER") == [status], phone.report()
    assert not [m for m in phone.received() if m.method == "NOTIFY"], phone.report()
    return phone.response(status, "REFER")


async def _still_up(ari: Ari, chan: str, phone: SippPhone) -> None:
    """The refused REFER left the call as it was: the channel is Up, no BYE came."""
    await asyncio.sleep(0.3)
    status, body = await ari.request("GET", f"channels/{chan}")
    assert status == 200, (status, body)
    assert body["state"] == "Up", body
    assert "BYE" not in [m.method for m in phone.received()], phone.report()


async def _phone_hangs_up(phone: SippPhone) -> None:
    """The user hangs up (second press): the phone's BYE ends the call."""
    phone.press()
    assert await phone.finish() == 0, phone.report()
    assert [m for m in phone.sent() if m.method == "BYE"], phone.report()


async def test_refer_sub_false_to_a_missing_extension_is_answered_404_without_notify(
    ariel_server: AriServer,
    ari: Ari,
    stasis: AppEvents,
    phones: list[SippPhone],
    tmp_path: Path,
    caller_name: str,
) -> None:
    a_phone = _caller(
        ariel_server,
        tmp_path / "a",
        display=caller_name,
        refer_to="<sip:nowhere@127.0.0.1>",
        header=REFER_SUB_FALSE,
    )
    phones.append(a_phone)
    async with a_phone:
        a = await _answered(stasis, ari, caller_name)
        a_phone.press()
        await _refer_answer(a_phone)
        answer = _no_subscription(a_phone, 404)
        assert answer.header("Refer-Sub") == "false", answer.text
        await _still_up(ari, a, a_phone)
        await _phone_hangs_up(a_phone)
        await stasis.channel_event(a, "StasisEnd")
        assert not [e for e in stasis.seen if e["type"] == "BridgeBlindTransfer"]


async def test_refer_sub_false_blind_transfer_in_a_stasis_bridge_is_answered_200_alone(
    ariel_server: AriServer,
    ari: Ari,
    stasis: AppEvents,
    media_call: MediaCallFactory,
    phones: list[SippPhone],
    tmp_path: Path,
    caller_name: str,
) -> None:
    require_prompts("tt-monkeys")
    async with media_call() as b:
        a_name = f"{caller_name}-a"
        a_phone = _caller(
            ariel_server,
            tmp_path / "a",
            display=a_name,
            refer_to="<sip:300@127.0.0.1>",
            header=REFER_SUB_FALSE,
        )
        phones.append(a_phone)
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
            assert blind["result"] == "Success", blind
            assert blind["channel"]["id"] == a
            assert blind["transferee"]["id"] == b.channel_id
            await _refer_answer(a_phone)
            answer = _no_subscription(a_phone, 200)
            assert answer.header("Refer-Sub") == "false", answer.text
            await stasis.channel_event(a, "ChannelLeftBridge")

            mark = b.rtp.mark()
            await asyncio.sleep(2.0)
            heard = voiced_seconds(b.rtp.audio(mark))
            assert heard > 0.5, f"B heard {heard:.2f} s of the transfer target"

            await _phone_hangs_up(a_phone)
            await stasis.channel_event(a, "StasisEnd")
            assert not [m for m in a_phone.received() if m.method == "NOTIFY"], a_phone.report()
            status, _ = await ari.request("DELETE", f"bridges/{bridge_id}")
            assert status == 204


@pytest.mark.parametrize(
    ("refer_to", "from_user", "status"),
    [
        pytest.param("<tel:+15551234>", "SOFTPHONE_A", 400, id="tel-uri-400-at-once"),
        pytest.param("<sip:300@127.0.0.1>", NO_TRANSFER, 603, id="allow-transfer-no-603"),
    ],
)
async def test_a_refused_refer_is_answered_alone_and_the_call_goes_on(
    ariel_server: AriServer,
    ari: Ari,
    stasis: AppEvents,
    phones: list[SippPhone],
    tmp_path: Path,
    caller_name: str,
    refer_to: str,
    from_user: str,
    status: int,
) -> None:
    a_phone = _caller(
        ariel_server, tmp_path / "a", display=caller_name, refer_to=refer_to, from_user=from_user
    )
    phones.append(a_phone)
    async with a_phone:
        a = await _answered(stasis, ari, caller_name)
        a_phone.press()
        await _refer_answer(a_phone)
        _no_subscription(a_phone, status)
        await _still_up(ari, a, a_phone)
        await _phone_hangs_up(a_phone)
        await stasis.channel_event(a, "StasisEnd")
        assert not [e for e in stasis.seen if e["type"] == "BridgeBlindTransfer"]


async def _callee_transfers_the_caller(
    server: AriServer,
    ari: Ari,
    observer: AppEvents,
    phones: list[SippPhone],
    tmp_path: Path,
    callee_port: int,
    header: str,
) -> CalledSippPhone:
    """A dials ``dial-callee``; the called phone B REFERs to ``300``; A hears ``tt-monkeys``."""
    require_prompts("tt-monkeys")
    async with RtpPeer() as rtp_a, RtpPeer() as rtp_b:
        (tmp_path / "b").mkdir()
        b_phone = _called(
            listen_port=callee_port,
            refer_to="<sip:300@127.0.0.1>",
            header=header,
            rtp_port=rtp_b.port,
            sip_port=server.sip_port,
            workdir=tmp_path / "b",
        )
        phones.append(b_phone)
        await b_phone.start()
        (tmp_path / "a").mkdir()
        a_phone = RtpSippPhone(
            "media_call.xml",
            rtp_port=rtp_a.port,
            sip_port=server.sip_port,
            workdir=tmp_path / "a",
            dial="dial-callee",
            display="callee-refer-a",
        )
        phones.append(a_phone)
        async with a_phone:
            await b_phone.wait_request("INVITE")
            ok = await a_phone.wait_status(200)
            remote = ok.sdp_audio()
            assert remote is not None, ok.text
            rtp_a.remote = remote
            entered = await observer.wait_for(
                lambda e: (
                    e["type"] == "ChannelEnteredBridge"
                    and e["channel"]["name"].startswith(f"PJSIP/{CALLEE}-")
                ),
                "the called phone entering the Dial bridge",
            )
            bridge = entered["bridge"]
            assert len(bridge["channels"]) == 2, bridge
            b = entered["channel"]["id"]
            a = next(c for c in bridge["channels"] if c != b)
            b_phone.press()

            blind = await observer.wait_for(
                lambda e: e["type"] == "BridgeBlindTransfer", "BridgeBlindTransfer"
            )
            assert blind["result"] == "Success", blind
            assert blind["channel"]["id"] == b
            assert blind["transferee"]["id"] == a
            assert (blind["exten"], blind["context"]) == ("300", "sets")
            assert blind["bridge"]["id"] == bridge["id"]
            playing = await observer.wait_for(
                lambda e: (
                    e["type"] == "ChannelDialplan"
                    and e["channel"]["id"] == a
                    and e["dialplan_app"] == "Playback"
                ),
                "A running Playback",
            )
            assert playing["channel"]["dialplan"]["exten"] == "300"
            if (await _refer_answer(b_phone)).status == 202:
                await b_phone.wait_notifies(2)  # the phone hangs up once the NOTIFYs are in

            mark = rtp_a.mark()
            await asyncio.sleep(2.0)
            heard = voiced_seconds(rtp_a.audio(mark))
            assert heard > 0.5, f"A heard {heard:.2f} s of the transfer target"

            if not [m for m in b_phone.received() if m.method == "BYE"]:
                b_phone.press()
            assert await b_phone.finish() == 0, b_phone.report()
            status, _ = await ari.request("DELETE", f"channels/{a}")
            assert status == 204
            assert await a_phone.finish() == 0, a_phone.report()
            for chan in (a, b):
                await observer.channel_event(chan, "ChannelDestroyed")
    return b_phone


async def test_called_phone_of_dial_blind_transfers_the_caller_with_notifies(
    ariel_server: AriServer,
    ari: Ari,
    observer: AppEvents,
    phones: list[SippPhone],
    tmp_path: Path,
    callee_port: int,
) -> None:
    b_phone = await _callee_transfers_the_caller(
        ariel_server, ari, observer, phones, tmp_path, callee_port, "Refer-Sub: true"
    )
    assert b_phone.statuses("REFER") == [202], b_phone.report()
    assert b_phone.response(202, "REFER").header("Refer-Sub") == "true", b_phone.report()
    notifies = await b_phone.wait_notifies(2)
    assert "SIP/2.0 100 Trying" in notifies[0].text
    assert "SIP/2.0 200 OK" in notifies[1].text
    assert "terminated" in (notifies[1].header("Subscription-State") or "")


async def test_called_phone_of_dial_blind_transfer_with_refer_sub_false_is_answered_200(
    ariel_server: AriServer,
    ari: Ari,
    observer: AppEvents,
    phones: list[SippPhone],
    tmp_path: Path,
    callee_port: int,
) -> None:
    b_phone = await _callee_transfers_the_caller(
        ariel_server, ari, observer, phones, tmp_path, callee_port, REFER_SUB_FALSE
    )
    answer = _no_subscription(b_phone, 200)
    assert answer.header("Refer-Sub") == "false", answer.text
