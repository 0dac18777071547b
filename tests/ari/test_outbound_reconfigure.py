"""OutboundApps.reconfigure without sockets: what a reload starts, stops, restarts or leaves.

Connections are the in-memory ones of ``test_outbound_apps``; the connector
here also records which websocket client each attempt used.
"""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import AsyncIterator, Callable

import pytest
from test_outbound_apps import Connector, FakeConnection

from ariel.ari.dispatch import Dispatcher
from ariel.ari.outbound import OutboundApps
from ariel.config import AriUser, OutboundWebsocket, WebSocketClient

pytestmark = pytest.mark.timeout(10)


class RecordingConnector(Connector):
    """A scripted connector that remembers the URI of every attempt."""

    def __init__(self) -> None:
        super().__init__()
        self.uris: list[str] = []

    async def __call__(self, client: WebSocketClient) -> FakeConnection:
        self.uris.append(client.uri)
        return await super().__call__(client)


def _client(name: str, port: int, connection_type: str = "persistent") -> WebSocketClient:
    return WebSocketClient(
        name=name,
        uri=f"ws://127.0.0.1:{port}/ari",
        protocols=("ari",),
        connection_type="persistent" if connection_type == "persistent" else "per_call_config",
        reconnect_interval=5,
    )


def _conn(name: str, client: str, *apps: str, user: str = "asterisk") -> OutboundWebsocket:
    return OutboundWebsocket(name=name, websocket_client_id=client, apps=apps, local_ari_user=user)


