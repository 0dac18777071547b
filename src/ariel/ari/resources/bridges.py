"""ARI ``bridges``: creating bridges, putting channels in them, playing and recording."""

from __future__ import annotations

from typing import Any

from ariel.ari.handler import AriError, AriRequest, AriResponse, created, no_content, ok
from ariel.ari.models.objects import bridge_json, live_recording_json, playback_json
from ariel.ari.resources._channel_media import start_recording
from ariel.core.bridges.bridge import Bridge, BridgeTypeError, parse_bridge_type
from ariel.core.channels.channel import Channel, ChannelGone
from ariel.core.objects import ObjectRegistry
from ariel.core.playback.playback import Playback
from ariel.core.recording.live import RecordingOptions

__all__ = [
    "addChannel",
    "clearVideoSource",
    "create",
    "createWithId",
    "destroy",
    "get",
    "getBridgeVar",
    "getBridgeVars",
    "list_",
    "play",
    "playWithId",
    "record",
    "removeChannel",
    "setBridgeVar",
    "setBridgeVars",
    "setVideoSource",
    "startMoh",
    "stopMoh",
]


def _bridge(req: AriRequest) -> Bridge:
    bridge = req.core.bridges.get(req.params["bridgeId"])
    if bridge is None or bridge.destroyed:
        raise AriError(404, "Bridge not found")
    return bridge


def _ids(value: Any) -> list[str]:
    if value is None:
        return []
    items = value if isinstance(value, list) else str(value).split(",")
    return [str(i).strip() for i in items if str(i).strip()]


async def list_(req: AriRequest) -> AriResponse:
    """GET /bridges."""
    return ok([bridge_json(b.snapshot()) for b in req.core.bridges])


async def get(req: AriRequest) -> AriResponse:
    """GET /bridges/{bridgeId}."""
    return ok(bridge_json(_bridge(req).snapshot()))


# -- create and destroy ------------------------------------------------------
def _create(req: AriRequest, bridge_id: str | None) -> AriResponse:
    core = req.core
    if bridge_id and core.bridges.get(bridge_id) is not None:
        raise AriError(409, f"Bridge with id '{bridge_id}' already exists")
    try:
        flags = parse_bridge_type(str(req.param("type") or ""))
    except BridgeTypeError:
        shown = bridge_id or "(null)"
        raise AriError(
            500, f"Unable to create bridge. Possible duplicate bridge id '{shown}'"
        ) from None
    bridge = Bridge(
        id=bridge_id or core.ids.uuid(),
        flags=flags,
        name=str(req.param("name") or ""),
        publish=core.publish,
        now=core.clock.now,
        on_destroyed=lambda b: _forget(core.bridges, b),
        apps=core.apps,
    )
    _set_variables(bridge, _body_variables(req) or {})
    core.bridges.add(bridge)
    bridge.announce()
    return ok(bridge_json(bridge.snapshot()))


def _forget(registry: ObjectRegistry[Bridge], bridge: Bridge) -> None:
    registry.remove(bridge.id)


async def create(req: AriRequest) -> AriResponse:
    """POST /bridges."""
    return _create(req, req.param("bridgeId") or None)


async def createWithId(req: AriRequest) -> AriResponse:
    """POST /bridges/{bridgeId}."""
    return _create(req, req.params["bridgeId"])


async def destroy(req: AriRequest) -> AriResponse:
    """DELETE /bridges/{bridgeId}."""
    _bridge(req).destroy()
    return no_content()


# -- membership ---------------------------------------------------------------
def _channels(req: AriRequest) -> list[Channel]:
    ids = _ids(req.param("channel"))
    if not ids:
        raise AriError(400, "Missing parameter channel")
    chans: list[Channel] = []
    for ident in ids:
        chan = req.core.channels.get(ident)
        if not isinstance(chan, Channel) or chan.destroyed:
            raise AriError(400, "Channel not found")
        chans.append(chan)
    return chans


