"""WebSocket client connections (Ariel is the client): ARI outbound sockets, media.

Theory of operation: :func:`connect` opens one connection as a
websocket_client.conf section describes it (anything with the attributes of
:class:`ClientSettings`, such as ``ariel.config.WebSocketClient``): the
subprotocols are offered, ``username``/``password`` become an HTTP Basic
``Authorization`` header on the upgrade request (as res_websocket_client
sends it), TLS follows ``tls_enabled``/``wss`` with the configured CA and
client certificate, and ``enable_pingpongs`` makes the client PING every
``pingpong_interval`` seconds and drop a peer that stops answering.  One
attempt lasts at most ``connection_timeout`` milliseconds; retrying is the
caller's business.  The returned :class:`WebSocketConnection` carries text
and binary frames; :meth:`WebSocketConnection.receive` answers ``None`` once
the connection is closed, from either side.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import logging
import ssl
from typing import Protocol

import aiohttp

__all__ = ["ClientSettings", "WebSocketConnectError", "WebSocketConnection", "connect"]

log = logging.getLogger("ariel.net.websocket")

#: How long a close handshake may take before the socket is dropped.
CLOSE_TIMEOUT_S = 1.0


class ClientSettings(Protocol):
    """What :func:`connect` reads of a websocket_client.conf section."""

    @property
    def name(self) -> str: ...
    @property
    def uri(self) -> str: ...
    @property
    def protocols(self) -> tuple[str, ...]: ...
    @property
    def username(self) -> str: ...
    @property
    def password(self) -> str: ...
    @property
    def connection_timeout(self) -> int: ...
    @property
    def uses_tls(self) -> bool: ...
    @property
    def ca_list_file(self) -> str: ...
    @property
    def ca_list_path(self) -> str: ...
    @property
    def cert_file(self) -> str: ...
    @property
    def priv_key_file(self) -> str: ...
    @property
    def verify_server_cert(self) -> bool: ...
    @property
    def verify_server_hostname(self) -> bool: ...
    @property
    def enable_pingpongs(self) -> bool: ...
    @property
    def pingpong_interval(self) -> int: ...


class WebSocketConnectError(ConnectionError):
    """A connection attempt failed (refused, timed out, upgrade refused, TLS)."""


class WebSocketConnection:
    """One open client WebSocket.

    Attributes:
        protocol: The subprotocol the server chose (``""`` for none).
        peer: ``host:port`` of the server.
    """

    def __init__(self, session: aiohttp.ClientSession, ws: aiohttp.ClientWebSocketResponse) -> None:
        self._session = session
        self._ws = ws
        self.protocol = ws.protocol or ""
        peer = ws.get_extra_info("peername")
        self.peer = f"{peer[0]}:{peer[1]}" if peer else ""

    @property
    def closed(self) -> bool:
        """Whether the connection is closed (or closing)."""
        return self._ws.closed

    async def send_text(self, text: str) -> None:
        """Send one text frame.

        Raises:
            ConnectionError: If the connection is closed.
        """
        if self._ws.closed:
            raise ConnectionError("WebSocket is closed")
        await self._ws.send_str(text)

    async def send_bytes(self, data: bytes) -> None:
        """Send one binary frame.

        Raises:
            ConnectionError: If the connection is closed.
        """
        if self._ws.closed:
            raise ConnectionError("WebSocket is closed")
        await self._ws.send_bytes(data)

    async def receive(self) -> str | bytes | None:
        """The next text or binary message; ``None`` once the connection is closed."""
        while True:
            try:
                msg = await self._ws.receive()
            except (ConnectionError, OSError, RuntimeError):
                return None
            if msg.type == aiohttp.WSMsgType.TEXT:
                return str(msg.data)
            if msg.type == aiohttp.WSMsgType.BINARY:
                return bytes(msg.data)
            if msg.type in (
                aiohttp.WSMsgType.CLOSE,
                aiohttp.WSMsgType.CLOSING,
                aiohttp.WSMsgType.CLOSED,
                aiohttp.WSMsgType.ERROR,
            ):
                return None

    async def close(self) -> None:
        """Close the connection (a close handshake, bounded in time)."""
        try:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._ws.close(), CLOSE_TIMEOUT_S)
        finally:
            await self._session.close()


def _ssl_context(settings: ClientSettings) -> ssl.SSLContext | bool:
    if not settings.uses_tls:
        return False
    context = ssl.create_default_context(
        cafile=settings.ca_list_file or None, capath=settings.ca_list_path or None
    )
    if settings.cert_file:
        context.load_cert_chain(settings.cert_file, settings.priv_key_file or None)
    if not settings.verify_server_hostname or not settings.verify_server_cert:
        context.check_hostname = False
    if not settings.verify_server_cert:
        context.verify_mode = ssl.CERT_NONE
    return context


def _headers(settings: ClientSettings) -> dict[str, str]:
    if not settings.username:
        return {}
    pair = f"{settings.username}:{settings.password}".encode()
    return {"Authorization": "Basic " + base64.b64encode(pair).decode("ascii")}


def _url(settings: ClientSettings) -> str:
    uri = settings.uri
    if settings.uses_tls and uri.lower().startswith("ws:"):
        return "wss:" + uri[3:]
    return uri


async def connect(settings: ClientSettings) -> WebSocketConnection:
    """Open one connection as ``settings`` describe (one attempt).

    Raises:
        WebSocketConnectError: If the attempt fails or takes longer than
            ``connection_timeout`` milliseconds.
    """
    timeout_s = max(settings.connection_timeout, 1) / 1000.0
    try:
        ssl_arg = _ssl_context(settings)
    except (OSError, ssl.SSLError) as exc:
        raise WebSocketConnectError(f"{settings.name}: TLS setup failed: {exc}") from exc
    session = aiohttp.ClientSession()
    try:
        ws = await asyncio.wait_for(
            session.ws_connect(
                _url(settings),
                protocols=settings.protocols,
                headers=_headers(settings),
                ssl=ssl_arg,
                autoping=True,
                heartbeat=float(settings.pingpong_interval) if settings.enable_pingpongs else None,
                max_msg_size=0,
            ),
            timeout_s,
        )
    except (TimeoutError, aiohttp.ClientError, OSError, ValueError) as exc:
        await session.close()
        reason = "timed out" if isinstance(exc, TimeoutError) else str(exc) or type(exc).__name__
        message = f"{settings.name}: cannot connect to {settings.uri}: {reason}"
        raise WebSocketConnectError(message) from exc
    except BaseException:
        await session.close()
        raise
    log.debug("%s: connected to %s", settings.name, settings.uri)
    return WebSocketConnection(session, ws)