async def _until(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 2.0
    while not condition():
        assert time.monotonic() < deadline, "condition never became true"
        await asyncio.sleep(0.005)


async def _reloaded() -> None:
    """Let the coalesced apply run (it is scheduled with ``call_soon``)."""
    await asyncio.sleep(0)
    await asyncio.sleep(0)


@pytest.fixture
async def running(
    dispatcher: Dispatcher,
) -> AsyncIterator[tuple[OutboundApps, RecordingConnector, FakeConnection]]:
    """``conn`` (apps a1, a2) connected to the app server on port 1."""
    connector = RecordingConnector()
    apps = OutboundApps(
        dispatcher,
        {"conn": _conn("conn", "server", "a1", "a2")},
        {"server": _client("server", 1)},
        connector,
    )
    apps.start()
    first = FakeConnection()
    await connector.outcomes.put(first)
    await first.wait_frames(2)
    yield apps, connector, first
    await apps.stop()


async def test_a_connection_added_by_a_reload_starts_and_greets_its_apps(
    running: tuple[OutboundApps, RecordingConnector, FakeConnection], dispatcher: Dispatcher
) -> None:
    apps, connector, _ = running
    added = FakeConnection()
    await connector.outcomes.put(added)
    apps.reconfigure(
        {"conn": _conn("conn", "server", "a1", "a2"), "new": _conn("new", "other", "b1")},
        {"server": _client("server", 1), "other": _client("other", 2)},
    )
    frames = await added.wait_frames(1)
    assert [(f["type"], f["application"]) for f in frames] == [("ApplicationRegistered", "b1")]
    assert connector.uris[-1] == "ws://127.0.0.1:2/ari"
    assert dispatcher.core.apps.is_registered("b1")
    assert apps.connected("new") is True


async def test_a_removed_connection_unregisters_its_apps_and_closes(
    running: tuple[OutboundApps, RecordingConnector, FakeConnection], dispatcher: Dispatcher
) -> None:
    apps, _, first = running
    apps.reconfigure(connections={})
    await asyncio.wait_for(first.closed.wait(), 2)
    assert first.types()[2:] == ["ApplicationUnregistered"] * 2
    assert not dispatcher.core.apps.is_registered("a1")
    assert apps.connected("conn") is None


async def test_changed_apps_are_reregistered_on_the_same_connection(
    running: tuple[OutboundApps, RecordingConnector, FakeConnection], dispatcher: Dispatcher
) -> None:
    apps, connector, first = running
    apps.reconfigure(connections={"conn": _conn("conn", "server", "a2", "a3")})
    frames = await first.wait_frames(5)
    assert [(f["type"], f["application"]) for f in frames[2:]] == [
        ("ApplicationUnregistered", "a1"),
        ("ApplicationReplaced", "a2"),
        ("ApplicationRegistered", "a3"),
    ]
    registry = dispatcher.core.apps
    assert not registry.is_registered("a1")
    assert registry.is_registered("a2") and registry.is_registered("a3")
    assert connector.attempts == 1 and not first.closed.is_set()


async def test_a_new_uri_closes_the_socket_and_connects_there_keeping_the_apps(
    running: tuple[OutboundApps, RecordingConnector, FakeConnection], dispatcher: Dispatcher
) -> None:
    apps, connector, first = running
    second = FakeConnection()
    await connector.outcomes.put(second)
    apps.reconfigure(clients={"server": _client("server", 3)})
    await asyncio.wait_for(first.closed.wait(), 2)
    assert first.types() == ["ApplicationRegistered"] * 2  # no ApplicationUnregistered
    assert dispatcher.core.apps.is_registered("a1")
    frames = await second.wait_frames(2)
    assert [f["type"] for f in frames] == ["ApplicationRegistered"] * 2
    assert connector.uris == ["ws://127.0.0.1:1/ari", "ws://127.0.0.1:3/ari"]


async def test_a_new_password_of_the_local_ari_user_reconnects(
    running: tuple[OutboundApps, RecordingConnector, FakeConnection], dispatcher: Dispatcher
) -> None:
    apps, connector, first = running
    users = dict(dispatcher.conf.users)
    users["asterisk"] = AriUser(name="asterisk", password="changed")
    dispatcher.conf = dataclasses.replace(dispatcher.conf, users=users)
    second = FakeConnection()
    await connector.outcomes.put(second)
    apps.reconfigure(connections={"conn": _conn("conn", "server", "a1", "a2")})
    await asyncio.wait_for(first.closed.wait(), 2)
    await second.wait_frames(2)
    assert connector.attempts == 2


async def test_an_unchanged_or_retry_only_change_leaves_the_connection_alone(
    running: tuple[OutboundApps, RecordingConnector, FakeConnection],
) -> None:
    apps, connector, first = running
    slower = dataclasses.replace(_client("server", 1), reconnect_interval=900, line=42)
    apps.reconfigure({"conn": _conn("conn", "server", "a1", "a2")}, {"server": slower})
    await _reloaded()
    await asyncio.sleep(0.05)
    assert connector.attempts == 1 and not first.closed.is_set()
    assert first.types() == ["ApplicationRegistered"] * 2


async def test_a_running_connection_whose_new_configuration_is_invalid_is_kept(
    running: tuple[OutboundApps, RecordingConnector, FakeConnection], dispatcher: Dispatcher
) -> None:
    apps, connector, first = running
    apps.reconfigure(connections={"conn": _conn("conn", "server", "a1", user="nobody")})
    await _reloaded()
    await asyncio.sleep(0.05)
    assert connector.attempts == 1 and not first.closed.is_set()
    assert dispatcher.core.apps.is_registered("a2")


async def test_a_connection_made_to_the_old_uri_during_a_reload_is_dropped_for_the_new_one(
    dispatcher: Dispatcher,
) -> None:
    connector = RecordingConnector()
    apps = OutboundApps(
        dispatcher,
        {"conn": _conn("conn", "server", "a1")},
        {"server": _client("server", 1)},
        connector,
    )
    apps.start()
    await _until(lambda: connector.attempts == 1)  # in flight, to the old URI
    apps.reconfigure(clients={"server": _client("server", 4)})
    await _reloaded()
    stale, fresh = FakeConnection(), FakeConnection()
    await connector.outcomes.put(stale)
    await connector.outcomes.put(fresh)
    await fresh.wait_frames(1)
    assert stale.closed.is_set() and stale.frames == []
    assert connector.uris == ["ws://127.0.0.1:1/ari", "ws://127.0.0.1:4/ari"]
    await apps.stop()


async def test_per_call_changes_apply_to_the_next_call_and_switching_type_stops_the_socket(
    running: tuple[OutboundApps, RecordingConnector, FakeConnection], dispatcher: Dispatcher
) -> None:
    apps, connector, first = running
    assert not apps.serves("a1")
    apps.reconfigure(clients={"server": _client("server", 5, "per_call_config")})
    await asyncio.wait_for(first.closed.wait(), 2)
    assert first.types()[2:] == ["ApplicationUnregistered"] * 2
    assert apps.serves("a1") and not dispatcher.core.apps.is_registered("a1")
    call = FakeConnection()
    await connector.outcomes.put(call)
    lease = await apps.open("a1", "PJSIP/alice-00000001")
    assert lease is not None
    assert connector.uris[-1] == "ws://127.0.0.1:5/ari"
    # The call in progress keeps its connection through a further change.
    apps.reconfigure(clients={"server": _client("server", 6, "per_call_config")})
    await _reloaded()
    await asyncio.sleep(0.05)
    assert not call.closed.is_set()
    lease.release()
    await asyncio.wait_for(call.closed.wait(), 2)


def test_invalid_fields_name_what_the_reference_marks_invalid(dispatcher: Dispatcher) -> None:
    clients = {"server": _client("server", 1)}
    users = dispatcher.conf.users
    good = _conn("good", "server", "a1")
    twin = _conn("twin", "server", "a1", "a2")
    crypt = dataclasses.replace(users["asterisk"], name="crypt", password_format="crypt")
    assert good.invalid_fields({"good": good}, clients, users) == ()
    assert good.invalid_fields({"good": good, "twin": twin}, clients, users) == ("apps",)
    nowhere = _conn("x", "missing", "a1", user="crypt")
    assert nowhere.invalid_fields({"x": nowhere}, clients, {**users, "crypt": crypt}) == (
        "websocket_client_id",
        "local_ari_user",
    )
