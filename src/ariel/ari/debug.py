"""``ari set debug <app>|all on|off``: print an application's REST traffic and events.

Theory of operation, after res_ari: a REST request belongs to the application
named by its ``app`` parameter (query string, form body or JSON body); when that
application (or ``all``) is being debugged, the request and the answer are
written to the log in Asterisk's layout (``<--- ARI request received from:
... --->`` and ``<--- Sending ARI response to ... --->``), and so is every event
sent to the application (``<--- Sending ARI event to ... --->`` with the JSON).
They are verbose messages of level 0, so every console and the log show them,
whatever the verbosity.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from urllib.parse import parse_qsl

__all__ = ["AriDebug", "request_app"]

log = logging.getLogger("ariel.ari.debug")

#: What makes a log record a verbose message (see ``ariel.console.verbose``).
_VERBOSE: Mapping[str, int] = {"verbose": 0}


def request_app(
    query: Sequence[tuple[str, str]], body: bytes, content_type: str | None
) -> str | None:
    """The application a request names: ``app`` in the query, a form body or a JSON body."""
    for name, value in query:
        if name == "app":
            return value
    if not body:
        return None
    if content_type == "application/x-www-form-urlencoded":
        form = dict(parse_qsl(body.decode("utf-8", "replace")))
        return form.get("app")
    if content_type == "application/json":
        try:
            parsed = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            return None
        app = parsed.get("app") if isinstance(parsed, dict) else None
        return app if isinstance(app, str) else None
    return None


class AriDebug:
    """Which applications are being debugged (``all`` turns it on for every one)."""

    def __init__(self) -> None:
        self._apps: set[str] = set()
        self.all = False

    def set(self, app: str | None, on: bool) -> None:
        """Debug ``app`` (every application when ``None``), or stop."""
        if app is None:
            self.all = on
        elif on:
            self._apps.add(app)
        else:
            self._apps.discard(app)

    def is_set(self, app: str) -> bool:
        """Whether ``app`` itself is being debugged (``ari show app``)."""
        return app in self._apps

    def enabled(self, app: str | None) -> bool:
        """Whether traffic of ``app`` is printed (its own flag or ``all``)."""
        return self.all or (app is not None and app in self._apps)

    @staticmethod
    def request(
        peer: str,
        headers: Mapping[str, str],
        query: Sequence[tuple[str, str]],
        body: bytes,
    ) -> None:
        """Print a request as res_ari does: headers, parameters, then the body."""
        lines = [f"<--- ARI request received from: {peer} --->"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        lines += [f"{name}: {value}" for name, value in query]
        text = body.decode("utf-8", "replace")
        log.info("%s\nbody:\n%s\n", "\n".join(lines), text, extra=_VERBOSE)

    @staticmethod
    def response(
        peer: str, status: int, reason: str, headers: Mapping[str, str], body: bytes
    ) -> None:
        """Print the answer to a debugged request."""
        head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        text = body.decode("utf-8", "replace")
        log.info(
            "<--- Sending ARI response to %s --->\n%d %s\n%s%s\n",
            peer,
            status,
            reason,
            head,
            text,
            extra=_VERBOSE,
        )

    @staticmethod
    def event(peer: str, text: str) -> None:
        """Print an event sent to a debugged application."""
        log.info("<--- Sending ARI event to %s --->\n%s", peer, text, extra=_VERBOSE)
