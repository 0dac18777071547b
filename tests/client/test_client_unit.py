"""Pure parts of the client: generated surface, decoding, requests, backoff, event routing."""

from __future__ import annotations

import gc
import inspect
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ariel.arispec import REGISTRY
from ariel.client import (
    AriClient,
    AriConflict,
    AriHTTPError,
    AriNotFound,
    AriServerError,
    AriTimeout,
    Backoff,
    Channel,
    Endpoint,
    HandleEnded,
    decode,
    decode_message,
    models,
)
from ariel.client._codegen import HANDLES, generate, handle_operations, py_name
from ariel.client._hub import event_keys
from ariel.client._request import build_request, query_value
from ariel.client.client import ari_root
from ariel.client.errors import error_for_status
from ariel.client.handles import HANDLE_TYPES
from ariel.client.resources import OPERATIONS

CLIENT_DIR = Path(__file__).resolve().parents[2] / "src" / "ariel" / "client"


# -- the generated surface -------------------------------------------------------------------
def _api_methods(client: AriClient) -> set[str]:
    found = set()
    for res in REGISTRY.resources:
        api = getattr(client, py_name(res.name))
        for name, member in inspect.getmembers(type(api)):
            if not name.startswith("_") and callable(member):
                found.add(f"{res.name}.{name}")
    return found


def test_client_operation_set_equals_arispec() -> None:
    client = AriClient("http://127.0.0.1:1")
    spec = {op.id for op in REGISTRY.operations}
    assert set(OPERATIONS) == spec
    expected = {f"{op.resource}.{py_name(op.nickname)}" for op in REGISTRY.operations}
    methods = _api_methods(client)
    assert methods - expected == set(), "methods with no ARI operation"
    assert expected - methods == set(), "ARI operations with no method"
    for op in REGISTRY.operations:
        attr, name = OPERATIONS[op.id]
        method = getattr(getattr(client, attr), name)
        assert inspect.iscoroutinefunction(method) or inspect.isasyncgenfunction(method), op.id


def test_operation_parameters_are_typed_keywords() -> None:
    client = AriClient("http://127.0.0.1:1")
    for op in REGISTRY.operations:
        attr, name = OPERATIONS[op.id]
        sig = inspect.signature(getattr(getattr(client, attr), name))
        wanted = {py_name(p.name) for p in op.params}
        assert set(sig.parameters) == wanted, op.id
        for p in op.params:
            param = sig.parameters[py_name(p.name)]
            assert param.annotation != inspect.Parameter.empty, (op.id, p.name)
            if p.param_type == "path":
                assert param.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD, (op.id, p.name)
            else:
                assert param.kind is inspect.Parameter.KEYWORD_ONLY, (op.id, p.name)


def test_generated_modules_are_up_to_date() -> None:
    for name, text in generate().items():
        assert (CLIENT_DIR / name).read_text() == text, (
            f"{name} is stale: run python src/ariel/client/_codegen.py"
        )


def test_handles_bind_their_operations() -> None:
    for kind in HANDLES:
        cls = HANDLE_TYPES[kind.factory]
        ops = handle_operations(kind)
        assert ops, kind.cls
        for op in ops:
            method = getattr(cls, py_name(op.nickname))
            params = inspect.signature(method).parameters
            assert not set(params) & {py_name(n) for n in kind.id_params}, op.id
    channel_ops = {py_name(op.nickname) for op in handle_operations(HANDLES[0])}
    assert {"answer", "hangup", "play", "record", "send_dtmf", "continue_in_dialplan"} <= (
        channel_ops
    )
    assert not hasattr(Channel, "list")


def test_every_model_and_event_has_a_class() -> None:
    assert set(models.MODEL_TYPES) == set(REGISTRY.models)
    assert set(models.EVENT_TYPES) == {m.id for m in REGISTRY.events}
    for name, cls in models.EVENT_TYPES.items():
        assert issubclass(cls, models.Event) and cls.__name__ == name


# -- decoding ----------------------------------------------------------------------------------
CHANNEL = {
    "id": "1700000000.1",
    "name": "PJSIP/alice-00000001",
    "state": "Ring",
    "protocol_id": "abc@host",
    "caller": {"name": "Alice", "number": "100"},
    "connected": {"name": "", "number": ""},
    "accountcode": "",
    "dialplan": {
        "context": "sets",
        "exten": "242",
        "priority": 2,
        "app_name": "Stasis",
        "app_data": "zarniwoop",
    },
    "creationtime": "2024-01-01T00:00:00.000+0000",
    "language": "en",
}


def test_model_decoding_keeps_unknown_fields_and_types_known_ones() -> None:
    channel = decode(models.Channel, {**CHANNEL, "future_field": {"x": 1}})
    assert channel.caller == models.CallerID(name="Alice", number="100")
    assert channel.dialplan.priority == 2
    assert channel.extra == {"future_field": {"x": 1}}
    assert channel.channelvars is None
    assert channel.to_json() == {**CHANNEL, "future_field": {"x": 1}}
    with pytest.raises(AttributeError):
        channel.state = "Up"  # type: ignore[misc]


