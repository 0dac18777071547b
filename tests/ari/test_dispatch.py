"""The request pipeline, bytes in and answer out, without sockets."""

from __future__ import annotations

import base64
import json
from typing import Any

from ariel.ari.dispatch import Dispatcher, HttpIn, HttpOut
from ariel.ari.router import RouteTable
from ariel.arispec.registry import build_registry

RW = "Basic " + base64.b64encode(b"asterisk:whateveryoudodontusethispassword").decode()
RO = "Basic " + base64.b64encode(b"viewer:viewonly").decode()


async def call(
    d: Dispatcher,
    method: str,
    path: str,
    *,
    auth: str | None = RW,
    query: list[tuple[str, str]] | None = None,
    headers: dict[str, str] | None = None,
    body: bytes = b"",
    content_type: str | None = None,
    host: str | None = None,
) -> HttpOut:
    hdrs = dict(headers or {})
    if auth:
        hdrs["Authorization"] = auth
    return await d.handle(
        HttpIn(
            method=method,
            path=path,
            query=query or [],
            headers=hdrs,
            body=body,
            content_type=content_type,
            base_url="http://127.0.0.1:8088",
            host=host,
        )
    )


def body(out: HttpOut) -> Any:
    return json.loads(out.body)


async def test_missing_credentials_get_401_with_basic_challenge(dispatcher: Dispatcher) -> None:
    out = await call(dispatcher, "GET", "asterisk/ping", auth=None)
    assert out.status == 401
    assert body(out) == {"message": "Authentication required"}
    assert out.headers["WWW-Authenticate"] == 'Basic realm="Asterisk REST Interface"'


async def test_wrong_password_and_unknown_user_get_401(dispatcher: Dispatcher) -> None:
    wrong = "Basic " + base64.b64encode(b"asterisk:wrong").decode()
    nobody = "Basic " + base64.b64encode(b"nobody:x").decode()
    assert (await call(dispatcher, "GET", "asterisk/ping", auth=wrong)).status == 401
    assert (await call(dispatcher, "GET", "asterisk/ping", auth=nobody)).status == 401


async def test_api_key_parameter_authenticates(dispatcher: Dispatcher) -> None:
    out = await call(
        dispatcher,
        "GET",
        "asterisk/ping",
        auth=None,
        query=[("api_key", "asterisk:whateveryoudodontusethispassword")],
    )
    assert out.status == 200
    assert body(out)["ping"] == "pong"


async def test_read_only_user_may_read_but_not_write(dispatcher: Dispatcher) -> None:
    assert (await call(dispatcher, "GET", "channels", auth=RO)).status == 200
    out = await call(
        dispatcher, "POST", "asterisk/variable", auth=RO, query=[("variable", "X"), ("value", "1")]
    )
    assert out.status == 403
    assert body(out) == {"message": "Write access denied"}
    assert (await call(dispatcher, "DELETE", "channels/nope", auth=RO)).status == 403


async def test_trailing_slash_is_404_with_a_hint(dispatcher: Dispatcher) -> None:
    out = await call(dispatcher, "GET", "channels/")
    assert out.status == 404
    assert body(out) == {"message": "ARI URLs do not end with a slash. Try /ari/channels"}


async def test_unknown_path_is_404_resource_not_found(dispatcher: Dispatcher) -> None:
    out = await call(dispatcher, "GET", "no-such-resource")
    assert (out.status, body(out)) == (404, {"message": "Resource not found"})


async def test_wrong_method_is_405_with_allow_header(dispatcher: Dispatcher) -> None:
    out = await call(dispatcher, "PUT", "channels")
    assert (out.status, body(out)) == (405, {"message": "Invalid method"})
    assert out.headers["Allow"] == "GET,POST"


async def test_preflight_options_answers_204_with_cors(dispatcher: Dispatcher) -> None:
    out = await call(
        dispatcher,
        "OPTIONS",
        "channels",
        headers={"Origin": "http://ari.asterisk.org", "Access-Control-Request-Method": "POST"},
    )
    assert out.status == 204
    assert out.headers["Access-Control-Allow-Origin"] == "http://ari.asterisk.org"
    assert out.headers["Access-Control-Allow-Methods"] == "OPTIONS,GET,POST"


async def test_simple_request_from_allowed_origin_gets_cors_headers(
    dispatcher: Dispatcher,
) -> None:
    out = await call(
        dispatcher, "GET", "asterisk/ping", headers={"Origin": "http://ari.asterisk.org"}
    )
    assert out.headers["Access-Control-Allow-Credentials"] == "true"
    evil = await call(dispatcher, "GET", "asterisk/ping", headers={"Origin": "http://evil.example"})
    assert "Access-Control-Allow-Origin" not in evil.headers


async def test_operation_of_a_later_issue_answers_501(dispatcher: Dispatcher) -> None:
    registry = build_registry({"asterisk.ping": "later work"})
    dispatcher.table = RouteTable(registry.operations)
    out = await call(dispatcher, "GET", "asterisk/ping")
    assert (out.status, body(out)) == (501, {"message": "Not implemented"})


