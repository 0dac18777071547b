"""Shared bits of the client-compatibility probes.

Each probe is a small script run with the Python of its own client's virtual
environment (never imported by pytest). It drives one third-party ARI client
library against a running server and prints exactly one JSON object on its
last stdout line: ``{"client", "version", "steps": {name: {"ok", ...}}}``.
Every step is independent, so one failure does not hide the others.
"""

from __future__ import annotations

import argparse
import json
import sys
import traceback
from collections.abc import Awaitable, Callable
from importlib import metadata
from typing import Any

APP = "compat"
MISSING_CHANNEL = "ariel-compat-no-such-channel"
USER_EVENT = "compat-probe"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base-url", required=True, help="e.g. http://127.0.0.1:8088")
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--app", default=APP)
    parser.add_argument("--timeout", type=float, default=10.0)
    return parser.parse_args()


def dist_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "unknown"


def plain(value: Any) -> Any:
    """Turns a client's result (model objects, pydantic models, dicts) into JSON data."""
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    dump = getattr(value, "model_dump", None)
    if callable(dump):
        return dump(mode="json")
    raw = getattr(value, "json", None)
    if isinstance(raw, dict):
        return plain(raw)
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return repr(value)


def leaves(exc: BaseException) -> list[BaseException]:
    """The innermost exceptions of an exception group (anyio task groups raise those)."""
    if isinstance(exc, BaseExceptionGroup):
        return [leaf for sub in exc.exceptions for leaf in leaves(sub)]
    return [exc]


def failure(exc: BaseException) -> dict[str, Any]:
    first = leaves(exc)[0]
    return {
        "ok": False,
        "error_type": type(first).__name__,
        "error": "; ".join(f"{type(e).__name__}: {e}" for e in leaves(exc))[:800],
        "traceback": traceback.format_exception(first)[-4:],
    }


class Recorder:
    """Collects step results and prints the final JSON line."""

    def __init__(self, client: str, dist: str) -> None:
        self.result: dict[str, Any] = {"client": client, "version": dist_version(dist), "steps": {}}

    async def step(self, name: str, action: Callable[[], Awaitable[Any]]) -> dict[str, Any]:
        try:
            value = await action()
        except Exception as exc:
            outcome = failure(exc)
        else:
            outcome = {"ok": True, "value": plain(value)}
        self.result["steps"][name] = outcome
        return outcome

    def record(self, name: str, outcome: dict[str, Any]) -> None:
        self.result["steps"][name] = outcome

    def emit(self) -> None:
        sys.stdout.write(json.dumps(self.result, default=repr) + "\n")
        sys.stdout.flush()
