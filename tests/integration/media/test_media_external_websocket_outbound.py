"""externalMedia over a WebSocket Ariel opens to the app (chan_websocket's client connections).

``POST /channels/externalMedia?transport=websocket&encapsulation=none&external_host=<id>``
(``connection_type=client``, the default) names a ``websocket_client.conf``
connection; the channel ``WebSocket/<id>/...`` must connect to its ``uri``
(the ``v(...)`` parameters of ``transport_data`` appended as the query),
offering the ``media`` subprotocol, and send the plain-text ``MEDIA_START``
first; ``MEDIA_WEBSOCKET_CONNECTION_ID`` is the connection's id. The app
server here is a real ``websockets`` server in the test. Bridged with a SIPp
call, the phone's 1000 Hz tone must arrive as BINARY ulaw frames of 160
bytes and one second of 600 Hz sent back must reach the phone; ``HANGUP``
ends the channel and closes the socket, and so does hanging the channel up
over REST. When the server cannot be reached, the request still answers 200
(the reference connects while dialling) and the channel is destroyed with
cause 3 "No route to destination", after ``reconnect_attempts`` tries, never
entering Stasis.
"""

from __future__ import annotations

import asyncio
import random
import socket
import sys
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass

import numpy as np
import pytest
from ari_app_events import AppEvents, Ari
from ariel_process import AriServer, free_port, launch_ariel, write_config
from audio_measure import dominant_frequency, sine, ulaw_decode, ulaw_encode, voiced_seconds
from media_phones import MediaCallFactory
from websockets.asyncio.server import Server, ServerConnection, serve

pytestmark = [pytest.mark.integration, pytest.mark.timeout(40)]

APP = "zarniwoop"
#: Size of this module's RTP port block (as the media conftest picks one).
RTP_BLOCK = 1000

WEBSOCKET_CLIENTS = """\
[media-app]
type = websocket_client
uri = ws://127.0.0.1:{media_port}/media
protocols = media
connection_type = per_call_config
connection_timeout = 500
reconnect_interval = 100
reconnect_attempts = 3

[dead-media]
type = websocket_client
uri = ws://127.0.0.1:{dead_port}/media
protocols = media
connection_type = per_call_config
connection_timeout = 300
reconnect_interval = 100
reconnect_attempts = 2
"""


@dataclass(frozen=True)
class MediaPorts:
    media: int
    dead: int


@pytest.fixture(scope="module")
def media_ports() -> MediaPorts:
    """Where the test's media server listens, and a port nothing listens on."""
    return MediaPorts(media=free_port(), dead=free_port())


