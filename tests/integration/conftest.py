"""Fixtures that start a real Ariel for the integration tests.

``ariel_server`` runs ``python -m ariel run -C <tmpdir>`` as a subprocess on a
configuration written in Asterisk syntax (the conformance configuration, with
free loopback ports instead of 8088/5060), waits until ``/ari/asterisk/ping``
answers, and on teardown checks that SIGTERM stops it cleanly with status 0.

Every test collected under ``tests/integration`` gets the ``integration`` marker.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from ariel_process import (
    PASSWORD,
    USER,
    VIEWER,
    VIEWER_PASSWORD,
    AriServer,
    free_port,
    launch_ariel,
    write_config,
)

__all__ = ["PASSWORD", "USER", "VIEWER", "VIEWER_PASSWORD", "AriServer", "ariel_server"]

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(pytest.mark.integration)


@pytest.fixture(scope="session")
def ariel_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AriServer]:
    """Starts ``python -m ariel run -C <tmp>`` and yields an :class:`AriServer`."""
    root = tmp_path_factory.mktemp("ariel")
    config_dir = root / "config"
    config_dir.mkdir()
    http_port = free_port()
    sip_port = free_port(socket.SOCK_DGRAM)
    write_config(config_dir, http_port=http_port, sip_port=sip_port)
    with launch_ariel(root, config_dir, http_port=http_port, sip_port=sip_port) as server:
        yield server
