"""Outgoing media WebSockets: a ``WebSocket/<client>/...`` channel connects to the app.

Theory of operation, after Asterisk's ``chan_websocket`` and
``res_websocket_client``: when such a channel is dialled, the
``websocket_client.conf`` section named ``<client>`` says where to connect
(its ``uri``, with the dial string's ``v(...)`` parameters appended after
``?``, or after ``&`` when the URI already has a query), which subprotocols
to offer (``media``), and how hard to try: up to ``reconnect_attempts``
attempts of at most ``connection_timeout`` ms each, ``reconnect_interval`` ms
apart. Nothing is appended to the URI for the channel itself: the app learns
which channel connected from the ``MEDIA_START`` message the channel sends
first. When every attempt fails the dial fails and the channel hangs up
(cause 3, "No route to destination").

Once connected, one reader task per socket hands each TEXT frame to the
channel's :class:`MediaSocketSession` as a command and each BINARY frame as
media; the socket closing (from either side) ends the reader and tells the
session, which hangs the channel up. Closing the link closes the socket and
waits for the reader, so nothing outlives the channel.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Protocol

from ariel.config.websocket_client import WebSocketClient
from ariel.core.channels.drivers import MediaSocketLink, MediaSocketSession
from ariel.net.websocket_client import WebSocketConnectError

__all__ = ["MediaClientConnection", "OutboundMediaConnector", "client_uri"]

log = logging.getLogger("ariel.websocket_media")

#: How long closing a link waits for its reader to finish.
READER_STOP_S = 2.0


class MediaClientConnection(Protocol):
    """What the connector needs of an open client WebSocket (``ariel.net``'s)."""

    @property
    def peer(self) -> str: ...
    async def send_text(self, text: str) -> None: ...
    async def send_bytes(self, data: bytes) -> None: ...
    async def receive(self) -> str | bytes | None: ...
    async def close(self) -> None: ...


#: Makes one connection attempt as a websocket_client.conf section describes.
ConnectOnce = Callable[[WebSocketClient], Awaitable[MediaClientConnection]]


def client_uri(uri: str, params: str) -> str:
    """``uri`` with the dial string's URI parameters appended (``?`` or ``&``)."""
    if not params:
        return uri
    return f"{uri}{'&' if '?' in uri else '?'}{params}"


class OutboundMediaConnector:
    """Opens the media WebSocket of an outgoing ``WebSocket/`` channel.

    Args:
        clients: ``websocket_client.conf`` connections by id.
        connect: Makes one connection attempt (``ariel.net.websocket_client.connect``).
        sleep: Waits between attempts (injected for tests).
    """

    def __init__(
        self,
        clients: Mapping[str, WebSocketClient],
        connect: ConnectOnce,
        *,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.clients = clients
        self._connect = connect
        self._sleep = sleep

    async def __call__(
        self, client_id: str, uri_params: str, session: MediaSocketSession
    ) -> MediaSocketLink | None:
        """Connect to client ``client_id``; the link, or ``None`` if it is unknown.

        Raises:
            WebSocketConnectError: If every attempt failed.
        """
        client = self.clients.get(client_id)
        if client is None:
            log.error("WebSocket client connection '%s' not found", client_id)
            return None
        settings = dataclasses.replace(client, uri=client_uri(client.uri, uri_params))
        connection = await self._attempts(settings)
        return _link(connection, session, client_id)

    async def _attempts(self, settings: WebSocketClient) -> MediaClientConnection:
        tries = max(settings.reconnect_attempts, 1)
        for attempt in range(1, tries + 1):
            try:
                return await self._connect(settings)
            except WebSocketConnectError as exc:
                if attempt == tries:
                    log.warning(
                        "%s: WebSocket connection to %s failed after %d tries: %s",
                        settings.name,
                        settings.uri,
                        tries,
                        exc,
                    )
                    raise
            await self._sleep(settings.reconnect_interval / 1000.0)
        raise AssertionError("unreachable")  # pragma: no cover


def _link(
    connection: MediaClientConnection, session: MediaSocketSession, client_id: str
) -> MediaSocketLink:
    """The link of an open connection, with its reader already running."""

    async def read() -> None:
        try:
            while (message := await connection.receive()) is not None:
                if isinstance(message, str):
                    session.on_text(message)
                else:
                    session.on_binary(message)
        except Exception:  # a bad frame or a broken session must not outlive the call
            log.exception("%s: media WebSocket reader failed", client_id)
        finally:
            session.on_closed()

    reader = asyncio.create_task(read(), name=f"ws-media-read-{client_id}")

    async def close(code: int) -> None:
        await connection.close()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(asyncio.shield(reader), READER_STOP_S)
        if not reader.done():
            reader.cancel()

    return MediaSocketLink(
        send_text=connection.send_text,
        send_bytes=connection.send_bytes,
        close=close,
        remote=connection.peer,
    )
