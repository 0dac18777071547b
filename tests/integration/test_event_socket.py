"""The event WebSocket (/ari/events) of a real server, over real sockets.

Each test uses its own application names: the server is shared by the whole
session, and an app outlives its socket while it still holds subscriptions.
"""

from __future__ import annotations

import asyncio
import json
import socket
import time
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from ariel_process import AriServer
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import InvalidStatus
from websockets.typing import Subprotocol

pytestmark = pytest.mark.timeout(60)

EVENT_TIMEOUT_S = 5.0


def ws_url(server: AriServer, apps: str | None, *, auth: bool = True, **params: str) -> str:
    query = dict(params)
    if apps is not None:
        query["app"] = apps
    if auth:
        query["api_key"] = server.api_key
    text = "&".join(f"{k}={v}" for k, v in query.items())
    return f"ws://127.0.0.1:{server.http_port}/ari/events" + (f"?{text}" if text else "")


@pytest.fixture
async def http(ariel_server: AriServer) -> AsyncIterator[aiohttp.ClientSession]:
    """An aiohttp client authenticated as the read-write user."""
    async with aiohttp.ClientSession(
        base_url=f"{ariel_server.ari_url}/",
        headers={"Authorization": ariel_server.basic_auth()},
        timeout=aiohttp.ClientTimeout(total=10),
    ) as session:
        yield session


async def call(
    http: aiohttp.ClientSession, method: str, path: str, **kwargs: Any
) -> tuple[int, Any]:
    async with http.request(method, path, **kwargs) as resp:
        raw = await resp.read()
        return resp.status, (json.loads(raw) if raw else None)


async def next_event(ws: ClientConnection, timeout: float = EVENT_TIMEOUT_S) -> dict[str, Any]:
    frame = await asyncio.wait_for(ws.recv(), timeout)
    event: dict[str, Any] = json.loads(frame)
    return event


async def assert_silent(ws: ClientConnection, seconds: float = 0.3) -> None:
    with pytest.raises(TimeoutError):
        frame = await asyncio.wait_for(ws.recv(), seconds)
        pytest.fail(f"unexpected frame: {frame!r}")


async def app_names(http: aiohttp.ClientSession) -> list[str]:
    status, body = await call(http, "GET", "applications")
    assert status == 200
    return [a["name"] for a in body]


async def wait_apps_gone(http: aiohttp.ClientSession, names: set[str], limit: float) -> None:
    deadline = time.monotonic() + limit
    while names & set(await app_names(http)):
        assert time.monotonic() < deadline, f"{names} still registered after {limit} s"
        await asyncio.sleep(0.05)


# -- the upgrade --------------------------------------------------------------


async def test_upgrade_without_app_is_400(ariel_server: AriServer) -> None:
    with pytest.raises(InvalidStatus) as err:
        async with connect(ws_url(ariel_server, None), open_timeout=10):
            pass
    assert err.value.response.status_code == 400


async def test_upgrade_without_credentials_is_401(ariel_server: AriServer) -> None:
    with pytest.raises(InvalidStatus) as err:
        async with connect(ws_url(ariel_server, "es-noauth", auth=False), open_timeout=10):
            pass
    assert err.value.response.status_code == 401


async def test_plain_get_of_events_is_426_html(http: aiohttp.ClientSession) -> None:
    async with http.get("events", params={"app": "es-plain"}) as resp:
        assert resp.status == 426
        assert resp.content_type == "text/html"
        assert await resp.read()


async def test_basic_auth_header_opens_the_socket(
    ariel_server: AriServer, http: aiohttp.ClientSession
) -> None:
    url = ws_url(ariel_server, "es-basic", auth=False)
    headers = {"Authorization": ariel_server.basic_auth()}
    async with connect(url, additional_headers=headers, open_timeout=10):
        assert "es-basic" in await app_names(http)


async def test_api_key_opens_the_socket(
    ariel_server: AriServer, http: aiohttp.ClientSession
) -> None:
    async with connect(ws_url(ariel_server, "es-apikey"), open_timeout=10):
        assert "es-apikey" in await app_names(http)


async def test_subprotocol_ari_is_chosen_when_offered(ariel_server: AriServer) -> None:
    async with connect(
        ws_url(ariel_server, "es-proto"), subprotocols=[Subprotocol("ari")], open_timeout=10
    ) as ws:
        assert ws.subprotocol == "ari"


async def test_no_subprotocol_is_sent_when_none_is_offered(ariel_server: AriServer) -> None:
    async with connect(ws_url(ariel_server, "es-noproto"), open_timeout=10) as ws:
        assert ws.subprotocol is None
        assert ws.response is not None
        assert "Sec-WebSocket-Protocol" not in ws.response.headers


# -- applications follow the socket ------------------------------------------------


