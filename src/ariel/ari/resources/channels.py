"""ARI ``channels``: listing and inspecting channels.

Call control (originate, answer, hangup ...) arrives with the SIP stack; until
then the registry answers 501 for those operations.
"""

from __future__ import annotations

from ariel.ari.handler import AriError, AriRequest, AriResponse, ok
from ariel.ari.models.objects import channel_json

__all__ = ["get", "list_"]


async def list_(req: AriRequest) -> AriResponse:
    """GET /channels."""
    return ok([channel_json(c.snapshot()) for c in req.core.channels])


async def get(req: AriRequest) -> AriResponse:
    """GET /channels/{channelId}."""
    chan = req.core.channels.get(req.params["channelId"])
    if chan is None:
        raise AriError(404, "Channel not found")
    return ok(channel_json(chan.snapshot()))
