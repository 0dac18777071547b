"""Whatever arrives, the dispatcher answers: never an exception, never an unplanned 500.

Requests are built from the registry's path templates with random and hostile
segments (percent-encodings, traversal, unicode, very long), random methods,
query pairs, bodies and content types, and pass through a real Dispatcher
over a real Core. A 500 is accepted only from an operation whose reference
implementation can answer 500 (``implementation.status_codes_set`` of
/work/shared/ari/ari-surface.json, copied below so the test stands alone).
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ariel.ari.dispatch import Dispatcher, HttpIn, HttpOut
from ariel.ari.router import RouteTable
from ariel.ari.websocket import EventSession
from ariel.arispec import REGISTRY

RW = "Basic " + base64.b64encode(b"asterisk:whateveryoudodontusethispassword").decode()
RO = "Basic " + base64.b64encode(b"viewer:viewonly").decode()

#: Operations whose reference implementation sets 500 somewhere.
MAY_ANSWER_500 = frozenset(
    {
        "applications.list",
        "applications.subscribe",
        "applications.unsubscribe",
        "asterisk.addLog",
        "asterisk.deleteLog",
        "asterisk.getGlobalVar",
        "asterisk.getInfo",
        "asterisk.getModule",
        "asterisk.getObject",
        "asterisk.listLogChannels",
        "asterisk.listModules",
        "asterisk.rotateLog",
        "asterisk.updateObject",
        "bridges.addChannel",
        "bridges.create",
        "bridges.createWithId",
        "bridges.getBridgeVar",
        "bridges.getBridgeVars",
        "bridges.list",
        "bridges.play",
        "bridges.playWithId",
        "bridges.record",
        "bridges.setBridgeVars",
        "bridges.startMoh",
        "channels.answer",
        "channels.continueInDialplan",
        "channels.create",
        "channels.dial",
        "channels.externalMedia",
        "channels.getChannelVar",
        "channels.getChannelVars",
        "channels.list",
        "channels.move",
        "channels.originate",
        "channels.originateWithId",
        "channels.play",
        "channels.playWithId",
        "channels.record",
        "channels.redirect",
        "channels.setChannelVars",
        "channels.snoopChannel",
        "channels.snoopChannelWithId",
        "deviceStates.delete",
        "deviceStates.get",
        "deviceStates.list",
        "deviceStates.update",
        "endpoints.get",
        "endpoints.list",
        "endpoints.listByTech",
        "endpoints.refer",
        "endpoints.referToEndpoint",
        "endpoints.sendMessage",
        "endpoints.sendMessageToEndpoint",
        "events.claimChannel",
        "events.userEvent",
        "mailboxes.delete",
        "mailboxes.get",
        "mailboxes.list",
        "mailboxes.update",
        "playbacks.control",
        "playbacks.get",
        "playbacks.stop",
        "recordings.cancel",
        "recordings.copyStored",
        "recordings.deleteStored",
        "recordings.getLive",
        "recordings.getStored",
        "recordings.getStoredFile",
        "recordings.listStored",
        "recordings.mute",
        "recordings.pause",
        "recordings.stop",
        "recordings.unmute",
        "recordings.unpause",
        "sounds.list",
    }
)

#: Log channels are files anywhere on disk (``/x`` is absolute, as in the
#: reference) and handlers on the process-wide logger: not fuzzed here.
UNFUZZED = frozenset({"asterisk.addLog", "asterisk.deleteLog", "asterisk.rotateLog"})
ROUTES = RouteTable(REGISTRY.operations)
PARAM_NAMES = sorted({p.name for op in REGISTRY.operations for p in op.params})

METHODS = st.sampled_from(["GET", "POST", "PUT", "DELETE", "OPTIONS", "PATCH"])
HOSTILE = st.sampled_from(
    [
        "",
        ".",
        "..",
        "%2e%2e",
        "..%2F..%2Fetc%2Fpasswd",
        "%2Fetc%2Fpasswd",
        "%00",
        "a%00b",
        "%",
        "%zz",
        "%C3%A9",
        "%FF%FE",
        "%2F",
        "a%2Fb",
        "~",
        "*",
        "Stasis:",
        "PJSIP",
        "PJSIP%2FSOFTPHONE_A",
        "SOFTPHONE_A",
        "zarniwoop",
        "channel:x",
        "\u202e\U0001f4a9",
        " ",
    ]
)
REALISTIC = st.sampled_from(
    [
        "SOFTPHONE_A",
        "PJSIP",
        "zarniwoop",
        "greeting",
        "Stasis:dev",
        "CONFORMANCE_GLOBAL",
        "res_pjsip.so",
    ]
)
SEGMENTS = st.one_of(
    REALISTIC,
    HOSTILE,
    st.text(max_size=16),
    st.text(alphabet="%0123456789abcdefABCDEF/.", max_size=12),
    st.integers(min_value=200, max_value=9000).map(lambda n: "x" * n),
)
VALUES = st.one_of(
    st.sampled_from(["", "1", "-1", "yes", "no", "true", "a,b", "9" * 40, "null", "[]", "{}"]),
    st.text(max_size=30),
    st.integers(min_value=1000, max_value=20000).map(lambda n: "v" * n),
)
CONTENT_TYPES = st.one_of(
    st.none(),
    st.sampled_from(
        [
            "application/json",
            "application/json; charset=utf-8",
            "APPLICATION/JSON",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=xyz",
            "text/plain",
            "application/octet-stream",
            "",
            ";;;",
        ]
    ),
    st.text(max_size=30),
)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | VALUES,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(PARAM_NAMES) | st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=10,
)


#: JSON without the very long strings (kept small so hypothesis can print examples).
SMALL_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)
FILTER_ENTRIES = st.lists(
    st.dictionaries(st.sampled_from(["type", "x"]), JSON_VALUES | REALISTIC, max_size=2),
    max_size=3,
)
#: JSON bodies shaped like the free-form body parameters (variables, filters, fields).
SHAPED = st.fixed_dictionaries(
    {},
    optional={
        "variables": st.dictionaries(st.text(max_size=8), JSON_VALUES, max_size=3) | JSON_VALUES,
        "allowed": FILTER_ENTRIES | JSON_VALUES,
        "disallowed": FILTER_ENTRIES | JSON_VALUES,
        "fields": st.lists(
            st.fixed_dictionaries({"attribute": st.text(max_size=8), "value": JSON_VALUES}),
            max_size=3,
        ),
        "application": st.just("zarniwoop") | VALUES,
    },
)


OPERATIONS = [op for op in REGISTRY.operations if op.id not in UNFUZZED]


@st.composite
def targets(draw: st.DrawFn) -> tuple[str, str]:
    """A method and a path: mostly an operation's own, with hostile segments."""
    method = draw(METHODS)
    if draw(st.integers(0, 9)) == 0:
        return method, "/".join(draw(st.lists(SEGMENTS, max_size=5)))
    op = draw(st.sampled_from(OPERATIONS))
    if draw(st.integers(0, 9)) < 7:
        method = op.method
    segments: list[str] = []
    for seg in op.path.strip("/").split("/"):
        if seg.startswith("{") or draw(st.integers(0, 19)) == 0:
            segments.append(draw(SEGMENTS))
        else:
            segments.append(seg)
    if draw(st.integers(0, 9)) == 0:
        segments.extend(draw(st.lists(SEGMENTS, min_size=1, max_size=2)))
    path = "/".join(segments)
    return method, path + "/" if draw(st.integers(0, 19)) == 0 else path


