"""UDP sockets for SIP and RTP: datagrams in, datagrams out, nothing else.

The protocol layers above are sans-IO; this module only moves bytes. Errors
from the network (ICMP unreachable and the like) are logged and dropped: a
peer that went away must never take the server down.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
from collections.abc import Callable

__all__ = ["Address", "UdpEndpoint", "local_address_towards", "open_udp"]

log = logging.getLogger("ariel.net.udp")

Address = tuple[str, int]
OnDatagram = Callable[[bytes, Address], None]


class _Protocol(asyncio.DatagramProtocol):
    def __init__(self, on_datagram: OnDatagram) -> None:
        self._on_datagram = on_datagram

    def datagram_received(self, data: bytes, addr: tuple[str | int, ...]) -> None:
        host, port = str(addr[0]), int(addr[1])
        try:
            self._on_datagram(data, (host, port))
        except Exception:
            log.exception("datagram handler failed for a packet from %s:%d", host, port)

    def error_received(self, exc: Exception) -> None:
        log.debug("udp error: %s", exc)


class _DirectProtocol(asyncio.DatagramProtocol):
    """Hands each datagram straight to the handler: no wrapper call per packet.

    For handlers that never raise (an RTP stream drops what it cannot parse);
    should one raise anyway, the event loop's exception handler logs it.
    """

    def __init__(self, on_datagram: OnDatagram) -> None:
        self.datagram_received = on_datagram  # type: ignore[assignment]

    def error_received(self, exc: Exception) -> None:
        log.debug("udp error: %s", exc)


class UdpEndpoint:
    """A bound UDP socket."""

    def __init__(self, transport: asyncio.DatagramTransport) -> None:
        self._transport = transport
        #: The transport's own ``sendto``, for the hot path of a stream that
        #: knows the socket is open (it drops the endpoint when closing it).
        self.sendto = transport.sendto

    @property
    def local_address(self) -> Address:
        """Where the socket is bound."""
        host, port = self._transport.get_extra_info("sockname")[:2]
        return str(host), int(port)

    def send(self, data: bytes, addr: Address) -> None:
        """Send one datagram (never blocks; drops on a closed socket)."""
        if not self._transport.is_closing():
            self._transport.sendto(data, addr)

    def close(self) -> None:
        """Close the socket."""
        self._transport.close()


async def open_udp(
    host: str, port: int, on_datagram: OnDatagram, *, direct: bool = False
) -> UdpEndpoint:
    """Bind ``host:port`` (port 0 picks one) and deliver datagrams to ``on_datagram``.

    A numeric address is bound directly: handing asyncio a ``local_addr`` would
    resolve it with getaddrinfo in a worker thread, once per call's RTP socket.
    ``direct`` hands datagrams over as the event loop gives them (the address
    as the loop builds it) to a handler that never raises: RTP's hot path.

    Raises:
        OSError: The address cannot be bound (in use, not local).
    """
    loop = asyncio.get_running_loop()
    protocol = _DirectProtocol if direct else _Protocol
    try:
        family = socket.AF_INET6 if ipaddress.ip_address(host).version == 6 else socket.AF_INET
    except ValueError:  # a host name: let asyncio resolve it
        transport, _ = await loop.create_datagram_endpoint(
            lambda: protocol(on_datagram), local_addr=(host, port)
        )
        return UdpEndpoint(transport)
    sock = socket.socket(family, socket.SOCK_DGRAM)
    try:
        sock.setblocking(False)
        sock.bind((host, port))
        transport, _ = await loop.create_datagram_endpoint(lambda: protocol(on_datagram), sock=sock)
    except BaseException:
        sock.close()
        raise
    return UdpEndpoint(transport)


def local_address_towards(host: str, port: int) -> str:
    """The local IP address the system would send from to reach ``host:port``.

    A connected UDP socket sends nothing; the kernel only picks a route.
    Falls back to ``0.0.0.0`` when there is no route.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_DGRAM) as probe:
            probe.connect((host, port))
            return str(probe.getsockname()[0])
    except OSError:
        return "::" if family == socket.AF_INET6 else "0.0.0.0"
