"""ARI ``channels``: listing, inspecting and controlling channels.

Control requests go through the channel's control queue, so they run on the
channel's own task in order; only ``hangup`` acts directly, because a hangup
request may interrupt whatever the channel is doing.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from ariel.ari.handler import AriError, AriRequest, AriResponse, no_content, ok
from ariel.ari.models.objects import channel_json
from ariel.ari.resources._channel_media import (
    channel_or_404 as _channel,
)
from ariel.ari.resources._channel_media import (
    controllable,
    hold,
    mute,
    play,
    playWithId,
    record,
    sendDTMF,
    snoopChannel,
    snoopChannelWithId,
    startMoh,
    startSilence,
    stopMoh,
    stopSilence,
    unhold,
    unmute,
)
from ariel.ari.resources._channel_media import (
    run_in_stasis as _in_stasis,
)
from ariel.core.channels.channel import SOFTHANGUP_EXPLICIT, Channel
from ariel.core.channels.drivers import MediaConnector, Redirector, TransferReporter
from ariel.core.channels.events import ApplicationMoveFailed
from ariel.core.channels.state import Cause, ChannelState
from ariel.core.channels.transfer import TRANSFER_STATES
from ariel.core.dialplan import Evaluator, callerid_split
from ariel.core.dialplan.lookup import DialplanIndex
from ariel.core.pbx import Goto
from ariel.core.pbx.func_flow import pbx_functions
from ariel.core.pbx.originate import run_created, run_originated
from ariel.core.pbx.scope import ChannelScope
from ariel.core.pbx.stasis_app import LeaveStasis
from ariel.core.playback.media_library import MediaUnavailable
from ariel.core.snapshots import CallerId, ChannelSnapshot

__all__ = [
    "answer",
    "continueInDialplan",
    "create",
    "dial",
    "externalMedia",
    "get",
    "getChannelVar",
    "getChannelVars",
    "hangup",
    "hold",
    "list_",
    "move",
    "mute",
    "originate",
    "originateWithId",
    "play",
    "playWithId",
    "progress",
    "record",
    "redirect",
    "ring",
    "ringStop",
    "rtpstatistics",
    "sendDTMF",
    "setChannelVar",
    "setChannelVars",
    "snoopChannel",
    "snoopChannelWithId",
    "startMoh",
    "startSilence",
    "stopMoh",
    "stopSilence",
    "transfer_progress",
    "unhold",
    "unmute",
]

#: DELETE /channels/{id} ``reason`` -> Q.850 cause, as the reference maps them.
HANGUP_REASONS = {
    "normal": Cause.NORMAL_CLEARING,
    "busy": Cause.USER_BUSY,
    "congestion": Cause.NORMAL_CIRCUIT_CONGESTION,
    "no_answer": Cause.NO_ANSWER,
    "timeout": Cause.NO_USER_RESPONSE,
    "rejected": Cause.CALL_REJECTED,
    "unallocated": Cause.UNALLOCATED,
    "normal_unspecified": Cause.NORMAL_UNSPECIFIED,
    "number_incomplete": Cause.INVALID_NUMBER_FORMAT,
    "codec_mismatch": Cause.BEARERCAPABILITY_NOTAVAIL,
    "interworking": Cause.INTERWORKING,
    "failure": Cause.NETWORK_OUT_OF_ORDER,
    "answered_elsewhere": Cause.ANSWERED_ELSEWHERE,
}


async def list_(req: AriRequest) -> AriResponse:
    """GET /channels."""
    return ok([channel_json(c.snapshot()) for c in req.core.channels])


async def get(req: AriRequest) -> AriResponse:
    """GET /channels/{channelId}."""
    return ok(channel_json(_channel(req).snapshot()))


async def hangup(req: AriRequest) -> AriResponse:
    """DELETE /channels/{channelId}."""
    reason = req.param("reason")
    reason_code = req.param("reason_code")
    if reason is not None and reason_code is not None:
        raise AriError(400, "The reason and reason_code can't both be specified")
    cause = Cause.NORMAL_CLEARING
    if reason_code is not None:
        try:
            cause = int(reason_code)
        except ValueError:
            raise AriError(400, "Invalid reason for hangup provided") from None
    elif reason is not None:
        if reason not in HANGUP_REASONS:
            raise AriError(400, "Invalid reason for hangup provided")
        cause = HANGUP_REASONS[reason]
    chan = _channel(req)
    chan.request_hangup(cause=cause, soft=SOFTHANGUP_EXPLICIT)
    return no_content()


async def answer(req: AriRequest) -> AriResponse:
    """POST /channels/{channelId}/answer."""
    controllable(req)

    async def command(chan: Channel) -> None:
        await chan.tech.answer(chan)

    await _in_stasis(req, command)
    return no_content()


def _indicate(condition: str) -> Callable[[AriRequest], Awaitable[AriResponse]]:
    async def handler(req: AriRequest) -> AriResponse:
        controllable(req)

        async def command(chan: Channel) -> None:
            await chan.tech.indicate(chan, condition)

        await _in_stasis(req, command)
        return no_content()

    handler.__doc__ = f"Indicate {condition} on the channel."
    return handler


progress = _indicate("progress")

#: The generator kind of the in-band ringing tone of an answered channel.
_RINGING_TONE = "ringing"


async def ring(req: AriRequest) -> AriResponse:
    """POST /channels/{channelId}/ring.

    An unanswered channel is told to ring (SIP 180). An answered one cannot
    signal it any more, so it hears the ``ring`` tone of its zone in band, as
    the reference's core plays when the driver refuses the indication.
    """
    controllable(req)

    async def command(chan: Channel) -> None:
        if chan.state is not ChannelState.UP:
            await chan.tech.indicate(chan, "ringing")
            return
        try:
            tone = req.core.media.open("tone:ring", chan.snapshot().language)
        except MediaUnavailable:
            return
        chan.media.set_generator(tone, _RINGING_TONE)

    await _in_stasis(req, command)
    return no_content()


async def ringStop(req: AriRequest) -> AriResponse:
    """DELETE /channels/{channelId}/ring: ringing stops, signalled or in band."""
    controllable(req)

    async def command(chan: Channel) -> None:
        if chan.media.generator_kind == _RINGING_TONE:
            chan.media.set_generator(None)
        await chan.tech.indicate(chan, "stop_ringing")

    await _in_stasis(req, command)
    return no_content()


async def continueInDialplan(req: AriRequest) -> AriResponse:
    """POST /channels/{channelId}/continue."""
    controllable(req)
    context = req.param("context") or None
    extension = req.param("extension") or None
    priority = req.param("priority")
    label = req.param("label") or None

    async def command(chan: Channel) -> LeaveStasis:
        loc = chan.dialplan
        ctx = context or loc.context
        exten = extension or loc.exten
        if label is not None:
            found = _dialplan_index(req).find_label(ctx, exten, label)
            if found is None:
                raise AriError(404, "Requested label does not exist")
            target = found.priority
        elif priority is not None and int(priority) > 0:
            target = int(priority)
        elif extension is not None or context is not None:
            target = 1
        else:
            target = loc.priority + 1
        return LeaveStasis(goto=Goto(context=ctx, exten=exten, priority=target))

    await _in_stasis(req, command)
    return no_content()


async def redirect(req: AriRequest) -> AriResponse:
    """POST /channels/{channelId}/redirect: send the far end elsewhere (SIP 302 or REFER)."""
    chan = controllable(req)
    endpoint = str(req.param("endpoint") or "")
    if not endpoint:
        raise AriError(400, "Endpoint parameter not provided")
    tech, _, resource = endpoint.partition("/")
    own_tech = chan.snapshot().name.partition("/")[0]
    if tech.lower() != own_tech.lower() or not resource:
        raise AriError(422, "Endpoint is not the same type as the channel")
    driver = req.core.technologies.get(own_tech)
    if not isinstance(driver, Redirector):
        raise AriError(422, "Endpoint is not the same type as the channel")

    async def command(target: Channel) -> bool:
        return driver.redirect(target, resource)

    if not await _in_stasis(req, command):
        raise AriError(404, "Channel or endpoint not found")
    return no_content()


async def transfer_progress(req: AriRequest) -> AriResponse:
    """POST /channels/{channelId}/transfer_progress: how a transfer asked by REFER goes."""
    chan = _channel(req)
    state = str(req.param("states") or "")
    if not state:
        raise AriError(400, "Endpoint parameter not provided")
    if state not in TRANSFER_STATES:
        raise AriError(400, f"Invalid transfer state {state}")
    reporter = chan.tech

    async def command(target: Channel) -> bool:
        if not isinstance(reporter, TransferReporter):
            return False
        return reporter.transfer_progress(target, state)

    if not await _in_stasis(req, command):
        raise AriError(400, "No transfer in progress on this channel")
    return no_content()


async def move(req: AriRequest) -> AriResponse:
    """POST /channels/{channelId}/move."""
    app = req.param("app") or ""
    if not app:
        raise AriError(400, "Missing parameter app")
    args = (
        tuple(a for a in str(req.param("appArgs") or "").split(",")) if req.param("appArgs") else ()
    )

    async def command(chan: Channel) -> LeaveStasis | None:
        if not req.core.apps.is_registered(app):
            chan.publish(
                ApplicationMoveFailed(
                    timestamp=chan.now(),
                    channel=chan.snapshot(),
                    application=chan.stasis_app or "",
                    destination=app,
                    args=args,
                )
            )
            return None
        return LeaveStasis(move_to=(app, args))

    await _in_stasis(req, command)
    return no_content()


def _evaluator(req: AriRequest, chan: Channel) -> Evaluator:
    return Evaluator(
        channel=ChannelScope(chan),
        global_vars=req.core.global_vars,
        functions=pbx_functions(),
        clock=req.core.clock,
    )


def _dialplan_index(req: AriRequest) -> DialplanIndex:
    index: DialplanIndex = req.core.dialplan()
    return index


async def getChannelVar(req: AriRequest) -> AriResponse:
    """GET /channels/{channelId}/variable."""
    name = str(req.params["variable"])
    chan = req.core.channels.get(req.params["channelId"])
    if not isinstance(chan, Channel) or chan.destroyed:
        raise AriError(404, "Provided channel was not found")
    if name.endswith(")"):
        value = _evaluator(req, chan).read(name).text
    else:
        found = ChannelScope(chan).get_variable(name)
        if not found:
            raise AriError(404, "Provided variable was not found")
        value = found
    return ok({"value": value})


async def getChannelVars(req: AriRequest) -> AriResponse:
    """GET /channels/{channelId}/variables."""
    raw = req.param("variables")
    names = [str(n).strip() for n in (raw if isinstance(raw, list) else [raw or ""])]
    names = [n for n in names if n]
    chan = req.core.channels.get(req.params["channelId"])
    if not isinstance(chan, Channel) or chan.destroyed:
        raise AriError(404, "Channel or variable not found")
    if not names:
        raise AriError(400, "Missing variables parameter.")
    values: dict[str, str] = {}
    for name in names:
        if name.endswith(")"):
            values[name] = _evaluator(req, chan).read(name).text
            continue
        found = ChannelScope(chan).get_variable(name)
        if not found:
            raise AriError(404, "Channel or variable not found")
        values[name] = found
    return ok({"variables": values})


async def setChannelVars(req: AriRequest) -> AriResponse:
    """POST /channels/{channelId}/variables."""
    chan = _channel(req)
    body = req.body if isinstance(req.body, dict) else {}
    variables = body.get("variables")
    if not isinstance(variables, dict) or not variables:
        raise AriError(400, "Missing variables parameter.")
    pairs = [
        (str(k).strip(), None if (t := _unwrap(v)) is None or t == "" else str(t), _reported(v))
        for k, v in variables.items()
    ]

    async def command(target: Channel) -> None:
        evaluator = _evaluator(req, target)
        for name, text, report in pairs:
            evaluator.write(name, text)
            if report:
                target.report_variable(name)

    if chan.stasis_app is not None and not chan.control.closed:
        await _in_stasis(req, command)
    else:
        await command(chan)
    return no_content()


async def rtpstatistics(req: AriRequest) -> AriResponse:
    """GET /channels/{channelId}/rtp_statistics."""
    chan = req.core.channels.get(req.params["channelId"])
    if not isinstance(chan, Channel) or chan.destroyed:
        raise AriError(404, "Channel cannot be found.")
    stats = chan.tech.rtp_statistics(chan)
    if stats is None:
        raise AriError(404, "Channel cannot be found.")
    return ok(dict(stats))


async def setChannelVar(req: AriRequest) -> AriResponse:
    """POST /channels/{channelId}/variable."""
    name = str(req.params["variable"])
    value = req.param("value")
    text = None if value is None or value == "" else str(value)
    report = req.param("report_events") is True
    chan = _channel(req)

    async def command(target: Channel) -> None:
        _evaluator(req, target).write(name, text)
        if report:
            target.report_variable(name)

    if chan.stasis_app is not None and not chan.control.closed:
        await _in_stasis(req, command)
    else:
        await command(chan)
    return no_content()


def _spawn(req: AriRequest, coro: Coroutine[Any, Any, None]) -> None:
    req.core.spawn(coro, name=f"{req.operation.id}")


def _new_channel(req: AriRequest, channel_id: str | None) -> tuple[Channel, str]:
    """Allocate a Down channel for ``endpoint`` (the checks the reference makes first)."""
    endpoint = str(req.param("endpoint") or "")
    if not endpoint:
        raise AriError(400, "Endpoint must be specified")
    tech, sep, resource = endpoint.partition("/")
    if not sep or not resource:
        raise AriError(400, "Invalid endpoint specified")
    ident = channel_id or req.core.ids.unique_id()
    if ident in req.core.channels:
        raise AriError(409, "Channel with given unique ID already exists")
    caller_text = str(req.param("callerId") or "")
    name, number = callerid_split(caller_text) if caller_text else ("", "")
    driver = req.core.technologies.get(tech)
    chan = (
        driver.create_channel(resource, channel_id=ident, caller=CallerId(name=name, number=number))
        if driver is not None
        else None
    )
    if chan is None:
        raise AriError(500, "Allocation failed", body={"error": "Allocation failed"})
    return chan, resource


def _set_variables(req: AriRequest, chan: Channel) -> None:
    body = req.body if isinstance(req.body, dict) else {}
    variables = body.get("variables") or {}
    if not isinstance(variables, dict):
        raise AriError(400, "The 'variables' body must be a JSON object")
    evaluator = _evaluator(req, chan)
    for name, value in variables.items():
        text = _unwrap(value)
        evaluator.write(str(name), None if text is None else str(text))
        if _reported(value):
            chan.report_variable(str(name))


def _unwrap(value: object) -> object:
    """A body variable's value, given bare or as ``{"value": ..., "report_events": ...}``."""
    return value.get("value") if isinstance(value, dict) else value


