"""ARI ``channels``: listing, inspecting and controlling channels.

Control requests go through the channel's control queue, so they run on the
channel's own task in order; only ``hangup`` acts directly, because a hangup
request may interrupt whatever the channel is doing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from ariel.ari.handler import AriError, AriRequest, AriResponse, no_content, ok
from ariel.ari.models.objects import channel_json
from ariel.core.channels.channel import SOFTHANGUP_EXPLICIT, Channel, ChannelGone
from ariel.core.channels.events import ApplicationMoveFailed
from ariel.core.channels.state import Cause
from ariel.core.dialplan import Evaluator, standard_functions
from ariel.core.dialplan.lookup import DialplanIndex
from ariel.core.pbx import Goto
from ariel.core.pbx.scope import ChannelScope
from ariel.core.pbx.stasis_app import LeaveStasis

__all__ = [
    "answer",
    "continueInDialplan",
    "get",
    "getChannelVar",
    "hangup",
    "list_",
    "move",
    "progress",
    "ring",
    "ringStop",
    "setChannelVar",
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


def _channel(req: AriRequest) -> Channel:
    chan = req.core.channels.get(req.params["channelId"])
    if not isinstance(chan, Channel) or chan.destroyed:
        raise AriError(404, "Channel not found")
    return chan


async def _in_stasis(req: AriRequest, command: Callable[[Channel], Awaitable[Any]]) -> Any:
    chan = _channel(req)
    if chan.stasis_app is None or chan.control.closed:
        raise AriError(409, "Channel not in Stasis application")
    try:
        return await chan.control.run(command)
    except ChannelGone:
        raise AriError(404, "Channel not found") from None


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

    async def command(chan: Channel) -> None:
        await chan.tech.answer(chan)

    await _in_stasis(req, command)
    return no_content()


def _indicate(condition: str) -> Callable[[AriRequest], Awaitable[AriResponse]]:
    async def handler(req: AriRequest) -> AriResponse:
        async def command(chan: Channel) -> None:
            await chan.tech.indicate(chan, condition)

        await _in_stasis(req, command)
        return no_content()

    handler.__doc__ = f"Indicate {condition} on the channel."
    return handler


ring = _indicate("ringing")
ringStop = _indicate("stop_ringing")
progress = _indicate("progress")


async def continueInDialplan(req: AriRequest) -> AriResponse:
    """POST /channels/{channelId}/continue."""
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
        functions=standard_functions(),
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


async def setChannelVar(req: AriRequest) -> AriResponse:
    """POST /channels/{channelId}/variable."""
    name = str(req.params["variable"])
    value = req.param("value")
    text = None if value is None or value == "" else str(value)
    chan = _channel(req)

    async def command(target: Channel) -> None:
        _evaluator(req, target).write(name, text)

    if chan.stasis_app is not None and not chan.control.closed:
        await _in_stasis(req, command)
    else:
        await command(chan)
    return no_content()
