"""The Swagger 1.1/1.2 documents served under ``/ari/api-docs``.

Existing ARI clients (aioari/swaggerpy, asyncari, node ari-client, ari4java)
download ``resources.json`` and one API declaration per resource when they
connect and build their methods from them, so the key names and nesting here
follow the reference's files exactly: a resource listing
(``/ari/api-docs/resources.json``) and per resource an API declaration
(``/ari/api-docs/{resource}.json``) with ``apis`` (one entry per path, holding
its ``operations``) and ``models``.

Differences from the reference's files, all harmless to those clients: the
prose is our own, ``_copyright``/``_author`` name Ariel, path parameters are
always ``required: true`` (the reference omits the flag on a few), and
``notes`` appears only where an operation has notes.
"""

from __future__ import annotations

from math import isfinite
from typing import Any

from ariel.arispec.registry import REGISTRY
from ariel.arispec.types import Model, Operation, Param, Registry, Resource

__all__ = ["DECLARATION_API_VERSION", "api_declaration", "resource_listing", "swagger_version"]

DECLARATION_API_VERSION = "2.0.0"
"""The ``apiVersion`` of every API declaration of the reference."""

_COPYRIGHT = "Copyright (C) the Ariel authors"
_AUTHOR = "Ariel"
_REVISION = "$Revision$"


def _preamble(api_version: str, swagger: str, base_path: str | None) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "_copyright": _COPYRIGHT,
        "_author": _AUTHOR,
        "_svn_revision": _REVISION,
        "apiVersion": api_version,
        "swaggerVersion": swagger,
    }
    if base_path is not None:
        doc["basePath"] = base_path
    return doc


def resource_listing(base_path: str | None, *, registry: Registry = REGISTRY) -> dict[str, Any]:
    """The resource listing, as served at ``/ari/api-docs/resources.json``.

    Args:
        base_path: ``http://<Host header><prefix>/ari``; ``None`` leaves
            ``basePath`` out, as the reference does without a Host header.
        registry: The registry to describe.

    Returns:
        A fresh JSON-ready dict.
    """
    doc = _preamble(registry.api_version, "1.1", base_path)
    doc["apis"] = [
        {"path": f"/api-docs/{res.name}.{{format}}", "description": res.description}
        for res in registry.resources
    ]
    return doc


def swagger_version(resource: Resource, registry: Registry = REGISTRY) -> str:
    """``"1.2"`` for a declaration that uses subTypes/discriminator, else ``"1.1"``."""
    for name in resource.models:
        model = registry.models[name]
        if model.subtypes or model.discriminator:
            return "1.2"
    return "1.1"


def api_declaration(
    resource: str, base_path: str | None, *, registry: Registry = REGISTRY
) -> dict[str, Any]:
    """The API declaration of one resource, as served at ``/ari/api-docs/{resource}.json``.

    Args:
        resource: Resource name (``channels``, ``deviceStates``...).
        base_path: As for `resource_listing`.
        registry: The registry to describe.

    Returns:
        A fresh JSON-ready dict.

    Raises:
        KeyError: No such resource.
    """
    res = registry.resource(resource)
    doc = _preamble(DECLARATION_API_VERSION, swagger_version(res, registry), base_path)
    doc["resourcePath"] = f"/api-docs/{res.name}.{{format}}"
    doc["requiresModules"] = list(res.requires_modules)
    apis: dict[str, list[Operation]] = {}
    for op in res.operations:
        apis.setdefault(op.path, []).append(op)
    doc["apis"] = [
        {
            "path": path,
            "description": ops[0].summary,
            "operations": [_operation(op) for op in ops],
        }
        for path, ops in apis.items()
    ]
    doc["models"] = {name: _model(registry.models[name]) for name in res.models}
    return doc


def _operation(op: Operation) -> dict[str, Any]:
    out: dict[str, Any] = {"httpMethod": op.method}
    if op.upgrade:
        out["upgrade"] = op.upgrade
        out["websocketProtocol"] = "ari"
    out["since"] = list(op.since)
    out["summary"] = op.summary
    if op.notes:
        out["notes"] = op.notes
    out["nickname"] = op.nickname
    out["responseClass"] = op.response_class
    out["parameters"] = [_param(p) for p in op.params]
    out["errorResponses"] = [{"code": e.code, "reason": e.reason} for e in op.error_responses]
    return out


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _param(p: Param) -> dict[str, Any]:
    out: dict[str, Any] = {
        "name": p.name,
        "description": p.description,
        "paramType": p.param_type,
        "required": True if p.param_type == "path" else p.required,
        "allowMultiple": p.allow_multiple,
        "dataType": p.data_type,
    }
    if p.default is not None:
        out["defaultValue"] = p.default
    if p.allowable_values is not None:
        out["allowableValues"] = {"valueType": "LIST", "values": list(p.allowable_values)}
    elif p.value_range is not None:
        lo, hi = p.value_range
        allowed: dict[str, Any] = {"valueType": "RANGE"}
        if isfinite(lo):
            allowed["min"] = _number(lo)
        if isfinite(hi):
            allowed["max"] = _number(hi)
        out["allowableValues"] = allowed
    return out


def _model(model: Model) -> dict[str, Any]:
    out: dict[str, Any] = {"id": model.id, "description": model.description}
    if model.discriminator:
        out["discriminator"] = model.discriminator
    properties: dict[str, Any] = {}
    for f in model.fields:
        prop: dict[str, Any] = {
            "type": f.type,
            "description": f.description,
            "required": f.required,
        }
        if f.allowable_values is not None:
            prop["allowableValues"] = {"valueType": "LIST", "values": list(f.allowable_values)}
        properties[f.name] = prop
    out["properties"] = properties
    if model.subtypes:
        out["subTypes"] = list(model.subtypes)
    return out
