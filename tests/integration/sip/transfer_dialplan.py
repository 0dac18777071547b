"""An Ariel for the transfer tests: the integration configuration plus transfer extensions.

``ari-only`` enters ``zarniwoop`` with ``PJSIP_TRANSFER_HANDLING()`` set to
``ari-only`` (REFERs become ChannelTransfer); ``300`` is a blind transfer
target that answers and plays ``tt-monkeys``. Everything else is the
integration dialplan (``242`` enters ``zarniwoop`` with the default, ``core``).
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

from ariel_process import EXTENSIONS_CONF, AriServer, free_port, launch_ariel, write_config

__all__ = ["TRANSFER_EXTENSIONS", "transfer_server"]

TRANSFER_EXTENSIONS = """
exten => ari-only,1,Set(PJSIP_TRANSFER_HANDLING()=ari-only)
 same => n,Stasis(zarniwoop)
 same => n,Hangup()

exten => 300,1,Answer()
 same => n,Playback(tt-monkeys)
 same => n,Hangup()
"""


def transfer_server(root: Path, *, rtp_block: tuple[int, int] | None = None) -> Iterator[AriServer]:
    """Starts the transfer Ariel under ``root``; yields it (a generator for fixtures)."""
    config_dir = root / "config"
    config_dir.mkdir()
    http_port = free_port()
    sip_port = free_port(socket.SOCK_DGRAM)
    write_config(config_dir, http_port=http_port, sip_port=sip_port)
    (config_dir / "extensions.conf").write_text(EXTENSIONS_CONF + TRANSFER_EXTENSIONS)
    if rtp_block is not None:
        start, end = rtp_block
        (config_dir / "rtp.conf").write_text(
            f"[general]\nrtpstart = {start}\nrtpend = {end}\nicesupport = no\n"
        )
    with launch_ariel(root, config_dir, http_port=http_port, sip_port=sip_port) as server:
        yield server
