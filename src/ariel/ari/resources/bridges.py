"""ARI ``bridges``: listing and inspecting bridges (control lands with issue #5)."""

from __future__ import annotations

from ariel.ari.handler import AriError, AriRequest, AriResponse, ok
from ariel.ari.models.objects import bridge_json

__all__ = ["get", "list_"]


async def list_(req: AriRequest) -> AriResponse:
    """GET /bridges."""
    return ok([bridge_json(b.snapshot()) for b in req.core.bridges])


async def get(req: AriRequest) -> AriResponse:
    """GET /bridges/{bridgeId}."""
    bridge = req.core.bridges.get(req.params["bridgeId"])
    if bridge is None:
        raise AriError(404, "Bridge not found")
    return ok(bridge_json(bridge.snapshot()))
