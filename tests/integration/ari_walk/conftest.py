"""Fixtures of the operation walk: an Ariel of its own and a UDP socket for its contact.

The walk reuses the SIP call tests' helpers (``tests/integration/sip`` is put on
``sys.path`` for that): SIPp phones and :class:`~ari_app_events.AppEvents`.
"""

from __future__ import annotations

import socket
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
SIP_HELPERS = str(HERE.parent / "sip")
if SIP_HELPERS not in sys.path:
    sys.path.insert(0, SIP_HELPERS)

from ariel_process import free_port, launch_ariel  # noqa: E402
from walk_config import WalkServer, write_walk_config  # noqa: E402


@pytest.fixture(scope="module")
def walk_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WalkServer]:
    """``python -m ariel run`` on the walk configuration (``walk_config``)."""
    root = tmp_path_factory.mktemp("ariel-walk")
    config_dir = root / "config"
    config_dir.mkdir()
    http_port = free_port()
    sip_port = free_port(socket.SOCK_DGRAM)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as contact:
        contact.bind(("127.0.0.1", 0))
        contact.setblocking(False)
        write_walk_config(
            config_dir,
            http_port=http_port,
            sip_port=sip_port,
            contact_port=contact.getsockname()[1],
        )
        with launch_ariel(root, config_dir, http_port=http_port, sip_port=sip_port) as server:
            yield WalkServer(server=server, contact=contact)
