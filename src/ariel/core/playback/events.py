"""Playback events: PlaybackStarted, PlaybackContinuing, PlaybackFinished.

They concern the playback's target, so they reach the applications
subscribed to the channel (or bridge) being played to.
"""

from __future__ import annotations

from dataclasses import dataclass

from ariel.core.events import CoreEvent, EventSources, target_sources
from ariel.core.snapshots import PlaybackSnapshot

__all__ = ["PlaybackContinuing", "PlaybackEvent", "PlaybackFinished", "PlaybackStarted"]


@dataclass(frozen=True, slots=True, kw_only=True)
class PlaybackEvent(CoreEvent):
    """Base of the playback events."""

    playback: PlaybackSnapshot

    @property
    def sources(self) -> EventSources:
        return target_sources(self.playback.target_uri)


@dataclass(frozen=True, slots=True, kw_only=True)
class PlaybackStarted(PlaybackEvent):
    """A playback began its first media."""


@dataclass(frozen=True, slots=True, kw_only=True)
class PlaybackContinuing(PlaybackEvent):
    """A playback moved on to its next media."""


@dataclass(frozen=True, slots=True, kw_only=True)
class PlaybackFinished(PlaybackEvent):
    """A playback ended (``done``, ``failed`` or stopped)."""