async def test_unknown_object_is_404_even_before_its_operation_is_served(
    dispatcher: Dispatcher,
) -> None:
    play = await call(dispatcher, "POST", "channels/nope/play", query=[("media", "sound:x")])
    assert (play.status, body(play)) == (404, {"message": "Channel not found"})
    snoop = await call(dispatcher, "POST", "channels/nope/snoop", query=[("app", "a")])
    assert body(snoop) == {"message": "Provided channel was not found"}
    bridge = await call(dispatcher, "DELETE", "bridges/nope")
    assert (bridge.status, body(bridge)) == (404, {"message": "Bridge not found"})
    playback = await call(dispatcher, "DELETE", "playbacks/nope")
    assert (playback.status, body(playback)) == (404, {"message": "Playback not found"})


async def test_body_over_the_limit_is_413(dispatcher: Dispatcher) -> None:
    out = await call(
        dispatcher,
        "PUT",
        "applications/x/eventFilter",
        body=b"{" + b" " * 41000 + b"}",
        content_type="application/json",
    )
    assert (out.status, body(out)) == (413, {"message": "Request body too large"})


async def test_bad_integer_parameter_is_400_naming_it(dispatcher: Dispatcher) -> None:
    out = await call(dispatcher, "PUT", "mailboxes/m", query=[("oldMessages", "many")])
    assert out.status == 400
    assert "oldMessages" in body(out)["message"]


async def test_parameters_come_from_a_json_body(dispatcher: Dispatcher) -> None:
    out = await call(
        dispatcher,
        "POST",
        "asterisk/variable",
        body=b'{"variable": "FROM_JSON", "value": "yes"}',
        content_type="application/json",
    )
    assert out.status == 204
    got = await call(dispatcher, "GET", "asterisk/variable", query=[("variable", "FROM_JSON")])
    assert body(got) == {"value": "yes"}


async def test_parameters_come_from_a_form_body(dispatcher: Dispatcher) -> None:
    out = await call(
        dispatcher,
        "POST",
        "asterisk/variable",
        body=b"variable=FROM_FORM&value=1",
        content_type="application/x-www-form-urlencoded",
    )
    assert out.status == 204


async def test_unparsable_json_body_is_400(dispatcher: Dispatcher) -> None:
    out = await call(
        dispatcher,
        "PUT",
        "applications/x/eventFilter",
        body=b"{not json",
        content_type="application/json",
    )
    assert out.status == 400


async def test_resource_listing_base_path_follows_the_host_header(dispatcher: Dispatcher) -> None:
    out = await call(dispatcher, "GET", "api-docs/resources.json", host="127.0.0.1:8088")
    doc = body(out)
    assert doc["basePath"] == "http://127.0.0.1:8088/ari"
    assert doc["apis"][0]["path"] == "/api-docs/asterisk.{format}"
    assert len(doc["apis"]) == 11


async def test_api_declaration_without_host_has_no_base_path(dispatcher: Dispatcher) -> None:
    out = await call(dispatcher, "GET", "api-docs/channels.json")
    assert out.status == 200
    assert "basePath" not in body(out)


async def test_api_docs_need_credentials_and_unknown_file_is_404(dispatcher: Dispatcher) -> None:
    assert (await call(dispatcher, "GET", "api-docs/resources.json", auth=None)).status == 401
    assert (await call(dispatcher, "GET", "api-docs/nothing.json")).status == 404


async def test_openapi_document_is_served(dispatcher: Dispatcher) -> None:
    out = await call(dispatcher, "GET", "openapi.json")
    assert body(out)["openapi"].startswith("3.1")


async def test_plain_get_of_the_event_socket_is_426(dispatcher: Dispatcher) -> None:
    out = await call(dispatcher, "GET", "events", query=[("app", "x")])
    assert out.status == 426
    assert out.content_type == "text/html"


async def test_unplanned_handler_failure_is_500_for_that_request_only(
    dispatcher: Dispatcher,
) -> None:
    async def broken(_req: object) -> object:
        raise RuntimeError("boom")

    dispatcher.handlers["asterisk.ping"] = broken  # type: ignore[assignment]
    out = await call(dispatcher, "GET", "asterisk/ping")
    assert (out.status, body(out)) == (500, {"message": "Internal Server Error"})
    assert (await call(dispatcher, "GET", "asterisk/info")).status == 200


async def test_every_available_operation_has_a_handler(dispatcher: Dispatcher) -> None:
    from ariel.arispec import REGISTRY

    missing = [
        op.id
        for op in REGISTRY.operations
        if op.available and op.upgrade is None and op.id not in dispatcher.handlers
    ]
    assert missing == []


async def test_route_table_equals_the_registry(dispatcher: Dispatcher) -> None:
    from ariel.arispec import REGISTRY

    assert [op.id for op in dispatcher.table.operations] == [op.id for op in REGISTRY.operations]
