"""EventSession without sockets: frames out, REST over WebSocket, slow consumers.

The session is driven through in-memory ``send_text``/``close`` coroutines and
a real Dispatcher over a real Core (the ``dispatcher`` fixture).
"""

from __future__ import annotations

import asyncio
import base64
import json
import time
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from ariel.ari.dispatch import Dispatcher
from ariel.ari.websocket import EventSession
from ariel.core.events import DeviceStateChanged

RW = "Basic " + base64.b64encode(b"asterisk:whateveryoudodontusethispassword").decode()
RO = "Basic " + base64.b64encode(b"viewer:viewonly").decode()
NOW = datetime(2026, 1, 1, tzinfo=UTC)
RESPONSE_KEYS = {
    "type",
    "timestamp",
    "transaction_id",
    "request_id",
    "status_code",
    "reason_phrase",
    "uri",
    "asterisk_id",
    "application",
}


class FakeSocket:
    """Records the frames a session sends and whether it closed the socket."""

    def __init__(self) -> None:
        self.frames: list[str] = []
        self.closed = asyncio.Event()

    async def send_text(self, text: str) -> None:
        self.frames.append(text)

    async def close(self) -> None:
        self.closed.set()

    async def wait_frames(self, count: int, timeout: float = 2.0) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while len(self.frames) < count:
            assert time.monotonic() < deadline, f"{len(self.frames)} of {count} frames arrived"
            await asyncio.sleep(0.005)
        return [json.loads(f) for f in self.frames]


class StuckSocket(FakeSocket):
    """A client that never reads: every send waits forever."""

    def __init__(self) -> None:
        super().__init__()
        self.sends_started = 0

    async def send_text(self, text: str) -> None:
        self.sends_started += 1
        await asyncio.Event().wait()


SessionFactory = Callable[..., tuple[EventSession, FakeSocket]]


@pytest.fixture
async def open_session(dispatcher: Dispatcher) -> AsyncIterator[SessionFactory]:
    """Starts sessions with running writers; stops them all at the end."""
    started: list[tuple[EventSession, asyncio.Task[None]]] = []

    def factory(
        apps: list[str],
        *,
        sock: FakeSocket | None = None,
        auth: str = RW,
        subscribe_all: bool = False,
        max_queued: int = 10_000,
        writer: bool = True,
    ) -> tuple[EventSession, FakeSocket]:
        sock = sock or FakeSocket()
        session = EventSession(
            dispatcher,
            apps,
            subscribe_all=subscribe_all,
            send_text=sock.send_text,
            close=sock.close,
            auth_headers={"Authorization": auth},
            auth_query=[],
            base_url="http://127.0.0.1:8088",
            max_queued=max_queued,
        )
        session.start()
        if writer:
            started.append((session, asyncio.create_task(session.run_writer())))
        return session, sock

    yield factory
    for session, task in started:
        session.stop()
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


def device_event(name: str = "Stasis:dev", state: str = "BUSY") -> DeviceStateChanged:
    return DeviceStateChanged(timestamp=NOW, name=name, state=state)


async def rest(session: EventSession, sock: FakeSocket, **request: Any) -> dict[str, Any]:
    """Send one RESTRequest frame and return the RESTResponse that answers it."""
    before = len(sock.frames)
    await session.on_text(json.dumps({"type": "RESTRequest", **request}))
    frames = await sock.wait_frames(before + 1)
    return frames[before]


async def raw_rest(session: EventSession, sock: FakeSocket, text: str) -> dict[str, Any]:
    before = len(sock.frames)
    await session.on_text(text)
    return (await sock.wait_frames(before + 1))[before]


# -- events out ----------------------------------------------------------------


async def test_starting_a_session_sends_no_greeting_frame(
    dispatcher: Dispatcher, open_session: SessionFactory
) -> None:
    _, sock = open_session(["zarniwoop"])
    await asyncio.sleep(0.05)
    assert sock.frames == []
    assert dispatcher.core.apps.is_registered("zarniwoop")


