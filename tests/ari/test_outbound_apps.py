"""OutboundApps without sockets: registration, greetings, REST rights, reconnects.

Connections are in-memory (:class:`FakeConnection`) handed out by a scripted
connector; the Dispatcher and Core are real (the ``dispatcher`` fixture).
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest

from ariel.ari.dispatch import Dispatcher
from ariel.ari.outbound import OutboundApps
from ariel.config import OutboundWebsocket, WebSocketClient
from ariel.core.events import DeviceStateChanged

pytestmark = pytest.mark.timeout(10)


class FakeConnection:
    """One in-memory client WebSocket: frames Ariel sent, frames to feed it."""

    def __init__(self) -> None:
        self.frames: list[dict[str, Any]] = []
        self.incoming: asyncio.Queue[str | None] = asyncio.Queue()
        self.closed = asyncio.Event()

    async def send_text(self, text: str) -> None:
        if self.closed.is_set():
            raise ConnectionError("closed")
        self.frames.append(json.loads(text))

    async def receive(self) -> str | bytes | None:
        if self.closed.is_set():
            return None
        return await self.incoming.get()

    async def close(self) -> None:
        self.closed.set()
        self.incoming.put_nowait(None)

    async def wait_frames(self, count: int) -> list[dict[str, Any]]:
        deadline = time.monotonic() + 2.0
        while len(self.frames) < count:
            assert time.monotonic() < deadline, f"{len(self.frames)} of {count}: {self.frames}"
            await asyncio.sleep(0.005)
        return self.frames

    def types(self) -> list[str]:
        return [f["type"] for f in self.frames]


class Connector:
    """Hands out scripted outcomes: a connection, or a refusal (``None``)."""

    def __init__(self) -> None:
        self.outcomes: asyncio.Queue[FakeConnection | None] = asyncio.Queue()
        self.attempts = 0

    async def __call__(self, client: WebSocketClient) -> FakeConnection:
        self.attempts += 1
        outcome = await self.outcomes.get()
        if outcome is None:
            raise ConnectionError(f"{client.name}: refused")
        return outcome


def _client(connection_type: str = "persistent", attempts: int = 4) -> WebSocketClient:
    return WebSocketClient(
        name="app-server",
        uri="ws://127.0.0.1:9/ari",
        protocols=("ari",),
        connection_type="per_call_config" if connection_type != "persistent" else "persistent",
        reconnect_interval=5,
        reconnect_attempts=attempts,
    )


def _outbound(
    dispatcher: Dispatcher, connector: Connector, client: WebSocketClient, user: str = "asterisk"
) -> OutboundApps:
    conf = OutboundWebsocket(
        name="conn", websocket_client_id="app-server", apps=("a1", "a2"), local_ari_user=user
    )
    return OutboundApps(dispatcher, {"conn": conf}, {"app-server": client}, connector)


@pytest.fixture
async def persistent(dispatcher: Dispatcher) -> AsyncIterator[tuple[OutboundApps, Connector]]:
    connector = Connector()
    apps = _outbound(dispatcher, connector, _client())
    apps.start()
    yield apps, connector
    await apps.stop()


async def test_persistent_apps_are_registered_before_any_connection(
    persistent: tuple[OutboundApps, Connector], dispatcher: Dispatcher
) -> None:
    registry = dispatcher.core.apps
    assert registry.is_registered("a1") and registry.is_registered("a2")


async def test_each_connection_starts_with_application_registered_for_every_app(
    persistent: tuple[OutboundApps, Connector],
) -> None:
    _, connector = persistent
    conn = FakeConnection()
    await connector.outcomes.put(conn)
    frames = await conn.wait_frames(2)
    assert [(f["type"], f["application"]) for f in frames] == [
        ("ApplicationRegistered", "a1"),
        ("ApplicationRegistered", "a2"),
    ]


async def test_rest_requests_run_as_the_local_ari_user(
    persistent: tuple[OutboundApps, Connector],
) -> None:
    _, connector = persistent
    conn = FakeConnection()
    await connector.outcomes.put(conn)
    await conn.wait_frames(2)
    request = {"type": "RESTRequest", "request_id": "r1", "method": "GET", "uri": "asterisk/info"}
    conn.incoming.put_nowait(json.dumps(request))
    reply = (await conn.wait_frames(3))[2]
    assert (reply["type"], reply["request_id"], reply["status_code"]) == ("RESTResponse", "r1", 200)


async def test_a_read_only_local_user_gets_403_for_writes(dispatcher: Dispatcher) -> None:
    connector = Connector()
    apps = _outbound(dispatcher, connector, _client(), user="viewer")
    apps.start()
    conn = FakeConnection()
    await connector.outcomes.put(conn)
    await conn.wait_frames(2)
    request = {
        "type": "RESTRequest",
        "request_id": "w",
        "method": "POST",
        "uri": "channels/x/answer",
    }
    conn.incoming.put_nowait(json.dumps(request))
    reply = (await conn.wait_frames(3))[2]
    assert reply["status_code"] == 403
    assert json.loads(reply["message_body"]) == {"message": "Write access denied"}
    await apps.stop()


async def test_events_while_disconnected_follow_the_greeting_of_the_next_connection(
    persistent: tuple[OutboundApps, Connector], dispatcher: Dispatcher
) -> None:
    _, connector = persistent
    first = FakeConnection()
    await connector.outcomes.put(first)
    await first.wait_frames(2)
    await first.close()
    deadline = time.monotonic() + 2.0
    while connector.attempts < 2:  # the link noticed and is reconnecting
        assert time.monotonic() < deadline
        await asyncio.sleep(0.005)
    core = dispatcher.core
    core.apps.get("a1").subscribe_all = True
    core.apps.publish(DeviceStateChanged(timestamp=core.clock.now(), name="Custom:x", state="BUSY"))
    second = FakeConnection()
    await connector.outcomes.put(second)
    frames = await second.wait_frames(3)
    assert [f["type"] for f in frames[:3]] == [
        "ApplicationRegistered",
        "ApplicationRegistered",
        "DeviceStateChanged",
    ]


async def test_stopping_announces_application_unregistered_then_closes(
    dispatcher: Dispatcher,
) -> None:
    connector = Connector()
    apps = _outbound(dispatcher, connector, _client())
    apps.start()
    conn = FakeConnection()
    await connector.outcomes.put(conn)
    await conn.wait_frames(2)
    await apps.stop()
    assert conn.closed.is_set()
    assert conn.types() == ["ApplicationRegistered"] * 2 + ["ApplicationUnregistered"] * 2
    assert not dispatcher.core.apps.is_registered("a1")


async def test_per_call_open_gives_up_after_reconnect_attempts(dispatcher: Dispatcher) -> None:
    connector = Connector()
    apps = _outbound(dispatcher, connector, _client("per_call", attempts=3))
    apps.start()
    assert dispatcher.core.apps.per_call is apps
    for _ in range(3):
        connector.outcomes.put_nowait(None)
    assert await apps.open("a1", "PJSIP/alice-00000001") is None
    assert connector.attempts == 3
    assert not dispatcher.core.apps.is_registered("a1:PJSIP/alice-00000001")
    await apps.stop()


async def test_per_call_app_is_named_after_the_channel_and_released_with_it(
    dispatcher: Dispatcher,
) -> None:
    connector = Connector()
    apps = _outbound(dispatcher, connector, _client("per_call"))
    apps.start()
    assert apps.serves("a2") and not apps.serves("other")
    connector.outcomes.put_nowait(None)
    conn = FakeConnection()
    connector.outcomes.put_nowait(conn)
    lease = await apps.open("a2", "PJSIP/alice-00000002")
    assert lease is not None and lease.app == "a2:PJSIP/alice-00000002"
    assert dispatcher.core.apps.is_registered(lease.app)
    frames = await conn.wait_frames(1)
    assert (frames[0]["type"], frames[0]["application"]) == ("ApplicationRegistered", lease.app)
    lease.release()
    await asyncio.wait_for(conn.closed.wait(), 2)
    assert not dispatcher.core.apps.is_registered(lease.app)
    assert conn.types() == ["ApplicationRegistered"]
    await apps.stop()
