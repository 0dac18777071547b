"""What the existing ARI clients need from the wire, checked directly.

The client probes (test_client_compat.py) show *that* the libraries work;
these tests pin *why*, one requirement each, so that a change in Ariel that
would break a client fails here with a precise message. The facts come from
reading the clients' sources (docs/clients.md).
"""

from __future__ import annotations

import asyncio
import json
import urllib.error
import urllib.request
from typing import Any

import pytest
from websockets.asyncio.client import connect

RESOURCES = [
    "asterisk",
    "endpoints",
    "channels",
    "bridges",
    "recordings",
    "sounds",
    "playbacks",
    "deviceStates",
    "mailboxes",
    "events",
    "applications",
]


def http(
    server: Any,
    method: str,
    path: str,
    *,
    headers: dict[str, str] | None = None,
    auth: bool = True,
    body: bytes | None = None,
) -> tuple[int, dict[str, str], bytes]:
    """One request to ``/ari<path>``; returns status, headers and body."""
    all_headers = dict(headers or {})
    if auth:
        all_headers.setdefault("Authorization", server.basic_auth())
    request = urllib.request.Request(
        f"{server.ari_url}{path}", data=body, method=method, headers=all_headers
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, dict(exc.headers), exc.read()


def get_json(server: Any, path: str, **kwargs: Any) -> Any:
    status, _, body = http(server, "GET", path, **kwargs)
    assert status == 200, f"GET /ari{path}: {status} {body[:300]!r}"
    return json.loads(body)


@pytest.fixture(scope="module")
def declarations(ariel_server: Any) -> dict[str, Any]:
    return {name: get_json(ariel_server, f"/api-docs/{name}.json") for name in RESOURCES}


def test_api_docs_need_authentication(ariel_server: Any) -> None:
    status, headers, _ = http(ariel_server, "GET", "/api-docs/resources.json", auth=False)
    assert status == 401
    assert headers.get("WWW-Authenticate", "").startswith("Basic ")


def test_resource_listing_base_path_is_absolute_and_follows_the_host_header(
    ariel_server: Any,
) -> None:
    # aioari/asyncari fetch declarations at urljoin(basePath + "/", path) and only
    # authenticate URLs whose host equals the host they were given.
    listing = get_json(ariel_server, "/api-docs/resources.json")
    assert listing["basePath"] == f"http://127.0.0.1:{ariel_server.http_port}/ari"
    host = f"localhost:{ariel_server.http_port}"
    listing = get_json(ariel_server, "/api-docs/resources.json", headers={"Host": host})
    assert listing["basePath"] == f"http://{host}/ari"


def test_resource_listing_is_swagger_1_1_with_format_placeholders(ariel_server: Any) -> None:
    # aioswagger11 accepts only swaggerVersion "1.1" and needs "description";
    # swagger-client names resources after the path with ".{format}" removed.
    listing = get_json(ariel_server, "/api-docs/resources.json")
    assert listing["swaggerVersion"] == "1.1"
    assert [api["path"] for api in listing["apis"]] == [
        f"/api-docs/{name}.{{format}}" for name in RESOURCES
    ]
    assert all(api.get("description") for api in listing["apis"])


def test_declarations_have_the_fields_swagger_1_1_clients_read(
    ariel_server: Any, declarations: dict[str, Any]
) -> None:
    base = f"http://127.0.0.1:{ariel_server.http_port}/ari"
    problems: list[str] = []
    for name, decl in declarations.items():
        if decl.get("basePath") != base:
            problems.append(f"{name}: basePath {decl.get('basePath')!r}")
        if decl.get("resourcePath") != f"/api-docs/{name}.{{format}}":
            problems.append(f"{name}: resourcePath {decl.get('resourcePath')!r}")
        for model_name, model in decl.get("models", {}).items():
            if model.get("id") != model_name:
                problems.append(f"{name}: model {model_name} has id {model.get('id')!r}")
            for prop_name, prop in model.get("properties", {}).items():
                if "type" not in prop:
                    problems.append(f"{name}: {model_name}.{prop_name} has no type")
        if "models" not in decl:
            problems.append(f"{name}: no models")
        for api in decl.get("apis", []):
            for op in api.get("operations", []):
                where = f"{name}: {op.get('httpMethod')} {api.get('path')}"
                for key in ("httpMethod", "nickname", "responseClass"):
                    if key not in op:
                        problems.append(f"{where}: no {key}")
                for param in op.get("parameters", []):
                    if "dataType" not in param:
                        problems.append(f"{where}: parameter {param.get('name')} has no dataType")
                    if param.get("paramType") != "path" and "required" not in param:
                        problems.append(f"{where}: parameter {param.get('name')} has no required")
                    if "allowedValues" in param:
                        problems.append(f"{where}: parameter {param.get('name')} has allowedValues")
                for error in op.get("errorResponses", []):
                    if "code" not in error or "reason" not in error:
                        problems.append(f"{where}: error response {error}")
    assert not problems, "\n".join(problems)


def test_event_websocket_operation_is_marked_as_an_upgrade(
    declarations: dict[str, Any],
) -> None:
    ops = [
        op
        for api in declarations["events"]["apis"]
        if api["path"] == "/events"
        for op in api["operations"]
    ]
    assert [op["nickname"] for op in ops] == ["eventWebsocket"]
    assert ops[0]["upgrade"] == "websocket"
    assert ops[0]["httpMethod"] == "GET"


def test_events_declaration_models_every_event_type(declarations: dict[str, Any]) -> None:
    # node-ari-client throws on an event type it has no model for, and asyncari's
    # reader task dies on one: every type Ariel sends must be modelled here.
    models = declarations["events"]["models"]
    subtypes = set(models["Event"].get("subTypes", []))
    for event in ("StasisStart", "StasisEnd", "ChannelUserevent", "ApplicationReplaced"):
        assert event in subtypes
        assert event in models


@pytest.mark.parametrize("key", ["asterisk:whateveryoudodontusethispassword", "asterisk%3A"])
def test_api_key_query_parameter_authenticates(ariel_server: Any, key: str) -> None:
    # aiohttp sends the colon as is; httpx percent-encodes it.
    if key.endswith("%3A"):
        key += ariel_server.password
    status, _, _ = http(ariel_server, "GET", f"/asterisk/ping?api_key={key}", auth=False)
    assert status == 200


def _ws_url(server: Any, app: str) -> str:
    return f"ws://127.0.0.1:{server.http_port}/ari/events?app={app}&api_key={server.api_key}"


async def test_event_socket_without_a_subprotocol_answers_without_one(ariel_server: Any) -> None:
    # Only aiohttp tolerates an unrequested Sec-WebSocket-Protocol; websockets,
    # wsproto (asyncari) and ws (node) fail the handshake.
    async with connect(_ws_url(ariel_server, "wire-noproto"), open_timeout=10) as ws:
        assert ws.subprotocol is None
        assert ws.response is not None
        assert "Sec-WebSocket-Protocol" not in ws.response.headers


async def test_event_socket_offering_ari_gets_ari(ariel_server: Any) -> None:
    async with connect(
        _ws_url(ariel_server, "wire-proto"), subprotocols=["ari"], open_timeout=10
    ) as ws:
        assert ws.subprotocol == "ari"


async def test_post_with_an_empty_octet_stream_body_is_accepted(ariel_server: Any) -> None:
    # aioari (aiohttp) sends "Content-Type: application/octet-stream" on POSTs
    # without a body.
    async with connect(_ws_url(ariel_server, "wire-octet"), open_timeout=10) as ws:
        status, _, body = await asyncio.to_thread(
            http,
            ariel_server,
            "POST",
            "/events/user/wire-octet-event?application=wire-octet",
            headers={"Content-Type": "application/octet-stream"},
            body=b"",
        )
        assert status == 204, body
        event = json.loads(await asyncio.wait_for(ws.recv(), 10))
        assert event["type"] == "ChannelUserevent"
        assert event["eventname"] == "wire-octet-event"
