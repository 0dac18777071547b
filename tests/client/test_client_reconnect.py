"""Reconnection: the event socket drops mid-call and the app keeps working.

The client reaches Ariel through a TCP proxy the test owns. Mid-call the
proxy cuts the connection that carries the event socket (as a NAT timeout or
a network blip would); the client must notice, reconnect with backoff,
register its application again, and go on handling the same call: play to
it and receive the playback's events, then hang it up and see StasisEnd.
REST over the event socket is exercised on the same path.

While the socket is down the server's events reach nobody: a last test
(on an in-process Ariel) hangs a channel up meanwhile and checks that the
resync after the reconnect ends its handle with ``ObjectGone``.
"""

from __future__ import annotations

import asyncio

import pytest
from ariel_process import AriServer
from client_support import STASIS_APP, PhoneFactory, TcpProxy

from ariel.client import AriClient, AriNotFound, Backoff, HandleEnded, ObjectGone
from ariel.client.models import PlaybackFinished, StasisEnd, StasisStart
from ariel.testing import RunningAriel

pytestmark = [pytest.mark.integration, pytest.mark.timeout(30)]


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


async def test_channel_hung_up_while_socket_is_down_ends_its_handle_after_reconnect(
    local_ariel: RunningAriel,
) -> None:
    gate = asyncio.Event()

    async def hold_reconnect(seconds: float) -> None:
        await gate.wait()  # the socket stays down until the test has changed things

    async with TcpProxy(local_ariel.http_port) as proxy, local_ariel.client() as admin:
        client = AriClient(
            f"http://127.0.0.1:{proxy.port}",
            user=local_ariel.user,
            password=local_ariel.password,
            apps="resync",
            sleep=hold_reconnect,
        )
        reconnected = asyncio.Event()
        client.on_connect(reconnected.set)
        gone_events: list[ObjectGone] = []
        client.on(ObjectGone)(gone_events.append)
        async with client:
            reconnected.clear()
            kept = await client.channels.create(endpoint="Local/kept@sets", app="resync")
            lost = await client.channels.create(endpoint="Local/lost@sets", app="resync")
            bridge = await client.create_bridge("mixing")
            for channel in (kept, lost):
                await channel.wait_for(StasisStart, timeout=5)
            waiting = asyncio.ensure_future(lost.wait_for(StasisEnd))

            assert proxy.drop() == 1
            while client.connected.is_set():
                await asyncio.sleep(0.01)
            await admin.channels.hangup(lost.id)
            await admin.bridges.add_channel(bridge.id, channel=kept.id)
            await asyncio.sleep(0.1)
            assert not waiting.done()  # the StasisEnd was sent to nobody

            gate.set()
            await asyncio.wait_for(reconnected.wait(), 5)
            with pytest.raises(HandleEnded) as caught:
                await asyncio.wait_for(waiting, 5)
            gone = caught.value.event
            assert isinstance(gone, ObjectGone)
            assert (gone.kind, gone.object_id, gone.reason) == ("channel", lost.id, "gone")
            assert lost.ended and lost.end_reason == "gone"
            assert await lost.done(timeout=1) is gone
            assert [(e.kind, e.object_id) for e in gone_events] == [("channel", lost.id)]
            # What still exists is refreshed, and still followed.
            assert not kept.ended and kept.end_reason is None
            assert bridge.model is not None and bridge.model.channels == (kept.id,)
            await kept.hangup()
            assert (await kept.done(timeout=5)).type == "StasisEnd"
            await bridge.destroy()
