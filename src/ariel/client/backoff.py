"""The reconnect schedule: exponential backoff with jitter (pure).

Attempt ``n`` (from 0) waits ``min(maximum, initial * factor**n)``, shortened
by up to ``jitter`` of itself at random, so many clients that lost the same
server do not come back in lockstep. The randomness is a parameter, so the
schedule is testable.
"""

from __future__ import annotations

import random as _random
from collections.abc import Callable, Iterator
from dataclasses import dataclass

__all__ = ["Backoff"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Backoff:
    """Reconnect delays.

    Attributes:
        initial: Delay before the first retry, in seconds.
        factor: Growth per attempt.
        maximum: Cap on any delay.
        jitter: Fraction (0..1) of a delay that may be taken off at random.
    """

    initial: float = 0.5
    factor: float = 2.0
    maximum: float = 30.0
    jitter: float = 0.5

    def __post_init__(self) -> None:
        if self.initial < 0 or self.factor < 1 or self.maximum < self.initial:
            raise ValueError(f"invalid backoff {self}")
        if not 0.0 <= self.jitter <= 1.0:
            raise ValueError(f"jitter must be within 0..1, not {self.jitter}")

    def delay(self, attempt: int, rand: Callable[[], float] = _random.random) -> float:
        """Seconds to wait before retry ``attempt`` (0 for the first).

        Args:
            attempt: How many retries came before this one.
            rand: A source of floats in ``[0, 1)``.
        """
        base = self.initial * self.factor ** min(attempt, 64)
        base = min(self.maximum, base)
        return base * (1.0 - self.jitter * rand())

    def delays(self, rand: Callable[[], float] = _random.random) -> Iterator[float]:
        """The endless schedule: ``delay(0)``, ``delay(1)``..."""
        attempt = 0
        while True:
            yield self.delay(attempt, rand)
            attempt += 1
