"""What the core needs from a channel technology to place calls.

ARI's originate/create/dial reach drivers only through these protocols, so
the HTTP layer never imports a driver.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from ariel.core.channels.channel import Channel
from ariel.core.snapshots import CallerId

__all__ = [
    "ChannelDriver",
    "Dialable",
    "IncomingMediaSockets",
    "MediaConnector",
    "MediaSocketLink",
    "MediaSocketSession",
    "NativeRelay",
    "Redirector",
    "TransferReporter",
]


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
class NativeRelay(Protocol):
    """A technology whose media can go straight to another's, undecoded (``native_rtp``)."""

    def relay_media_to(self, other: object | None) -> bool:
        """Send what the far end sends on to ``other``'s far end as is (``None``: stop).

        False when ``other`` cannot take it (another technology or codec).
        """
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


@runtime_checkable
class MediaConnector(Protocol):
    """A technology that reaches its far end when the channel is requested (AudioSocket).

    The reference connects during the channel request, so a peer that cannot be
    reached fails the request itself (externalMedia answers 500).
    """

    async def connect(self, chan: Channel) -> bool:
        """Open the connection; False when the far end cannot be reached."""
        ...


@dataclass(frozen=True, slots=True, kw_only=True)
class MediaSocketLink:
    """A connected media WebSocket, as the HTTP server (or a client) hands it over."""

    send_text: Callable[[str], Awaitable[None]]
    send_bytes: Callable[[bytes], Awaitable[None]]
    close: Callable[[int], Awaitable[None]]
    remote: str = ""


class MediaSocketSession(Protocol):
    """What a channel does with the frames of its media WebSocket."""

    def on_text(self, text: str) -> None:
        """A TEXT frame (a command)."""
        ...

    def on_binary(self, data: bytes) -> None:
        """A BINARY frame (media)."""
        ...

    def on_closed(self) -> None:
        """The socket is gone."""
        ...


@runtime_checkable
class IncomingMediaSockets(Protocol):
    """A technology whose channels wait for the app to connect (``/media/<connection_id>``)."""

    def media_socket_status(self, connection_id: str) -> int:
        """200 when a channel waits for it, 404 when none does, 409 when already connected."""
        ...

    def attach_media_socket(
        self, connection_id: str, link: MediaSocketLink
    ) -> MediaSocketSession | None:
        """Give the channel its socket; None when it no longer waits."""
        ...
