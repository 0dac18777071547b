"""The media clock: one 20 ms tick paces every outgoing RTP stream.

Theory of operation: instead of a timer (or a thread, as the reference has)
per channel, one loop callback fires every 20 ms for the whole server. Each
tick it asks every attached stream for its next frame, groups the frames by
codec, encodes each group in one numpy call (a ``(streams, 160)`` array
through a lookup table), then hands every stream its payload to send. The
per-stream Python work is a function call for the frame and a ``sendto``.

The schedule is absolute (``start + n * 20 ms``), so lateness in one tick
does not accumulate; when the loop falls more than ``MAX_LAG`` behind (a
stall), the clock skips ahead rather than bursting packets, and counts the
overrun.

Periodic work rides on the tick counter, never on a timer of its own: dead
streams are looked for once a second, and RTCP reporters (one per RTP
stream, each deciding whether its ``rtcpinterval`` is up) are called every
500 ms -- a few hundred cheap calls, not one per stream per tick.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Protocol

import numpy as np
import numpy.typing as npt

from ariel.media.codecs import Codec

__all__ = ["DEFAULT_RTCP_INTERVAL_MS", "FRAME_MS", "MediaClock", "PacedStream"]

log = logging.getLogger("ariel.net.media")

FRAME_MS = 20
FRAME_S = FRAME_MS / 1000
FRAME_SAMPLES = 160
MAX_LAG = 0.1
#: Dead streams (RTP timeout) are looked for once a second.
TIMEOUT_CHECK_TICKS = 50
#: RTCP report timers are looked at every 500 ms (the shortest ``rtcpinterval``), half
#: way between two timeout checks so the two never share a tick.
REPORT_CHECK_TICKS = 25
REPORT_CHECK_PHASE = 12
#: rtp.conf's default ``rtcpinterval``.
DEFAULT_RTCP_INTERVAL_MS = 5000


class PacedStream(Protocol):
    """An RTP stream the clock paces."""

    codec: Codec

    def check_timeout(self, now_ms: int) -> None:
        """Once a second: report if nothing has arrived for too long."""
        ...

    def service_dtmf(self, now_ms: int) -> bool:
        """Send due telephone-events; True while a digit is being sent (no audio then)."""
        ...

    def pull(self, n: int) -> npt.NDArray[np.int16] | None:
        """The next frame to send, or ``None``."""
        ...

    def send_payload(self, payload: bytes, tick: int) -> None:
        """Packetize and send one encoded frame."""
        ...


class MediaClock:
    """Paces the attached streams; start it once the loop runs."""

    def __init__(self, *, rtcp_interval_ms: int = DEFAULT_RTCP_INTERVAL_MS) -> None:
        self._streams: dict[PacedStream, None] = {}
        self._tickers: dict[object, Callable[[int], None]] = {}
        self._reporters: dict[object, Callable[[int], None]] = {}
        #: Milliseconds between the RTCP reports of each stream (rtp.conf; 0: none).
        self.rtcp_interval_ms = rtcp_interval_ms
        self._tick = 0
        self._next = 0.0
        self._handle: asyncio.TimerHandle | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        #: Ticks skipped because the loop was late (a stall).
        self.overruns = 0
        #: Frames sent in the last tick.
        self.last_batch = 0
        #: The latest a tick has fired, in seconds (a loop stall shows here).
        self.max_lateness = 0.0
        #: Ticks that fired more than 60 ms late.
        self.late_ticks = 0
        #: RTP packets received and sent by every stream of this clock (``/metrics``).
        self.rtp_packets_in = 0
        self.rtp_packets_out = 0
        #: RTP packets lost (RFC 3550 cumulative) by streams that have closed.
        self.rtp_packets_lost_ended = 0
        self._last_late_log = 0.0

    @property
    def tick(self) -> int:
        """The number of the current tick."""
        return self._tick

    @property
    def now_ms(self) -> int:
        """Milliseconds of media time since the clock started."""
        return self._tick * FRAME_MS

    def __len__(self) -> int:
        return len(self._streams)

    def streams(self) -> list[PacedStream]:
        """The streams paced now (``/metrics`` reads their receive statistics)."""
        return list(self._streams)

    def add(self, stream: PacedStream) -> None:
        """Pace ``stream`` from the next tick on."""
        self._streams[stream] = None

    def discard(self, stream: PacedStream) -> None:
        """Stop pacing ``stream``."""
        self._streams.pop(stream, None)

    def add_ticker(self, key: object, ticker: Callable[[int], None]) -> None:
        """Call ``ticker(n_samples)`` at the start of every tick (Local pairs pump audio)."""
        self._tickers[key] = ticker

    def remove_ticker(self, key: object) -> None:
        """Stop calling the ticker."""
        self._tickers.pop(key, None)

    def add_reporter(self, key: object, reporter: Callable[[int], None]) -> None:
        """Call ``reporter(now_ms)`` every :data:`REPORT_CHECK_TICKS` ticks (RTCP timers)."""
        self._reporters[key] = reporter

    def remove_reporter(self, key: object) -> None:
        """Stop calling the reporter."""
        self._reporters.pop(key, None)

    def _run_reporters(self, now_ms: int) -> None:
        for reporter in list(self._reporters.values()):
            try:
                reporter(now_ms)
            except Exception:
                log.exception("RTCP report failed")

    def _check_timeouts(self, now_ms: int) -> None:
        for stream in list(self._streams):
            try:
                stream.check_timeout(now_ms)
            except Exception:
                log.exception("RTP timeout check failed")

    def start(self) -> None:
        """Start ticking on the running loop."""
        if self._handle is not None:
            return
        self._loop = asyncio.get_running_loop()
        self._next = self._loop.time() + FRAME_S
        self._handle = self._loop.call_at(self._next, self._on_timer)

    def stop(self) -> None:
        """Stop ticking."""
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None

    def _on_timer(self) -> None:
        loop = self._loop
        assert loop is not None
        now = loop.time()
        late = now - self._next
        if late > self.max_lateness:
            self.max_lateness = late
        if late > 0.06:
            self.late_ticks += 1
            if now - self._last_late_log > 1.0:
                self._last_late_log = now
                log.warning(
                    "media tick %.0f ms late (%d late ticks so far): the event loop is "
                    "blocked or the server is short of CPU",
                    late * 1000,
                    self.late_ticks,
                )
        self._next += FRAME_S
        if now - self._next > MAX_LAG:
            skipped = int((now - self._next) / FRAME_S)
            self.overruns += skipped
            self._tick += skipped
            self._next += skipped * FRAME_S
        self._handle = loop.call_at(self._next, self._on_timer)
        try:
            self.run_tick()
        except Exception:
            log.exception("media tick failed")

    def run_tick(self) -> None:
        """Advance one tick and do its work: pull, encode in batches, send."""
        self._tick += 1
        tick = self._tick
        now_ms = tick * FRAME_MS
        if tick % TIMEOUT_CHECK_TICKS == 0:
            self._check_timeouts(now_ms)
        if tick % REPORT_CHECK_TICKS == REPORT_CHECK_PHASE and self._reporters:
            self._run_reporters(now_ms)
        for key, ticker in list(self._tickers.items()):
            try:
                ticker(FRAME_SAMPLES)
            except Exception:
                log.exception("media ticker failed; removed")
                self._tickers.pop(key, None)
        groups: dict[str, tuple[list[PacedStream], list[npt.NDArray[np.int16]]]] = {}
        for stream in list(self._streams):
            try:
                if stream.service_dtmf(now_ms):
                    continue
                frame = stream.pull(FRAME_SAMPLES)
            except Exception:
                log.exception("media source failed; stream detached")
                self.discard(stream)
                continue
            if frame is None:
                continue
            if frame.shape != (FRAME_SAMPLES,):
                log.error("media source gave a %s frame; stream detached", frame.shape)
                self.discard(stream)
                continue
            group = groups.get(stream.codec.name)
            if group is None:
                groups[stream.codec.name] = ([stream], [frame])
            else:
                group[0].append(stream)
                group[1].append(frame)
        sent = 0
        for streams, frames in groups.values():
            encoded = streams[0].codec.encoder(np.stack(frames))
            size = len(encoded) // len(streams)
            for i, stream in enumerate(streams):
                stream.send_payload(encoded[i * size : (i + 1) * size], tick)
            sent += len(streams)
        self.last_batch = sent
