"""ARI ``channels`` media operations: play, record, DTMF, MOH, silence, hold, mute.

Split from :mod:`ariel.ari.resources.channels` (which re-exports these
handlers) to keep each file small. Each request runs on the channel's control
queue like every other channel command; what it starts (a playback, a
recording, a digit string) then runs on the media clock, so the request
answers at once, as the reference does.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from ariel.ari.handler import AriError, AriRequest, AriResponse, created, no_content, ok
from ariel.ari.models.objects import channel_json, live_recording_json, playback_json
from ariel.core.channels.channel import Channel, ChannelGone
from ariel.core.channels.events import ChannelHold, ChannelUnhold
from ariel.core.channels.state import ChannelState
from ariel.core.media.channel_media import ChannelMedia
from ariel.core.media.sources import SilenceSource
from ariel.core.pbx.originate import run_created
from ariel.core.playback.playback import Playback
from ariel.core.recording.live import LiveRecording, RecordingOptions
from ariel.core.recording.recorder import (
    InvalidRecordingName,
    RecordingNameInUse,
    UnknownRecordingFormat,
)
from ariel.core.snapshots import CallerId

__all__ = [
    "channel_or_404",
    "controllable",
    "hold",
    "mute",
    "play",
    "playWithId",
    "record",
    "run_in_stasis",
    "sendDTMF",
    "snoopChannel",
    "snoopChannelWithId",
    "startMoh",
    "startSilence",
    "start_recording",
    "stopMoh",
    "stopSilence",
    "unhold",
    "unmute",
]

#: Characters ``POST /dtmf`` accepts: digits, and ``,`` for a half-second pause.
DTMF_DIGITS = frozenset("0123456789ABCDabcd*#")
DTMF_PAUSE_MS = 500


def channel_or_404(req: AriRequest) -> Channel:
    """The channel the path names, or 404."""
    chan = req.core.channels.get(req.params["channelId"])
    if not isinstance(chan, Channel) or chan.destroyed:
        raise AriError(404, "Channel not found")
    return chan


#: States in which the reference refuses channel control with 412: a channel
#: created but not dialled (Down, Reserved) or one still being dialled (Ringing).
UNCONTROLLABLE = frozenset({ChannelState.DOWN, ChannelState.RESERVED, ChannelState.RINGING})


def controllable(req: AriRequest) -> Channel:
    """The channel, if it may be controlled now: 404, 409, then 412 -- before arguments."""
    chan = channel_or_404(req)
    if chan.stasis_app is None or chan.control.closed:
        raise AriError(409, "Channel not in Stasis application")
    if chan.state in UNCONTROLLABLE:
        raise AriError(412, "Channel in invalid state")
    return chan


async def run_in_stasis(req: AriRequest, command: Callable[[Channel], Awaitable[Any]]) -> Any:
    """Run ``command`` on the channel's control queue: 404, 409 when not in Stasis."""
    chan = channel_or_404(req)
    if chan.stasis_app is None or chan.control.closed:
        raise AriError(409, "Channel not in Stasis application")
    try:
        return await chan.control.run(command)
    except ChannelGone:
        raise AriError(404, "Channel not found") from None


async def _early_media(chan: Channel) -> None:
    """Progress (SIP 183 with SDP) before media on an unanswered channel, as the reference."""
    if chan.state is not ChannelState.UP:
        await chan.tech.indicate(chan, "progress")


# -- playback ---------------------------------------------------------------
def _media_list(req: AriRequest) -> list[str]:
    raw = req.param("media")
    if raw is None:
        return []
    items = raw if isinstance(raw, list) else str(raw).split(",")
    return [str(m).strip() for m in items if str(m).strip()]


async def _play(req: AriRequest, playback_id: str | None) -> AriResponse:
    chan = controllable(req)
    media = _media_list(req)
    if not media:
        if chan.stasis_app is None:
            raise AriError(409, "Channel not in Stasis application")
        raise AriError(500, "Failed to queue media for playback")
    ident = playback_id or req.core.ids.uuid()
    lang = req.param("lang") or chan.snapshot().language

    async def command(chan: Channel) -> Playback:
        if req.core.playbacks.get(ident) is not None:
            raise AriError(500, "Failed to queue media for playback")
        playback = Playback(
            id=ident,
            media=media,
            language=lang,
            target_uri=f"channel:{chan.id}",
            channel_media=chan.media,
            library=req.core.media,
            registry=req.core.playbacks,
            publish=req.core.publish,
            now=req.core.clock.now,
            offset_ms=max(0, int(req.param("offsetms") or 0)),
            skip_ms=int(req.param("skipms", 3000)),
        )
        await _early_media(chan)
        if not playback.queue():
            raise AriError(404, "Channel not found")
        return playback

    playback: Playback = await run_in_stasis(req, command)
    body = playback_json(playback.snapshot())
    return created(body, f"/ari/playbacks/{ident}")


