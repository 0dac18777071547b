"""The SIP timer values of RFC 3261 Table 4 (Appendix A), as one settings object.

Nothing here reads a clock. A state machine asks for a timer with a
``StartTimer(name, seconds)`` action and learns that it fired through a
``timer_fired(name)`` input; this module only says how long each timer runs. A
duration of zero means "fire at once": the transaction machines then take the
timer's transition immediately instead of asking the driver for a timer
(RFC 3261 §17.1.2.2: "Timer K ... zero seconds for reliable transports").
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["TimerSettings"]


@dataclass(frozen=True, slots=True, kw_only=True)
class TimerSettings:
    """T1, T2, T4 and the timers derived from them (RFC 3261 §17, Table 4).

    Attributes:
        t1: RTT estimate. "T1 ... 500ms default".
        t2: "The maximum retransmit interval for non-INVITE requests and INVITE
            responses" (4 s).
        t4: "Maximum duration a message will remain in the network" (5 s).
        timer_d: Timer D on unreliable transports: "at least 32 seconds".
        trying_delay: How long an INVITE server transaction waits for the TU
            before sending 100 (Trying) itself. RFC 3261 §17.2.1 says 200 ms;
            the default 0 sends it at once, as Asterisk does.
    """

    t1: float = 0.5
    t2: float = 4.0
    t4: float = 5.0
    timer_d: float = 32.0
    trying_delay: float = 0.0

    def __post_init__(self) -> None:
        if self.t1 <= 0 or self.t2 < self.t1 or self.t4 < 0:
            raise ValueError(f"bad SIP timer settings: {self}")
        if self.timer_d < 0 or self.trying_delay < 0:
            raise ValueError(f"bad SIP timer settings: {self}")

    @property
    def timeout(self) -> float:
        """64*T1: timers B, F, H, J (unreliable), L and M."""
        return 64 * self.t1

    def initial(self, name: str, *, reliable: bool) -> float:
        """The first duration of timer ``name`` ("A" to "M"); 0 means at once.

        Raises:
            KeyError: For a name that is not an RFC 3261/6026 transaction timer.
        """
        t1, t4, timeout = self.t1, self.t4, self.timeout
        table = {
            # Timers A, E and G only run on unreliable transports (§17.1.1.2,
            # §17.1.2.2, §17.2.1); the machines never ask for them otherwise.
            "A": t1,
            "B": timeout,
            "D": 0.0 if reliable else self.timer_d,
            "E": t1,
            "F": timeout,
            "G": t1,
            "H": timeout,
            "I": 0.0 if reliable else t4,
            "J": 0.0 if reliable else timeout,
            "K": 0.0 if reliable else t4,
            "L": timeout,  # RFC 6026 §8.7
            "M": timeout,  # RFC 6026 §8.4
        }
        return table[name]

    def backoff(self, interval: float, *, cap: bool = True) -> float:
        """The next retransmission interval after ``interval``.

        RFC 3261 §17.1.2.2: "the interval ... doubles ... until it reaches T2"
        (E, G and the 2xx retransmissions of §13.3.1.4); timer A doubles with
        no cap (§17.1.1.2: "reset the timer with a value of 2*T1").
        """
        doubled = 2 * interval
        return min(doubled, self.t2) if cap else doubled
