"""What the core needs from a channel technology to place calls.

ARI's originate/create/dial reach drivers only through these protocols, so
the HTTP layer never imports a driver.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from ariel.core.channels.channel import Channel
from ariel.core.snapshots import CallerId

__all__ = ["ChannelDriver", "Dialable", "Redirector", "TransferReporter"]


class Dialable(Protocol):
    """A technology whose channels can be dialled."""

    async def dial(
        self, chan: Channel, timeout: float, *, dialstring: str, caller: Channel | None = None
    ) -> bool:
        """Place the call; True once answered, False when it failed (channel to hang up).

        ``caller`` is the channel dialling (the Dial application's), named in Dial events.
        """
        ...


class ChannelDriver(Protocol):
    """Creates outgoing channels of one technology (``PJSIP``)."""

    def create_channel(self, resource: str, *, channel_id: str, caller: CallerId) -> Channel | None:
        """A new channel in state Down towards ``resource``, or None (allocation failed)."""
        ...


@runtime_checkable
class Redirector(Protocol):
    """A technology that can send one of its channels elsewhere (ARI redirect)."""

    def redirect(self, chan: Channel, resource: str) -> bool:
        """Send ``chan``'s far end to ``resource``; False when ``resource`` is unknown."""
        ...


@runtime_checkable
class TransferReporter(Protocol):
    """A technology that tells the far end how a transfer it asked for goes."""

    def transfer_progress(self, chan: Channel, state: str) -> bool:
        """Report ``state`` (a key of TRANSFER_STATES); False when no transfer is pending."""
        ...
