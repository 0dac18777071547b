"""OPTIONS qualify: which contacts to ping, and what the pings say.

Theory of operation, after res_pjsip's qualify: every contact of an AoR with
``qualify_frequency`` above 0 (static or registered) is sent an OPTIONS
request that often. Any final response makes the contact ``Reachable`` (with
its round-trip time); no answer within ``qualify_timeout`` makes it
``Unreachable``. Only changes are reported, so a contact that stays reachable
is not announced every period. Pure: times are passed in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ariel.config.pjsip_objects import Aor

__all__ = ["Probe", "Qualifier", "StatusChange"]


@dataclass(frozen=True, slots=True)
class Probe:
    """One OPTIONS on its way."""

    aor: str
    uri: str
    sent_at: float
    deadline: float


@dataclass(frozen=True, slots=True)
class StatusChange:
    """A contact's reachability changed."""

    aor: str
    uri: str
    status: str  # Reachable or Unreachable
    roundtrip_usec: int | None = None


class Qualifier:
    """The qualify schedule and the contacts' last known status."""

    def __init__(self, aors: Iterable[Aor], contacts: Callable[[str], Iterable[str]]) -> None:
        self._aors = [a for a in aors if a.qualify_frequency > 0]
        self._contacts = contacts
        self._next: dict[tuple[str, str], float] = {}
        self._status: dict[tuple[str, str], str] = {}
        self._pending: dict[object, Probe] = {}

    def due(self, now: float) -> list[tuple[Aor, str]]:
        """The contacts to send an OPTIONS to now."""
        out: list[tuple[Aor, str]] = []
        busy = {(p.aor, p.uri) for p in self._pending.values()}
        for aor in self._aors:
            for uri in self._contacts(aor.name):
                key = (aor.name, uri)
                if key in busy or self._next.get(key, now) > now:
                    continue
                self._next[key] = now + aor.qualify_frequency
                out.append((aor, uri))
        return out

    def sent(self, ident: object, aor: Aor, uri: str, now: float) -> None:
        """An OPTIONS for ``uri`` left, identified by ``ident`` (its transaction)."""
        timeout = aor.qualify_timeout if aor.qualify_timeout > 0 else 3.0
        self._pending[ident] = Probe(aor.name, uri, now, now + timeout)

    def answered(self, ident: object, now: float) -> StatusChange | None:
        """A final response to probe ``ident`` arrived."""
        probe = self._pending.pop(ident, None)
        if probe is None:
            return None
        rtt = int((now - probe.sent_at) * 1_000_000)
        return self._set(probe, "Reachable", rtt)

    def expire(self, now: float) -> list[StatusChange]:
        """Probes past their deadline: their contacts are unreachable."""
        changes: list[StatusChange] = []
        for ident, probe in list(self._pending.items()):
            if probe.deadline <= now:
                del self._pending[ident]
                change = self._set(probe, "Unreachable", None)
                if change is not None:
                    changes.append(change)
        return changes

    def failed(self, ident: object) -> StatusChange | None:
        """The probe's transaction gave up (timeout, transport error)."""
        probe = self._pending.pop(ident, None)
        return None if probe is None else self._set(probe, "Unreachable", None)

    def status(self, aor: str, uri: str) -> str:
        """``Reachable``, ``Unreachable`` or ``Unknown`` (not qualified yet)."""
        return self._status.get((aor, uri), "Unknown")

    def _set(self, probe: Probe, status: str, rtt: int | None) -> StatusChange | None:
        key = (probe.aor, probe.uri)
        if self._status.get(key) == status:
            return None
        self._status[key] = status
        return StatusChange(probe.aor, probe.uri, status, rtt)
