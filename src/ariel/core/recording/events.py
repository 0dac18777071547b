"""Recording events: RecordingStarted, RecordingFinished, RecordingFailed."""

from __future__ import annotations

from dataclasses import dataclass

from ariel.core.events import CoreEvent, EventSources, target_sources
from ariel.core.snapshots import LiveRecordingSnapshot

__all__ = ["RecordingEvent", "RecordingFailed", "RecordingFinished", "RecordingStarted"]


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordingEvent(CoreEvent):
    """Base of the recording events; they concern the recording's target."""

    recording: LiveRecordingSnapshot

    @property
    def sources(self) -> EventSources:
        return target_sources(self.recording.target_uri)


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordingStarted(RecordingEvent):
    """Recording began (after the beep, if one was asked for)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordingFinished(RecordingEvent):
    """Recording ended and the file is complete."""


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordingFailed(RecordingEvent):
    """Recording could not go on (the file could not be written)."""
