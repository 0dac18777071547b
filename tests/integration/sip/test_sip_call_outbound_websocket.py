"""ARI outbound WebSockets: Ariel connects to the app server (ari.conf
``type = outbound_websocket`` + websocket_client.conf), announces its apps with
``ApplicationRegistered``, delivers a SIPp call's events over that socket and
answers REST requests sent on it; per-call connections open for each
``Stasis()`` and close after ``StasisEnd``; an unreachable server fails Stasis.

The app servers are real ``websockets`` servers in the test, on ports written
into the configuration of an Ariel started for this module.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import socket
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from ariel_process import AriServer, free_port, launch_ariel, write_config
from sipp_phone import SippPhone, sipp_path
from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed

pytestmark = pytest.mark.timeout(60)

WAIT_S = 10.0
BASIC = "Basic " + base64.b64encode(b"myuser:mypass").decode()

OUTBOUND_ARI = """
[out-persistent]
type = outbound_websocket
websocket_client_id = app-server
apps = outapp, outapp2
local_ari_user = asterisk

[out-per-call]
type = outbound_websocket
websocket_client_id = per-call-server
apps = pcapp
local_ari_user = asterisk

[out-dead]
type = outbound_websocket
websocket_client_id = dead-server
apps = deadapp
local_ari_user = asterisk
"""

WEBSOCKET_CLIENTS = """\
[app-server]
type = websocket_client
uri = ws://127.0.0.1:{persistent_port}/ari
protocols = ari
username = myuser
password = mypass
connection_type = persistent
connection_timeout = 500
reconnect_interval = 200

[per-call-server]
type = websocket_client
uri = ws://127.0.0.1:{per_call_port}/ari
protocols = ari
connection_type = per_call_config
connection_timeout = 500
reconnect_interval = 200
reconnect_attempts = 10

[dead-server]
type = websocket_client
uri = ws://127.0.0.1:{dead_port}/ari
protocols = ari
connection_type = per_call_config
connection_timeout = 300
reconnect_interval = 100
reconnect_attempts = 2
"""

EXTENSIONS = """\
exten => outbound,1,Noop()
 same => n,Stasis(outapp)
 same => n,Hangup()

exten => percall,1,Noop()
 same => n,Stasis(pcapp)
 same => n,Hangup()

exten => deadcall,1,Noop()
 same => n,Stasis(deadapp)
 same => n,GotoIf($["${STASISSTATUS}" = "FAILED"]?failed)
 same => n,Hangup()
 same => n(failed),Hangup(21)