def _reported(value: object) -> bool:
    """Whether a body variable asks for ``report_events`` (JSON ``true`` only)."""
    return isinstance(value, dict) and value.get("report_events") is True


async def _originate(req: AriRequest, channel_id: str | None) -> AriResponse:
    app = str(req.param("app") or "") or None
    extension = str(req.param("extension") or "") or None
    if app is None and extension is None:
        if not req.param("endpoint"):
            raise AriError(400, "Endpoint must be specified")
        raise AriError(400, "Application or extension must be specified")
    chan, resource = _new_channel(req, channel_id)
    location = None
    if app is None:
        context = str(req.param("context") or "") or "default"
        priority = int(req.param("priority") or 1)
        label = req.param("label")
        if label:
            found = _dialplan_index(req).find_label(context, extension or "s", str(label))
            if found is None:
                raise AriError(400, "Requested label does not exist")
            priority = found.priority
        location = Goto(context=context, exten=extension or "s", priority=priority)
    snapshot = _launch_originated(req, chan, resource, app=app, location=location)
    return ok(channel_json(snapshot))


def _launch_originated(
    req: AriRequest, chan: Channel, resource: str, *, app: str | None, location: Goto | None
) -> ChannelSnapshot:
    """Dial ``chan`` in the background into ``app`` or the dialplan at ``location``."""
    chan.set_connected(chan.snapshot().caller)
    chan.set_dialplan(app_name="AppDial2", app_data="(Outgoing Line)")
    _set_variables(req, chan)
    core = req.core
    pbx = core.pbx
    if pbx is None:
        raise AriError(500, "Allocation failed", body={"error": "Allocation failed"})
    app_args = str(req.param("appArgs") or "")
    args = tuple(app_args.split(",")) if app_args else ()
    core.channels.add(chan)
    if app is not None:
        chan.owner_app = app
        core.apps.subscribe_object(app, "channel", chan.id)
    snapshot = chan.snapshot()
    timeout = float(req.param("timeout") or 30)

    async def run() -> None:
        try:
            await run_originated(
                pbx,
                core.apps,
                chan,
                timeout=timeout if timeout > 0 else 3600.0,
                dialstring=resource,
                app=app,
                args=args,
                location=location,
            )
        finally:
            core.channels.remove(chan.id)

    _spawn(req, run())
    return snapshot


