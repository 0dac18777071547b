"""TCP transport: accepted and opened connections, found by peer, closed cleanly."""

from __future__ import annotations

import asyncio
import socket

import pytest

from ariel.net.tcp import TcpConnection, TcpTransport

pytestmark = pytest.mark.integration


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_accepted_connection_delivers_data_and_answers_on_the_same_connection() -> None:
    received: list[tuple[TcpConnection, bytes]] = []
    closed: list[TcpConnection] = []

    def echo(conn: TcpConnection, data: bytes) -> None:
        received.append((conn, data))
        conn.send(b"got " + data)

    server = TcpTransport(echo, on_closed=closed.append)
    port = _free_port()
    await server.listen("127.0.0.1", port)
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"hello")
    await writer.drain()
    assert await asyncio.wait_for(reader.read(100), 2) == b"got hello"
    conn, data = received[0]
    assert data == b"hello"
    assert server.connection_to(conn.peer) is conn
    writer.close()
    await writer.wait_closed()
    for _ in range(50):
        if closed:
            break
        await asyncio.sleep(0.02)
    assert closed == [conn]
    assert server.connection_to(conn.peer) is None
    server.close()


async def test_connect_opens_a_connection_that_is_read_like_an_accepted_one() -> None:
    got: list[bytes] = []
    client = TcpTransport(lambda _conn, data: got.append(data))
    server_side: list[TcpConnection] = []
    server = TcpTransport(lambda conn, data: server_side.append(conn) or conn.send(b"pong"))
    port = _free_port()
    await server.listen("127.0.0.1", port)
    conn = await client.connect("127.0.0.1", port)
    assert client.connection_to(("127.0.0.1", port)) is conn
    conn.send(b"ping")
    for _ in range(50):
        if got:
            break
        await asyncio.sleep(0.02)
    assert got == [b"pong"]
    client.close()
    server.close()
    assert conn.closed
    conn.send(b"after close is dropped")
