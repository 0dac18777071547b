"""Test tools for Ariel and for ARI apps: a real server in the test's own event loop.

``async with running_ariel() as server`` starts an Ariel on free loopback
ports and stops it at the end of the block; ``server.client(apps="myapp")``
is an `ariel.client.AriClient` for it. For pytest, load the plugin
(``pytest_plugins = ["ariel.testing.pytest_plugin"]`` in a ``conftest.py``)
and use the ``ariel_server`` and ``ari_client`` fixtures.
"""

from ariel.testing.server import DEFAULT_FILES, RunningAriel, free_port, running_ariel

__all__ = ["DEFAULT_FILES", "RunningAriel", "free_port", "running_ariel"]
