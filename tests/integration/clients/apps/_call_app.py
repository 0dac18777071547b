"""Shared bits of the call apps (``*_app.py``): arguments, the menu, the JSON log.

Each app is a small ARI application written the way its client library is
meant to be used; it runs with the Python of its client's virtual
environment (never imported by pytest). All apps do the same thing, so that
one test body drives them all:

* StasisStart: answer, play ``sound:hello-world`` and wait for its
  PlaybackFinished; then the menu is open.
* Menu digit ``1``: play ``sound:digits/1``, wait for it to finish, hang up.
* Menu digit ``2``: add the channel to the app's mixing bridge (created at
  start-up); two channels in it talk to each other. ``#`` still hangs up.
* Menu digit ``#``: hang up.
* Other digits, and digits before the menu opens, are only logged.

Every line an app prints on stdout is one JSON object: ``{"app": "ready"}``
once its event socket is open and its bridge exists, ``{"event": <ARI event
type>, "channel": ...}`` for what it received, ``{"op": <operation>,
"channel": ...}`` for what it did (after the operation succeeded),
``{"error": ...}`` for an exception and ``{"app": "exit"}`` last. SIGTERM (or
SIGINT) makes it destroy its bridge, close its client and exit with status 0.
"""

from __future__ import annotations

import argparse
import json
import sys
import traceback
from typing import Any

APP = "call-app"
PROMPT = "sound:hello-world"
DIGIT_ONE = "sound:digits/1"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base-url", required=True, help="e.g. http://127.0.0.1:8088")
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--app", default=APP)
    return parser.parse_args()


def emit(**fields: Any) -> None:
    """Prints one JSON line and flushes it."""
    sys.stdout.write(json.dumps(fields, default=str) + "\n")
    sys.stdout.flush()


def error(where: str, exc: BaseException) -> None:
    """Reports an exception as an ``{"error": ...}`` line (the test fails on any)."""
    emit(
        error=f"{type(exc).__name__}: {exc}"[:800],
        where=where,
        traceback=traceback.format_exception(exc)[-4:],
    )
