"""The pytest plugin of `ariel.testing`, loaded as an app's conftest.py would.

(``pytest_plugins`` is only honoured in the top-level conftest, so the
fixtures are imported here instead, which registers them the same way.)
"""

from ariel.testing.pytest_plugin import (  # noqa: F401
    ari_client,
    ariel_app,
    ariel_config,
    ariel_server,
)
