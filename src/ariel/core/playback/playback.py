"""A playback: one or more media URIs played in turn to a channel.

Theory of operation, after Asterisk's ``res_stasis_playback``: a playback is
created ``queued`` and joins its channel's queue (``ChannelMedia.enqueue``).
When its turn comes it opens its first media and publishes PlaybackStarted
(``playing``); when a media ends and another follows, PlaybackContinuing
(``continuing``) names the one that ended and PlaybackStarted the next; after
the last one -- or when stopped -- PlaybackFinished (``done``). Unpause
publishes PlaybackStarted again; pause and restart publish nothing. Media that cannot be
opened (a missing file) end the playback ``failed``, after PlaybackStarted,
as the reference does. A finished playback leaves the registry at once, so
``GET /playbacks/{id}`` is 404 and its id can be used again.

Controls (``pause``, ``unpause``, ``restart``, ``reverse``, ``forward``) act
on the source being played; they answer False when the playback is not in a
state that allows them (the 409 of the API).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime

from ariel.core.events import CoreEvent
from ariel.core.media.channel_media import ChannelMedia
from ariel.core.media.sources import SamplesSource, ToneSource
from ariel.core.objects import ObjectRegistry
from ariel.core.playback.events import PlaybackContinuing, PlaybackFinished, PlaybackStarted
from ariel.core.playback.media_library import MediaLibrary, MediaUnavailable
from ariel.core.snapshots import PlaybackSnapshot

__all__ = ["CONTROL_OPERATIONS", "Playback", "PlaybackState"]

log = logging.getLogger("ariel.playback")

CONTROL_OPERATIONS = ("restart", "pause", "unpause", "reverse", "forward")


class PlaybackState:
    """The ``state`` values of the ARI Playback model."""

    QUEUED = "queued"
    PLAYING = "playing"
    CONTINUING = "continuing"
    PAUSED = "paused"
    DONE = "done"
    FAILED = "failed"


class Playback:
    """One playback on one channel."""

    def __init__(
        self,
        *,
        id: str,
        media: Sequence[str],
        language: str,
        target_uri: str,
        channel_media: ChannelMedia,
        library: MediaLibrary,
        registry: ObjectRegistry[Playback],
        publish: Callable[[CoreEvent], None],
        now: Callable[[], datetime],
        offset_ms: int = 0,
        skip_ms: int = 3000,
    ) -> None:
        if not media:
            raise ValueError("a playback needs at least one media URI")
        self._id = id
        self._media = list(media)
        self._index = 0
        self._language = language
        self._target_uri = target_uri
        self._channel_media = channel_media
        self._library = library
        self._registry = registry
        self._publish = publish
        self._now = now
        self._offset_ms = offset_ms
        self._skip_ms = skip_ms
        self._state = PlaybackState.QUEUED
        self._source: SamplesSource | ToneSource | None = None

    @property
    def id(self) -> str:
        """The playback id."""
        return self._id

    @property
    def state(self) -> str:
        """The current state."""
        return self._state

    def snapshot(self) -> PlaybackSnapshot:
        """The ARI Playback model's facts now."""
        following = self._index + 1
        return PlaybackSnapshot(
            id=self._id,
            media_uri=self._media[min(self._index, len(self._media) - 1)],
            target_uri=self._target_uri,
            language=self._language,
            state=self._state,
            next_media_uri=self._media[following] if following < len(self._media) else None,
        )

    # -- lifecycle ---------------------------------------------------------
    def queue(self) -> bool:
        """Register and queue on the channel; False when the channel is gone."""
        self._registry.add(self)
        if not self._channel_media.enqueue(self):
            self._registry.remove(self._id)
            return False
        return True

    def begin(self) -> None:
        """Our turn: open the first media (QueuedStream)."""
        self._open(first=True)

    def _open(self, *, first: bool) -> None:
        uri = self._media[self._index]
        offset = self._offset_ms if self._index == 0 else 0
        try:
            source = self._library.open(uri, self._language, offset_ms=offset)
        except MediaUnavailable as exc:
            log.warning("playback %s: %s", self._id, exc)
            if first:
                self._state = PlaybackState.PLAYING
                self._emit(PlaybackStarted)
            self._finish(PlaybackState.FAILED)
            return
        self._source = source
        self._state = PlaybackState.PLAYING
        self._emit(PlaybackStarted)
        self._channel_media.play_stream(source, self._media_done)

    def _media_done(self) -> None:
        """One media ended: PlaybackContinuing for it, then the next one's PlaybackStarted."""
        self._source = None
        if self._index + 1 < len(self._media):
            self._state = PlaybackState.CONTINUING
            self._emit(PlaybackContinuing)
            self._index += 1
            self._open(first=False)
        else:
            self._finish(PlaybackState.DONE)

    def _finish(self, state: str) -> None:
        if self._state in (PlaybackState.DONE, PlaybackState.FAILED):
            return
        self._state = state
        self._source = None
        if self._registry.get(self._id) is self:
            self._registry.remove(self._id)
        self._emit(PlaybackFinished)
        self._channel_media.stream_finished(self)

    def abandon(self) -> None:
        """The channel went away (QueuedStream)."""
        self._channel_media.stop_stream() if self._source is not None else None
        self._finish(PlaybackState.DONE)

    def stop(self) -> None:
        """``DELETE /playbacks/{id}``: stop now, or leave the queue."""
        if self._state == PlaybackState.QUEUED:
            self._channel_media.dequeue(self)
        elif self._source is not None:
            self._channel_media.stop_stream()
        self._finish(PlaybackState.DONE)

    # -- controls ----------------------------------------------------------
    def control(self, operation: str) -> bool:
        """Apply a control operation; False when the state does not allow it."""
        source = self._source
        if source is None or self._state not in (PlaybackState.PLAYING, PlaybackState.PAUSED):
            return False
        if operation == "pause":
            source.paused = True
            self._state = PlaybackState.PAUSED
        elif operation == "unpause":
            source.paused = False
            self._state = PlaybackState.PLAYING
            # The reference starts the media again on unpause, and says so.
            self._emit(PlaybackStarted)
        elif operation == "restart":
            if isinstance(source, SamplesSource):
                source.restart()
            source.paused = False
            self._state = PlaybackState.PLAYING
        elif operation in ("reverse", "forward"):
            if isinstance(source, SamplesSource):
                source.skip_ms(self._skip_ms if operation == "forward" else -self._skip_ms)
        else:
            raise ValueError(f"unknown playback operation {operation!r}")
        return True

    def _emit(
        self, event_type: type[PlaybackStarted | PlaybackContinuing | PlaybackFinished]
    ) -> None:
        self._publish(event_type(timestamp=self._now(), playback=self.snapshot()))
