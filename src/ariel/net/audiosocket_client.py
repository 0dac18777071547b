"""The TCP connection of an AudioSocket channel (Asterisk is the client).

Only bytes move here: :func:`connect_stream` opens the connection within the
reference's 2-second connect limit, with Nagle's algorithm off (the
reference sets ``TCP_NODELAY``: a 20 ms frame must not wait for the next);
:meth:`StreamConnection.start` then hands every read to ``on_data`` until the
peer closes, when ``on_closed`` runs once. Framing is ``ariel.media.audiosocket``'s
business, and the channel's.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from collections.abc import Callable

__all__ = ["CONNECT_TIMEOUT_S", "StreamConnection", "connect_stream"]

log = logging.getLogger("ariel.net.audiosocket")

#: res_audiosocket gives up a connect after 2000 ms.
CONNECT_TIMEOUT_S = 2.0
READ_SIZE = 65536


class StreamConnection:
    """One open TCP connection."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._reader = reader
        self._writer = writer
        self._task: asyncio.Task[None] | None = None
        self.closed = False
        peer = writer.get_extra_info("peername")
        self.peer = f"{peer[0]}:{peer[1]}" if peer else ""

    def start(self, on_data: Callable[[bytes], None], on_closed: Callable[[], None]) -> None:
        """Read in the background: ``on_data`` per read, ``on_closed`` once at the end."""
        self._task = asyncio.create_task(self._read(on_data, on_closed), name=f"tcp-{self.peer}")

    async def _read(self, on_data: Callable[[bytes], None], on_closed: Callable[[], None]) -> None:
        try:
            while True:
                try:
                    data = await self._reader.read(READ_SIZE)
                except (ConnectionError, OSError):
                    data = b""
                if not data:
                    break
                on_data(data)
                if self.closed:
                    return
        except asyncio.CancelledError:
            return
        if not self.closed:
            on_closed()

    def send(self, data: bytes) -> None:
        """Queue ``data`` (dropped once the connection is closed)."""
        if not self.closed and not self._writer.is_closing():
            self._writer.write(data)

    def close(self) -> None:
        """Close the connection and stop reading (``on_closed`` is not called)."""
        if self.closed:
            return
        self.closed = True
        task = self._task
        if task is not None and task is not asyncio.current_task():
            task.cancel()
        with contextlib.suppress(Exception):
            self._writer.close()


async def connect_stream(
    host: str, port: int, *, timeout: float = CONNECT_TIMEOUT_S
) -> StreamConnection:
    """Connect to ``host:port``.

    Raises:
        OSError: Refused, unreachable, or not connected within ``timeout``.
    """
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
    except TimeoutError:
        raise OSError(f"connect to {host}:{port} timed out after {timeout:.1f} s") from None
    sock = writer.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return StreamConnection(reader, writer)
