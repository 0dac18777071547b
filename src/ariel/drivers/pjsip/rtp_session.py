"""The RTP socket of one call: bound from rtp.conf's range, counted, closed.

Until the media engine (issue #4) takes the stream over, a session binds the
port announced in SDP, learns the peer's address (symmetric RTP, like
``rtp_symmetric = yes``), counts what arrives and reports Asterisk's
``RTPAUDIOQOS*`` figures at hangup.
"""

from __future__ import annotations

import logging
import random

from ariel.net.ports import PortAllocator, PortsExhausted
from ariel.net.udp import Address, UdpEndpoint, open_udp

__all__ = ["RtpSession", "open_rtp_session"]

log = logging.getLogger("ariel.rtp")

BIND_ATTEMPTS = 20


class RtpSession:
    """One bound RTP port."""

    def __init__(self, ports: PortAllocator, port: int, host: str) -> None:
        self._ports = ports
        self.port = port
        self.host = host
        self.endpoint: UdpEndpoint | None = None
        self.remote: Address | None = None
        self.rx_packets = 0
        self.rx_bytes = 0
        self.tx_packets = 0
        self.ssrc = random.getrandbits(32)
        self.remote_ssrc = 0

    def on_datagram(self, data: bytes, addr: Address) -> None:
        """Count a packet and learn where the peer sends from."""
        if len(data) < 12 or data[0] >> 6 != 2:
            return
        self.rx_packets += 1
        self.rx_bytes += len(data)
        self.remote_ssrc = int.from_bytes(data[8:12], "big")
        self.remote = addr

    def set_remote(self, host: str, port: int) -> None:
        """Where SDP says the peer receives (until symmetric RTP learns better)."""
        if self.remote is None:
            self.remote = (host, port)

    def qos_variables(self) -> list[tuple[str, str]]:
        """``RTPAUDIOQOS*`` variables as chan_pjsip sets them at hangup."""
        summary = (
            f"ssrc={self.ssrc};themssrc={self.remote_ssrc};lp=0;rxjitter=0.000000;"
            f"rxcount={self.rx_packets};txjitter=0.000000;txcount={self.tx_packets};"
            "rlp=0;rtt=0.000000"
        )
        return [
            ("RTPAUDIOQOS", summary),
            (
                "RTPAUDIOQOSJITTER",
                "minrxjitter=0.000000;maxrxjitter=0.000000;avgrxjitter=0.000000;stdevrxjitter=0.000000;reported_minjitter=0.000000;reported_maxjitter=0.000000;reported_avgjitter=0.000000;reported_stdevjitter=0.000000;",
            ),
            (
                "RTPAUDIOQOSLOSS",
                "minrxlost=0.000000;maxrxlost=0.000000;avgrxlost=0.000000;stdevrxlost=0.000000;reported_minlost=0.000000;reported_maxlost=0.000000;reported_avglost=0.000000;reported_stdevlost=0.000000;",
            ),
            (
                "RTPAUDIOQOSRTT",
                "minrtt=0.000000;maxrtt=0.000000;avgrtt=0.000000;stdevrtt=0.000000;",
            ),
            (
                "RTPAUDIOQOSMES",
                "minrxmes=0.000000;maxrxmes=0.000000;avgrxmes=0.000000;stdevrxmes=0.000000;reported_minmes=0.000000;reported_maxmes=0.000000;reported_avgmes=0.000000;reported_stdevmes=0.000000;",
            ),
        ]

    def close(self) -> None:
        """Close the socket and give the port back."""
        if self.endpoint is not None:
            self.endpoint.close()
            self.endpoint = None
            self._ports.release(self.port)


async def open_rtp_session(ports: PortAllocator, host: str) -> RtpSession:
    """Bind an even port from the range on ``host`` (skipping ports in use elsewhere)."""
    for _ in range(BIND_ATTEMPTS):
        port = ports.allocate()
        session = RtpSession(ports, port, host)
        try:
            session.endpoint = await open_udp(host, port, session.on_datagram)
        except OSError:
            ports.release(port)
            continue
        return session
    raise PortsExhausted(f"no bindable RTP port on {host}")
