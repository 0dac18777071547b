"""The connector of outgoing media WebSockets, with a scripted connection (no sockets)."""

from __future__ import annotations

import asyncio

import pytest

from ariel.config.websocket_client import WebSocketClient
from ariel.drivers.websocket_media.outbound import OutboundMediaConnector, client_uri
from ariel.net.websocket_client import WebSocketConnectError

pytestmark = pytest.mark.timeout(5)

CLIENT = WebSocketClient(
    name="media1",
    uri="ws://app.example:8787/media",
    protocols=("media",),
    connection_type="per_call_config",
    reconnect_attempts=3,
    reconnect_interval=250,
)


class ScriptedConnection:
    """A connection that yields ``incoming`` and then stays open until closed."""

    def __init__(self, incoming: list[str | bytes]) -> None:
        self.peer = "127.0.0.1:8787"
        self.sent: list[str | bytes] = []
        self.closed = asyncio.Event()
        self._incoming = list(incoming)

    async def send_text(self, text: str) -> None:
        self.sent.append(text)

    async def send_bytes(self, data: bytes) -> None:
        self.sent.append(data)

    async def receive(self) -> str | bytes | None:
        if self._incoming:
            return self._incoming.pop(0)
        await self.closed.wait()
        return None

    async def close(self) -> None:
        self.closed.set()


class Session:
    def __init__(self) -> None:
        self.frames: list[str | bytes] = []
        self.closed = asyncio.Event()

    def on_text(self, text: str) -> None:
        self.frames.append(text)

    def on_binary(self, data: bytes) -> None:
        self.frames.append(data)

    def on_closed(self) -> None:
        self.closed.set()


def test_uri_parameters_start_the_query() -> None:
    assert client_uri("ws://h:1/m", "a=1&b=2") == "ws://h:1/m?a=1&b=2"


def test_uri_parameters_join_an_existing_query() -> None:
    assert client_uri("ws://h:1/m?x=y", "a=1") == "ws://h:1/m?x=y&a=1"


def test_no_uri_parameters_leave_the_uri_alone() -> None:
    assert client_uri("ws://h:1/m", "") == "ws://h:1/m"


async def test_unknown_client_gives_no_link() -> None:
    async def connect(settings: WebSocketClient) -> ScriptedConnection:
        raise AssertionError("must not connect")

    connector = OutboundMediaConnector({"media1": CLIENT}, connect)
    assert await connector("nope", "", Session()) is None


async def test_connects_to_the_uri_with_the_dial_string_parameters() -> None:
    seen: list[WebSocketClient] = []
    connection = ScriptedConnection([])

    async def connect(settings: WebSocketClient) -> ScriptedConnection:
        seen.append(settings)
        return connection

    connector = OutboundMediaConnector({"media1": CLIENT}, connect)
    link = await connector("media1", "id=7", Session())
    assert link is not None
    assert [s.uri for s in seen] == ["ws://app.example:8787/media?id=7"]
    assert seen[0].protocols == ("media",)
    assert link.remote == "127.0.0.1:8787"
    await link.close(1000)


async def test_failed_attempts_are_retried_reconnect_interval_apart_then_raise() -> None:
    attempts = 0
    pauses: list[float] = []

    async def connect(settings: WebSocketClient) -> ScriptedConnection:
        nonlocal attempts
        attempts += 1
        raise WebSocketConnectError("refused")

    async def sleep(seconds: float) -> None:
        pauses.append(seconds)

    connector = OutboundMediaConnector({"media1": CLIENT}, connect, sleep=sleep)
    with pytest.raises(WebSocketConnectError):
        await connector("media1", "", Session())
    assert attempts == 3
    assert pauses == [0.25, 0.25]


async def test_a_later_attempt_can_succeed() -> None:
    results: list[Exception | None] = [WebSocketConnectError("refused"), None]

    async def connect(settings: WebSocketClient) -> ScriptedConnection:
        error = results.pop(0)
        if error is not None:
            raise error
        return ScriptedConnection([])

    async def sleep(seconds: float) -> None:
        return None

    connector = OutboundMediaConnector({"media1": CLIENT}, connect, sleep=sleep)
    link = await connector("media1", "", Session())
    assert link is not None
    await link.close(1000)


async def test_frames_reach_the_session_and_the_far_end_closing_is_reported() -> None:
    connection = ScriptedConnection(["HANGUP", b"\xff" * 160])

    async def connect(settings: WebSocketClient) -> ScriptedConnection:
        return connection

    session = Session()
    link = await OutboundMediaConnector({"media1": CLIENT}, connect)("media1", "", session)
    assert link is not None
    await link.send_text("MEDIA_START")
    await link.send_bytes(b"\x7f" * 160)
    assert connection.sent == ["MEDIA_START", b"\x7f" * 160]
    while len(session.frames) < 2:
        await asyncio.sleep(0)
    assert session.frames == ["HANGUP", b"\xff" * 160]
    assert not session.closed.is_set()
    connection.closed.set()  # the app closes
    await asyncio.wait_for(session.closed.wait(), 1)
    await link.close(1000)


async def test_closing_the_link_closes_the_socket_and_stops_the_reader() -> None:
    connection = ScriptedConnection([])

    async def connect(settings: WebSocketClient) -> ScriptedConnection:
        return connection

    session = Session()
    link = await OutboundMediaConnector({"media1": CLIENT}, connect)("media1", "", session)
    assert link is not None
    await link.close(1000)
    assert connection.closed.is_set()
    assert session.closed.is_set()
