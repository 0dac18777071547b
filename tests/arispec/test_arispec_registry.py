"""The registry's own rules: availability, success codes, messages, prose."""

from __future__ import annotations

import re

import pytest

from ariel.arispec import REGISTRY, Registry
from ariel.arispec.availability import BRIDGES, CALLS, MEDIA, PENDING
from ariel.arispec.registry import build_registry

AVAILABLE_RESOURCES = {"asterisk", "applications", "deviceStates", "mailboxes", "sounds"}


def test_registry_counts() -> None:
    assert len(REGISTRY.resources) == 11
    assert len(REGISTRY.operations) == 109
    assert len(REGISTRY.models) == 85
    assert len(REGISTRY.events) == 45


def test_resource_order_is_the_listing_order() -> None:
    assert [r.name for r in REGISTRY.resources] == [
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


def test_operation_ids_are_unique() -> None:
    ids = [op.id for op in REGISTRY.operations]
    assert len(ids) == len(set(ids))
    routes = [(op.method, op.path) for op in REGISTRY.operations]
    assert len(routes) == len(set(routes))


def test_available_operations_are_those_not_pending() -> None:
    available = {op.id for op in REGISTRY.operations if op.available}
    assert available == {op.id for op in REGISTRY.operations} - set(PENDING)
    assert set(PENDING) <= {op.id for op in REGISTRY.operations}
    assert {op.id for op in REGISTRY.operations if op.resource in AVAILABLE_RESOURCES} <= available


def test_every_pending_operation_says_which_work_brings_it() -> None:
    for op in REGISTRY.operations:
        if op.available:
            assert op.pending_reason == ""
            assert op.id not in PENDING
        else:
            assert op.pending_reason == PENDING[op.id]
            assert op.pending_reason in {CALLS, MEDIA, BRIDGES}
    # Every operation of the reference is served now.
    assert not PENDING
    assert all(op.available for op in REGISTRY.operations)


def test_emptying_pending_makes_everything_available() -> None:
    registry = build_registry({})
    assert isinstance(registry, Registry)
    assert all(op.available for op in registry.operations)


def test_a_pending_entry_for_no_operation_is_refused() -> None:
    with pytest.raises(ValueError, match=r"channels\.fly"):
        build_registry({"channels.fly": CALLS})


@pytest.mark.parametrize(
    ("op_id", "code"),
    [
        ("channels.play", 201),
        ("channels.playWithId", 201),
        ("channels.record", 201),
        ("bridges.play", 201),
        ("bridges.playWithId", 201),
        ("bridges.record", 201),
        ("asterisk.reloadModule", 202),
        ("endpoints.sendMessage", 202),
        ("endpoints.refer", 202),
        ("endpoints.sendMessageToEndpoint", 202),
        ("endpoints.referToEndpoint", 202),
        ("channels.answer", 204),
        ("channels.get", 200),
        ("asterisk.getInfo", 200),
    ],
)
def test_success_code(op_id: str, code: int) -> None:
    assert REGISTRY.operation(op_id).success_code == code


def test_void_operations_answer_204_unless_listed() -> None:
    special = {201, 202}
    for op in REGISTRY.operations:
        if op.success_code in special:
            continue
        assert op.success_code == (204 if op.response_class == "void" else 200), op.id


def test_event_websocket_upgrades() -> None:
    op = REGISTRY.operation("events.eventWebsocket")
    assert op.upgrade == "websocket"
    assert [op.id for op in REGISTRY.operations if op.upgrade] == ["events.eventWebsocket"]


@pytest.mark.parametrize(
    ("op_id", "param", "message"),
    [
        ("channels.getChannelVar", "variable", "Variable name is required"),
        ("channels.setChannelVar", "variable", "Variable name is required"),
        ("asterisk.getGlobalVar", "variable", "Variable name is required"),
        ("channels.originate", "endpoint", "Endpoint must be specified"),
        ("applications.subscribe", "eventSource", "Missing parameter eventSource"),
        ("applications.unsubscribe", "eventSource", "Missing parameter eventSource"),
        ("bridges.addChannel", "channel", "Missing parameter channel"),
        ("bridges.removeChannel", "channel", "Missing parameter channel"),
        ("channels.sendDTMF", "dtmf", "DTMF is required"),
        ("playbacks.control", "operation", "Missing operation"),
    ],
)
def test_missing_message(op_id: str, param: str, message: str) -> None:
    declared = {p.name: p for p in REGISTRY.operation(op_id).params}
    assert declared[param].missing_message == message


def test_every_operation_param_model_and_field_has_prose() -> None:
    for op in REGISTRY.operations:
        assert op.summary and "\n" not in op.summary, op.id
        for p in op.params:
            assert p.description, f"{op.id}.{p.name}"
    for model in REGISTRY.models.values():
        assert model.description, model.id
        for f in model.fields:
            assert f.description, f"{model.id}.{f.name}"


def test_paths_name_their_path_parameters() -> None:
    for op in REGISTRY.operations:
        in_path = re.findall(r"\{(\w+)\}", op.path)
        assert in_path == [p.name for p in op.params if p.param_type == "path"], op.id


def test_at_most_one_body_parameter_per_operation() -> None:
    for op in REGISTRY.operations:
        bodies = [p for p in op.params if p.param_type == "body"]
        assert len(bodies) <= 1, op.id
        assert all(p.data_type in ("containers", "object") for p in bodies)


def test_model_references_resolve() -> None:
    scalars = {"string", "int", "long", "double", "boolean", "object", "Date", "binary", "void"}

    def resolves(type_name: str) -> bool:
        inner = type_name[5:-1] if type_name.startswith("List[") else type_name
        return inner in scalars or inner in REGISTRY.models

    for model in REGISTRY.models.values():
        for f in model.fields:
            assert resolves(f.type), f"{model.id}.{f.name}"
        assert model.extends is None or model.extends in REGISTRY.models
        for sub in model.subtypes:
            assert REGISTRY.models[sub].extends == model.id
    for op in REGISTRY.operations:
        assert resolves(op.response_class), op.id


def test_lookup_helpers() -> None:
    assert REGISTRY.resource("channels").name == "channels"
    assert REGISTRY.operation("channels.originate").method == "POST"
    assert REGISTRY.is_event("StasisStart")
    assert not REGISTRY.is_event("Channel")
    assert not REGISTRY.is_event("MissingParams")
    with pytest.raises(KeyError):
        REGISTRY.operation("channels.fly")
