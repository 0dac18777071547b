"""The assembled ARI registry: resources, operations, models and events.

The declarations live one module per resource (`resources/`) and per group of
models (`models/`); this module orders the models per resource and applies
`availability.PENDING`, so the declarations never carry availability.
"""

from __future__ import annotations

from dataclasses import replace

from ariel.arispec.availability import PENDING
from ariel.arispec.models import MODELS
from ariel.arispec.resources import RESOURCES
from ariel.arispec.types import Model, Registry, Resource

__all__ = ["API_VERSION", "REGISTRY", "build_registry"]

API_VERSION = "10.0.0"
"""The ``apiVersion`` of the resource listing of the reference (Asterisk 22)."""


def _with_availability(resource: Resource, pending: dict[str, str]) -> Resource:
    ops = tuple(
        replace(op, available=False, pending_reason=pending[op.id]) if op.id in pending else op
        for op in resource.operations
    )
    return replace(resource, operations=ops)


def build_registry(pending: dict[str, str] | None = None) -> Registry:
    """Assemble the registry from the declarations.

    Args:
        pending: Operation id -> reason for the operations not served yet;
            `availability.PENDING` when omitted.

    Returns:
        The registry, with models ordered as each resource declares them.

    Raises:
        ValueError: A resource names a model nobody declares, a model is
            declared twice, or a pending entry names no operation.
    """
    table = dict(PENDING if pending is None else pending)
    by_id: dict[str, Model] = {}
    for model in MODELS:
        if model.id in by_id:
            raise ValueError(f"model {model.id} declared twice")
        by_id[model.id] = model
    resources = tuple(_with_availability(res, table) for res in RESOURCES)
    ordered: dict[str, Model] = {}
    for res in resources:
        for name in res.models:
            if name not in by_id:
                raise ValueError(f"resource {res.name} lists unknown model {name}")
            ordered[name] = by_id[name]
    if len(ordered) != len(by_id):
        stray = sorted(set(by_id) - set(ordered))
        raise ValueError(f"models declared but listed by no resource: {stray}")
    known = {op.id for res in resources for op in res.operations}
    unknown = sorted(set(table) - known)
    if unknown:
        raise ValueError(f"pending entries name no operation: {unknown}")
    return Registry(api_version=API_VERSION, resources=resources, models=ordered)


REGISTRY: Registry = build_registry()
"""The whole ARI surface of the reference, as Ariel declares it."""
