"""The Swagger documents have the shape ARI clients load from the reference."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ariel.arispec import REGISTRY, api_declaration, resource_listing

_REPO = Path(__file__).resolve().parents[2]
_SHARED = (Path("/work/shared"), _REPO.parent / "shared")
BASE = "http://127.0.0.1:8088/ari"
RESOURCES = [res.name for res in REGISTRY.resources]
PREAMBLE = {"_copyright", "_author", "_svn_revision", "apiVersion", "swaggerVersion"}


def _shared_json(relative: str) -> Any:
    for root in _SHARED:
        path = root / relative
        if path.is_file():
            return json.loads(path.read_text())
    pytest.skip(f"{relative} is not available")


def test_listing_has_the_reference_keys_and_entries() -> None:
    doc = resource_listing(BASE)
    assert set(doc) == PREAMBLE | {"basePath", "apis"}
    assert doc["swaggerVersion"] == "1.1"
    assert doc["apiVersion"] == "10.0.0"
    assert doc["basePath"] == BASE
    assert doc["_author"] == "Ariel"
    assert [api["path"] for api in doc["apis"]] == [f"/api-docs/{n}.{{format}}" for n in RESOURCES]


def test_listing_matches_the_golden_listing() -> None:
    golden = _shared_json("conformance/golden/asterisk_info.json")
    step = next(s for s in golden["steps"] if s.get("path") == "/api-docs/resources.json")
    expected = step["body"]
    doc = resource_listing(expected["basePath"])
    assert list(doc) == list(expected)
    assert doc["apis"] == expected["apis"]
    for key in ("apiVersion", "swaggerVersion", "basePath", "_svn_revision"):
        assert doc[key] == expected[key]


def test_no_base_path_leaves_the_key_out() -> None:
    assert "basePath" not in resource_listing(None)
    for name in RESOURCES:
        assert "basePath" not in api_declaration(name, None)


@pytest.mark.parametrize("name", RESOURCES)
def test_declaration_shape(name: str) -> None:
    doc = api_declaration(name, BASE)
    assert set(doc) == PREAMBLE | {"basePath", "resourcePath", "requiresModules", "apis", "models"}
    assert doc["apiVersion"] == "2.0.0"
    assert doc["swaggerVersion"] == ("1.2" if name == "events" else "1.1")
    assert doc["resourcePath"] == f"/api-docs/{name}.{{format}}"
    assert json.loads(json.dumps(doc)) == doc
    count = 0
    for api in doc["apis"]:
        assert set(api) == {"path", "description", "operations"}
        for op in api["operations"]:
            count += 1
            required = {"httpMethod", "since", "summary", "nickname", "responseClass"}
            assert required | {"parameters", "errorResponses"} <= set(op)
            for param in op["parameters"]:
                assert {
                    "name",
                    "description",
                    "paramType",
                    "required",
                    "allowMultiple",
                    "dataType",
                } <= set(param)
                if param["paramType"] == "path":
                    assert param["required"] is True
                    assert "{" + param["name"] + "}" in api["path"]
                if "allowableValues" in param:
                    assert param["allowableValues"]["valueType"] in ("LIST", "RANGE")
            for err in op["errorResponses"]:
                assert set(err) == {"code", "reason"}
                assert isinstance(err["code"], int)
    assert count == len(REGISTRY.resource(name).operations)
    for model_id, model in doc["models"].items():
        assert model["id"] == model_id
        assert {"id", "description", "properties"} <= set(model)
        for prop in model["properties"].values():
            assert {"type", "description", "required"} <= set(prop)


def test_events_declaration_declares_the_websocket_and_every_event() -> None:
    doc = api_declaration("events", BASE)
    ops = {op["nickname"]: op for api in doc["apis"] for op in api["operations"]}
    ws = ops["eventWebsocket"]
    assert ws["httpMethod"] == "GET"
    assert ws["upgrade"] == "websocket"
    assert ws["websocketProtocol"] == "ari"
    assert ws["responseClass"] == "Message"
    for event in REGISTRY.events:
        assert event.id in doc["models"]
    message = doc["models"]["Message"]
    assert message["discriminator"] == "type"
    assert message["subTypes"] == ["MissingParams", "Event"]
    assert set(doc["models"]["Event"]["subTypes"]) == {e.id for e in REGISTRY.events}


def test_operation_details_are_carried() -> None:
    doc = api_declaration("channels", BASE)
    ops = {op["nickname"]: op for api in doc["apis"] for op in api["operations"]}
    originate = ops["originate"]
    params = {p["name"]: p for p in originate["parameters"]}
    assert params["timeout"]["defaultValue"] == 30
    assert params["variables"]["paramType"] == "body"
    assert params["endpoint"]["required"] is True
    assert originate["errorResponses"][0]["code"] == 400
    record = {p["name"]: p for p in ops["record"]["parameters"]}
    assert record["maxDurationSeconds"]["allowableValues"] == {"valueType": "RANGE", "min": 0}
    assert record["ifExists"]["allowableValues"] == {
        "valueType": "LIST",
        "values": ["fail", "overwrite", "append"],
    }
    assert record["beep"]["defaultValue"] is False
    state = doc["models"]["Channel"]["properties"]["state"]
    assert state["allowableValues"]["values"][0] == "Down"


def test_endpoint_path_parameters_are_served_as_required() -> None:
    doc = api_declaration("endpoints", BASE)
    for api in doc["apis"]:
        for op in api["operations"]:
            for p in op["parameters"]:
                if p["paramType"] == "path":
                    assert p["required"] is True


def test_unknown_resource_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        api_declaration("nonsense", BASE)


def test_documents_are_fresh_each_call() -> None:
    first = api_declaration("asterisk", BASE)
    first["apis"].clear()
    assert api_declaration("asterisk", BASE)["apis"]


def test_paths_follow_the_reference_order() -> None:
    surface = _shared_json("ari/ari-surface.json")
    for ref in surface["resources"]:
        doc = api_declaration(ref["name"], BASE)
        assert [api["path"] for api in doc["apis"]] == ref["paths"]
        assert list(doc["models"]) == ref["models"]
        assert doc["requiresModules"] == ref["requiresModules"]
