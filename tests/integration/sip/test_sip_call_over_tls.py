"""SIP over TLS with baresip: REGISTER with digest auth, a call each way, all on TLS.

pjsip.conf gains a ``protocol = tls`` transport with a certificate signed by a
CA made for the test (``openssl``), ``verify_server = yes`` and that CA in
``ca_list_file``. Endpoint ``alice`` names no transport (the first one, UDP,
would be its default). baresip trusts the same CA and has its own
certificate. Its REGISTER goes over TLS and is answered on that connection
(Via ``SIP/2.0/TLS``); the registered contact carries ``transport=tls``, so an
originate reaches baresip over a TLS connection Ariel opens to it (and
verifies); baresip's own call to 242 over TLS enters Stasis and hears the BYE
on its connection.
"""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import aiohttp
import pytest
from ari_app_events import AppEvents, Ari
from ariel_process import AriServer, free_port, launch_ariel, write_config
from baresip_phone import baresip_path
from baresip_tls import TlsBaresip
from tls_certs import Certificates, make_certificates, openssl_path
from websockets.asyncio.client import connect

pytestmark = [pytest.mark.integration, pytest.mark.timeout(60)]

APP = "tlstest"

TLS_PJSIP = """
[transport-tls]
type = transport
protocol = tls
bind = 127.0.0.1:{tls_port}
cert_file = {cert}
priv_key_file = {key}
ca_list_file = {ca}
method = tlsv1_2
verify_server = yes

[alice]
type = endpoint
context = sets
disallow = all
allow = ulaw
dtmf_mode = rfc4733
auth = alice-auth
aors = alice

[alice-auth]
type = auth
auth_type = userpass
username = alice
password = wonderland

[alice]
type = aor
max_contacts = 1
remove_existing = yes
"""


@pytest.fixture(scope="module")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> Certificates:
    if openssl_path() is None:
        pytest.skip("openssl is not installed")
    return make_certificates(tmp_path_factory.mktemp("tls-ca"))


@pytest.fixture(scope="module")
def tls_server(
    tmp_path_factory: pytest.TempPathFactory, certificates: Certificates
) -> Iterator[tuple[AriServer, int]]:
    root = tmp_path_factory.mktemp("ariel-tls")
    config_dir = root / "config"
    config_dir.mkdir()
    http_port, sip_port, tls_port = free_port(), free_port(socket.SOCK_DGRAM), free_port()
    write_config(config_dir, http_port=http_port, sip_port=sip_port)
    pjsip = config_dir / "pjsip.conf"
    extra = TLS_PJSIP.format(
        tls_port=tls_port,
        cert=certificates.server_cert,
        key=certificates.server_key,
        ca=certificates.ca,
    )
    pjsip.write_text(pjsip.read_text() + extra)
    with launch_ariel(root, config_dir, http_port=http_port, sip_port=sip_port) as server:
        yield server, tls_port


@pytest.fixture
async def ari(tls_server: tuple[AriServer, int]) -> AsyncIterator[Ari]:
    server, _ = tls_server
    async with aiohttp.ClientSession(
        base_url=f"{server.ari_url}/",
        headers={"Authorization": server.basic_auth()},
        timeout=aiohttp.ClientTimeout(total=10),
    ) as http:
        yield Ari(http)


async def _events(server: AriServer, app: str) -> AsyncIterator[AppEvents]:
    url = f"ws://127.0.0.1:{server.http_port}/ari/events?app={app}&api_key={server.api_key}"
    async with connect(url, open_timeout=10) as ws:
        yield AppEvents(ws, app)


@pytest.fixture
async def events(tls_server: tuple[AriServer, int]) -> AsyncIterator[AppEvents]:
    async for events in _events(tls_server[0], APP):
        yield events


@pytest.fixture
async def stasis(tls_server: tuple[AriServer, int]) -> AsyncIterator[AppEvents]:
    async for events in _events(tls_server[0], "zarniwoop"):
        yield events


def _messages(trace: str) -> list[tuple[str, str]]:
    """baresip's SIP trace (``-s``) as (``TLS a -> b`` line, message head) pairs."""
    found = []
    for block in trace.split("\n#\n")[1:]:
        arrow, _, message = block.partition("\n")
        found.append((arrow, message.partition("\n\n")[0]))
    return found


def _message(trace: str, start: str, cseq_method: str) -> tuple[str, str]:
    for arrow, head in _messages(trace):
        cseq = next((x for x in head.split("\n") if x.startswith("CSeq:")), "")
        if head.startswith(start) and cseq.endswith(f" {cseq_method}"):
            return arrow, head
    raise AssertionError(f"no {start!r} for {cseq_method} in the trace:\n{trace[-3000:]}")


