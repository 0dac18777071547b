"""ariel.client: an asyncio framework for ARI applications, typed from the ARI spec.

A complete app::

    client = AriClient("http://127.0.0.1:8088", user="asterisk", password="secret",
                       apps="hello")

    @client.on(StasisStart)
    async def start(event: StasisStart) -> None:
        channel = client.channel(event.channel)
        await channel.answer()
        playback = await channel.play(media="sound:hello-world")
        await playback.done()
        await channel.hangup()

    async with client:
        await client.run()

Operations are generated from `ariel.arispec` (``client.channels.play``,
``channel.play``); models and events are frozen dataclasses
(`ariel.client.models`); errors are typed per status (`ariel.client.errors`);
helpers for prompts, digits, recordings and dialling are in
`ariel.client.helpers`. After a reconnect the client fetches what its handles
follow again and ends those whose object is gone (`ObjectGone`). Only the
public ARI wire protocol is used, so it works against Asterisk as well as Ariel.
"""

from __future__ import annotations

from ariel.client import models
from ariel.client._handle import Handle
from ariel.client._hub import EventStream
from ariel.client._model import AriModel, decode, decode_list, decode_message
from ariel.client.backoff import Backoff
from ariel.client.client import AriClient
from ariel.client.errors import (
    AriBadRequest,
    AriConflict,
    AriConnectionError,
    AriError,
    AriForbidden,
    AriHTTPError,
    AriMethodNotAllowed,
    AriNotFound,
    AriNotImplemented,
    AriPreconditionFailed,
    AriServerError,
    AriServiceUnavailable,
    AriTimeout,
    AriUnauthorized,
    AriUnprocessable,
    HandleEnded,
)
from ariel.client.events import ObjectGone
from ariel.client.handles import (
    Bridge,
    Channel,
    DeviceState,
    Endpoint,
    LiveRecording,
    Mailbox,
    Playback,
    StoredRecording,
)

__all__ = [
    "AriBadRequest",
    "AriClient",
    "AriConflict",
    "AriConnectionError",
    "AriError",
    "AriForbidden",
    "AriHTTPError",
    "AriMethodNotAllowed",
    "AriModel",
    "AriNotFound",
    "AriNotImplemented",
    "AriPreconditionFailed",
    "AriServerError",
    "AriServiceUnavailable",
    "AriTimeout",
    "AriUnauthorized",
    "AriUnprocessable",
    "Backoff",
    "Bridge",
    "Channel",
    "DeviceState",
    "Endpoint",
    "EventStream",
    "Handle",
    "HandleEnded",
    "LiveRecording",
    "Mailbox",
    "ObjectGone",
    "Playback",
    "StoredRecording",
    "decode",
    "decode_list",
    "decode_message",
    "models",
]
