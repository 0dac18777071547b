"""pytest fixtures for ARI apps: an in-process Ariel per test and a client on it.

Load it from a ``conftest.py``::

    pytest_plugins = ["ariel.testing.pytest_plugin"]

then write tests against a real server::

    async def test_my_app_answers(ari_client: AriClient) -> None:
        bridge = await ari_client.create_bridge("mixing")
        assert (await bridge.get()).bridge_type == "mixing"

Override ``ariel_config`` (configuration files by name, placeholders as in
`ariel.testing.server`) or ``ariel_app`` (the Stasis application the client
holds) in a module or ``conftest.py`` to change them. Needs pytest-asyncio.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from pathlib import Path

import pytest
import pytest_asyncio

from ariel.client import AriClient
from ariel.testing.server import RunningAriel, running_ariel

__all__ = ["ari_client", "ariel_app", "ariel_config", "ariel_server"]


@pytest.fixture
def ariel_config() -> Mapping[str, str]:
    """Configuration files replacing the defaults; none by default."""
    return {}


@pytest.fixture
def ariel_app() -> str:
    """The Stasis application ``ari_client`` holds (the default dialplan's is ``zarniwoop``)."""
    return "zarniwoop"


@pytest_asyncio.fixture
async def ariel_server(
    ariel_config: Mapping[str, str], tmp_path: Path
) -> AsyncIterator[RunningAriel]:
    """An Ariel in the test's event loop, on free loopback ports, stopped after the test."""
    async with running_ariel(ariel_config, tmp_dir=tmp_path / "ariel") as server:
        yield server


@pytest_asyncio.fixture
async def ari_client(ariel_server: RunningAriel, ariel_app: str) -> AsyncIterator[AriClient]:
    """A connected `AriClient` holding ``ariel_app`` on ``ariel_server``."""
    async with ariel_server.client(apps=ariel_app) as client:
        yield client
