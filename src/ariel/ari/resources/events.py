"""ARI ``events``: user events (the event WebSocket itself lives in ari.app)."""

from __future__ import annotations

from typing import Any

from ariel.ari.handler import AriError, AriRequest, AriResponse, no_content
from ariel.ari.models.objects import bridge_json, channel_json, endpoint_json
from ariel.core.events import UserEvent

__all__ = ["userEvent"]


def _source_object(req: AriRequest, source: str) -> tuple[str, Any]:
    core = req.core
    scheme, sep, ident = source.partition(":")
    if not sep or not ident:
        raise AriError(400, f"Invalid event source URI: {source}")
    if scheme == "channel":
        chan = core.channels.get(ident)
        if chan is None:
            raise AriError(422, f"Channel not found: {ident}")
        return "channel", channel_json(chan.snapshot())
    if scheme == "bridge":
        bridge = core.bridges.get(ident)
        if bridge is None:
            raise AriError(422, f"Bridge not found: {ident}")
        return "bridge", bridge_json(bridge.snapshot())
    if scheme == "endpoint":
        tech, _, resource = ident.partition("/")
        endpoint = core.endpoints.get(tech, resource)
        if endpoint is None:
            raise AriError(422, f"Endpoint not found: {ident}")
        return "endpoint", endpoint_json(endpoint)
    if scheme == "deviceState":
        state = core.device_states.get(ident)
        return "device_state", {"name": state.name, "state": state.state}
    raise AriError(400, f"Invalid event source URI scheme: {scheme}")


async def userEvent(req: AriRequest) -> AriResponse:
    """POST /events/user/{eventName}."""
    application = req.param("application") or ""
    if not application:
        raise AriError(400, "Missing parameter application")
    if not req.core.apps.is_registered(application):
        raise AriError(404, f"Application not found: {application}")
    objects: dict[str, Any] = {}
    for source in req.param("source") or []:
        key, value = _source_object(req, str(source))
        objects[key] = value
    body = req.body if isinstance(req.body, dict) else {}
    variables = body.get("variables", {})
    if not isinstance(variables, dict):
        raise AriError(400, "userevent data must be a JSON object")
    req.core.publish(
        UserEvent(
            timestamp=req.core.clock.now(),
            eventname=req.params["eventName"],
            application=application,
            userevent={str(k): v for k, v in variables.items()},
            objects=objects,
        )
    )
    return no_content()
