"""Clocks are injected, never read globally, so tests can drive time."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Protocol

__all__ = ["Clock", "FixedClock", "SystemClock", "ari_timestamp"]


class Clock(Protocol):
    """Where the server reads time from."""

    def now(self) -> datetime:
        """The current wall-clock time, timezone-aware."""
        ...

    def monotonic(self) -> float:
        """Seconds on a clock that never goes backwards."""
        ...


class SystemClock:
    """The real clock."""

    def now(self) -> datetime:
        return datetime.now(UTC).astimezone()

    def monotonic(self) -> float:
        return time.monotonic()


class FixedClock:
    """A clock that moves only when told to (for tests and replays)."""

    def __init__(self, start: datetime, monotonic_start: float = 0.0) -> None:
        self._now = start
        self._mono = monotonic_start

    def now(self) -> datetime:
        return self._now

    def monotonic(self) -> float:
        return self._mono

    def advance(self, seconds: float) -> None:
        from datetime import timedelta

        self._now += timedelta(seconds=seconds)
        self._mono += seconds


def ari_timestamp(moment: datetime) -> str:
    """Format a time as Asterisk does in ARI (strftime ``%FT%T.%q%z``).

    >>> from datetime import datetime, timezone
    >>> ari_timestamp(datetime(2019, 1, 27, 21, 43, 43, 720000, tzinfo=timezone.utc))
    '2019-01-27T21:43:43.720+0000'
    """
    offset = moment.utcoffset()
    minutes = int(offset.total_seconds()) // 60 if offset is not None else 0
    sign = "-" if minutes < 0 else "+"
    hours, mins = divmod(abs(minutes), 60)
    zone = f"{sign}{hours:02d}{mins:02d}" if offset is not None else ""
    return (
        f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}T"
        f"{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}."
        f"{moment.microsecond // 1000:03d}{zone}"
    )
