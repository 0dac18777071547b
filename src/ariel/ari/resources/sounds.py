"""ARI ``sounds``: the prompt index."""

from __future__ import annotations

from ariel.ari.handler import AriError, AriRequest, AriResponse, ok
from ariel.ari.models.sounds import sound_json
from ariel.core.errors import NotFound
from ariel.core.sounds import SoundIndex

__all__ = ["get", "list_"]


def _index(req: AriRequest) -> SoundIndex:
    index: SoundIndex = req.core.sounds
    return index


async def list_(req: AriRequest) -> AriResponse:
    """GET /sounds?lang=&format=: 404 when nothing matches."""
    lang = req.param("lang")
    fmt = req.param("format")
    found = _index(req).list(
        lang=None if lang is None else str(lang), format=None if fmt is None else str(fmt)
    )
    if not found:
        raise AriError(404, "No sounds found that matched the query")
    return ok([sound_json(s) for s in found])


async def get(req: AriRequest) -> AriResponse:
    """GET /sounds/{soundId}."""
    try:
        sound = _index(req).get(req.params["soundId"])
    except NotFound as exc:
        raise AriError(404, exc.message) from exc
    return ok(sound_json(sound))
