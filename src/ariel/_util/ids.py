"""Identifier factories: Asterisk-style unique ids and channel name counters."""

from __future__ import annotations

import itertools
import uuid

from ariel._util.clock import Clock

__all__ = ["IdFactory"]


class IdFactory:
    """Makes ids the way Asterisk does.

    Unique ids are ``<epoch seconds>.<sequence>`` with one sequence for the
    whole server; channel names end in an 8-hex-digit counter that is shared
    by every technology (``PJSIP/alice-0000001f``).
    """

    def __init__(self, clock: Clock, start: int = 0) -> None:
        self._clock = clock
        self._uniq = itertools.count(start)
        self._names = itertools.count(start + 1)

    def unique_id(self) -> str:
        """A fresh ``epoch.seq`` id."""
        return f"{int(self._clock.now().timestamp())}.{next(self._uniq)}"

    def uuid(self) -> str:
        """A fresh random UUID (playback ids, as the reference makes them)."""
        return str(uuid.uuid4())

    def channel_suffix(self) -> str:
        """The next ``-%08x`` channel-name counter, without the dash."""
        return f"{next(self._names):08x}"
