"""ARI ``events``: user events (the event WebSocket itself lives in ari.app).

The reference (``stasis_app_user_event``) checks the application, then each
``source`` in order: a scheme other than channel, bridge or endpoint is 400
"Invalid event source URI scheme", an object that does not exist is 422
"Event source was not found". The ``variables`` object becomes ``userevent``
with ``eventname`` set in it.
"""

from __future__ import annotations

from typing import Any

from ariel.ari.handler import AriError, AriRequest, AriResponse, no_content
from ariel.ari.jsonout import dumps
from ariel.ari.models.objects import bridge_json, channel_json, endpoint_json
from ariel.core.events import UserEvent
from ariel.core.pbx.stasis_broadcast import AlreadyClaimed, NotBroadcasting

__all__ = ["claimChannel", "userEvent"]


def _source_object(req: AriRequest, source: str) -> tuple[str, Any]:
    core = req.core
    scheme, _, ident = source.partition(":")
    if scheme == "channel":
        chan = core.channels.get(ident)
        if chan is None:
            raise AriError(422, "Event source was not found")
        return "channel", channel_json(chan.snapshot())
    if scheme == "bridge":
        bridge = core.bridges.get(ident)
        if bridge is None:
            raise AriError(422, "Event source was not found")
        return "bridge", bridge_json(bridge.snapshot())
    if scheme == "endpoint":
        tech, _, resource = ident.partition("/")
        endpoint = core.endpoints.get(tech, resource)
        if endpoint is None:
            raise AriError(422, "Event source was not found")
        return "endpoint", endpoint_json(endpoint)
    raise AriError(400, "Invalid event source URI scheme")


def _userevent(req: AriRequest) -> dict[str, Any]:
    body = req.body if isinstance(req.body, dict) else {}
    variables = body.get("variables", {})
    if variables is None:
        variables = {}
    if not isinstance(variables, dict):
        raise AriError(400, "Invalid userevent data")
    try:
        dumps(variables)  # each receiving app serialises it
    except TypeError:  # integers beyond 64 bits
        raise AriError(400, "Invalid userevent data") from None
    return {**{str(k): v for k, v in variables.items()}, "eventname": req.params["eventName"]}


async def userEvent(req: AriRequest) -> AriResponse:
    """POST /events/user/{eventName}."""
    application = req.param("application") or ""
    if not application:
        raise AriError(400, "Missing parameter application")
    if not req.core.apps.is_registered(application):
        raise AriError(404, "Application not found")
    userevent = _userevent(req)
    objects: dict[str, Any] = {}
    for source in req.param("source") or []:
        key, value = _source_object(req, str(source))
        objects[key] = value
    req.core.publish(
        UserEvent(
            timestamp=req.core.clock.now(),
            eventname=req.params["eventName"],
            application=application,
            userevent=userevent,
            objects=objects,
        )
    )
    return no_content()


async def claimChannel(req: AriRequest) -> AriResponse:
    """POST /events/claim: take a call StasisBroadcast offered."""
    channel_id = str(req.param("channelId") or "")
    application = str(req.param("application") or "")
    if not channel_id or not application:
        raise AriError(400, "channelId and application are required")
    try:
        req.core.broadcasts.claim(channel_id, application)
    except NotBroadcasting:
        raise AriError(404, "Channel not found or not in broadcast state.") from None
    except AlreadyClaimed:
        raise AriError(409, "Channel has already been claimed by another application.") from None
    return no_content()
