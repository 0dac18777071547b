"""ARI ``endpoints``: the endpoints of each channel technology."""

from __future__ import annotations

from ariel.ari.handler import AriError, AriRequest, AriResponse, ok
from ariel.ari.models.objects import endpoint_json

__all__ = ["get", "listByTech", "list_"]


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