#: ``host:port`` (IPv6 in brackets), as the reference splits ``external_host``.
_HOST_PORT = re.compile(r"^(\[[^\]]+\]|[^:\[\]]+):\d+$")
#: Formats an external media channel can be asked for (Ariel's codec names).
_EXTERNAL_FORMATS = ("ulaw", "alaw", "slin", "slin16", "g722", "opus", "gsm")


def _external_endpoint(req: AriRequest, host: str, fmt: str) -> tuple[str, str]:
    """(technology, dial string) of the requested encapsulation and transport."""
    encapsulation = str(req.param("encapsulation") or "rtp").lower()
    transport = str(req.param("transport") or "udp").lower()
    if encapsulation == "rtp" and transport == "udp":
        return "UnicastRTP", f"{host}/c({fmt})"
    if encapsulation == "audiosocket" and transport == "tcp":
        data = str(req.param("data") or "")
        if not data:
            raise AriError(400, "data can not be empty")
        return "AudioSocket", f"{host}/{data}/c({fmt})"
    if encapsulation == "none" and transport == "websocket":
        extra = str(req.param("transport_data") or "")
        return "WebSocket", f"{host}/c({fmt}){extra}"
    raise AriError(501, "The encapsulation and/or transport is not supported")


async def externalMedia(req: AriRequest) -> AriResponse:
    """POST /channels/externalMedia: a channel exchanging media with ``external_host``.

    RTP over UDP makes a UnicastRTP channel, AudioSocket over TCP an AudioSocket
    channel (connected before the answer: an unreachable server gives 500), and
    ``transport=websocket`` a WebSocket channel: ``external_host`` names a
    websocket_client.conf connection, or ``INCOMING`` (the default with
    ``connection_type=server``) for the app to connect to ``/media/<id>``.
    """
    host = str(req.param("external_host") or "")
    app = str(req.param("app") or "")
    transport = str(req.param("transport") or "udp").lower()
    connection_type = str(req.param("connection_type") or "client").lower()
    websocket = transport == "websocket"
    if not host:
        if not (websocket and connection_type == "server"):
            raise AriError(
                400, "external_host is required for all but websocket server connections"
            )
        host = "INCOMING"
    if not app:
        raise AriError(400, "app cannot be empty")
    if not websocket and not _HOST_PORT.match(host):
        raise AriError(400, "external_host must be <host>:<port>")
    fmt = str(req.param("format") or "")
    if not fmt:
        raise AriError(400, "format cannot be empty")
    if fmt.lower() not in _EXTERNAL_FORMATS:  # the reference fails to allocate: 500
        raise AriError(500, "An internal error prevented this request from being handled")
    tech, resource = _external_endpoint(req, host, fmt.lower())
    ident = str(req.param("channelId") or "") or req.core.ids.unique_id()
    if ident in req.core.channels:
        raise AriError(409, "Channel with given unique ID already exists")
    driver = req.core.technologies.get(tech)
    chan = (
        driver.create_channel(resource, channel_id=ident, caller=CallerId())
        if driver is not None
        else None
    )
    if chan is None:
        raise AriError(500, "Allocation failed", body={"error": "Allocation failed"})
    technology = chan.tech
    if isinstance(technology, MediaConnector) and not await technology.connect(chan):
        await technology.hangup(chan, Cause.NORMAL_TEMPORARY_FAILURE)
        raise AriError(500, "Allocation failed", body={"error": "Allocation failed"})
    if ident in req.core.channels:  # taken while connecting
        await technology.hangup(chan, Cause.NORMAL_CLEARING)
        raise AriError(409, "Channel with given unique ID already exists")
    own = dict(chan.variables)
    snapshot = _launch_originated(req, chan, resource, app=app, location=None)
    body = channel_json(snapshot)
    body["channelvars"] = own
    return ok(body)


