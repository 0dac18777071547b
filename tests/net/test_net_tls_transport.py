"""TLS on the stream transport: handshakes both ways, answers on the same connection, refusals."""

from __future__ import annotations

import asyncio
import shutil
import socket
import ssl
import subprocess
from pathlib import Path

import pytest

from ariel.net.tcp import TcpConnection, TcpTransport

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl is missing"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _self_signed(directory: Path) -> tuple[Path, Path]:
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key),
         "-out", str(cert), "-days", "2", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return cert, key


@pytest.fixture(scope="module")
def pem(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return _self_signed(tmp_path_factory.mktemp("tls"))


def _server_context(cert: Path, key: Path) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context


def _client_context(trusted: Path) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.load_verify_locations(trusted)
    return context


async def _eventually(check: object, what: str) -> None:
    for _ in range(100):
        if callable(check) and check():
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"never: {what}")


async def test_tls_connection_both_ways_answers_on_the_same_connection(
    pem: tuple[Path, Path],
) -> None:
    cert, key = pem
    server_side: list[tuple[TcpConnection, bytes]] = []

    def echo(conn: TcpConnection, data: bytes) -> None:
        server_side.append((conn, data))
        conn.send(b"got " + data)

    server = TcpTransport(echo)
    port = _free_port()
    await server.listen("127.0.0.1", port, ssl_context=_server_context(cert, key))
    got: list[bytes] = []
    client = TcpTransport(lambda _conn, data: got.append(data))
    conn = await client.connect("127.0.0.1", port, ssl_context=_client_context(cert))
    assert conn.tls
    conn.send(b"OPTIONS")
    await _eventually(lambda: got, "the answer")
    assert got == [b"got OPTIONS"]
    accepted, data = server_side[0]
    assert (accepted.tls, data) == (True, b"OPTIONS")
    assert server.connection_to(accepted.peer) is accepted
    client.close()
    server.close()


async def test_plain_tcp_connections_say_they_are_not_tls() -> None:
    server = TcpTransport(lambda conn, data: conn.send(data))
    port = _free_port()
    await server.listen("127.0.0.1", port)
    client = TcpTransport(lambda _conn, _data: None)
    conn = await client.connect("127.0.0.1", port)
    assert not conn.tls
    client.close()
    server.close()


async def test_untrusted_server_certificate_fails_the_connect(
    pem: tuple[Path, Path], tmp_path: Path
) -> None:
    server = TcpTransport(lambda _conn, _data: None)
    port = _free_port()
    await server.listen("127.0.0.1", port, ssl_context=_server_context(*pem))
    stranger, _ = _self_signed(tmp_path)
    client = TcpTransport(lambda _conn, _data: None)
    with pytest.raises(ssl.SSLCertVerificationError):
        await client.connect("127.0.0.1", port, ssl_context=_client_context(stranger))
    assert client.connection_to(("127.0.0.1", port)) is None
    client.close()
    server.close()


async def test_server_name_is_checked_against_server_hostname(pem: tuple[Path, Path]) -> None:
    server = TcpTransport(lambda _conn, _data: None)
    port = _free_port()
    await server.listen("127.0.0.1", port, ssl_context=_server_context(*pem))
    client = TcpTransport(lambda _conn, _data: None)
    with pytest.raises(ssl.SSLCertVerificationError, match="Hostname mismatch"):
        await client.connect(
            "127.0.0.1",
            port,
            ssl_context=_client_context(pem[0]),
            server_hostname="sip.example.com",
        )
    client.close()
    server.close()


async def test_required_client_certificate_keeps_a_client_without_one_out(
    pem: tuple[Path, Path],
) -> None:
    cert, key = pem
    demanding = _server_context(cert, key)
    demanding.verify_mode = ssl.CERT_REQUIRED
    demanding.load_verify_locations(cert)
    heard: list[bytes] = []
    server = TcpTransport(lambda _conn, data: heard.append(data))
    port = _free_port()
    await server.listen("127.0.0.1", port, ssl_context=demanding)
    client = TcpTransport(lambda _conn, _data: None)
    try:
        conn = await client.connect("127.0.0.1", port, ssl_context=_client_context(cert))
    except (ssl.SSLError, ConnectionError):
        pass  # TLS 1.2: the handshake itself fails
    else:
        conn.send(b"REGISTER")  # TLS 1.3: the server's alert ends the connection after
        await _eventually(lambda: conn.closed, "the server closing the connection")
    await asyncio.sleep(0.1)
    assert heard == []
    client.close()
    server.close()
