"""JSON output: orjson, indented when ari.conf says ``pretty = yes``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import orjson

from ariel._util.clock import ari_timestamp

__all__ = ["dumps", "loads"]


def _default(value: Any) -> Any:
    if isinstance(value, datetime):
        return ari_timestamp(value)
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise TypeError(f"cannot serialise {type(value).__name__}")


def dumps(value: Any, *, pretty: bool = False) -> bytes:
    """Serialise ``value`` as ARI sends it."""
    option = orjson.OPT_INDENT_2 if pretty else 0
    return orjson.dumps(value, default=_default, option=option | orjson.OPT_PASSTHROUGH_DATETIME)


def loads(data: bytes | str) -> Any:
    """Parse JSON (raises ``orjson.JSONDecodeError``, a ``ValueError``)."""
    return orjson.loads(data)
