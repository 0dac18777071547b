"""One channel's audio plane: what it plays out, who listens to what it hears.

Theory of operation: the channel's technology owns the wire (RTP) and the
media clock (``ariel.net``) paces it. Every 20 ms the clock asks
:meth:`ChannelMedia.next_frame` for the frame to send: the current *stream*
(a playback, like Asterisk's ``ast_playstream``) wins; without one the
*bridge* the channel is in gives what the others said, and without that the
*generator* (music on hold, silence) plays, as Asterisk deactivates a
generator while a stream runs and resumes it after. With neither, nothing is
sent -- the reference sends no RTP to an idle channel either.

What the far end sends arrives as decoded frames in :meth:`on_audio` and is
fanned out to the listeners (recordings, bridges, snoops); DTMF arrives in
:meth:`on_dtmf`. Both run on the event loop's thread, from the datagram
callback, so they only do short, non-blocking work.

Playbacks queue on a channel in the order they were requested: each
:class:`QueuedStream` is begun when the one before it ends.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable
from typing import Protocol

from ariel.core.media.sources import AudioSource, Samples

__all__ = ["AudioListener", "ChannelMedia", "DtmfListener", "InTap", "OutTap", "QueuedStream"]

log = logging.getLogger("ariel.media")

AudioListener = Callable[[Samples], None]
DtmfListener = Callable[[str, int], None]
#: Sees (and may replace) each tick's outgoing frame; ``None`` means silence.
OutTap = Callable[[Samples | None, int], Samples | None]
#: May replace each incoming frame before the listeners hear it.
InTap = Callable[[Samples], Samples]


class QueuedStream(Protocol):
    """A queued playback, begun when its turn comes."""

    def begin(self) -> None:
        """Start playing (the previous stream has ended)."""
        ...

    def abandon(self) -> None:
        """The channel went away before or while this played."""
        ...


class ChannelMedia:
    """The audio plane of one channel."""

    def __init__(self) -> None:
        self._stream: AudioSource | None = None
        self._stream_done: Callable[[], None] | None = None
        self._generator: AudioSource | None = None
        self.generator_kind = ""
        self._bridge: Callable[[int], Samples | None] | None = None
        self._bridge_busy: Callable[[], bool] | None = None
        self._queue: deque[QueuedStream] = deque()
        self._current: QueuedStream | None = None
        self._audio_listeners: dict[object, AudioListener] = {}
        self._dtmf_listeners: dict[object, DtmfListener] = {}
        self._close_listeners: dict[object, Callable[[], None]] = {}
        self._out_taps: dict[object, OutTap] = {}
        self._in_taps: dict[object, InTap] = {}
        self.mute_in = False
        self.mute_out = False
        self.closed = False
        #: How many frames this channel sent and heard (for tests and stats).
        self.frames_out = 0
        self.frames_in = 0

    # -- what goes out ------------------------------------------------------
    def next_frame(self, n: int) -> Samples | None:
        """The frame to send now, or ``None`` for silence on the wire."""
        frame = self._next_frame(n)
        if self._out_taps:
            for tap in list(self._out_taps.values()):
                frame = tap(frame, n)
            return None if self.mute_out else frame
        return frame

    def _next_frame(self, n: int) -> Samples | None:
        stream = self._stream
        if stream is not None:
            frame = stream.read(n)
            if stream.finished:
                self._end_stream()
            if frame is not None or stream is self._stream:
                return self._out(frame)
        bridge = self._bridge
        if bridge is not None:
            frame = bridge(n)
            if frame is not None:
                return self._out(frame)
        generator = self._generator
        if generator is None:
            return None
        frame = generator.read(n)
        if generator.finished:
            self._generator = None
            self.generator_kind = ""
        return self._out(frame)

    def _out(self, frame: Samples | None) -> Samples | None:
        if frame is None or self.mute_out:
            return None
        self.frames_out += 1
        return frame

    def set_bridge_source(
        self,
        pull: Callable[[int], Samples | None] | None,
        busy: Callable[[], bool] | None = None,
    ) -> None:
        """What the bridge the channel is in gives it to hear (``None`` when it leaves).

        ``busy`` tells whether the bridge has audio of its own (an announcer,
        a recording): then the channel is not :attr:`plain`.
        """
        self._bridge = pull
        self._bridge_busy = busy if pull is not None else None

    @property
    def sending(self) -> bool:
        """Whether anything would be sent (a stream or a generator is set)."""
        return self._stream is not None or self._generator is not None

    @property
    def plain(self) -> bool:
        """Nothing of its own: no stream, generator, tap or mute, one listener at most,
        and a bridge (if any) without audio of its own (:meth:`is_plain`)."""
        return self.is_plain()

    def is_plain(self) -> bool:
        """:attr:`plain` as a method: the native relay asks it for every packet.

        A bridged channel in this state only relays its peer, so its media may
        bypass the audio plane altogether (the bridge's native relay).
        """
        busy = self._bridge_busy
        return (
            self._stream is None
            and self._generator is None
            and not self._out_taps
            and not self._in_taps
            and not self.mute_in
            and not self.mute_out
            and len(self._audio_listeners) <= 1
            and (busy is None or not busy())
        )

    def has_own_audio(self) -> bool:
        """Whether something plays (:attr:`sending`) or listens (:attr:`wants_audio`)."""
        return (
            self._stream is not None
            or self._generator is not None
            or (bool(self._audio_listeners) and not self.mute_in)
        )

    def play_stream(self, source: AudioSource, on_done: Callable[[], None]) -> None:
        """Play ``source`` now; ``on_done`` runs once it is spent (not when replaced)."""
        self._stream = source
        self._stream_done = on_done

    def stop_stream(self) -> None:
        """Drop the current stream without calling its ``on_done``."""
        self._stream = None
        self._stream_done = None

    def _end_stream(self) -> None:
        done = self._stream_done
        self._stream = None
        self._stream_done = None
        if done is not None:
            done()

    def set_generator(self, source: AudioSource | None, kind: str = "") -> None:
        """Set (or clear, with ``None``) what plays when no stream does."""
        self._generator = source
        self.generator_kind = kind if source is not None else ""

    # -- the playback queue ---------------------------------------------------
    def enqueue(self, item: QueuedStream) -> bool:
        """Queue ``item``; begins it at once when nothing plays. False if closed."""
        if self.closed:
            return False
        self._queue.append(item)
        if self._current is None:
            self._advance()
        return True

    def dequeue(self, item: QueuedStream) -> bool:
        """Take a not-yet-begun ``item`` out of the queue."""
        try:
            self._queue.remove(item)
        except ValueError:
            return False
        return True

    def stream_finished(self, item: QueuedStream) -> None:
        """``item`` is over: begin the next queued one."""
        if self._current is item:
            self._current = None
            self._advance()

    def _advance(self) -> None:
        while self._current is None and self._queue and not self.closed:
            self._current = self._queue.popleft()
            self._current.begin()

    # -- what comes in ------------------------------------------------------
    @property
    def wants_audio(self) -> bool:
        """Whether anyone listens to the far end (decoding can be skipped if not)."""
        return bool(self._audio_listeners) and not self.mute_in

    def add_audio_listener(self, key: object, listener: AudioListener) -> None:
        """Hear every frame the far end sends (until removed)."""
        self._audio_listeners[key] = listener

    def remove_audio_listener(self, key: object) -> None:
        """Stop hearing."""
        self._audio_listeners.pop(key, None)

    def add_dtmf_listener(self, key: object, listener: DtmfListener) -> None:
        """Hear every digit the far end sends (until removed)."""
        self._dtmf_listeners[key] = listener

    def remove_dtmf_listener(self, key: object) -> None:
        """Stop hearing digits."""
        self._dtmf_listeners.pop(key, None)

    def add_close_listener(self, key: object, listener: Callable[[], None]) -> None:
        """Be told when the channel goes (recordings finish their files)."""
        self._close_listeners[key] = listener

    def remove_close_listener(self, key: object) -> None:
        """No longer be told."""
        self._close_listeners.pop(key, None)

    def add_out_tap(self, key: object, tap: OutTap) -> None:
        """See every tick's outgoing frame, and change it (snoop spy/whisper)."""
        self._out_taps[key] = tap

    def remove_out_tap(self, key: object) -> None:
        """Stop tapping the outgoing audio."""
        self._out_taps.pop(key, None)

    def add_in_tap(self, key: object, tap: InTap) -> None:
        """Change incoming frames before the listeners hear them (snoop whisper in)."""
        self._in_taps[key] = tap

    def remove_in_tap(self, key: object) -> None:
        """Stop changing the incoming audio."""
        self._in_taps.pop(key, None)

    def on_audio(self, frame: Samples) -> None:
        """A decoded frame from the far end."""
        if self.mute_in:
            return
        for tap in list(self._in_taps.values()):
            frame = tap(frame)
        self.frames_in += 1
        for listener in list(self._audio_listeners.values()):
            try:
                listener(frame)
            except Exception:
                log.exception("audio listener failed")

    def on_dtmf(self, digit: str, duration_ms: int) -> None:
        """A digit from the far end ended."""
        for listener in list(self._dtmf_listeners.values()):
            try:
                listener(digit, duration_ms)
            except Exception:
                log.exception("DTMF listener failed")

    # -- the end ------------------------------------------------------------
    def close(self) -> None:
        """The channel is going: stop everything, abandon queued playbacks."""
        if self.closed:
            return
        self.closed = True
        current, self._current = self._current, None
        queued = list(self._queue)
        self._queue.clear()
        self._stream = None
        self._stream_done = None
        self._generator = None
        self._bridge = None
        for item in ([current] if current is not None else []) + queued:
            try:
                item.abandon()
            except Exception:
                log.exception("abandoning a playback failed")
        for listener in list(self._close_listeners.values()):
            try:
                listener()
            except Exception:
                log.exception("close listener failed")
        self._close_listeners.clear()
        self._out_taps.clear()
        self._in_taps.clear()
        self._audio_listeners.clear()
        self._dtmf_listeners.clear()
