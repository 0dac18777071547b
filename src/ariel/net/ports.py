"""RTP port allocation from rtp.conf's ``rtpstart``..``rtpend`` range.

RTP takes even ports and leaves the odd one above each for RTCP (RFC 3550
§11: "RTP SHOULD use an even destination port number and the corresponding
RTCP stream SHOULD use the next higher (odd) destination port number").
Each allocation stands for the pair: the odd port is never handed out on its
own, so giving back the even port frees both (``open_rtp_stream`` binds the
two and skips a pair another program holds half of).
"""

from __future__ import annotations

import itertools
import socket

__all__ = ["PortAllocator", "PortsExhausted", "free_port"]


class PortsExhausted(Exception):
    """Every even port of the range is taken."""


class PortAllocator:
    """Hands out even ports (each with the odd one above, for RTCP) round-robin."""

    def __init__(self, start: int, end: int, *, offset: int = 0) -> None:
        first = start + (start % 2)
        if first > end - 1:
            raise ValueError(f"empty RTP port range {start}-{end}")
        self._ports = list(range(first, end, 2))
        # Start somewhere in the range (the server passes a random offset, as the
        # reference starts at a random port) and go round from there.
        shift = offset % len(self._ports)
        self._cycle = itertools.cycle(self._ports[shift:] + self._ports[:shift])
        self._used: set[int] = set()

    def allocate(self) -> int:
        """An unused even port (the caller binds it; on failure call ``release``)."""
        for _ in range(len(self._ports)):
            port = next(self._cycle)
            if port not in self._used:
                self._used.add(port)
                return port
        raise PortsExhausted(f"all {len(self._ports)} RTP ports are in use")

    def release(self, port: int) -> None:
        """Give ``port`` back (and with it the RTCP port above)."""
        self._used.discard(port)

    @property
    def size(self) -> int:
        """How many ports the range holds."""
        return len(self._ports)

    @property
    def in_use(self) -> int:
        """How many ports are taken."""
        return len(self._used)


def free_port(kind: socket.SocketKind = socket.SOCK_STREAM, host: str = "127.0.0.1") -> int:
    """A port on ``host`` that nothing is bound to right now (TCP or UDP)."""
    with socket.socket(socket.AF_INET, kind) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port
