"""An OpenAPI 3.1 document of the ARI surface, derived from the registry.

For tools that speak OpenAPI rather than the Swagger 1.x that ARI clients load:
every operation with its path and query parameters; a request body where the
operation takes a body parameter or, for POST and PUT, where its query
parameters may also come as a form or JSON body; the success response and each
documented error (an ``Error`` object, ``{"message": ...}``); every model under
``components.schemas``, children joined to their parent with ``allOf`` and
``Message`` carrying the ``type`` discriminator; HTTP basic and the ``api_key``
query parameter as security schemes.
"""

from __future__ import annotations

from math import isfinite
from typing import Any

from ariel.arispec.registry import REGISTRY
from ariel.arispec.types import Model, Operation, Param, Registry

__all__ = ["openapi_document"]

_REF = "#/components/schemas/"
_SCALARS: dict[str, dict[str, Any]] = {
    "string": {"type": "string"},
    "int": {"type": "integer", "format": "int32"},
    "long": {"type": "integer", "format": "int64"},
    "double": {"type": "number", "format": "double"},
    "boolean": {"type": "boolean"},
    "object": {"type": "object"},
    "Date": {"type": "string", "description": "Time as YYYY-MM-DDTHH:MM:SS.mmm+ZZZZ."},
    "binary": {"type": "string", "contentMediaType": "application/octet-stream"},
}

_CONTAINERS: dict[str, dict[str, Any]] = {
    "fields": {"type": "array", "items": {"$ref": _REF + "ConfigTuple"}},
}


def _type_schema(type_name: str) -> dict[str, Any]:
    if type_name.startswith("List[") and type_name.endswith("]"):
        return {"type": "array", "items": _type_schema(type_name[5:-1])}
    if type_name in _SCALARS:
        return dict(_SCALARS[type_name])
    return {"$ref": _REF + type_name}


def _param_schema(p: Param) -> dict[str, Any]:
    item = _type_schema(p.data_type)
    if p.allowable_values is not None:
        item["enum"] = list(p.allowable_values)
    if p.value_range is not None:
        lo, hi = p.value_range
        if isfinite(lo):
            item["minimum"] = lo
        if isfinite(hi):
            item["maximum"] = hi
    schema: dict[str, Any] = {"type": "array", "items": item} if p.allow_multiple else item
    if p.default is not None:
        schema["default"] = p.default
    if p.description:
        schema["description"] = p.description
    return schema


def _parameter(p: Param) -> dict[str, Any]:
    out: dict[str, Any] = {
        "name": p.name,
        "in": p.param_type,
        "required": True if p.param_type == "path" else p.required,
        "description": p.description,
        "schema": _param_schema(p),
    }
    if p.allow_multiple:
        out["style"] = "form"
        out["explode"] = False
    return out


def _request_body(op: Operation) -> dict[str, Any] | None:
    query = [p for p in op.params if p.param_type == "query"]
    bodies = [p for p in op.params if p.param_type == "body"]
    if not bodies and not (query and op.method in ("POST", "PUT")):
        return None
    form: dict[str, Any] = {
        "type": "object",
        "properties": {p.name: _param_schema(p) for p in query},
    }
    json_schema: dict[str, Any] = {
        "type": "object",
        "properties": {p.name: _param_schema(p) for p in query},
    }
    for p in bodies:
        # A `containers` body parameter reads one key of the body (named like
        # the parameter); an `object` one is the whole body.
        if p.data_type == "containers":
            json_schema["properties"][p.name] = _CONTAINERS.get(p.name, {"type": "object"})
        json_schema.setdefault("description", p.description)
    content: dict[str, Any] = {"application/json": {"schema": json_schema}}
    if query:
        content["application/x-www-form-urlencoded"] = {"schema": form}
    return {"required": any(p.required for p in bodies), "content": content}