def _phone(
    tmp_path: Path, certificates: Certificates, tls_port: int, display: str, dial: str = ""
) -> TlsBaresip:
    if baresip_path() is None:
        pytest.skip("baresip is not installed")
    return TlsBaresip(
        workdir=tmp_path,
        ca=certificates.ca,
        certificate=certificates.phone,
        tls_port=tls_port,
        user="alice",
        password="wonderland",
        display=display,
        dial=dial,
    )


async def test_baresip_registers_over_tls_and_is_called_over_tls_by_originate(
    tls_server: tuple[AriServer, int],
    certificates: Certificates,
    ari: Ari,
    events: AppEvents,
    tmp_path: Path,
) -> None:
    _, tls_port = tls_server
    phone = _phone(tmp_path, certificates, tls_port, "Alice TLS")
    async with phone:
        await phone.wait_output(r"200 OK .*\[1 binding\]", timeout=15)
        trace = phone.output()
        asked, _ = _message(trace, "SIP/2.0 401 Unauthorized", "REGISTER")
        arrow, ok = _message(trace, "SIP/2.0 200 OK", "REGISTER")
        # Both answers come from Ariel's TLS port over the connection the phone opened.
        assert asked == arrow and arrow.startswith(f"TLS 127.0.0.1:{tls_port} -> "), trace
        assert f"Via: SIP/2.0/TLS 127.0.0.1:{phone.sip_port + 1}" in ok, ok
        assert ";transport=tls>" in ok, ok
        status, contacts = await ari.request("GET", "endpoints/PJSIP/alice")
        assert status == 200 and contacts["state"] == "online", contacts

        status, chan = await ari.request(
            "POST", "channels", params={"endpoint": "PJSIP/alice", "app": APP}
        )
        assert status == 200, chan
        start = await events.channel_event(chan["id"], "StasisStart")
        assert start["channel"]["state"] == "Up"
        await phone.wait_output(r"Call established", timeout=10)
        arrow, invite = _message(phone.output(), "INVITE sip:alice", "INVITE")
        # Ariel opened a TLS connection to the registered contact (baresip's TLS port).
        assert arrow.startswith("TLS ") and arrow.endswith(f"127.0.0.1:{phone.sip_port + 1}"), arrow
        assert f"Via: SIP/2.0/TLS 127.0.0.1:{tls_port}" in invite, invite
        assert f"127.0.0.1:{tls_port};transport=tls>" in invite, invite

        status, _ = await ari.request("DELETE", f"channels/{chan['id']}")
        assert status == 204
        await events.channel_event(chan["id"], "ChannelDestroyed")
        await phone.wait_output(r"session closed|terminated", timeout=10)


async def test_baresip_calls_stasis_over_tls_and_hears_the_hangup_on_its_connection(
    tls_server: tuple[AriServer, int],
    certificates: Certificates,
    ari: Ari,
    stasis: AppEvents,
    tmp_path: Path,
) -> None:
    _, tls_port = tls_server
    dial = f"sip:242@127.0.0.1:{tls_port}"  # the account adds ;transport=tls
    phone = _phone(tmp_path, certificates, tls_port, "Alice Dials TLS", dial=dial)
    async with phone:
        start = await stasis.stasis_start("Alice Dials TLS")
        assert start["channel"]["name"].startswith("PJSIP/alice-")
        chan = start["channel"]["id"]
        status, _ = await ari.request("POST", f"channels/{chan}/answer")
        assert status == 204
        await phone.wait_output(r"Call established", timeout=10)
        sent, _ = _message(phone.output(), "INVITE sip:242", "INVITE")
        arrow, ok = _message(phone.output(), "SIP/2.0 200 OK", "INVITE")
        # The answer comes back on the phone's own connection: the reverse of its INVITE's.
        there, _, back = sent.partition(" -> ")
        assert arrow == f"TLS {back} -> {there.removeprefix('TLS ')}", (sent, arrow)
        assert "Via: SIP/2.0/TLS " in ok, ok
        assert f"127.0.0.1:{tls_port};transport=tls>" in ok, ok
        status, _ = await ari.request("DELETE", f"channels/{chan}")
        assert status == 204
        await stasis.channel_event(chan, "StasisEnd")
        await phone.wait_output(r"BYE sip:", timeout=10)
        bye_arrow, _ = _message(phone.output(), "BYE sip:", "BYE")
        assert bye_arrow == arrow, (bye_arrow, arrow)
