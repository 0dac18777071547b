"""The OpenAPI 3.1 document is valid and covers the whole registry."""

from __future__ import annotations

import json

import pytest

from ariel.arispec import REGISTRY, openapi_document
from ariel.arispec.registry import build_registry

SERVER = "http://localhost:8088/ari"


@pytest.fixture(scope="module")
def doc() -> dict[str, object]:
    return openapi_document(SERVER)


def test_document_validates(doc: dict[str, object]) -> None:
    validator = pytest.importorskip("openapi_spec_validator")
    validator.validate(doc)


def test_document_is_plain_json(doc: dict[str, object]) -> None:
    assert json.loads(json.dumps(doc)) == doc


def test_every_operation_is_described(doc: dict[str, object]) -> None:
    paths = doc["paths"]
    assert isinstance(paths, dict)
    ids = set()
    for op in REGISTRY.operations:
        described = paths[op.path][op.method.lower()]
        ids.add(described["operationId"])
        assert str(op.success_code) in described["responses"] or op.upgrade
        for err in op.error_responses:
            assert str(err.code) in described["responses"]
    assert len(ids) == 109


def test_every_model_is_a_schema(doc: dict[str, object]) -> None:
    components = doc["components"]
    assert isinstance(components, dict)
    schemas = components["schemas"]
    assert set(schemas) == set(REGISTRY.models) | {"Error"}
    assert schemas["Error"]["properties"] == {"message": {"type": "string"}}
    started = schemas["StasisStart"]
    assert started["allOf"][0] == {"$ref": "#/components/schemas/Event"}
    assert schemas["Event"]["allOf"][0] == {"$ref": "#/components/schemas/Message"}
    message = schemas["Message"]
    assert message["discriminator"]["propertyName"] == "type"
    assert "StasisStart" in message["discriminator"]["mapping"]
    assert "Event" not in message["discriminator"]["mapping"]


def test_security_schemes(doc: dict[str, object]) -> None:
    components = doc["components"]
    assert isinstance(components, dict)
    assert components["securitySchemes"] == {
        "basicAuth": {"type": "http", "scheme": "basic"},
        "apiKey": {"type": "apiKey", "in": "query", "name": "api_key"},
    }
    assert doc["servers"] == [{"url": SERVER}]


def test_body_and_form_parameters(doc: dict[str, object]) -> None:
    paths = doc["paths"]
    assert isinstance(paths, dict)
    originate = paths["/channels"]["post"]
    content = originate["requestBody"]["content"]
    assert "variables" in content["application/json"]["schema"]["properties"]
    assert "endpoint" in content["application/x-www-form-urlencoded"]["schema"]["properties"]
    listed = paths["/channels"]["get"]
    assert "requestBody" not in listed
    ws = paths["/events"]["get"]
    assert "101" in ws["responses"]
    app = next(p for p in ws["parameters"] if p["name"] == "app")
    assert app["schema"]["type"] == "array"
    assert app["explode"] is False


def test_pending_operations_are_marked(doc: dict[str, object]) -> None:
    paths = doc["paths"]
    assert isinstance(paths, dict)
    assert not any(
        "x-ariel-pending" in operation for item in paths.values() for operation in item.values()
    )
    later = openapi_document(SERVER, registry=build_registry({"asterisk.ping": "later work"}))
    assert later["paths"]["/asterisk/ping"]["get"]["x-ariel-pending"] == "later work"
    assert "x-ariel-pending" not in later["paths"]["/asterisk/info"]["get"]
