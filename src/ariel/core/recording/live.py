"""A live recording: what a channel hears, written to a file as it arrives.

Theory of operation, after Asterisk's ``res_stasis_recording``: the
recording listens to the channel's incoming audio (``ChannelMedia``) and
writes each 20 ms frame to an :class:`ariel.media.formats.AudioWriter`. The
writer is flushed once a second with its header brought up to date, so a
crash loses at most the last second and leaves a valid file.

It stops on ``maxDurationSeconds`` (timed by the event loop, so a silent
peer that sends nothing still ends it), on ``maxSilenceSeconds`` of
consecutive silence, on a ``terminateOn`` digit, on ``stop`` and when the
channel hangs up; ``cancel`` stops and deletes the file. Paused time is not
recorded; muted time is recorded as silence.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import numpy as np

from ariel.core.events import CoreEvent
from ariel.core.media.channel_media import ChannelMedia
from ariel.core.media.sources import RATE, Samples, SamplesSource
from ariel.core.objects import ObjectRegistry
from ariel.core.recording.events import RecordingFailed, RecordingFinished, RecordingStarted
from ariel.core.snapshots import LiveRecordingSnapshot
from ariel.media.formats import AudioWriter
from ariel.media.levels import SilenceDetector

__all__ = ["LiveRecording", "RecordingOptions", "RecordingState"]

log = logging.getLogger("ariel.recording")

#: Flush the file (and rewrite its header) every this many frames: one second.
FLUSH_FRAMES = 50


class RecordingState:
    """The ``state`` values of the ARI LiveRecording model."""

    QUEUED = "queued"
    RECORDING = "recording"
    PAUSED = "paused"
    DONE = "done"
    FAILED = "failed"
    CANCELED = "canceled"


class RecordingOptions:
    """What ``POST /channels/{id}/record`` asked for."""

    def __init__(
        self,
        *,
        max_duration_s: int = 0,
        max_silence_s: int = 0,
        terminate_on: str = "none",
        beep: bool = False,
        append: bool = False,
    ) -> None:
        self.max_duration_s = max_duration_s
        self.max_silence_s = max_silence_s
        self.terminate_on = terminate_on
        self.beep = beep
        self.append = append


class _Beep:
    """The beep before a recording, queued like a playback."""

    def __init__(self, media: ChannelMedia, samples: Samples, then: Callable[[], None]) -> None:
        self._media = media
        self._samples = samples
        self._then = then

    def begin(self) -> None:
        self._media.play_stream(SamplesSource(self._samples), self._done)

    def _done(self) -> None:
        self._media.stream_finished(self)
        self._then()

    def abandon(self) -> None:
        """The channel went: the recording ends through its close listener."""


class LiveRecording:
    """One recording in progress."""

    def __init__(
        self,
        *,
        name: str,
        format: str,
        writer_format: str,
        path: Path,
        target_uri: str,
        channel_media: ChannelMedia,
        options: RecordingOptions,
        registry: ObjectRegistry[LiveRecording],
        publish: Callable[[CoreEvent], None],
        now: Callable[[], datetime],
        beep: Samples | None = None,
    ) -> None:
        self._name = name
        self._format = format
        self._writer_format = writer_format
        self.path = path
        self._target_uri = target_uri
        self._media = channel_media
        self._options = options
        self._registry = registry
        self._publish = publish
        self._now = now
        self._beep = beep
        self._state = RecordingState.QUEUED
        self._writer: AudioWriter | None = None
        self._muted = False
        self._frames = 0
        self._silence = SilenceDetector() if options.max_silence_s > 0 else None
        self._timer: asyncio.TimerHandle | None = None
        self._cause: str | None = None

    @property
    def id(self) -> str:
        """The recording's name (its key among live recordings)."""
        return self._name

    @property
    def state(self) -> str:
        """The current state."""
        return self._state

    def snapshot(self) -> LiveRecordingSnapshot:
        """The ARI LiveRecording model's facts now."""
        ended = self._state in (RecordingState.DONE, RecordingState.FAILED)
        detector = self._silence
        return LiveRecordingSnapshot(
            name=self._name,
            format=self._format,
            target_uri=self._target_uri,
            state=self._state,
            duration=self._frames * 160 // RATE if ended else None,
            talking_duration=detector.talking_ms // 1000 if ended and detector else None,
            silence_duration=detector.silence_ms // 1000 if ended and detector else None,
            cause=self._cause,
        )

    # -- lifecycle ---------------------------------------------------------
    def start(self) -> None:
        """Open the file and start listening (after the beep, if asked).

        Raises:
            OSError: The file cannot be created.
            ValueError: The format cannot be written.
        """
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._writer = AudioWriter.open(
            self.path, self._writer_format, rate=RATE, append=self._options.append
        )
        self._registry.add(self)
        self._media.add_close_listener(self, self.channel_gone)
        if self._beep is not None and len(self._beep):
            # The beep takes its turn in the channel's playback queue.
            self._media.enqueue(_Beep(self._media, self._beep, self._begin))
        else:
            self._begin()

    def _begin(self) -> None:
        if self._state != RecordingState.QUEUED:
            return
        self._state = RecordingState.RECORDING
        self._media.add_audio_listener(self, self._on_frame)
        self._media.add_dtmf_listener(self, self._on_dtmf)
        if self._options.max_duration_s > 0:
            loop = asyncio.get_running_loop()
            self._timer = loop.call_later(self._options.max_duration_s, self.stop)
        self._emit(RecordingStarted)

    def _on_frame(self, frame: Samples) -> None:
        if self._state != RecordingState.RECORDING or self._writer is None:
            return
        if self._muted:
            frame = np.zeros(len(frame), dtype=np.int16)
        try:
            self._writer.write(frame)
            self._frames += 1
            if self._frames % FLUSH_FRAMES == 0:
                self._writer.flush()
        except OSError as exc:
            log.error("recording %s: cannot write %s: %s", self._name, self.path, exc)
            self._cause = str(exc)
            self._end(RecordingState.FAILED)
            return
        detector = self._silence
        if detector is not None:
            detector.feed(frame)
            if detector.silence_exceeds(self._options.max_silence_s * 1000):
                self.stop()

    def _on_dtmf(self, digit: str, _duration_ms: int) -> None:
        term = self._options.terminate_on
        if term == "any" or (term not in ("", "none") and digit == term):
            self.stop()

    def channel_gone(self) -> None:
        """The channel hung up: keep what was recorded."""
        self.stop()

    def stop(self) -> None:
        """End the recording, keeping the file."""
        self._end(RecordingState.DONE)

    def cancel(self) -> None:
        """End the recording and delete the file (nothing once it has ended)."""
        if not self.in_session:
            return
        self._end(RecordingState.CANCELED)
        with contextlib.suppress(OSError):
            self.path.unlink()

    def pause(self) -> bool:
        """Stop writing until unpaused; False unless recording."""
        if self._state != RecordingState.RECORDING:
            return False
        self._state = RecordingState.PAUSED
        return True

    def unpause(self) -> bool:
        """Write again; False unless paused."""
        if self._state != RecordingState.PAUSED:
            return False
        self._state = RecordingState.RECORDING
        return True

    def mute(self, muted: bool) -> bool:
        """Record silence instead of audio (or stop doing so); False if not in session."""
        if self._state not in (RecordingState.RECORDING, RecordingState.PAUSED):
            return False
        self._muted = muted
        return True

    @property
    def in_session(self) -> bool:
        """Whether the recording can still be controlled."""
        return self._state in (
            RecordingState.QUEUED,
            RecordingState.RECORDING,
            RecordingState.PAUSED,
        )

    def _end(self, state: str) -> None:
        if not self.in_session:
            return
        was_started = self._state != RecordingState.QUEUED
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self._media.remove_audio_listener(self)
        self._media.remove_dtmf_listener(self)
        self._media.remove_close_listener(self)
        if self._writer is not None:
            try:
                self._writer.close()
            except OSError as exc:
                log.error("recording %s: cannot close %s: %s", self._name, self.path, exc)
                state = RecordingState.FAILED
            self._writer = None
        self._state = state
        if self._registry.get(self._name) is self:
            self._registry.remove(self._name)
        if state == RecordingState.FAILED:
            self._emit(RecordingFailed)
        elif was_started or state == RecordingState.DONE:
            self._emit(RecordingFinished)

    def _emit(
        self, event_type: type[RecordingStarted | RecordingFinished | RecordingFailed]
    ) -> None:
        self._publish(event_type(timestamp=self._now(), recording=self.snapshot()))
