"""Events the client makes itself, beside the server's (`ariel.client.models`).

The server sends nothing while the event socket is down, so after a
reconnect the client asks for the objects its handles follow
(`AriClient.resync`). An object that no longer exists was lost while the
client was away: its handles get an `ObjectGone`, which ends them as a
terminal event would, and app-level handlers (``client.on("ObjectGone")``)
and client-wide streams see it too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import ClassVar

from ariel.client._hub import GONE
from ariel.client._model import AriModel, WireRow
from ariel.client.models import Event

__all__ = ["GONE", "ObjectGone", "ari_timestamp"]


def ari_timestamp(moment: datetime | None = None) -> str:
    """``moment`` (default: now) as ARI writes timestamps: ``2024-01-01T00:00:00.000+0000``."""
    moment = moment or datetime.now(UTC)
    return (
        moment.strftime("%Y-%m-%dT%H:%M:%S.")
        + f"{moment.microsecond // 1000:03d}"
        + (moment.strftime("%z") or "+0000")
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class ObjectGone(Event):
    """An object a handle follows disappeared while the event socket was down.

    Made by the client, never sent by a server: its terminal event (say
    ``StasisEnd``) was lost with the connection.

    Attributes:
        kind: The handle kind (``channel``, ``bridge``, ``playback``,
            ``live_recording``).
        object_id: The object's id.
        reason: Why the handle ended: ``gone`` (the server answered 404).
        last: The latest snapshot the client had of it, if any.
    """

    kind: str
    object_id: str
    reason: str = "gone"
    last: AriModel | None = None
    _model_id: ClassVar[str] = GONE
    _wire: ClassVar[tuple[WireRow, ...]] = (
        *Event._wire,
        ("kind", "kind", "string", True),
        ("object_id", "object_id", "string", True),
        ("reason", "reason", "string", True),
    )