@st.composite
def bodies(draw: st.DrawFn) -> bytes:
    kind = draw(st.sampled_from(["empty", "bytes", "form", "json", "shaped", "text"]))
    if kind == "shaped":
        return json.dumps(draw(SHAPED)).encode()
    if kind == "bytes":
        return draw(st.binary(max_size=300))
    if kind == "form":
        pairs = draw(st.lists(st.tuples(st.sampled_from(PARAM_NAMES), VALUES), max_size=5))
        return "&".join(f"{k}={v}" for k, v in pairs).encode()
    if kind == "json":
        return json.dumps(draw(JSON_VALUES)).encode()
    if kind == "text":
        return draw(st.text(max_size=100)).encode("utf-8", "surrogatepass")
    return b""


@st.composite
def any_request(draw: st.DrawFn) -> HttpIn:
    query = draw(
        st.lists(st.tuples(st.sampled_from(PARAM_NAMES) | st.text(max_size=10), VALUES), max_size=6)
    )
    auth = draw(st.sampled_from([RW] * 8 + [RO, "Basic !!!", None]))
    method, path = draw(targets())
    body = draw(bodies())
    content_type = draw(CONTENT_TYPES)
    if body[:1] == b"{" and draw(st.booleans()):
        content_type = "application/json"
    return HttpIn(
        method=method,
        path=path,
        query=query,
        headers={"Authorization": auth} if auth else {},
        body=body,
        content_type=content_type,
        base_url="http://127.0.0.1:8088",
        host=draw(st.sampled_from([None, "127.0.0.1:8088"])),
    )


def requests() -> st.SearchStrategy[HttpIn]:
    """Requests that do not reach the log channel operations."""
    return any_request().filter(lambda req: operation_id(req) not in UNFUZZED)


def operation_id(req: HttpIn) -> str | None:
    route = ROUTES.match(req.path.rstrip("/"))
    if route is None:
        return None
    op = route.operations.get(req.method)
    return op.id if op is not None else None


