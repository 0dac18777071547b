"""ARI ``endpoints``: the endpoints of each channel technology."""

from __future__ import annotations

from ariel.ari.handler import AriError, AriRequest, AriResponse, accepted, ok
from ariel.ari.models.objects import endpoint_json
from ariel.core.messaging import ReferSender, TextMessage, UnknownDestination

__all__ = [
    "get",
    "listByTech",
    "list_",
    "refer",
    "referToEndpoint",
    "sendMessage",
    "sendMessageToEndpoint",
]


async def list_(req: AriRequest) -> AriResponse:
    """GET /endpoints."""
    return ok([endpoint_json(e) for e in req.core.endpoints.list()])


async def listByTech(req: AriRequest) -> AriResponse:
    """GET /endpoints/{tech}."""
    tech = req.params["tech"]
    found = req.core.endpoints.by_technology(tech)
    if found is None:
        raise AriError(404, f"No Endpoints found - invalid tech {tech}")
    return ok([endpoint_json(e) for e in found])


async def get(req: AriRequest) -> AriResponse:
    """GET /endpoints/{tech}/{resource}."""
    endpoint = req.core.endpoints.get(req.params["tech"], req.params["resource"])
    if endpoint is None:
        raise AriError(404, "Endpoint not found")
    return ok(endpoint_json(endpoint))


def _text(req: AriRequest, to: str) -> TextMessage:
    sender = str(req.param("from") or "")
    if not sender or not to:
        raise AriError(400, "Invalid parameters for sending a message.")
    body = req.body if isinstance(req.body, dict) else {}
    variables = body.get("variables") or {}
    if not isinstance(variables, dict):
        raise AriError(400, "Invalid parameters for sending a message.")
    return TextMessage(
        from_=sender,
        to=to,
        body=str(req.param("body") or ""),
        variables={str(k): str(v) for k, v in variables.items()},
    )


def _deliver(req: AriRequest, tech: str, destination: str, message: TextMessage) -> AriResponse:
    senders = {name.lower(): sender for name, sender in req.core.message_senders.items()}
    sender = senders.get(tech.lower())
    if sender is None:
        raise AriError(404, "Endpoint not found")
    try:
        sender.send_message(destination, message)
    except UnknownDestination:
        raise AriError(404, "Endpoint not found") from None
    return accepted()


async def sendMessage(req: AriRequest) -> AriResponse:
    """PUT /endpoints/sendMessage: ``to`` is ``tech:destination`` (``pjsip:alice``)."""
    to = str(req.param("to") or "")
    message = _text(req, to)
    tech, sep, destination = to.partition(":")
    if not sep or not destination:
        raise AriError(400, "Invalid parameters for sending a message.")
    return _deliver(req, tech, destination, message)


async def sendMessageToEndpoint(req: AriRequest) -> AriResponse:
    """PUT /endpoints/{tech}/{resource}/sendMessage."""
    tech, resource = req.params["tech"], req.params["resource"]
    if req.core.endpoints.get(tech, resource) is None:
        raise AriError(404, "Endpoint not found")
    message = _text(req, f"{tech.lower()}:{resource}")
    return _deliver(req, tech, resource, message)


def _refer(req: AriRequest, tech: str, destination: str) -> AriResponse:
    sender = str(req.param("from") or "")
    refer_to = str(req.param("refer_to") or "")
    if not sender or not refer_to or not destination:
        raise AriError(400, "Invalid parameters for referring.")
    body = req.body if isinstance(req.body, dict) else {}
    variables = body.get("variables") or {}
    if not isinstance(variables, dict):
        raise AriError(400, "Invalid parameters for referring.")
    senders = {name.lower(): s for name, s in req.core.message_senders.items()}
    referrer = senders.get(tech.lower())
    if not isinstance(referrer, ReferSender):
        raise AriError(404, "Endpoint not found")
    try:
        referrer.send_refer(
            destination,
            sender=sender,
            refer_to=refer_to,
            variables={str(k): str(v) for k, v in variables.items()},
        )
    except UnknownDestination:
        raise AriError(404, "Endpoint not found") from None
    return accepted()


async def refer(req: AriRequest) -> AriResponse:
    """POST /endpoints/refer: ``to`` is ``tech:destination``."""
    tech, _, destination = str(req.param("to") or "").partition(":")
    return _refer(req, tech, destination)


async def referToEndpoint(req: AriRequest) -> AriResponse:
    """POST /endpoints/{tech}/{resource}/refer."""
    tech, resource = req.params["tech"], req.params["resource"]
    if req.core.endpoints.get(tech, resource) is None:
        raise AriError(404, "Endpoint not found")
    return _refer(req, tech, resource)
