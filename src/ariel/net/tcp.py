"""TCP and TLS sockets for SIP: a listener, its connections, and connections we open.

TLS is TCP with an :class:`ssl.SSLContext` on the listener and on the
connections we open (framed like TCP); the caller builds the contexts from its
configuration. Only bytes move here: each connection's reads go to
``on_data`` with the connection, which frames them (``ariel.sip.framing``) and
can answer on the same connection, as RFC 3261 §18.2.2 asks for responses over
a reliable transport ("the server transport uses the connection the request
arrived on").
Connections are found by the peer's address. A peer that goes away is logged
and forgotten; nothing here raises into the caller.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import ssl
from collections.abc import Callable

from ariel.net.udp import Address

__all__ = ["TcpConnection", "TcpTransport"]

log = logging.getLogger("ariel.net.tcp")

READ_SIZE = 65536
#: Seconds a connection we open may take, TLS handshake included.
CONNECT_TIMEOUT_S = 10.0


class TcpConnection:
    """One TCP connection (accepted or opened)."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._reader = reader
        self._writer = writer
        host, port = writer.get_extra_info("peername")[:2]
        self.peer: Address = (str(host), int(port))
        #: Whether the connection speaks TLS.
        self.tls = writer.get_extra_info("ssl_object") is not None
        self.closed = False

    def send(self, data: bytes) -> None:
        """Queue ``data`` on the connection (dropped once it is closed)."""
        if not self.closed and not self._writer.is_closing():
            self._writer.write(data)

    def close(self) -> None:
        """Close the connection."""
        if not self.closed:
            self.closed = True
            self._writer.close()

    async def read(self) -> bytes:
        """The next bytes, or ``b""`` at the end of the stream."""
        try:
            return await self._reader.read(READ_SIZE)
        except (ConnectionError, OSError):
            return b""


OnData = Callable[[TcpConnection, bytes], None]


class TcpTransport:
    """A listening socket and every connection of one SIP transport."""

    def __init__(
        self, on_data: OnData, on_closed: Callable[[TcpConnection], None] | None = None
    ) -> None:
        self._on_data = on_data
        self._on_closed = on_closed
        self._server: asyncio.Server | None = None
        self._connections: dict[Address, TcpConnection] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    async def listen(
        self, host: str, port: int, *, ssl_context: ssl.SSLContext | None = None
    ) -> None:
        """Accept connections on ``host:port``; TLS ones when ``ssl_context`` is given.

        A TLS handshake that fails closes that connection before ``on_data``
        hears of it.
        """
        self._server = await asyncio.start_server(self._accepted, host, port, ssl=ssl_context)

    def connection_to(self, peer: Address) -> TcpConnection | None:
        """The open connection with ``peer``, if any."""
        conn = self._connections.get(peer)
        return None if conn is None or conn.closed else conn

    async def connect(
        self,
        host: str,
        port: int,
        *,
        ssl_context: ssl.SSLContext | None = None,
        server_hostname: str | None = None,
    ) -> TcpConnection:
        """Open a connection to ``host:port`` (and read from it like an accepted one).

        Args:
            host: Where to connect.
            port: The port there.
            ssl_context: Speak TLS with this context (its ``verify_mode`` and
                ``check_hostname`` decide how the server's certificate is checked).
            server_hostname: The name to send (SNI) and check the certificate
                against; ``host`` when not given.

        Raises:
            OSError: The connection could not be made, the TLS handshake failed
                (:class:`ssl.SSLError`) or it took over ``CONNECT_TIMEOUT_S``.
        """
        opening = asyncio.open_connection(
            host,
            port,
            ssl=ssl_context,
            server_hostname=server_hostname if ssl_context is not None else None,
        )
        reader, writer = await asyncio.wait_for(opening, CONNECT_TIMEOUT_S)
        conn = TcpConnection(reader, writer)
        self._serve(conn)
        return conn

    async def _accepted(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        conn = TcpConnection(reader, writer)
        self._connections[conn.peer] = conn
        await self._read_until_closed(conn)

    def _serve(self, conn: TcpConnection) -> None:
        self._connections[conn.peer] = conn
        task = asyncio.get_running_loop().create_task(self._read_until_closed(conn))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _read_until_closed(self, conn: TcpConnection) -> None:
        try:
            while not conn.closed:
                data = await conn.read()
                if not data:
                    break
                try:
                    self._on_data(conn, data)
                except Exception:
                    log.exception("handler failed for data from %s:%d", *conn.peer)
        finally:
            conn.close()
            if self._connections.get(conn.peer) is conn:
                del self._connections[conn.peer]
            if self._on_closed is not None:
                self._on_closed(conn)

    def close(self) -> None:
        """Stop listening and close every connection."""
        if self._server is not None:
            self._server.close()
            self._server = None
        for conn in list(self._connections.values()):
            conn.close()
        self._connections.clear()
        for task in list(self._tasks):
            with contextlib.suppress(Exception):
                task.cancel()
