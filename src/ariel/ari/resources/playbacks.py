"""ARI ``playbacks``: inspecting, stopping and controlling playbacks."""

from __future__ import annotations

from ariel.ari.handler import AriError, AriRequest, AriResponse, no_content, ok
from ariel.ari.models.objects import playback_json
from ariel.core.playback.playback import CONTROL_OPERATIONS, Playback

__all__ = ["control", "get", "stop"]


def _playback(req: AriRequest) -> Playback:
    playback = req.core.playbacks.get(req.params["playbackId"])
    if playback is None:
        raise AriError(404, "Playback not found")
    return playback


async def get(req: AriRequest) -> AriResponse:
    """GET /playbacks/{playbackId}."""
    return ok(playback_json(_playback(req).snapshot()))


async def stop(req: AriRequest) -> AriResponse:
    """DELETE /playbacks/{playbackId}."""
    _playback(req).stop()
    return no_content()


async def control(req: AriRequest) -> AriResponse:
    """POST /playbacks/{playbackId}/control."""
    operation = req.param("operation")
    playback = _playback(req)
    if not operation:
        raise AriError(400, "Missing operation")
    if operation not in CONTROL_OPERATIONS:
        raise AriError(400, f"Invalid operation {operation}")
    if not playback.control(operation):
        raise AriError(409, "Playback not in a state that allows this operation")
    return no_content()
