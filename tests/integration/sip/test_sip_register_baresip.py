"""baresip registers with digest auth, then is called by an ARI originate.

The server's ``alice`` endpoint has ``auth`` and a dynamic AOR: baresip's
first REGISTER is challenged (401), its authenticated retry registers it (the
endpoint goes online), and ``POST /channels?endpoint=PJSIP/alice`` reaches it
at the registered contact; baresip answers by itself and the channel enters
the application Up.
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
from baresip_registered import RegisteredBaresip
from websockets.asyncio.client import connect

pytestmark = [pytest.mark.integration, pytest.mark.timeout(60)]

APP = "regtest"

ALICE = """
[alice]
type = endpoint
transport = transport-udp
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
"""


@pytest.fixture(scope="module")
def registrar(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AriServer]:
    root = tmp_path_factory.mktemp("ariel-registrar")
    config_dir = root / "config"
    config_dir.mkdir()
    http_port, sip_port = free_port(), free_port(socket.SOCK_DGRAM)
    write_config(config_dir, http_port=http_port, sip_port=sip_port)
    pjsip = config_dir / "pjsip.conf"
    pjsip.write_text(pjsip.read_text() + ALICE)
    with launch_ariel(root, config_dir, http_port=http_port, sip_port=sip_port) as server:
        yield server


@pytest.fixture
async def ari(registrar: AriServer) -> AsyncIterator[Ari]:
    async with aiohttp.ClientSession(
        base_url=f"{registrar.ari_url}/",
        headers={"Authorization": registrar.basic_auth()},
        timeout=aiohttp.ClientTimeout(total=10),
    ) as http:
        yield Ari(http)


@pytest.fixture
async def events(registrar: AriServer) -> AsyncIterator[AppEvents]:
    url = f"ws://127.0.0.1:{registrar.http_port}/ari/events?app={APP}&api_key={registrar.api_key}"
    async with connect(url, open_timeout=10) as ws:
        yield AppEvents(ws, APP)


async def test_registered_baresip_is_called_by_originate(
    registrar: AriServer, ari: Ari, events: AppEvents, tmp_path: Path
) -> None:
    if baresip_path() is None:
        pytest.skip("baresip is not installed")
    phone = RegisteredBaresip(
        workdir=tmp_path,
        registrar=f"127.0.0.1:{registrar.sip_port}",
        user="alice",
        password="wonderland",
        display="Alice",
    )
    status, _ = await ari.request(
        "POST", f"applications/{APP}/subscription", params={"eventSource": "endpoint:PJSIP/alice"}
    )
    assert status == 200
    async with phone:
        await phone.wait_output(r"200 OK .*\[1 binding\]", timeout=15)
        contact = await events.wait_for(
            lambda e: e["type"] == "ContactStatusChange", "ContactStatusChange"
        )
        assert contact["contact_info"]["contact_status"] == "Created"
        assert contact["contact_info"]["aor"] == "alice"
        assert contact["contact_info"]["uri"].startswith("sip:alice")
        state = await events.wait_for(
            lambda e: e["type"] == "EndpointStateChange", "EndpointStateChange"
        )
        assert (state["endpoint"]["resource"], state["endpoint"]["state"]) == ("alice", "online")
        peer = await events.wait_for(lambda e: e["type"] == "PeerStatusChange", "PeerStatusChange")
        assert peer["peer"]["peer_status"] == "Reachable"
        trace = phone.output()
        assert "SIP/2.0 401 Unauthorized" in trace, trace[-3000:]
        status, endpoint = await ari.request("GET", "endpoints/PJSIP/alice")
        assert status == 200 and endpoint["state"] == "online", endpoint

        status, chan = await ari.request(
            "POST", "channels", params={"endpoint": "PJSIP/alice", "app": APP}
        )
        assert status == 200, chan
        start = await events.channel_event(chan["id"], "StasisStart")
        assert start["channel"]["state"] == "Up"
        await phone.wait_output(r"Call established", timeout=10)

        status, _ = await ari.request("DELETE", f"channels/{chan['id']}")
        assert status == 204
        await events.channel_event(chan["id"], "ChannelDestroyed")
        await phone.wait_output(r"session closed|terminated", timeout=10)


async def test_registered_baresip_calls_into_stasis_through_the_invite_challenge(
    registrar: AriServer, ari: Ari, tmp_path: Path
) -> None:
    if baresip_path() is None:
        pytest.skip("baresip is not installed")
    url = (
        f"ws://127.0.0.1:{registrar.http_port}/ari/events?app=zarniwoop&api_key={registrar.api_key}"
    )
    async with connect(url, open_timeout=10) as ws:
        stasis = AppEvents(ws, "zarniwoop")
        phone = RegisteredBaresip(
            workdir=tmp_path,
            registrar=f"127.0.0.1:{registrar.sip_port}",
            user="alice",
            password="wonderland",
            display="Alice Calling",
            dial=f"sip:242@127.0.0.1:{registrar.sip_port}",
        )
        async with phone:
            start = await stasis.stasis_start("Alice Calling")
            assert start["channel"]["name"].startswith("PJSIP/alice-")
            trace = phone.output()
            assert "SIP/2.0 401 Unauthorized" in trace
            chan = start["channel"]["id"]
            status, _ = await ari.request("POST", f"channels/{chan}/answer")
            assert status == 204
            await phone.wait_output(r"Call established", timeout=10)
            status, _ = await ari.request("DELETE", f"channels/{chan}")
            assert status == 204
            await stasis.channel_event(chan, "StasisEnd")