async def test_two_apps_on_one_socket_are_listed_while_open_and_gone_after_close(
    ariel_server: AriServer, http: aiohttp.ClientSession
) -> None:
    async with connect(ws_url(ariel_server, "es-both-a,es-both-b"), open_timeout=10):
        names = await app_names(http)
        assert {"es-both-a", "es-both-b"} <= set(names)
        status, body = await call(http, "GET", "applications/es-both-b")
        assert status == 200
        assert body == {
            "name": "es-both-b",
            "channel_ids": [],
            "bridge_ids": [],
            "endpoint_ids": [],
            "device_names": [],
            "events_allowed": [],
            "events_disallowed": [],
        }
    await wait_apps_gone(http, {"es-both-a", "es-both-b"}, 5.0)


async def test_no_frame_arrives_unprompted_after_connecting(ariel_server: AriServer) -> None:
    async with connect(ws_url(ariel_server, "es-quiet"), open_timeout=10) as ws:
        await assert_silent(ws, 0.5)


async def test_second_socket_for_the_same_app_replaces_the_first(
    ariel_server: AriServer, http: aiohttp.ClientSession
) -> None:
    async with connect(ws_url(ariel_server, "es-replaced"), open_timeout=10) as first:
        async with connect(ws_url(ariel_server, "es-replaced"), open_timeout=10) as second:
            event = await next_event(first)
            assert (event["type"], event["application"]) == ("ApplicationReplaced", "es-replaced")
            await assert_silent(second)
        # the replaced socket still open does not keep the app alive
        await wait_apps_gone(http, {"es-replaced"}, 5.0)


# -- events ----------------------------------------------------------------------


async def test_device_state_subscription_delivers_device_state_changed(
    ariel_server: AriServer, http: aiohttp.ClientSession
) -> None:
    device = "Stasis:es-sub"
    async with connect(ws_url(ariel_server, "es-devsub"), open_timeout=10) as ws:
        status, _ = await call(
            http,
            "POST",
            "applications/es-devsub/subscription",
            params={"eventSource": f"deviceState:{device}"},
        )
        assert status == 200
        try:
            status, _ = await call(
                http, "PUT", f"deviceStates/{device}", params={"deviceState": "BUSY"}
            )
            assert status == 204
            event = await next_event(ws)
            assert event["type"] == "DeviceStateChanged"
            assert event["application"] == "es-devsub"
            assert event["device_state"] == {"name": device, "state": "BUSY"}
        finally:
            await call(
                http,
                "DELETE",
                "applications/es-devsub/subscription",
                params={"eventSource": f"deviceState:{device}"},
            )
            await call(http, "DELETE", f"deviceStates/{device}")


async def test_subscribe_all_delivers_device_state_changed_without_subscribing(
    ariel_server: AriServer, http: aiohttp.ClientSession
) -> None:
    device = "Stasis:es-all"
    url = ws_url(ariel_server, "es-devall", subscribeAll="true")
    async with connect(url, open_timeout=10) as ws:
        status, _ = await call(
            http, "PUT", f"deviceStates/{device}", params={"deviceState": "INUSE"}
        )
        assert status == 204
        event = await next_event(ws)
        assert (event["type"], event["application"]) == ("DeviceStateChanged", "es-devall")
        assert event["device_state"] == {"name": device, "state": "INUSE"}
        await call(http, "DELETE", f"deviceStates/{device}")


async def test_one_socket_with_two_subscribe_all_apps_gets_a_copy_for_each(
    ariel_server: AriServer, http: aiohttp.ClientSession
) -> None:
    device = "Stasis:es-copies"
    url = ws_url(ariel_server, "es-copy-a,es-copy-b", subscribeAll="true")
    async with connect(url, open_timeout=10) as ws:
        status, _ = await call(
            http, "PUT", f"deviceStates/{device}", params={"deviceState": "RINGING"}
        )
        assert status == 204
        events = [await next_event(ws), await next_event(ws)]
        assert sorted(e["application"] for e in events) == ["es-copy-a", "es-copy-b"]
        assert {e["type"] for e in events} == {"DeviceStateChanged"}
        assert events[0]["device_state"] == events[1]["device_state"]
        await call(http, "DELETE", f"deviceStates/{device}")


async def test_event_filter_allowed_and_disallowed_are_applied(
    ariel_server: AriServer, http: aiohttp.ClientSession
) -> None:
    app, device = "es-filter", "Stasis:es-filter"
    async with connect(ws_url(ariel_server, app, subscribeAll="true"), open_timeout=10) as ws:
        status, body = await call(
            http,
            "PUT",
            f"applications/{app}/eventFilter",
            json={"allowed": [{"type": "ChannelUserevent"}]},
        )
        assert (status, body["events_allowed"]) == (200, [{"type": "ChannelUserevent"}])
        await call(http, "PUT", f"deviceStates/{device}", params={"deviceState": "BUSY"})
        await call(http, "POST", "events/user/let-through", params={"application": app})
        event = await next_event(ws)
        assert (event["type"], event["eventname"]) == ("ChannelUserevent", "let-through")

        status, body = await call(
            http,
            "PUT",
            f"applications/{app}/eventFilter",
            json={"allowed": [], "disallowed": [{"type": "ChannelUserevent"}]},
        )
        assert (status, body["events_disallowed"]) == (200, [{"type": "ChannelUserevent"}])
        await call(http, "POST", "events/user/held-back", params={"application": app})
        await call(http, "PUT", f"deviceStates/{device}", params={"deviceState": "NOT_INUSE"})
        event = await next_event(ws)
        assert event["type"] == "DeviceStateChanged", "the user event was disallowed"
        assert event["device_state"]["state"] == "NOT_INUSE"
        await call(http, "DELETE", f"deviceStates/{device}")


