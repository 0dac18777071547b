"""Every ARI model and event; `registry` orders them per resource."""

from __future__ import annotations

from ariel.arispec.models import (
    applications,
    asterisk,
    bridges,
    channels,
    device_states,
    endpoints,
    events_channel,
    events_media,
    events_system,
    mailboxes,
    messages,
    playbacks,
    recordings,
    sounds,
)
from ariel.arispec.types import Model

__all__ = ["MODELS"]

MODELS: tuple[Model, ...] = (
    *asterisk.MODELS,
    *endpoints.MODELS,
    *channels.MODELS,
    *bridges.MODELS,
    *recordings.MODELS,
    *sounds.MODELS,
    *playbacks.MODELS,
    *device_states.MODELS,
    *mailboxes.MODELS,
    *messages.MODELS,
    *events_system.MODELS,
    *events_media.MODELS,
    *events_channel.MODELS,
    *applications.MODELS,
)