"""


@dataclass
class Ports:
    persistent: int
    per_call: int
    dead: int


@dataclass
class Outbound:
    server: AriServer
    ports: Ports


@pytest.fixture(scope="module")
def outbound(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Outbound]:
    """An Ariel whose ari.conf dials out to app servers on three loopback ports."""
    root = tmp_path_factory.mktemp("ariel-outbound")
    config_dir = root / "config"
    config_dir.mkdir()
    http_port = free_port()
    sip_port = free_port(socket.SOCK_DGRAM)
    ports = Ports(persistent=free_port(), per_call=free_port(), dead=free_port())
    write_config(config_dir, http_port=http_port, sip_port=sip_port)
    ari_conf = config_dir / "ari.conf"
    ari_conf.write_text(ari_conf.read_text() + OUTBOUND_ARI)
    (config_dir / "websocket_client.conf").write_text(
        WEBSOCKET_CLIENTS.format(
            persistent_port=ports.persistent, per_call_port=ports.per_call, dead_port=ports.dead
        )
    )
    dialplan = config_dir / "extensions.conf"
    dialplan.write_text(dialplan.read_text().replace("[sets]\n", "[sets]\n" + EXTENSIONS, 1))
    with launch_ariel(root, config_dir, http_port=http_port, sip_port=sip_port) as server:
        yield Outbound(server=server, ports=ports)


@dataclass
class AppSocket:
    """One connection Ariel opened to the test's app server.

    Messages are taken in order of arrival; ``next(type)`` takes the first
    not yet taken of that type, leaving the others for later calls.
    """

    ws: ServerConnection
    seen: list[dict[str, Any]] = field(default_factory=list)
    closed: bool = False
    _taken: set[int] = field(default_factory=set)
    _arrived: asyncio.Condition = field(default_factory=asyncio.Condition)

    async def arrive(self, msg: dict[str, Any] | None) -> None:
        async with self._arrived:
            if msg is None:
                self.closed = True
            else:
                self.seen.append(msg)
            self._arrived.notify_all()

    def _find(self, wanted: str | None) -> int | None:
        for index, msg in enumerate(self.seen):
            if index not in self._taken and (wanted is None or msg["type"] == wanted):
                return index
        return None

    async def next(self, wanted: str | None = None) -> dict[str, Any]:
        """The first message not taken yet (of type ``wanted``)."""

        async def found() -> int:
            async with self._arrived:
                while (index := self._find(wanted)) is None:
                    assert not self.closed, f"closed while waiting for {wanted}: {self.seen}"
                    await self._arrived.wait()
                return index

        index = await asyncio.wait_for(found(), WAIT_S)
        self._taken.add(index)
        return self.seen[index]

    async def request(self, method: str, uri: str) -> dict[str, Any]:
        """A RESTRequest over the socket; its RESTResponse."""
        request_id = uuid.uuid4().hex
        frame = {"type": "RESTRequest", "request_id": request_id, "method": method, "uri": uri}
        await self.ws.send(json.dumps(frame))
        reply = await self.next("RESTResponse")
        assert reply["request_id"] == request_id, reply
        return reply

    async def closed_by_ariel(self) -> list[str]:
        """Wait until Ariel closes the socket; the types of every message it sent."""

        async def done() -> None:
            async with self._arrived:
                await self._arrived.wait_for(lambda: self.closed)

        await asyncio.wait_for(done(), WAIT_S)
        return [m["type"] for m in self.seen]


class AppServer:
    """A WebSocket server standing in for the ARI application."""

    def __init__(self) -> None:
        self.connections: asyncio.Queue[AppSocket] = asyncio.Queue()
        self._server: Server | None = None

    async def start(self, port: int) -> None:
        self._server = await serve(self._handle, "127.0.0.1", port, subprotocols=["ari"])

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None

    async def _handle(self, ws: ServerConnection) -> None:
        sock = AppSocket(ws)
        await self.connections.put(sock)
        try:
            async for raw in ws:
                await sock.arrive(json.loads(raw))
        except ConnectionClosed:
            pass
        finally:
            await sock.arrive(None)

    async def accept(self) -> AppSocket:
        """The next connection from Ariel."""
        return await asyncio.wait_for(self.connections.get(), WAIT_S)


@contextlib.asynccontextmanager
async def app_server(port: int) -> AsyncIterator[AppServer]:
    server = AppServer()
    await server.start(port)
    try:
        yield server
    finally:
        await server.stop()


def make_phone(outbound: Outbound, tmp_path: Path, scenario: str, dial: str) -> SippPhone:
    if sipp_path() is None:
        pytest.skip("sipp is not installed")
    workdir = tmp_path / f"phone-{dial}"
    workdir.mkdir()
    return SippPhone(
        scenario,
        sip_port=outbound.server.sip_port,
        workdir=workdir,
        dial=dial,
        display=f"outbound-{uuid.uuid4().hex[:8]}",
    )


async def application_names(server: AriServer) -> list[str]:
    auth = {"Authorization": server.basic_auth()}
    async with (
        aiohttp.ClientSession(headers=auth) as http,
        http.get(f"{server.ari_url}/applications") as response,
    ):
        assert response.status == 200
        return [app["name"] for app in await response.json()]


async def test_persistent_socket_announces_its_apps_and_serves_a_call_over_rest_requests(
    outbound: Outbound, tmp_path: Path
) -> None:
    async with app_server(outbound.ports.persistent) as server:
        sock = await server.accept()
        assert sock.ws.request is not None
        assert sock.ws.request.headers["Authorization"] == BASIC
        assert sock.ws.subprotocol == "ari"
        first = [await sock.next(), await sock.next()]
        assert [m["type"] for m in first] == ["ApplicationRegistered"] * 2
        assert sorted(m["application"] for m in first) == ["outapp", "outapp2"]
        assert set(first[0]) == {"type", "timestamp", "application", "asterisk_id"}
        assert {"outapp", "outapp2"} <= set(await application_names(outbound.server))

        phone = make_phone(outbound, tmp_path, "answered_then_bye_from_server.xml", "outbound")
        async with phone as sipp:
            start = await sock.next("StasisStart")
            assert start["application"] == "outapp"
            channel_id = start["channel"]["id"]
            answered = await sock.request("POST", f"channels/{channel_id}/answer")
            assert answered["status_code"] == 204, answered
            change = await sock.next("ChannelStateChange")
            assert change["channel"]["state"] == "Up"
            info = await sock.request("GET", f"channels/{channel_id}")
            assert info["status_code"] == 200
            assert json.loads(info["message_body"])["state"] == "Up"
            deleted = await sock.request("DELETE", f"channels/{channel_id}")
            assert deleted["status_code"] == 204, deleted
            end = await sock.next("StasisEnd")
            assert end["channel"]["id"] == channel_id
            await sipp.wait_request("BYE")
            assert await sipp.finish() == 0, sipp.report()


async def test_persistent_socket_reconnects_after_the_app_server_restarts(
    outbound: Outbound,
) -> None:
    async with app_server(outbound.ports.persistent) as server:
        sock = await server.accept()
        assert (await sock.next())["type"] == "ApplicationRegistered"
    # The app server is gone; Stasis() still finds the apps registered.
    assert {"outapp", "outapp2"} <= set(await application_names(outbound.server))
    async with app_server(outbound.ports.persistent) as server:
        sock = await server.accept()
        again = [await sock.next(), await sock.next()]
        assert [m["type"] for m in again] == ["ApplicationRegistered"] * 2


async def test_per_call_socket_opens_for_the_call_reconnects_and_closes_after_stasis_end(
    outbound: Outbound, tmp_path: Path
) -> None:
    async with app_server(outbound.ports.per_call) as server:
        assert "pcapp" not in await application_names(outbound.server)
        phone = make_phone(outbound, tmp_path, "answered_then_bye_from_server.xml", "percall")
        async with phone as sipp:
            sock = await server.accept()
            registered = await sock.next()
            assert registered["type"] == "ApplicationRegistered"
            app = registered["application"]
            assert app.startswith("pcapp:PJSIP/SOFTPHONE_A-"), app
            start = await sock.next("StasisStart")
            assert start["application"] == app
            channel_id = start["channel"]["id"]
            assert app in await application_names(outbound.server)
            answered = await sock.request("POST", f"channels/{channel_id}/answer")
            assert answered["status_code"] == 204, answered

            await sock.ws.close()
            sock = await server.accept()
            assert await sock.next() == {**registered, "timestamp": sock.seen[0]["timestamp"]}
            deleted = await sock.request("DELETE", f"channels/{channel_id}")
            assert deleted["status_code"] == 204, deleted
            types = await sock.closed_by_ariel()
            assert "StasisEnd" in types, types
            await sipp.wait_request("BYE")
            assert await sipp.finish() == 0, sipp.report()
        assert app not in await application_names(outbound.server)


async def test_per_call_stasis_fails_when_the_app_server_cannot_be_reached(
    outbound: Outbound, tmp_path: Path
) -> None:
    phone = make_phone(outbound, tmp_path, "rejected.xml", "deadcall")
    async with phone as sipp:
        assert await sipp.finish() == 0, sipp.report()
    # Back in the dialplan with STASISSTATUS=FAILED, which hangs up with cause 21.
    assert sipp.statuses()[-1] == 403, sipp.report()
