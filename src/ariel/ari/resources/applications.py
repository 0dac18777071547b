"""ARI ``applications``: Stasis applications, subscriptions and event filters."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ariel.ari.handler import AriError, AriRequest, AriResponse, ok
from ariel.ari.jsonout import dumps
from ariel.ari.models.objects import application_json
from ariel.core.stasis import AppNotFound, EventSourceError, StasisApp

__all__ = ["filter_", "get", "list_", "subscribe", "unsubscribe"]


def _app(req: AriRequest) -> StasisApp:
    try:
        return req.core.apps.get(req.params["applicationName"])
    except AppNotFound:
        raise AriError(404, "Application not found") from None


async def list_(req: AriRequest) -> AriResponse:
    """GET /applications."""
    return ok([application_json(app) for app in req.core.apps.all()])


async def get(req: AriRequest) -> AriResponse:
    """GET /applications/{applicationName}."""
    return ok(application_json(_app(req)))


def _sources(req: AriRequest) -> list[str]:
    sources = [str(s) for s in req.param("eventSource") or [] if str(s)]
    if not sources:
        raise AriError(400, "Missing parameter eventSource")
    return sources


async def subscribe(req: AriRequest) -> AriResponse:
    """POST /applications/{applicationName}/subscription."""
    sources = _sources(req)
    name = _app(req).name
    try:
        app = req.core.apps.subscribe(name, sources)
    except EventSourceError as exc:
        raise AriError(400 if exc.kind == "scheme" else 422, str(exc)) from None
    return ok(application_json(app))


async def unsubscribe(req: AriRequest) -> AriResponse:
    """DELETE /applications/{applicationName}/subscription."""
    sources = _sources(req)
    name = _app(req).name
    try:
        app = req.core.apps.unsubscribe(name, sources)
    except EventSourceError as exc:
        status = {"scheme": 400, "not_subscribed": 422}.get(exc.kind, 422)
        raise AriError(status, str(exc)) from None
    return ok(application_json(app))


def _filter_list(body: Mapping[str, Any], key: str) -> list[Mapping[str, Any]] | None:
    if key not in body:
        return None
    value = body[key]
    if not isinstance(value, list) or not all(
        isinstance(v, dict) and isinstance(v.get("type", ""), str) for v in value
    ):
        raise AriError(400, f"Invalid '{key}' event filter: expected a list of objects")
    try:
        dumps(value)  # stored and echoed by every GET: it must serialise
    except TypeError:  # integers beyond 64 bits
        raise AriError(400, f"Invalid '{key}' event filter: expected a list of objects") from None
    return value


async def filter_(req: AriRequest) -> AriResponse:
    """PUT /applications/{applicationName}/eventFilter."""
    app = _app(req)
    body = req.body if req.body is not None else {}
    if not isinstance(body, dict):
        raise AriError(400, "Event filter must be a JSON object")
    allowed = _filter_list(body, "allowed")
    disallowed = _filter_list(body, "disallowed")
    if allowed is None and disallowed is None:
        allowed, disallowed = [], []
    updated = req.core.apps.set_filter(
        app.name,
        app.events_allowed if allowed is None else allowed,
        app.events_disallowed if disallowed is None else disallowed,
    )
    return ok(application_json(updated))