async def test_app_without_subscriptions_hears_nothing(
    dispatcher: Dispatcher, open_session: SessionFactory
) -> None:
    _, sock = open_session(["quiet"])
    dispatcher.core.publish(device_event())
    await asyncio.sleep(0.05)
    assert sock.frames == []


async def test_event_for_two_apps_arrives_once_per_app_with_application_set(
    dispatcher: Dispatcher, open_session: SessionFactory
) -> None:
    _, sock = open_session(["first", "second"], subscribe_all=True)
    dispatcher.core.publish(device_event())
    frames = await sock.wait_frames(2)
    assert [(f["type"], f["application"]) for f in frames] == [
        ("DeviceStateChanged", "first"),
        ("DeviceStateChanged", "second"),
    ]
    assert frames[0]["device_state"] == {"name": "Stasis:dev", "state": "BUSY"}
    assert frames[0]["asterisk_id"] == dispatcher.core.entity_id


async def test_frames_are_pretty_json_when_configured(
    dispatcher: Dispatcher, open_session: SessionFactory
) -> None:
    _, sock = open_session(["zarniwoop"], subscribe_all=True)
    dispatcher.core.publish(device_event())
    await sock.wait_frames(1)
    assert sock.frames[0].startswith('{\n  "type": "DeviceStateChanged",\n')


async def test_registering_an_app_again_tells_the_old_session_it_was_replaced(
    dispatcher: Dispatcher, open_session: SessionFactory
) -> None:
    old, old_sock = open_session(["zarniwoop"])
    _, new_sock = open_session(["zarniwoop"], subscribe_all=True)
    frames = await old_sock.wait_frames(1)
    assert [(f["type"], f["application"]) for f in frames] == [("ApplicationReplaced", "zarniwoop")]
    old.stop()  # the replaced session cannot release the app it lost
    assert dispatcher.core.apps.is_registered("zarniwoop")
    dispatcher.core.publish(device_event())
    assert [f["type"] for f in await new_sock.wait_frames(1)] == ["DeviceStateChanged"]


async def test_stop_releases_the_apps_and_later_events_are_dropped(
    dispatcher: Dispatcher, open_session: SessionFactory
) -> None:
    session, sock = open_session(["a", "b"], subscribe_all=True)
    session.stop()
    assert dispatcher.core.apps.names() == []
    session.deliver("a", device_event())
    await asyncio.wait_for(sock.closed.wait(), 1.0)
    assert sock.frames == []


# -- REST over the socket -----------------------------------------------------


async def test_rest_request_is_answered_with_a_rest_response(
    dispatcher: Dispatcher, open_session: SessionFactory
) -> None:
    session, sock = open_session(["zarniwoop", "other"])
    reply = await rest(
        session,
        sock,
        transaction_id="t-1",
        request_id="req-0",
        method="GET",
        uri="asterisk/ping",
    )
    assert set(reply) == RESPONSE_KEYS | {"content_type", "message_body"}
    assert reply["type"] == "RESTResponse"
    assert reply["application"] == "zarniwoop"
    assert (reply["transaction_id"], reply["request_id"]) == ("t-1", "req-0")
    assert (reply["status_code"], reply["reason_phrase"]) == (200, "OK")
    assert (reply["uri"], reply["content_type"]) == ("asterisk/ping", "application/json")
    body = json.loads(reply["message_body"])
    assert sorted(body) == ["asterisk_id", "ping", "timestamp"]
    assert body["ping"] == "pong"


async def test_rest_response_uri_has_no_query_string(open_session: SessionFactory) -> None:
    session, sock = open_session(["zarniwoop"])
    set_reply = await rest(
        session,
        sock,
        request_id="req-3",
        method="POST",
        uri="asterisk/variable?variable=CONF_WS&value=1",
    )
    assert (set_reply["status_code"], set_reply["uri"]) == (204, "asterisk/variable")
    get_reply = await rest(
        session,
        sock,
        request_id="req-4",
        method="GET",
        uri="asterisk/variable",
        query_strings=[{"name": "variable", "value": "CONF_WS"}],
    )
    assert (get_reply["status_code"], get_reply["uri"]) == (200, "asterisk/variable")
    assert json.loads(get_reply["message_body"]) == {"value": "1"}


