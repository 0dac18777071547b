"""A registered baresip whose SIP goes over TLS.

:class:`TlsBaresip` is a :class:`RegisteredBaresip` whose account names the
registrar with ``;transport=tls``; it trusts the test CA (``sip_cafile``) and
has a certificate of its own (``sip_certificate``), which its TLS listener
(baresip listens for TLS on its SIP port + 1) shows to the connections Ariel
opens to the registered contact.
"""

from __future__ import annotations

import socket
from pathlib import Path

from baresip_registered import RegisteredBaresip

__all__ = ["TlsBaresip"]


class TlsBaresip(RegisteredBaresip):
    """baresip registering and calling over TLS, trusting ``ca`` and showing ``certificate``."""

    def __init__(
        self,
        *,
        workdir: Path,
        ca: Path,
        certificate: Path,
        tls_port: int,
        user: str,
        password: str,
        display: str,
        dial: str = "",
    ) -> None:
        super().__init__(
            workdir=workdir,
            registrar=f"127.0.0.1:{tls_port};transport=tls",
            user=user,
            password=password,
            display=display,
            dial=dial,
        )
        self.ca = ca
        self.certificate = certificate
        self.sip_port = _port_with_a_free_next()

    def write_config(self) -> None:
        super().write_config()
        config = self.workdir / "config"
        config.write_text(
            config.read_text() + f"sip_cafile {self.ca}\nsip_certificate {self.certificate}\n"
        )


def _port_with_a_free_next(attempts: int = 50) -> int:
    """A port free for UDP and TCP whose next port is free for TCP (the TLS listener)."""
    for _ in range(attempts):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
            udp.bind(("127.0.0.1", 0))
            port: int = udp.getsockname()[1]
            try:
                for candidate in (port, port + 1):
                    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as tcp:
                        tcp.bind(("127.0.0.1", candidate))
            except OSError:
                continue
        return port
    raise RuntimeError("no port pair free for baresip's SIP and TLS listeners")
