"""A fixed-depth jitter buffer for 20 ms audio frames, keyed by extended sequence number.

Theory of operation. The network side calls ``put`` whenever a packet arrives; the media clock
calls ``pop`` once per frame period. Packets are stored by extended sequence number (the caller
extends the 16-bit RTP number, e.g. with ``rtp.SequenceTracker``), so reordering is undone by
playing slots in sequence order. Playout starts once ``depth`` slots are covered (the slot to play
next through the highest received), which delays audio by a fixed ``depth`` frames.

Each ``pop`` plays one slot: the stored payload, or ``None`` when that packet is missing while
later ones are present (a loss the caller conceals or skips). A packet for a slot already played
is late and dropped; one already stored is a duplicate and dropped. When the buffer runs dry the
slot is not consumed: the buffer returns ``None`` and prefetches again, so a sender that pauses
(silence suppression, hold) resumes without its packets counting as late. A jump of more than
``resync_gap`` slots either way (a restarted source, a new SSRC) flushes the buffer and starts
over from the new packet; a smaller jump beyond ``max_size`` slots skips the oldest slots so that
the buffer never holds more than ``max_size`` packets. Pure: no clock, no IO.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["JitterBuffer", "JitterStats"]


@dataclass(frozen=True, slots=True, kw_only=True)
class JitterStats:
    """Counters of a jitter buffer.

    Attributes:
        received: Packets stored.
        played: Slots played with a packet.
        lost: Slots played as ``None`` while later packets were waiting.
        late: Packets dropped because their slot was already played.
        duplicates: Packets dropped because their slot was already stored.
        overflowed: Packets discarded unplayed to stay within ``max_size``.
        resyncs: Times the buffer was flushed by a large sequence jump.
    """

    received: int = 0
    played: int = 0
    lost: int = 0
    late: int = 0
    duplicates: int = 0
    overflowed: int = 0
    resyncs: int = 0


class JitterBuffer:
    """Reorders packets and plays one slot per frame period."""

    def __init__(self, *, depth: int = 3, max_size: int = 50, resync_gap: int = 100) -> None:
        """Create an empty buffer.

        Args:
            depth: Slots covered before playout starts (3 x 20 ms = 60 ms of delay).
            max_size: Most packets held at once; at least ``depth``.
            resync_gap: A jump of more than this many slots restarts the buffer.
        """
        if not 1 <= depth <= max_size or resync_gap < 1:
            raise ValueError("need 1 <= depth <= max_size and resync_gap >= 1")
        self.depth = depth
        self.max_size = max_size
        self.resync_gap = resync_gap
        self._slots: dict[int, tuple[int, bytes]] = {}
        self._next: int | None = None  # the slot the next pop plays
        self._highest = 0
        self._playing = False
        self._played_any = False  # a slot was consumed since the last (re)start
        self._last_timestamp: int | None = None
        self._counts = dict.fromkeys(JitterStats.__dataclass_fields__, 0)

    def __len__(self) -> int:
        return len(self._slots)

    @property
    def playing(self) -> bool:
        """False while prefetching (at the start, after a resync or after running dry)."""
        return self._playing

    @property
    def last_timestamp(self) -> int | None:
        """RTP timestamp of the last payload ``pop`` returned."""
        return self._last_timestamp

    @property
    def stats(self) -> JitterStats:
        """A snapshot of the counters."""
        return JitterStats(**self._counts)

    def reset(self) -> None:
        """Forget every packet and start over (call on an SSRC change)."""
        self._slots.clear()
        self._next = None
        self._playing = False
        self._played_any = False

    def put(self, seq: int, timestamp: int, payload: bytes) -> bool:
        """Store a packet.

        Args:
            seq: Extended sequence number.
            timestamp: RTP timestamp, reported back through ``last_timestamp``.
            payload: The RTP payload.

        Returns:
            True if stored, False if dropped as late or duplicate.
        """
        if self._next is not None and abs(seq - self._next) > self.resync_gap:
            self._counts["resyncs"] += 1
            self.reset()
        if self._next is None:
            self._next = self._highest = seq
        elif seq < self._next:
            if self._played_any:
                self._counts["late"] += 1
                return False
            self._next = seq  # reordered ahead of the first packet, before playout began
        if seq in self._slots:
            self._counts["duplicates"] += 1
            return False
        self._slots[seq] = (timestamp, payload)
        self._counts["received"] += 1
        self._highest = max(self._highest, seq)
        floor = self._highest - self.max_size + 1
        while self._next < floor:
            if self._slots.pop(self._next, None) is not None:
                self._counts["overflowed"] += 1
            self._next += 1
            self._played_any = True
        if not self._playing and self._highest - self._next + 1 >= self.depth:
            self._playing = True
        return True

    def pop(self) -> bytes | None:
        """Play the next slot (call once per frame period).

        Returns:
            The payload, or ``None`` for a lost packet, while prefetching, or when empty.
        """
        if not self._playing or self._next is None:
            return None
        if not self._slots:
            self._playing = False  # ran dry: keep the slot and prefetch again
            return None
        entry = self._slots.pop(self._next, None)
        self._next += 1
        self._played_any = True
        if entry is None:
            self._counts["lost"] += 1
            return None
        self._counts["played"] += 1
        self._last_timestamp = entry[0]
        return entry[1]
