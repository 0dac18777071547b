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
from ariel.core.channels.state import Cause

__all__ = ["answer", "get", "hangup", "list_", "progress", "ring", "ringStop"]

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
