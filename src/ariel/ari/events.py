"""Domain events to ARI event JSON, one copy per receiving application."""

from __future__ import annotations

from typing import Any

from ariel._util.clock import ari_timestamp
from ariel.core.events import (
    ApplicationReplaced,
    CoreEvent,
    DeviceStateChanged,
    RawEvent,
    UserEvent,
)

__all__ = ["event_json"]


def _fields(event: CoreEvent) -> dict[str, Any]:
    if isinstance(event, DeviceStateChanged):
        return {"device_state": {"name": event.name, "state": event.state}}
    if isinstance(event, UserEvent):
        out: dict[str, Any] = {"eventname": event.eventname}
        out.update(event.objects)
        out["userevent"] = dict(event.userevent)
        return out
    if isinstance(event, RawEvent):
        return dict(event.fields)
    if isinstance(event, ApplicationReplaced):
        return {}
    raise TypeError(f"no ARI form for {type(event).__name__}")


def event_json(event: CoreEvent, *, application: str, asterisk_id: str) -> dict[str, Any]:
    """The ARI JSON of ``event`` as ``application`` receives it."""
    out: dict[str, Any] = {"type": event.type, "timestamp": ari_timestamp(event.timestamp)}
    out.update(_fields(event))
    out["asterisk_id"] = asterisk_id
    out["application"] = application
    return out