async def test_204_response_has_neither_content_type_nor_body(
    open_session: SessionFactory,
) -> None:
    session, sock = open_session(["zarniwoop"])
    reply = await rest(
        session,
        sock,
        request_id="r",
        method="POST",
        uri="asterisk/variable",
        query_strings=[{"name": "variable", "value": "X"}, {"name": "value", "value": "1"}],
    )
    assert reply["status_code"] == 204
    assert reply["reason_phrase"] == "No Content"
    assert set(reply) == RESPONSE_KEYS


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/json", '{"variable": "VIA_BODY", "value": "2"}'),
        ("application/x-www-form-urlencoded", "variable=VIA_BODY&value=2"),
    ],
)
async def test_rest_request_parameters_may_come_in_the_message_body(
    open_session: SessionFactory, content_type: str, body: str
) -> None:
    session, sock = open_session(["zarniwoop"])
    reply = await rest(
        session,
        sock,
        request_id="r",
        method="POST",
        uri="asterisk/variable",
        content_type=content_type,
        message_body=body,
    )
    assert reply["status_code"] == 204
    got = await rest(
        session, sock, request_id="g", method="GET", uri="asterisk/variable?variable=VIA_BODY"
    )
    assert json.loads(got["message_body"]) == {"value": "2"}


async def test_rest_errors_keep_their_status_and_message(open_session: SessionFactory) -> None:
    session, sock = open_session(["zarniwoop"])
    missing = await rest(session, sock, request_id="r2", method="GET", uri="channels/nope")
    assert (missing["status_code"], missing["reason_phrase"]) == (404, "Not Found")
    assert json.loads(missing["message_body"]) == {"message": "Channel not found"}
    nowhere = await rest(session, sock, request_id="r5", method="DELETE", uri="nowhere")
    assert (nowhere["status_code"], nowhere["uri"]) == (404, "nowhere")
    assert json.loads(nowhere["message_body"]) == {"message": "Resource not found"}


BAD_REQUESTS: list[tuple[str, str, str]] = [
    ("non-JSON frame", "this is { not json", ""),
    ("JSON without type", json.dumps({"request_id": "r1", "method": "GET", "uri": "x"}), ""),
    ("JSON that is not an object", json.dumps(["RESTRequest"]), ""),
    ("unknown type", json.dumps({"type": "Bogus", "request_id": "r2"}), "r2"),
    (
        "missing method",
        json.dumps({"type": "RESTRequest", "request_id": "r3", "uri": "asterisk/info"}),
        "r3",
    ),
    (
        "unknown method",
        json.dumps(
            {"type": "RESTRequest", "request_id": "r4", "method": "ABC", "uri": "asterisk/info"}
        ),
        "r4",
    ),
    ("missing uri", json.dumps({"type": "RESTRequest", "request_id": "r5", "method": "GET"}), "r5"),
    (
        "empty uri",
        json.dumps({"type": "RESTRequest", "request_id": "r6", "method": "GET", "uri": ""}),
        "r6",
    ),
    (
        "unsupported content type",
        json.dumps(
            {
                "type": "RESTRequest",
                "request_id": "r7",
                "method": "POST",
                "uri": "asterisk/logging/testlog",
                "content_type": "application/something",
                "message_body": "configuration=verbose",
            }
        ),
        "r7",
    ),
    (
        "JSON content type with unparsable body",
        json.dumps(
            {
                "type": "RESTRequest",
                "request_id": "r8",
                "method": "POST",
                "uri": "asterisk/logging/testlog",
                "content_type": "application/json",
                "message_body": '{"configuration": ',
            }
        ),
        "r8",
    ),
    (
        "GET events over the socket",
        json.dumps({"type": "RESTRequest", "request_id": "r9", "method": "GET", "uri": "events"}),
        "r9",
    ),
]