async def test_user_event_reaches_only_the_named_application(
    ariel_server: AriServer, http: aiohttp.ClientSession
) -> None:
    url = ws_url(ariel_server, "es-user-a,es-user-b", subscribeAll="true")
    async with connect(url, open_timeout=10) as ws:
        status, _ = await call(
            http,
            "POST",
            "events/user/Greeting",
            params={"application": "es-user-a"},
            json={"variables": {"Param1": "Value1", "Param2": "Value2"}},
        )
        assert status == 204
        event = await next_event(ws)
        assert event["type"] == "ChannelUserevent"
        assert event["application"] == "es-user-a"
        assert event["eventname"] == "Greeting"
        assert event["userevent"] == {
            "Param1": "Value1",
            "Param2": "Value2",
            "eventname": "Greeting",
        }
        assert "channel" not in event
        await assert_silent(ws)


async def test_user_event_to_an_unregistered_application_is_404(
    http: aiohttp.ClientSession,
) -> None:
    status, body = await call(
        http, "POST", "events/user/Nobody", params={"application": "es-nobody-listens"}
    )
    assert (status, body) == (404, {"message": "Application not found"})


# -- REST over the socket ---------------------------------------------------------


async def test_rest_request_over_the_socket_round_trips(ariel_server: AriServer) -> None:
    async with connect(ws_url(ariel_server, "es-rest"), open_timeout=10) as ws:
        await ws.send(
            json.dumps(
                {
                    "type": "RESTRequest",
                    "transaction_id": "t1",
                    "request_id": "req-0",
                    "method": "GET",
                    "uri": "asterisk/ping",
                }
            )
        )
        reply = await next_event(ws)
        assert reply["type"] == "RESTResponse"
        assert reply["application"] == "es-rest"
        assert (reply["transaction_id"], reply["request_id"]) == ("t1", "req-0")
        assert (reply["status_code"], reply["reason_phrase"]) == (200, "OK")
        assert (reply["uri"], reply["content_type"]) == ("asterisk/ping", "application/json")
        assert json.loads(reply["message_body"])["ping"] == "pong"

        await ws.send(json.dumps({"type": "RESTRequest", "request_id": "req-1", "method": "GET"}))
        bad = await next_event(ws)
        assert (bad["request_id"], bad["status_code"]) == ("req-1", 400)


# -- a client that never reads ----------------------------------------------------


def open_stuck_socket(server: AriServer, apps: str) -> socket.socket:
    """An event socket with a tiny receive buffer whose client never reads events."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.settimeout(5)
    sock.connect(("127.0.0.1", server.http_port))
    path = f"/ari/events?app={apps}&subscribeAll=true&api_key={server.api_key}"
    sock.sendall(
        (
            f"GET {path} HTTP/1.1\r\n"
            f"Host: 127.0.0.1:{server.http_port}\r\n"
            "Upgrade: websocket\r\nConnection: Upgrade\r\n"
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            "Sec-WebSocket-Version: 13\r\n\r\n"
        ).encode()
    )
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = sock.recv(1)
        assert chunk, "server closed during the handshake"
        head += chunk
    assert head.startswith(b"HTTP/1.1 101"), head
    return sock


# A few apps stall the writer until a write times out; many apps overflow the queue first.
@pytest.mark.parametrize("app_count", [4, 40], ids=["few-apps", "many-apps"])
async def test_client_that_never_reads_is_dropped_and_rest_stays_fast(
    ariel_server: AriServer, http: aiohttp.ClientSession, app_count: int
) -> None:
    apps = [f"es-stuck{app_count}-{i}" for i in range(app_count)]
    sock = await asyncio.to_thread(open_stuck_socket, ariel_server, ",".join(apps))
    try:
        assert set(apps) <= set(await app_names(http))
        worst = 0.0
        dropped = False
        deadline = time.monotonic() + 8.0
        n = 0
        while time.monotonic() < deadline:
            batch = []
            for _ in range(10):
                n += 1
                state = "BUSY" if n % 2 else "NOT_INUSE"
                batch.append(
                    call(http, "PUT", "deviceStates/Stasis:es-stuck", params={"deviceState": state})
                )
            started = time.monotonic()
            results = await asyncio.gather(*batch)
            worst = max(worst, time.monotonic() - started)
            assert all(status == 204 for status, _ in results)
            if not set(apps) & set(await app_names(http)):
                dropped = True
                break
        assert dropped, f"the stuck socket still holds its apps after {n} device-state changes"
        assert worst < 1.0, f"a batch of REST requests took {worst:.2f} s"
        status, _ = await call(http, "GET", "asterisk/ping")
        assert status == 200
    finally:
        sock.close()
        await call(http, "DELETE", "deviceStates/Stasis:es-stuck")
