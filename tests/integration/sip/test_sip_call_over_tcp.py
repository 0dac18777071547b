"""A call over a TCP transport: SIPp connects, calls 242, and gets its BYE on the connection.

pjsip.conf gains ``protocol = tcp`` transport; SIPp runs with ``-t t1`` (one
TCP connection). Responses and the server's in-dialog BYE travel on that
connection (RFC 3261 §18.2.2), the Via says TCP, and the Contact carries
``transport=tcp``.
"""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import aiohttp
import pytest
from ari_app_events import AppEvents, Ari
from ariel_process import AriServer, free_port, launch_ariel, write_config
from sipp_phone import SippPhone, sipp_path
from websockets.asyncio.client import connect

pytestmark = [pytest.mark.integration, pytest.mark.timeout(40)]


@pytest.fixture(scope="module")
def tcp_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[AriServer, int]]:
    root = tmp_path_factory.mktemp("ariel-tcp")
    config_dir = root / "config"
    config_dir.mkdir()
    http_port, sip_port = free_port(), free_port(socket.SOCK_DGRAM)
    tcp_port = free_port()
    write_config(config_dir, http_port=http_port, sip_port=sip_port)
    pjsip = config_dir / "pjsip.conf"
    pjsip.write_text(
        pjsip.read_text()
        + f"\n[transport-tcp]\ntype = transport\nprotocol = tcp\nbind = 127.0.0.1:{tcp_port}\n"
    )
    with launch_ariel(root, config_dir, http_port=http_port, sip_port=sip_port) as server:
        yield server, tcp_port


@pytest.fixture
async def ari(tcp_server: tuple[AriServer, int]) -> AsyncIterator[Ari]:
    server, _ = tcp_server
    async with aiohttp.ClientSession(
        base_url=f"{server.ari_url}/",
        headers={"Authorization": server.basic_auth()},
        timeout=aiohttp.ClientTimeout(total=10),
    ) as http:
        yield Ari(http)


@pytest.fixture
async def stasis(tcp_server: tuple[AriServer, int]) -> AsyncIterator[AppEvents]:
    server, _ = tcp_server
    url = f"ws://127.0.0.1:{server.http_port}/ari/events?app=zarniwoop&api_key={server.api_key}"
    async with connect(url, open_timeout=10) as ws:
        yield AppEvents(ws, "zarniwoop")


async def test_call_over_tcp_is_answered_and_hung_up_on_the_same_connection(
    tcp_server: tuple[AriServer, int], ari: Ari, stasis: AppEvents, tmp_path: Path
) -> None:
    if sipp_path() is None:
        pytest.skip("sipp is not installed")
    _, tcp_port = tcp_server
    phone = SippPhone(
        "answered_then_bye_from_server.xml",
        sip_port=tcp_port,
        workdir=tmp_path,
        dial="242",
        display="tcp-caller",
        options=("-t", "t1"),
    )
    async with phone:
        start = await stasis.stasis_start("tcp-caller")
        chan = start["channel"]["id"]
        status, _ = await ari.request("POST", f"channels/{chan}/answer")
        assert status == 204
        ok = await phone.wait_status(200)
        assert "SIP/2.0/TCP" in ok.text, ok.text
        assert "transport=tcp" in ok.text, ok.text
        status, _ = await ari.request("DELETE", f"channels/{chan}")
        assert status == 204
        await phone.wait_request("BYE")
        assert await phone.finish() == 0, phone.report()
    await stasis.channel_event(chan, "StasisEnd")