async def play(req: AriRequest) -> AriResponse:
    """POST /channels/{channelId}/play."""
    return await _play(req, req.param("playbackId") or None)


async def playWithId(req: AriRequest) -> AriResponse:
    """POST /channels/{channelId}/play/{playbackId}."""
    return await _play(req, req.params["playbackId"])


# -- recording --------------------------------------------------------------
async def record(req: AriRequest) -> AriResponse:
    """POST /channels/{channelId}/record."""
    name = req.param("name") or ""
    fmt = req.param("format") or ""
    chan = channel_or_404(req)
    if not name or not fmt:
        raise AriError(500, "Error parsing request")
    terminate_on = str(req.param("terminateOn") or "none")
    if terminate_on not in ("none", "any", "*", "#"):
        raise AriError(400, "terminateOn invalid")
    if_exists = str(req.param("ifExists") or "fail")
    if if_exists not in ("fail", "overwrite", "append"):
        raise AriError(400, "ifExists invalid")
    max_duration = int(req.param("maxDurationSeconds") or 0)
    max_silence = int(req.param("maxSilenceSeconds") or 0)
    if max_duration < 0 or max_silence < 0:
        raise AriError(400, "maxDurationSeconds and maxSilenceSeconds must be positive")
    options = RecordingOptions(
        max_duration_s=max_duration,
        max_silence_s=max_silence,
        terminate_on=terminate_on,
        beep=bool(req.param("beep", False)),
    )
    if chan.stasis_app is None:
        raise AriError(409, "Channel not in Stasis application")

    async def command(chan: Channel) -> LiveRecording:
        return start_recording(
            req,
            chan.media,
            name=name,
            fmt=fmt,
            target_uri=f"channel:{chan.id}",
            if_exists=if_exists,
            options=options,
            invalid_name="Invalid recording name",
        )

    recording: LiveRecording = await run_in_stasis(req, command)
    return created(live_recording_json(recording.snapshot()), f"/ari/recordings/live/{name}")


def start_recording(
    req: AriRequest,
    media: ChannelMedia,
    *,
    name: str,
    fmt: str,
    target_uri: str,
    if_exists: str,
    options: RecordingOptions,
    invalid_name: str,
) -> LiveRecording:
    """Start recording ``media`` (a channel's or a bridge's), the refusals as ARI answers."""
    try:
        return req.core.recorder.record(
            media,
            name=name,
            format=fmt,
            target_uri=target_uri,
            if_exists=if_exists,
            options=options,
        )
    except UnknownRecordingFormat:
        raise AriError(422, "specified format is unknown on this system") from None
    except InvalidRecordingName:
        raise AriError(400, invalid_name) from None
    except RecordingNameInUse:
        raise AriError(
            409, f"Recording '{name}' already exists and can not be overwritten"
        ) from None
    except OSError:
        raise AriError(500, "Internal Server Error") from None


# -- DTMF ------------------------------------------------------------------
async def sendDTMF(req: AriRequest) -> AriResponse:
    """POST /channels/{channelId}/dtmf."""
    controllable(req)
    dtmf = str(req.param("dtmf") or "")
    if not dtmf:
        raise AriError(400, "DTMF is required")
    if any(c not in DTMF_DIGITS and c != "," for c in dtmf):
        raise AriError(400, "Invalid DTMF digit")
    before = max(0, int(req.param("before") or 0))
    between = max(0, int(req.param("between", 100)))
    duration = max(0, int(req.param("duration", 100)))
    after = max(0, int(req.param("after") or 0))

    async def send(chan: Channel) -> None:
        await asyncio.sleep(before / 1000)
        for i, digit in enumerate(dtmf):
            if chan.hangup_requested:
                return
            if i:
                await asyncio.sleep(between / 1000)
            if digit == ",":
                await asyncio.sleep(DTMF_PAUSE_MS / 1000)
                continue
            await chan.tech.send_digit(chan, digit.upper(), max(duration, 40))
        await asyncio.sleep(after / 1000)

    async def command(chan: Channel) -> None:
        await _early_media(chan)
        req.core.spawn(send(chan), name=f"dtmf-{chan.id}")

    await run_in_stasis(req, command)
    return no_content()