async def addChannel(req: AriRequest) -> AriResponse:
    """POST /bridges/{bridgeId}/addChannel."""
    bridge = _bridge(req)
    chans = _channels(req)
    if any(c.stasis_app is None for c in chans):
        raise AriError(422, "Channel not in Stasis application")
    role = str(req.param("role") or "")
    mute = bool(req.param("mute", False))
    for chan in chans:
        try:
            await chan.control.run(lambda c: _join(bridge, c, role, mute))
        except ChannelGone:
            raise AriError(422, "Channel not in Stasis application") from None
    return no_content()


async def _join(bridge: Bridge, chan: Channel, role: str, mute: bool) -> None:
    bridge.add_channel(chan, role=role, mute=mute)


async def removeChannel(req: AriRequest) -> AriResponse:
    """POST /bridges/{bridgeId}/removeChannel."""
    bridge = _bridge(req)
    chans = _channels(req)
    if any(not bridge.has_channel(c) for c in chans):
        raise AriError(422, "Channel not in this bridge")
    for chan in chans:
        bridge.remove_channel(chan)
    return no_content()


async def setVideoSource(req: AriRequest) -> AriResponse:
    """POST /bridges/{bridgeId}/videoSource/{channelId}."""
    bridge = _bridge(req)
    chan = req.core.channels.get(req.params["channelId"])
    if not isinstance(chan, Channel) or chan.destroyed:
        raise AriError(404, "Channel not found")
    if chan.stasis_app is None:
        raise AriError(409, "Channel not in Stasis application")
    if not bridge.has_channel(chan):
        raise AriError(422, "Channel not in this Bridge")
    bridge.set_video_source(chan.id)
    return no_content()


async def clearVideoSource(req: AriRequest) -> AriResponse:
    """DELETE /bridges/{bridgeId}/videoSource."""
    _bridge(req).set_video_source(None)
    return no_content()


# -- music on hold, playback, recording ---------------------------------------
async def startMoh(req: AriRequest) -> AriResponse:
    """POST /bridges/{bridgeId}/moh."""
    bridge = _bridge(req)
    source = req.core.moh.source(req.param("mohClass") or None)
    if source is None:
        raise AriError(500, "Internal Server Error")
    bridge.media.set_generator(source, "moh")
    bridge.moh_playing = True
    return no_content()


async def stopMoh(req: AriRequest) -> AriResponse:
    """DELETE /bridges/{bridgeId}/moh."""
    bridge = _bridge(req)
    if not bridge.moh_playing:
        raise AriError(409, "Bridge isn't playing music")
    bridge.media.set_generator(None)
    bridge.moh_playing = False
    return no_content()


async def _play(req: AriRequest, playback_id: str | None) -> AriResponse:
    bridge = _bridge(req)
    raw = req.param("media")
    media = _ids(raw)
    if not media:
        raise AriError(400, "media parameter is required")
    ident = playback_id or req.core.ids.uuid()
    if req.core.playbacks.get(ident) is not None:
        raise AriError(500, "Failed to queue media for playback")
    playback = Playback(
        id=ident,
        media=media,
        language=str(req.param("lang") or "en"),
        target_uri=f"bridge:{bridge.id}",
        channel_media=bridge.media,
        library=req.core.media,
        registry=req.core.playbacks,
        publish=req.core.publish,
        now=req.core.clock.now,
        offset_ms=max(0, int(req.param("offsetms") or 0)),
        skip_ms=int(req.param("skipms", 3000)),
    )
    if not playback.queue():
        raise AriError(500, "Failed to queue media for playback")
    return created(playback_json(playback.snapshot()), f"/ari/playbacks/{ident}")


async def play(req: AriRequest) -> AriResponse:
    """POST /bridges/{bridgeId}/play."""
    return await _play(req, req.param("playbackId") or None)