@pytest.mark.parametrize(
    ("text", "request_id"),
    [(text, rid) for _, text, rid in BAD_REQUESTS],
    ids=[label for label, _, _ in BAD_REQUESTS],
)
async def test_bad_rest_request_is_answered_400(
    open_session: SessionFactory, text: str, request_id: str
) -> None:
    session, sock = open_session(["zarniwoop"])
    reply = await raw_rest(session, sock, text)
    assert reply["type"] == "RESTResponse"
    assert (reply["status_code"], reply["reason_phrase"]) == (400, "Bad Request")
    assert reply["request_id"] == request_id
    assert reply["content_type"] == "application/json"
    assert json.loads(reply["message_body"])["message"]


async def test_session_keeps_serving_after_a_bad_request(open_session: SessionFactory) -> None:
    session, sock = open_session(["zarniwoop"])
    await raw_rest(session, sock, "garbage")
    reply = await rest(session, sock, request_id="ok", method="GET", uri="asterisk/info")
    assert (reply["request_id"], reply["status_code"]) == ("ok", 200)


async def test_read_only_user_over_the_socket_gets_403_for_writes(
    open_session: SessionFactory,
) -> None:
    session, sock = open_session(["zarniwoop"], auth=RO)
    write = await rest(
        session, sock, request_id="w", method="POST", uri="asterisk/variable?variable=X&value=1"
    )
    assert (write["status_code"], write["reason_phrase"]) == (403, "Forbidden")
    assert json.loads(write["message_body"]) == {"message": "Write access denied"}
    read = await rest(session, sock, request_id="r", method="GET", uri="asterisk/ping")
    assert read["status_code"] == 200


async def test_binary_answer_over_the_socket_is_406(
    dispatcher: Dispatcher, open_session: SessionFactory
) -> None:
    directory = dispatcher.core.stored_recordings.directory
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "greeting.wav").write_bytes(b"RIFF....WAVE")
    session, sock = open_session(["zarniwoop"])
    reply = await rest(
        session, sock, request_id="f", method="GET", uri="recordings/stored/greeting/file"
    )
    assert reply["status_code"] == 406
    assert json.loads(reply["message_body"])["message"] == "Not Acceptable.  Use HTTP GET"


# -- slow consumers -------------------------------------------------------------


async def test_send_that_never_completes_closes_after_the_write_timeout(
    dispatcher: Dispatcher, open_session: SessionFactory
) -> None:
    timeout = dispatcher.conf.websocket_write_timeout / 1000.0
    session, sock = open_session(["zarniwoop"], sock=StuckSocket(), subscribe_all=True)
    started = time.monotonic()
    for _ in range(200):
        dispatcher.core.publish(device_event())
    assert time.monotonic() - started < 0.5, "deliver() must not wait for the socket"
    await asyncio.wait_for(sock.closed.wait(), timeout + 1.0)
    assert time.monotonic() - started >= timeout * 0.9
    assert isinstance(sock, StuckSocket) and sock.sends_started == 1
    session.deliver("zarniwoop", device_event())  # ignored once closing, never raises


async def test_queue_overflow_closes_the_session_without_sending_the_backlog(
    dispatcher: Dispatcher, open_session: SessionFactory
) -> None:
    session, sock = open_session(["zarniwoop"], subscribe_all=True, max_queued=3, writer=False)
    for _ in range(10):
        dispatcher.core.publish(device_event())
    await asyncio.wait_for(session.run_writer(), 1.0)
    assert sock.closed.is_set()
    assert sock.frames == []


async def test_a_consumer_that_keeps_up_is_never_closed(
    dispatcher: Dispatcher, open_session: SessionFactory
) -> None:
    _, sock = open_session(["zarniwoop"], subscribe_all=True, max_queued=3)
    for _ in range(20):
        dispatcher.core.publish(device_event())
        await sock.wait_frames(len(sock.frames) + 1)
    assert len(sock.frames) == 20
    assert not sock.closed.is_set()
