"""ARI ``playbacks``: inspecting playbacks (control lands with media, issue #4)."""

from __future__ import annotations

from ariel.ari.handler import AriError, AriRequest, AriResponse, ok
from ariel.ari.models.objects import playback_json

__all__ = ["get"]


async def get(req: AriRequest) -> AriResponse:
    """GET /playbacks/{playbackId}."""
    playback = req.core.playbacks.get(req.params["playbackId"])
    if playback is None:
        raise AriError(404, "Playback not found")
    return ok(playback_json(playback.snapshot()))