async def playWithId(req: AriRequest) -> AriResponse:
    """POST /bridges/{bridgeId}/play/{playbackId}."""
    return await _play(req, req.params["playbackId"])


async def record(req: AriRequest) -> AriResponse:
    """POST /bridges/{bridgeId}/record."""
    bridge = _bridge(req)
    name = str(req.param("name") or "")
    fmt = str(req.param("format") or "")
    if not name or not fmt:
        raise AriError(400, "Invalid parameters")
    terminate_on = str(req.param("terminateOn") or "none")
    if_exists = str(req.param("ifExists") or "fail")
    if terminate_on not in ("none", "any", "*", "#") or if_exists not in (
        "fail",
        "overwrite",
        "append",
    ):
        raise AriError(400, "Invalid parameters")
    options = RecordingOptions(
        max_duration_s=max(0, int(req.param("maxDurationSeconds") or 0)),
        max_silence_s=max(0, int(req.param("maxSilenceSeconds") or 0)),
        terminate_on=terminate_on,
        beep=bool(req.param("beep", False)),
    )
    recording = start_recording(
        req,
        bridge.media,
        name=name,
        fmt=fmt,
        target_uri=f"bridge:{bridge.id}",
        if_exists=if_exists,
        options=options,
        invalid_name="Invalid parameters",
    )
    return created(live_recording_json(recording.snapshot()), f"/ari/recordings/live/{name}")


# -- variables ---------------------------------------------------------------
async def getBridgeVar(req: AriRequest) -> AriResponse:
    """GET /bridges/{bridgeId}/variable."""
    bridge = _bridge(req)
    name = str(req.param("variable") or "").strip()
    if not name:
        raise AriError(400, "Missing variable parameter.")
    if name not in bridge.variables:
        raise AriError(404, "Bridge or variable not found")
    return ok({"value": bridge.variables[name]})


async def setBridgeVar(req: AriRequest) -> AriResponse:
    """POST /bridges/{bridgeId}/variable."""
    bridge = _bridge(req)
    name = str(req.param("variable") or "").strip()
    if not name:
        raise AriError(400, "Missing variable parameter.")
    value = req.param("value")
    report = req.param("report_events") is True
    # "If not specified, the variable is unset", as for channels; "" unsets too.
    bridge.set_variable(name, str(value) if value not in (None, "") else None, report=report)
    return no_content()


async def getBridgeVars(req: AriRequest) -> AriResponse:
    """GET /bridges/{bridgeId}/variables."""
    bridge = _bridge(req)
    names = _ids(req.param("variables"))
    if not names:
        raise AriError(400, "Missing variables parameter.")
    missing = [n for n in names if n not in bridge.variables]
    if missing:
        raise AriError(404, "Bridge or variable not found")
    return ok({"variables": {n: bridge.variables[n] for n in names}})


async def setBridgeVars(req: AriRequest) -> AriResponse:
    """POST /bridges/{bridgeId}/variables."""
    bridge = _bridge(req)
    variables = _body_variables(req)
    if not variables:
        raise AriError(400, "Missing variables parameter.")
    _set_variables(bridge, variables)
    return no_content()


def _body_variables(req: AriRequest) -> dict[str, Any] | None:
    """The ``variables`` object of the body (the body parameter is the whole body)."""
    body = req.param("variables")
    variables = body.get("variables") if isinstance(body, dict) else None
    return variables if isinstance(variables, dict) else None


def _set_variables(bridge: Bridge, variables: dict[str, Any]) -> None:
    """Set each variable; a value is bare or ``{"value": ..., "report_events": ...}``.

    ``report_events: true`` puts the variable in the ``bridgevars`` of the
    bridge's later snapshots (S44); only JSON ``true`` counts, as in the reference.
    """
    for key, given in variables.items():
        value = given.get("value") if isinstance(given, dict) else given
        report = isinstance(given, dict) and given.get("report_events") is True
        bridge.set_variable(str(key).strip(), None if value is None else str(value), report=report)