def test_missing_required_fields_are_empty_not_fatal() -> None:
    channel = decode(models.Channel, {"id": "x"})
    assert channel.name == "" and channel.caller.name == ""
    bridge = decode(models.Bridge, {"id": "b", "channels": ["a", "b"]})
    assert bridge.channels == ("a", "b")
    assert decode(models.Variable, "not an object").value == ""


def test_events_decode_by_type_and_unknown_types_survive() -> None:
    event = decode_message(
        {
            "type": "StasisStart",
            "application": "app",
            "timestamp": "t",
            "args": ["a", "b"],
            "channel": CHANNEL,
        }
    )
    assert isinstance(event, models.StasisStart)
    assert event.args == ("a", "b") and event.channel.id == CHANNEL["id"]
    unknown = decode_message({"type": "ChannelTeleported", "application": "app", "to": "mars"})
    assert type(unknown) is models.Event
    assert unknown.type == "ChannelTeleported" and unknown.extra == {"to": "mars"}
    assert type(decode_message({"type": "Weird"})) is models.Message
    text = decode_message(
        {
            "type": "TextMessageReceived",
            "application": "a",
            "timestamp": "t",
            "message": {"from": "alice", "to": "bob", "body": "hi"},
        }
    )
    assert isinstance(text, models.TextMessageReceived) and text.message.from_ == "alice"


def test_event_keys_name_every_object_and_playback_targets() -> None:
    playback = {"id": "pb1", "media_uri": "sound:x", "target_uri": "channel:c1", "state": "playing"}
    event = decode_message(
        {"type": "PlaybackStarted", "application": "a", "timestamp": "t", "playback": playback}
    )
    assert isinstance(event, models.Event)
    assert [key for key, _ in event_keys(event)] == [("playback", "pb1"), ("channel", "c1")]
    dial = decode_message(
        {
            "type": "Dial",
            "application": "a",
            "timestamp": "t",
            "caller": {"id": "c1"},
            "peer": {"id": "c2"},
            "dialstatus": "",
        }
    )
    assert isinstance(dial, models.Event)
    assert {key for key, _ in event_keys(dial)} == {("channel", "c1"), ("channel", "c2")}


# -- requests ----------------------------------------------------------------------------------
def test_build_request_places_and_encodes_parameters() -> None:
    op = REGISTRY.operation("channels.play")
    req = build_request(
        op,
        {
            "channelId": "a/b c",
            "media": ["sound:one", "sound:two"],
            "lang": None,
            "offsetms": 0,
            "playbackId": "pb",
        },
    )
    assert req.method == "POST"
    assert req.path == "channels/a%2Fb%20c/play"
    assert req.query == (("media", "sound:one,sound:two"), ("offsetms", "0"), ("playbackId", "pb"))
    assert req.body is None
    assert (
        req.uri
        == "channels/a%2Fb%20c/play?media=sound%3Aone%2Csound%3Atwo&offsetms=0&playbackId=pb"
    )


def test_build_request_bodies_and_errors() -> None:
    originate = REGISTRY.operation("channels.originate")
    req = build_request(originate, {"endpoint": "PJSIP/a", "variables": {"A": "1"}})
    assert req.body == b'{"variables":{"A":"1"}}'
    flt = REGISTRY.operation("applications.filter")
    req = build_request(flt, {"applicationName": "x", "filter": {"allowed": [{"type": "X"}]}})
    assert req.body == b'{"allowed":[{"type":"X"}]}' and req.method == "PUT"
    assert build_request(
        REGISTRY.operation("recordings.getStoredFile"), {"recordingName": "r"}
    ).binary
    with pytest.raises(ValueError, match="required"):
        build_request(REGISTRY.operation("channels.answer"), {"channelId": ""})
    with pytest.raises(ValueError, match="no parameter"):
        build_request(REGISTRY.operation("channels.answer"), {"channelId": "c", "bogus": 1})


def test_query_values_as_ari_reads_them() -> None:
    assert query_value(True) == "true" and query_value(False) == "false"
    assert query_value(5) == "5" and query_value(["a", "b"]) == "a,b"
    assert ari_root("http://h:8088") == "http://h:8088/ari"
    assert ari_root("http://h:8088/ari/") == "http://h:8088/ari"


def test_errors_are_typed_by_status() -> None:
    err = error_for_status(
        404, "Channel not found", operation="channels.get", method="GET", path="channels/x"
    )
    assert isinstance(err, AriNotFound) and err.status == 404 and err.message == "Channel not found"
    assert "channels.get" in str(err)
    assert isinstance(error_for_status(409, "x"), AriConflict)
    assert isinstance(error_for_status(502, "x"), AriServerError)
    assert type(error_for_status(418, "x")) is AriHTTPError
    assert issubclass(AriTimeout, TimeoutError)


