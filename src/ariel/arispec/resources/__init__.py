"""The eleven ARI resources, in the order of the reference's resource listing."""

from __future__ import annotations

from ariel.arispec.resources import (
    applications,
    asterisk,
    bridges,
    channels,
    device_states,
    endpoints,
    events,
    mailboxes,
    playbacks,
    recordings,
    sounds,
)
from ariel.arispec.types import Resource

__all__ = ["RESOURCES"]

RESOURCES: tuple[Resource, ...] = (
    asterisk.RESOURCE,
    endpoints.RESOURCE,
    channels.RESOURCE,
    bridges.RESOURCE,
    recordings.RESOURCE,
    sounds.RESOURCE,
    playbacks.RESOURCE,
    device_states.RESOURCE,
    mailboxes.RESOURCE,
    events.RESOURCE,
    applications.RESOURCE,
)