@pytest.fixture(scope="module")
def ariel_server(
    tmp_path_factory: pytest.TempPathFactory, media_ports: MediaPorts
) -> Iterator[AriServer]:
    """An Ariel whose websocket_client.conf points at the test's media server."""
    root = tmp_path_factory.mktemp("ariel-media-ws-out")
    config_dir = root / "config"
    config_dir.mkdir()
    http_port = free_port()
    sip_port = free_port(socket.SOCK_DGRAM)
    write_config(config_dir, http_port=http_port, sip_port=sip_port)
    start = 20000 + 2 * random.randrange((32000 - 20000 - RTP_BLOCK) // 2)
    (config_dir / "rtp.conf").write_text(
        f"[general]\nrtpstart = {start}\nrtpend = {start + RTP_BLOCK}\nicesupport = no\n"
    )
    (config_dir / "websocket_client.conf").write_text(
        WEBSOCKET_CLIENTS.format(media_port=media_ports.media, dead_port=media_ports.dead)
    )
    with launch_ariel(root, config_dir, http_port=http_port, sip_port=sip_port) as server:
        yield server


class MediaServer:
    """The app's WebSocket server: hands each connection Ariel opens to the test."""

    def __init__(self) -> None:
        self.connections: asyncio.Queue[ServerConnection] = asyncio.Queue()
        self._server: Server | None = None

    async def start(self, port: int) -> None:
        self._server = await serve(self._handle, "127.0.0.1", port, subprotocols=["media"])

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    async def _handle(self, ws: ServerConnection) -> None:
        await self.connections.put(ws)
        await ws.wait_closed()

    async def accepted(self, timeout: float = 5.0) -> ServerConnection:
        return await asyncio.wait_for(self.connections.get(), timeout)


@pytest.fixture
async def media_server(media_ports: MediaPorts) -> AsyncIterator[MediaServer]:
    server = MediaServer()
    await server.start(media_ports.media)
    try:
        yield server
    finally:
        await server.stop()


async def _external(ari: Ari, host: str, **extra: str) -> dict[str, object]:
    status, body = await ari.request(
        "POST",
        "channels/externalMedia",
        params={
            "app": APP,
            "transport": "websocket",
            "encapsulation": "none",
            "external_host": host,
            "format": "ulaw",
            **extra,
        },
    )
    assert status == 200, body
    assert isinstance(body, dict)
    return body


async def _audio(ws: ServerConnection, seconds: float) -> np.ndarray:
    """The ulaw BINARY frames received within ``seconds``, decoded."""
    chunks: list[bytes] = []
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while (left := deadline - loop.time()) > 0:
        try:
            frame = await asyncio.wait_for(ws.recv(), left)
        except TimeoutError:
            break
        if isinstance(frame, bytes):
            assert len(frame) == 160, len(frame)
            chunks.append(frame)
    return ulaw_decode(b"".join(chunks))


async def _text(ws: ServerConnection, timeout: float = 5.0) -> str:
    """The next TEXT frame (BINARY frames before it are skipped)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        frame = await asyncio.wait_for(ws.recv(), max(deadline - loop.time(), 0.01))
        if isinstance(frame, str):
            return frame


async def _closed(ws: ServerConnection, timeout: float = 5.0) -> None:
    """Wait until the connection is closed, reading (and dropping) what still arrives."""

    async def drain() -> None:
        async for _ in ws:
            pass

    await asyncio.wait_for(drain(), timeout)


async def test_channel_connects_to_the_app_and_exchanges_audio_with_a_phone(
    media_call: MediaCallFactory, ari: Ari, stasis: AppEvents, media_server: MediaServer
) -> None:
    async with media_call() as call:
        body = await _external(ari, "media-app", transport_data="v(call=7,lang=en)")
        name, external = str(body["name"]), str(body["id"])
        assert name.startswith("WebSocket/media-app/"), name
        variables = body["channelvars"]
        assert isinstance(variables, dict)
        assert variables["MEDIA_WEBSOCKET_CONNECTION_ID"] == "media-app"
        assert variables["MEDIA_WEBSOCKET_OPTIMAL_FRAME_SIZE"] == "160"

        ws = await media_server.accepted()
        assert ws.request is not None
        assert ws.request.path == "/media?call=7&lang=en"
        assert ws.subprotocol == "media"
        start = await _text(ws)
        assert start == (
            f"MEDIA_START connection_id:media-app channel:{name} "
            f"channel_id:{external} format:ulaw optimal_frame_size:160 ptime:20"
        )
        await stasis.channel_event(external, "StasisStart")
        state = await ari.request("GET", f"channels/{external}")
        assert state[0] == 200 and state[1]["state"] == "Up", state

        status, bridge = await ari.request("POST", "bridges", params={"type": "mixing"})
        assert status == 200, bridge
        status, _ = await ari.request(
            "POST",
            f"bridges/{bridge['id']}/addChannel",
            params={"channel": f"{call.channel_id},{external}"},
        )
        assert status == 204
        try:
            phone_sends = asyncio.create_task(call.rtp.send_audio(sine(1000, 1.5)))
            heard = await _audio(ws, 1.5)
            await phone_sends
            assert voiced_seconds(heard) >= 0.8, f"app heard {voiced_seconds(heard)} s"
            assert abs(dominant_frequency(heard) - 1000) < 20

            mark = call.rtp.mark()
            await ws.send(ulaw_encode(sine(600, 1.0)))  # one message: the channel frames it
            await asyncio.sleep(1.3)
            phone_heard = call.rtp.audio(since=mark)
            assert voiced_seconds(phone_heard) >= 0.8, (
                f"phone heard {voiced_seconds(phone_heard)} s"
            )
            assert abs(dominant_frequency(phone_heard) - 600) < 20

            await ws.send("HANGUP")
            await stasis.channel_event(external, "ChannelDestroyed")
            await _closed(ws)
            await ari.wait_channel_gone(external)
        finally:
            await ari.request("DELETE", f"bridges/{bridge['id']}")


async def test_hanging_up_the_channel_closes_the_apps_socket(
    ari: Ari, stasis: AppEvents, media_server: MediaServer
) -> None:
    body = await _external(ari, "media-app")
    external = str(body["id"])
    ws = await media_server.accepted()
    assert (await _text(ws)).startswith("MEDIA_START connection_id:media-app ")
    await stasis.channel_event(external, "StasisStart")
    status, _ = await ari.request("DELETE", f"channels/{external}")
    assert status == 204
    await _closed(ws)
    assert ws.close_code == 1000
    await stasis.channel_event(external, "ChannelDestroyed")


async def test_app_closing_its_socket_hangs_the_channel_up(
    ari: Ari, stasis: AppEvents, media_server: MediaServer
) -> None:
    body = await _external(ari, "media-app")
    external = str(body["id"])
    ws = await media_server.accepted()
    await _text(ws)
    await stasis.channel_event(external, "StasisStart")
    await ws.close()
    await stasis.channel_event(external, "ChannelDestroyed")
    await ari.wait_channel_gone(external)


async def test_unreachable_app_server_destroys_the_channel_with_no_route(
    ari: Ari, stasis: AppEvents
) -> None:
    loop = asyncio.get_running_loop()
    began = loop.time()
    body = await _external(ari, "dead-media")
    external = str(body["id"])
    assert str(body["name"]).startswith("WebSocket/dead-media/")
    destroyed = await stasis.channel_event(external, "ChannelDestroyed")
    assert destroyed["cause"] == 3, destroyed
    assert destroyed["cause_txt"] == "No route to destination", destroyed
    assert loop.time() - began >= 0.1  # two attempts, reconnect_interval apart
    assert "StasisStart" not in stasis.types_for(external), stasis.types_for(external)
    await ari.wait_channel_gone(external)


async def test_a_reloaded_websocket_client_conf_sends_the_next_channel_to_the_new_uri(
    ariel_server: AriServer,
    ari: Ari,
    stasis: AppEvents,
    media_ports: MediaPorts,
    media_server: MediaServer,
) -> None:
    """``dead-media`` is pointed at the live server by a reload; put back afterwards."""
    conf = ariel_server.config_dir / "websocket_client.conf"
    original = conf.read_text()
    conf.write_text(
        WEBSOCKET_CLIENTS.format(media_port=media_ports.media, dead_port=media_ports.media)
    )
    try:
        await _reload_res_ari(ariel_server)
        body = await _external(ari, "dead-media")
        ws = await media_server.accepted()
        assert (await _text(ws)).startswith("MEDIA_START connection_id:dead-media ")
        await stasis.channel_event(str(body["id"]), "StasisStart")
        status, _ = await ari.request("DELETE", f"channels/{body['id']}")
        assert status == 204
        await _closed(ws)
    finally:
        conf.write_text(original)
        await _reload_res_ari(ariel_server)


async def _reload_res_ari(server: AriServer) -> None:
    """``ariel -rx 'module reload res_ari.so'`` (which re-reads websocket_client.conf)."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "ariel",
        "-C",
        str(server.config_dir),
        "-rx",
        "module reload res_ari.so",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await asyncio.wait_for(process.communicate(), 15)
    assert process.returncode == 0, out.decode()