async def originate(req: AriRequest) -> AriResponse:
    """POST /channels."""
    return await _originate(req, str(req.param("channelId") or "") or None)


async def originateWithId(req: AriRequest) -> AriResponse:
    """POST /channels/{channelId}."""
    return await _originate(req, req.params["channelId"])


async def create(req: AriRequest) -> AriResponse:
    """POST /channels/create."""
    chan, _resource = _new_channel(req, str(req.param("channelId") or "") or None)
    core = req.core
    pbx = core.pbx
    if pbx is None:
        raise AriError(500, "Allocation failed", body={"error": "Allocation failed"})
    app = str(req.param("app") or "") or None
    _set_variables(req, chan)
    app_args = str(req.param("appArgs") or "")
    args = tuple(app_args.split(",")) if app_args else ()
    core.channels.add(chan)
    if app is not None:
        chan.owner_app = app
        core.apps.subscribe_object(app, "channel", chan.id)
    snapshot = chan.snapshot()

    async def run() -> None:
        try:
            if app is not None:
                await run_created(pbx, core.apps, chan, app, args)
            else:
                await chan.hungup.wait()
                await chan.destroy()
        finally:
            core.channels.remove(chan.id)

    _spawn(req, run())
    return ok(channel_json(snapshot))


async def dial(req: AriRequest) -> AriResponse:
    """POST /channels/{channelId}/dial."""
    timeout = float(req.param("timeout") or 0) or 3600.0

    async def command(chan: Channel) -> None:
        if chan.state != ChannelState.DOWN or getattr(chan.tech, "session", None) is not None:
            raise AriError(409, "Channel is not in the 'Down' state")
        dialer = chan.tech

        async def place() -> None:
            answered = await dialer.dial(chan, timeout, dialstring="")  # type: ignore[attr-defined]
            if not answered:
                chan.request_hangup(cause=chan.hangup_cause or Cause.NO_ANSWER)

        _spawn(req, place())

    await _in_stasis(req, command)
    return no_content()
