"""The hook through which ``Stasis()`` opens a per-call application.

ARI outbound WebSockets of ``connection_type = per_call_config`` register no
application up front.  When ``Stasis(app)`` finds ``app`` unregistered, it asks
the :class:`PerCallOpener` installed on the server's applications: the opener
connects to the app server, registers an application of its own (the
reference names it ``<app>:<channel name>``) and answers a lease, or ``None``
when no connection serves ``app`` or connecting failed (``STASISSTATUS`` is
then ``FAILED``).  The lease is released when the channel leaves Stasis; the
connection closes after the events already queued are sent.
"""

from __future__ import annotations

from typing import Protocol

__all__ = ["PerCallLease", "PerCallOpener"]


class PerCallLease(Protocol):
    """One call's application on its own connection."""

    @property
    def app(self) -> str:
        """The registered application's name."""
        ...

    def release(self) -> None:
        """The channel left Stasis: close the connection (never blocks)."""
        ...


class PerCallOpener(Protocol):
    """Opens per-call applications (installed as ``Applications.per_call``)."""

    def serves(self, app: str) -> bool:
        """Whether a per-call connection is configured for ``app``."""
        ...

    async def open(self, app: str, channel_name: str) -> PerCallLease | None:
        """Connect and register the call's application; ``None`` if that failed."""
        ...