def check_answer(req: HttpIn, out: HttpOut) -> None:
    assert 100 <= out.status < 600
    if out.status == 500:
        op_id = operation_id(req)
        assert op_id in MAY_ANSWER_500, f"500 from {req.method} {req.path[:200]!r} ({op_id})"
    if out.content_type == "application/json" and out.body:
        body: Any = json.loads(out.body)
        if out.status >= 400:
            assert isinstance(body, dict), body
            assert body.get("message") or body.get("error"), body


@pytest.fixture
def loop() -> Iterator[asyncio.AbstractEventLoop]:
    """One event loop for all of a test's examples (hypothesis drives a plain function)."""
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


async def _discard(_text: str) -> None:
    return None


async def _close() -> None:
    return None


def seed(dispatcher: Dispatcher) -> None:
    """A registered app on a real EventSession and a stored recording, so handlers go deep."""
    core = dispatcher.core
    if not core.apps.is_registered("zarniwoop"):
        EventSession(
            dispatcher,
            ["zarniwoop"],
            subscribe_all=True,
            send_text=_discard,
            close=_close,
            auth_headers={"Authorization": RW},
            auth_query=[],
        ).start()
    directory = core.stored_recordings.directory
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "greeting.wav").write_bytes(b"RIFF\x00\x00\x00\x00WAVE")


@settings(
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(req=requests())
def test_any_request_gets_an_answer_and_never_an_unplanned_500(
    dispatcher: Dispatcher,
    loop: asyncio.AbstractEventLoop,
    caplog: pytest.LogCaptureFixture,
    req: HttpIn,
) -> None:
    seed(dispatcher)
    caplog.clear()
    with caplog.at_level(logging.ERROR, logger="ariel"):
        out = loop.run_until_complete(dispatcher.handle(req))
    check_answer(req, out)
    failures = [r for r in caplog.records if r.name.startswith("ariel") and r.exc_info]
    assert not failures, f"{req.method} {req.path[:200]!r} raised: {failures[0].exc_info}"


@pytest.mark.parametrize(
    "name",
    ["..%2F..%2Fetc%2Fpasswd", "%2Fetc%2Fpasswd", "a%00b", "..", "%2e%2e%2Fx"],
)
def test_hostile_recording_names_are_not_found(
    dispatcher: Dispatcher, loop: asyncio.AbstractEventLoop, name: str
) -> None:
    for method, suffix in (("GET", ""), ("GET", "/file"), ("DELETE", "")):
        req = HttpIn(
            method=method,
            path=f"recordings/stored/{name}{suffix}",
            headers={"Authorization": RW},
        )
        out = loop.run_until_complete(dispatcher.handle(req))
        assert out.status == 404, (method, name, suffix, out.body)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    body=st.fixed_dictionaries(
        {},
        optional={
            "allowed": st.lists(st.dictionaries(st.sampled_from(["type", "x"]), SMALL_JSON)),
            "disallowed": st.lists(st.dictionaries(st.sampled_from(["type", "x"]), SMALL_JSON)),
        },
    )
    | SMALL_JSON
)
@example(body={"allowed": [{"type": "StasisStart", "x": 2**64}]})
def test_any_event_filter_body_leaves_the_application_listable(
    dispatcher: Dispatcher, loop: asyncio.AbstractEventLoop, body: Any
) -> None:
    seed(dispatcher)
    put = HttpIn(
        method="PUT",
        path="applications/zarniwoop/eventFilter",
        headers={"Authorization": RW},
        body=json.dumps(body).encode(),
        content_type="application/json",
    )
    out = loop.run_until_complete(dispatcher.handle(put))
    assert out.status in (200, 400), out.body
    listed = loop.run_until_complete(
        dispatcher.handle(HttpIn(method="GET", path="applications", headers={"Authorization": RW}))
    )
    assert listed.status == 200


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(variables=st.dictionaries(st.text(max_size=8), SMALL_JSON, max_size=4) | SMALL_JSON)
@example(variables={"big": -(2**64)})
def test_any_user_event_payload_is_delivered_or_refused_with_400(
    dispatcher: Dispatcher,
    loop: asyncio.AbstractEventLoop,
    caplog: pytest.LogCaptureFixture,
    variables: Any,
) -> None:
    seed(dispatcher)
    caplog.clear()
    req = HttpIn(
        method="POST",
        path="events/user/fuzzed",
        query=[("application", "zarniwoop")],
        headers={"Authorization": RW},
        body=json.dumps({"variables": variables}).encode(),
        content_type="application/json",
    )
    with caplog.at_level(logging.ERROR, logger="ariel"):
        out = loop.run_until_complete(dispatcher.handle(req))
    assert out.status in (204, 400), out.body
    assert not [r for r in caplog.records if r.exc_info]
