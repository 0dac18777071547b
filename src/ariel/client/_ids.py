"""Ids the client chooses for objects it creates (stage-then-execute)."""

from __future__ import annotations

import uuid

__all__ = ["new_id"]


def new_id() -> str:
    """A fresh id for a channel, bridge, playback or recording (a random UUID)."""
    return str(uuid.uuid4())
