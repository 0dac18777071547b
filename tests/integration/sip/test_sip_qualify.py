"""OPTIONS qualify against a real socket: reachable while it answers, then not.

The AoR ``desk`` has a static contact on a UDP socket the test holds and
``qualify_frequency = 1``. While the socket answers the OPTIONS with 200, the
contact is Reachable (with a round-trip time); once it stops answering, it
becomes Unreachable and the endpoint goes offline.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Iterator

import aiohttp
import pytest
from ari_app_events import AppEvents, Ari
from ariel_process import AriServer, free_port, launch_ariel, write_config
from websockets.asyncio.client import connect

pytestmark = [pytest.mark.integration, pytest.mark.timeout(40)]

APP = "qualifytest"


@pytest.fixture(scope="module")
def desk() -> Iterator[socket.socket]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    sock.setblocking(False)
    yield sock
    sock.close()


@pytest.fixture(scope="module")
def qualifying_server(
    tmp_path_factory: pytest.TempPathFactory, desk: socket.socket
) -> Iterator[AriServer]:
    root = tmp_path_factory.mktemp("ariel-qualify")
    config_dir = root / "config"
    config_dir.mkdir()
    http_port, sip_port = free_port(), free_port(socket.SOCK_DGRAM)
    write_config(config_dir, http_port=http_port, sip_port=sip_port)
    port = desk.getsockname()[1]
    pjsip = config_dir / "pjsip.conf"
    pjsip.write_text(
        pjsip.read_text()
        + "\n[desk](phone)\naors = desk\n"
        + f"\n[desk]\ntype = aor\ncontact = sip:desk@127.0.0.1:{port}\n"
        + "qualify_frequency = 1\nqualify_timeout = 0.5\n"
    )
    with launch_ariel(root, config_dir, http_port=http_port, sip_port=sip_port) as server:
        yield server


@pytest.fixture
async def ari(qualifying_server: AriServer) -> AsyncIterator[Ari]:
    async with aiohttp.ClientSession(
        base_url=f"{qualifying_server.ari_url}/",
        headers={"Authorization": qualifying_server.basic_auth()},
        timeout=aiohttp.ClientTimeout(total=10),
    ) as http:
        yield Ari(http)


@pytest.fixture
async def events(qualifying_server: AriServer) -> AsyncIterator[AppEvents]:
    server = qualifying_server
    url = f"ws://127.0.0.1:{server.http_port}/ari/events?app={APP}&api_key={server.api_key}"
    async with connect(url, open_timeout=10) as ws:
        yield AppEvents(ws, APP)


def _ok(request: str) -> bytes:
    keep = []
    for line in request.split("\r\n"):
        name = line.split(":", 1)[0]
        if name == "To":
            keep.append(line + ";tag=desk")
        elif name in ("Via", "From", "Call-ID", "CSeq"):
            keep.append(line)
    return ("SIP/2.0 200 OK\r\n" + "\r\n".join(keep) + "\r\nContent-Length: 0\r\n\r\n").encode()


async def test_contact_is_reachable_while_it_answers_and_unreachable_after(
    ari: Ari, events: AppEvents, desk: socket.socket
) -> None:
    status, _ = await ari.request(
        "POST", f"applications/{APP}/subscription", params={"eventSource": "endpoint:PJSIP/desk"}
    )
    assert status == 200
    loop = asyncio.get_running_loop()
    answered = 0

    async def answer_for(seconds: float) -> None:
        nonlocal answered
        deadline = loop.time() + seconds
        while loop.time() < deadline:
            try:
                data, addr = await asyncio.wait_for(loop.sock_recvfrom(desk, 65535), 0.2)
            except TimeoutError:
                continue
            text = data.decode(errors="replace")
            assert text.startswith("OPTIONS sip:desk@127.0.0.1"), text
            desk.sendto(_ok(text), addr)
            answered += 1

    await answer_for(2.5)
    assert answered >= 2
    reachable = await events.wait_for(
        lambda e: (
            e["type"] == "ContactStatusChange"
            and e["contact_info"]["contact_status"] == "Reachable"
        ),
        "Reachable",
    )
    assert reachable["endpoint"]["resource"] == "desk"
    assert int(reachable["contact_info"]["roundtrip_usec"]) > 0
    # Silence: the next probe times out.
    unreachable = await events.wait_for(
        lambda e: (
            e["type"] == "ContactStatusChange"
            and e["contact_info"]["contact_status"] == "Unreachable"
        ),
        "Unreachable",
        timeout=5,
    )
    assert unreachable["contact_info"]["aor"] == "desk"
    offline = await events.wait_for(
        lambda e: e["type"] == "EndpointStateChange", "EndpointStateChange", timeout=5
    )
    assert offline["endpoint"]["state"] == "offline"
    status, endpoint = await ari.request("GET", "endpoints/PJSIP/desk")
    assert endpoint["state"] == "offline"