# -- snoop -------------------------------------------------------------------
async def _snoop(req: AriRequest, snoop_id: str | None) -> AriResponse:
    spy = str(req.param("spy") or "none")
    whisper = str(req.param("whisper") or "none")
    app = str(req.param("app") or "")
    target = req.core.channels.get(req.params["channelId"])
    if not isinstance(target, Channel) or target.destroyed:
        raise AriError(404, "Provided channel was not found")
    directions = ("none", "in", "out", "both")
    if spy not in directions or whisper not in directions or spy == whisper == "none" or not app:
        raise AriError(400, "Invalid parameters")
    core = req.core
    ident = snoop_id or core.ids.unique_id()
    if ident in core.channels:
        raise AriError(400, "Invalid parameters")
    driver = core.technologies.get("Snoop")
    chan = (
        driver.create_channel(f"{target.id},{spy},{whisper}", channel_id=ident, caller=CallerId())
        if driver is not None
        else None
    )
    pbx = core.pbx
    if chan is None or pbx is None:
        raise AriError(500, "Internal Server Error")
    app_args = str(req.param("appArgs") or "")
    args = tuple(app_args.split(",")) if app_args else ()
    core.channels.add(chan)
    chan.owner_app = app
    core.apps.subscribe_object(app, "channel", chan.id)
    chan.announce()
    snapshot = chan.snapshot()

    async def run() -> None:
        try:
            await run_created(pbx, core.apps, chan, app, args)
        finally:
            core.channels.remove(chan.id)

    core.spawn(run(), name=f"snoop-{chan.id}")
    return ok(channel_json(snapshot))


async def snoopChannel(req: AriRequest) -> AriResponse:
    """POST /channels/{channelId}/snoop."""
    return await _snoop(req, str(req.param("snoopId") or "") or None)


async def snoopChannelWithId(req: AriRequest) -> AriResponse:
    """POST /channels/{channelId}/snoop/{snoopId}."""
    return await _snoop(req, req.params["snoopId"])


# -- generators: music on hold, silence, hold --------------------------------
async def startMoh(req: AriRequest) -> AriResponse:
    """POST /channels/{channelId}/moh."""
    controllable(req)
    moh_class = req.param("mohClass") or None

    async def command(chan: Channel) -> None:
        source = req.core.moh.source(moh_class)
        if source is not None:
            chan.media.set_generator(source, "moh")

    await run_in_stasis(req, command)
    return no_content()


async def stopMoh(req: AriRequest) -> AriResponse:
    """DELETE /channels/{channelId}/moh."""
    controllable(req)

    async def command(chan: Channel) -> None:
        if chan.media.generator_kind == "moh":
            chan.media.set_generator(None)

    await run_in_stasis(req, command)
    return no_content()


async def startSilence(req: AriRequest) -> AriResponse:
    """POST /channels/{channelId}/silence."""
    controllable(req)

    async def command(chan: Channel) -> None:
        chan.media.set_generator(SilenceSource(), "silence")

    await run_in_stasis(req, command)
    return no_content()


async def stopSilence(req: AriRequest) -> AriResponse:
    """DELETE /channels/{channelId}/silence."""
    controllable(req)

    async def command(chan: Channel) -> None:
        if chan.media.generator_kind == "silence":
            chan.media.set_generator(None)

    await run_in_stasis(req, command)
    return no_content()


async def hold(req: AriRequest) -> AriResponse:
    """POST /channels/{channelId}/hold: the channel hears music on hold."""
    controllable(req)

    async def command(chan: Channel) -> None:
        source = req.core.moh.source(None)
        if source is not None:
            chan.media.set_generator(source, "hold")
        chan.publish_event(ChannelHold)

    await run_in_stasis(req, command)
    return no_content()


async def unhold(req: AriRequest) -> AriResponse:
    """DELETE /channels/{channelId}/hold."""
    controllable(req)

    async def command(chan: Channel) -> None:
        if chan.media.generator_kind == "hold":
            chan.media.set_generator(None)
        chan.publish_event(ChannelUnhold)

    await run_in_stasis(req, command)
    return no_content()


# -- mute ------------------------------------------------------------------
def _directions(req: AriRequest) -> tuple[bool, bool]:
    direction = str(req.param("direction") or "both")
    if direction not in ("both", "in", "out"):
        raise AriError(400, "Invalid direction specified")
    return direction in ("both", "in"), direction in ("both", "out")


async def mute(req: AriRequest) -> AriResponse:
    """POST /channels/{channelId}/mute."""
    controllable(req)
    inbound, outbound = _directions(req)

    async def command(chan: Channel) -> None:
        chan.media.mute_in = chan.media.mute_in or inbound
        chan.media.mute_out = chan.media.mute_out or outbound

    await run_in_stasis(req, command)
    return no_content()


async def unmute(req: AriRequest) -> AriResponse:
    """DELETE /channels/{channelId}/mute."""
    controllable(req)
    inbound, outbound = _directions(req)

    async def command(chan: Channel) -> None:
        chan.media.mute_in = chan.media.mute_in and not inbound
        chan.media.mute_out = chan.media.mute_out and not outbound

    await run_in_stasis(req, command)
    return no_content()