# -- backoff -----------------------------------------------------------------------------------
def test_backoff_schedule_with_injected_random() -> None:
    backoff = Backoff(initial=0.5, factor=2.0, maximum=4.0, jitter=0.5)
    schedule = backoff.delays(rand=lambda: 0.0)
    assert [next(schedule) for _ in range(6)] == [0.5, 1.0, 2.0, 4.0, 4.0, 4.0]
    assert backoff.delay(1, rand=lambda: 1.0) == pytest.approx(0.5)
    assert backoff.delay(10_000, rand=lambda: 0.0) == 4.0
    with pytest.raises(ValueError):
        Backoff(jitter=1.5)
    with pytest.raises(ValueError):
        Backoff(initial=5.0, maximum=1.0)


@given(st.integers(min_value=0, max_value=200), st.floats(min_value=0.0, max_value=0.999))
def test_backoff_delay_stays_within_jitter_band(attempt: int, r: float) -> None:
    backoff = Backoff(initial=0.25, factor=1.7, maximum=20.0, jitter=0.3)
    base = min(20.0, 0.25 * 1.7 ** min(attempt, 64))
    delay = backoff.delay(attempt, rand=lambda: r)
    assert base * 0.7 - 1e-9 <= delay <= base + 1e-9


# -- event routing -----------------------------------------------------------------------------
def _event(kind: str, **fields: object) -> models.Message:
    message = decode_message({"type": kind, "application": "a", "timestamp": "t", **fields})
    assert isinstance(message, models.Message)
    return message


async def test_events_before_the_wait_are_kept_stage_then_execute() -> None:
    client = AriClient("http://127.0.0.1:1")
    playback = client.playback("pb1")
    pb = {"id": "pb1", "media_uri": "sound:x", "target_uri": "channel:c1", "state": "playing"}
    client.hub.dispatch(_event("PlaybackStarted", playback=pb))
    client.hub.dispatch(_event("PlaybackFinished", playback={**pb, "state": "done"}))
    started = await playback.wait_for(models.PlaybackStarted, timeout=1)
    assert started.playback.state == "playing"
    finished = await playback.done(timeout=1)
    assert isinstance(finished, models.PlaybackFinished)
    assert playback.model is not None and playback.model.state == "done"
    with pytest.raises(HandleEnded):
        await playback.wait_for("PlaybackContinuing", timeout=1)
    # The channel the playback targets saw both too.
    channel = client.channel("c1")
    assert channel.history == ()


async def test_streams_callbacks_and_app_handlers() -> None:
    client = AriClient("http://127.0.0.1:1")
    channel = client.channel("c1")
    stream = channel.events()
    digits: list[str] = []
    channel.on("ChannelDtmfReceived", lambda ev: digits.append(ev.digit))
    app_seen: list[str] = []
    client.on("*")(lambda ev: app_seen.append(ev.type))
    for digit in "12":
        client.hub.dispatch(
            _event("ChannelDtmfReceived", digit=digit, duration_ms=100, channel={"id": "c1"})
        )
    client.hub.dispatch(_event("StasisEnd", channel={"id": "c1"}))
    client.hub.dispatch(
        _event("ChannelDtmfReceived", digit="9", duration_ms=1, channel={"id": "other"})
    )
    assert [ev.type async for ev in stream] == [
        "ChannelDtmfReceived",
        "ChannelDtmfReceived",
        "StasisEnd",
    ]
    assert digits == ["1", "2"]
    assert app_seen == ["ChannelDtmfReceived"] * 2 + ["StasisEnd", "ChannelDtmfReceived"]
    assert channel.ended
    with pytest.raises(AriTimeout):
        await client.channel("c2").wait_for("StasisStart", timeout=0.01)


async def test_forgotten_handles_are_not_kept() -> None:
    client = AriClient("http://127.0.0.1:1")
    for i in range(100):
        client.channel(f"c{i}")
    gc.collect()
    client.hub.dispatch(_event("StasisEnd", channel={"id": "c1"}))
    assert sum(len(taps) for taps in client.hub._taps.values()) == 0


def test_endpoint_handle_splits_its_id() -> None:
    client = AriClient("http://127.0.0.1:1")
    endpoint = client.endpoint("PJSIP", "alice")
    assert isinstance(endpoint, Endpoint)
    assert (endpoint.id, endpoint.tech, endpoint.resource) == ("PJSIP/alice", "PJSIP", "alice")
    assert client.endpoint("PJSIP/alice") == endpoint
    with pytest.raises(ValueError):
        client.endpoint("alice")
    with pytest.raises(ValueError):
        AriClient("http://h", user="u", password="p", api_key="u:p")
