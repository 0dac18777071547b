"""Reconnection: the event socket drops mid-call and the app keeps working.

The client reaches Ariel through a TCP proxy the test owns. Mid-call the
proxy cuts the connection that carries the event socket (as a NAT timeout or
a network blip would); the client must notice, reconnect with backoff,
register its application again, and go on handling the same call: play to
it and receive the playback's events, then hang it up and see StasisEnd.
REST over the event socket is exercised on the same path.
"""

from __future__ import annotations

import asyncio
import contextlib

import pytest
from ariel_process import AriServer
from client_support import STASIS_APP, PhoneFactory

from ariel.client import AriClient, AriNotFound, Backoff
from ariel.client.models import PlaybackFinished, StasisEnd, StasisStart

pytestmark = [pytest.mark.integration, pytest.mark.timeout(30)]


class TcpProxy:
    """Forwards 127.0.0.1:<port> to the server; can cut the event-socket connections."""

    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.port = 0
        self._server: asyncio.Server | None = None
        self._links: list[tuple[bool, asyncio.StreamWriter, asyncio.StreamWriter]] = []
        self._tasks: set[asyncio.Task[None]] = set()

    async def __aenter__(self) -> TcpProxy:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        assert self._server is not None
        self._server.close()
        self.drop(websockets_only=False)
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._server.wait_closed()

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        first = await reader.read(65536)
        is_ws = first.startswith(b"GET ") and b"upgrade: websocket" in first.lower()
        self._links.append((is_ws, writer, up_writer))
        up_writer.write(first)
        for src, dst in ((reader, up_writer), (up_reader, writer)):
            task = asyncio.create_task(self._pump(src, dst))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    @staticmethod
    async def _pump(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
        with contextlib.suppress(ConnectionError, OSError):
            while data := await src.read(65536):
                dst.write(data)
                await dst.drain()
        dst.close()

    def drop(self, *, websockets_only: bool = True) -> int:
        """Abort the event-socket connections (or all); returns how many."""
        dropped = 0
        for link in list(self._links):
            is_ws, client_side, server_side = link
            if is_ws or not websockets_only:
                client_side.transport.abort()
                server_side.transport.abort()
                self._links.remove(link)
                dropped += 1
        return dropped


async def test_event_socket_drop_mid_call_reconnects_and_app_keeps_working(
    ariel_server: AriServer, sip_call: PhoneFactory
) -> None:
    delays: list[float] = []

    async def sleep(seconds: float) -> None:
        delays.append(seconds)
        await asyncio.sleep(min(seconds, 0.05))

    loop = asyncio.get_running_loop()
    started: asyncio.Future[StasisStart] = loop.create_future()
    ended: asyncio.Future[StasisEnd] = loop.create_future()
    reconnected = asyncio.Event()

    async with TcpProxy(ariel_server.http_port) as proxy:
        client = AriClient(
            f"http://127.0.0.1:{proxy.port}",
            user=ariel_server.user,
            password=ariel_server.password,
            apps=STASIS_APP,
            backoff=Backoff(initial=0.2, factor=2.0, maximum=1.0, jitter=0.5),
            rand=lambda: 0.5,
            sleep=sleep,
        )
        client.on(StasisStart)(lambda ev: started.done() or started.set_result(ev))
        client.on(StasisEnd)(lambda ev: ended.done() or ended.set_result(ev))
        client.on_connect(reconnected.set)
        async with client:
            reconnected.clear()
            async with sip_call() as call:
                channel = client.channel((await asyncio.wait_for(started, 5)).channel)
                await channel.answer()
                await call.answered()

                assert proxy.drop() == 1
                await asyncio.wait_for(reconnected.wait(), 5)
                assert client.reconnects == 1
                assert delays[0] == pytest.approx(0.2 * (1 - 0.5 * 0.5))
                assert (await client.applications.get(STASIS_APP)).channel_ids == (channel.id,)

                # Events flow again on the new socket, for the same call.
                playback = await channel.play(media="sound:beep")
                finished = await playback.wait_for(PlaybackFinished, timeout=5)
                assert finished.playback.state == "done"
                await channel.hangup()
                assert (await asyncio.wait_for(ended, 5)).channel.id == channel.id
                assert await call.phone.finish() == 0


async def test_rest_over_websocket_transport(ariel_server: AriServer) -> None:
    async with AriClient(
        ariel_server.base_url,
        user=ariel_server.user,
        password=ariel_server.password,
        apps="rest-over-ws",
        rest_over_websocket=True,
    ) as client:
        sent: list[str] = []
        ws = client._ws
        assert ws is not None
        original = ws.send_str

        async def spy(data: str, compress: int | None = None) -> None:
            sent.append(data)
            await original(data)

        ws.send_str = spy  # type: ignore[method-assign]
        app = await client.applications.get("rest-over-ws")
        assert app.name == "rest-over-ws"
        bridge = await client.create_bridge("mixing", name="over-ws")
        assert (await bridge.get()).name == "over-ws"
        await bridge.destroy()
        with pytest.raises(AriNotFound) as caught:
            await bridge.get()
        assert caught.value.message == "Bridge not found"
        assert len(sent) == 5 and all('"RESTRequest"' in s for s in sent)