def _success(op: Operation) -> tuple[str, dict[str, Any]]:
    if op.upgrade:
        return "101", {"description": "Switched to the WebSocket protocol; frames carry Messages."}
    if op.response_class == "void":
        return str(op.success_code), {"description": "Done."}
    if op.response_class == "binary":
        media = {"application/octet-stream": {"schema": _type_schema("binary")}}
        return str(op.success_code), {"description": "The file.", "content": media}
    schema = _type_schema(op.response_class)
    body = {"application/json": {"schema": schema}}
    return str(op.success_code), {"description": "Success.", "content": body}


def _operation(op: Operation) -> dict[str, Any]:
    out: dict[str, Any] = {
        "operationId": op.id,
        "tags": [op.resource],
        "summary": op.summary,
    }
    if op.notes:
        out["description"] = op.notes
    params = [_parameter(p) for p in op.params if p.param_type in ("path", "query")]
    if params:
        out["parameters"] = params
    body = _request_body(op)
    if body is not None:
        out["requestBody"] = body
    code, success = _success(op)
    responses: dict[str, Any] = {code: success}
    error_json = {"application/json": {"schema": {"$ref": _REF + "Error"}}}
    for err in op.error_responses:
        key = str(err.code)
        if key in responses:
            responses[key]["description"] += f"; {err.reason}"
        else:
            responses[key] = {"description": err.reason, "content": error_json}
    out["responses"] = responses
    if not op.available:
        out["x-ariel-pending"] = op.pending_reason
    if op.since:
        out["x-since"] = list(op.since)
    return out


def _model_schema(model: Model, registry: Registry) -> dict[str, Any]:
    own: dict[str, Any] = {"type": "object"}
    props: dict[str, Any] = {}
    for f in model.fields:
        schema = _type_schema(f.type)
        if f.allowable_values is not None:
            schema["enum"] = list(f.allowable_values)
        if f.description:
            schema["description"] = f.description
        props[f.name] = schema
    own["properties"] = props
    required = [f.name for f in model.fields if f.required]
    if required:
        own["required"] = required
    if model.discriminator:
        own["discriminator"] = {
            "propertyName": model.discriminator,
            "mapping": {
                name: _REF + name
                for name, other in registry.models.items()
                if _descends(registry, name, model.id) and not other.subtypes
            },
        }
    if model.extends:
        return {
            "description": model.description,
            "allOf": [{"$ref": _REF + model.extends}, own],
        }
    own["description"] = model.description
    return own


def _descends(registry: Registry, name: str, ancestor: str) -> bool:
    seen = registry.models[name].extends
    while seen is not None:
        if seen == ancestor:
            return True
        seen = registry.models[seen].extends
    return False


def openapi_document(server_url: str, *, registry: Registry = REGISTRY) -> dict[str, Any]:
    """The OpenAPI 3.1 description of the ARI surface.

    Args:
        server_url: Base URL of the ARI routes, e.g. ``http://localhost:8088/ari``.
        registry: The registry to describe.

    Returns:
        A fresh JSON-ready dict.
    """
    paths: dict[str, dict[str, Any]] = {}
    for op in registry.operations:
        paths.setdefault(op.path, {})[op.method.lower()] = _operation(op)
    schemas: dict[str, Any] = {
        "Error": {
            "type": "object",
            "description": "Body of every error response.",
            "properties": {"message": {"type": "string"}},
            "required": ["message"],
        }
    }
    for name, model in registry.models.items():
        schemas[name] = _model_schema(model, registry)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Ariel ARI",
            "version": registry.api_version,
            "description": "The Asterisk REST Interface as served by Ariel.",
        },
        "servers": [{"url": server_url}],
        "security": [{"basicAuth": []}, {"apiKey": []}],
        "tags": [{"name": res.name, "description": res.description} for res in registry.resources],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "basicAuth": {"type": "http", "scheme": "basic"},
                "apiKey": {"type": "apiKey", "in": "query", "name": "api_key"},
            },
        },
    }
