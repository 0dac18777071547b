"""A TLS transport whose certificate file is missing stays down; the UDP transport serves calls.

As in res_pjsip, only the broken transport fails: the configuration check says
where (pjsip.conf file:line, a warning so the server still starts), the driver
logs an error naming the transport's section line and does not listen on its
port, and a SIPp call over the UDP transport enters Stasis, is answered and is
hung up as usual.
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
def broken_tls(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[AriServer, int, int]]:
    root = tmp_path_factory.mktemp("ariel-tls-refused")
    config_dir = root / "config"
    config_dir.mkdir()
    http_port, sip_port, tls_port = free_port(), free_port(socket.SOCK_DGRAM), free_port()
    write_config(config_dir, http_port=http_port, sip_port=sip_port)
    pjsip = config_dir / "pjsip.conf"
    text = pjsip.read_text()
    section_line = text.count("\n") + 2
    pjsip.write_text(
        text + "\n[transport-tls]\ntype = transport\nprotocol = tls\n"
        f"bind = 127.0.0.1:{tls_port}\ncert_file = {root / 'no-such-cert.pem'}\n"
        f"priv_key_file = {root / 'no-such-key.pem'}\n"
    )
    with launch_ariel(root, config_dir, http_port=http_port, sip_port=sip_port) as server:
        yield server, tls_port, section_line


@pytest.fixture
async def ari(broken_tls: tuple[AriServer, int, int]) -> AsyncIterator[Ari]:
    server = broken_tls[0]
    async with aiohttp.ClientSession(
        base_url=f"{server.ari_url}/",
        headers={"Authorization": server.basic_auth()},
        timeout=aiohttp.ClientTimeout(total=10),
    ) as http:
        yield Ari(http)


@pytest.fixture
async def stasis(broken_tls: tuple[AriServer, int, int]) -> AsyncIterator[AppEvents]:
    server = broken_tls[0]
    url = f"ws://127.0.0.1:{server.http_port}/ari/events?app=zarniwoop&api_key={server.api_key}"
    async with connect(url, open_timeout=10) as ws:
        yield AppEvents(ws, "zarniwoop")


def test_missing_certificate_is_logged_with_file_and_line_and_the_port_stays_closed(
    broken_tls: tuple[AriServer, int, int],
) -> None:
    server, tls_port, line = broken_tls
    log = server.stderr_text()
    missing = server.config_dir.parent / "no-such-cert.pem"
    assert (
        f"ERROR ariel.pjsip: pjsip.conf:{line}: transport transport-tls not started: "
        f"cert_file '{missing}' is either missing or not readable"
    ) in log, log
    assert f"pjsip.conf:{line + 4}: transport [transport-tls]: cert_file '{missing}'" in log, log
    with pytest.raises(ConnectionRefusedError), socket.create_connection(("127.0.0.1", tls_port)):
        pass


async def test_udp_transport_still_serves_a_call(
    broken_tls: tuple[AriServer, int, int], ari: Ari, stasis: AppEvents, tmp_path: Path
) -> None:
    if sipp_path() is None:
        pytest.skip("sipp is not installed")
    server, _, _ = broken_tls
    phone = SippPhone(
        "answered_then_bye_from_server.xml",
        sip_port=server.sip_port,
        workdir=tmp_path,
        dial="242",
        display="udp-beside-broken-tls",
    )
    async with phone:
        start = await stasis.stasis_start("udp-beside-broken-tls")
        chan = start["channel"]["id"]
        status, _ = await ari.request("POST", f"channels/{chan}/answer")
        assert status == 204
        ok = await phone.wait_status(200)
        assert "SIP/2.0/UDP" in ok.text, ok.text
        status, _ = await ari.request("DELETE", f"channels/{chan}")
        assert status == 204
        await phone.wait_request("BYE")
        assert await phone.finish() == 0, phone.report()
    await stasis.channel_event(chan, "StasisEnd")
