"""Which ARI operations Ariel serves yet, and which wait for later work.

This is the one place to flip: when an issue lands its capability, delete its
operations' lines from `PENDING`. Every operation not listed here is
available. A pending operation keeps its route, its parameter checks and its
place in the api-docs; it answers 501 ``{"message": "Not implemented"}`` until
its line goes away.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

__all__ = ["BRIDGES", "CALLS", "MEDIA", "PENDING"]

CALLS: Final = "calls (issue #3)"
MEDIA: Final = "media (issue #4)"
BRIDGES: Final = "bridges (issue #5)"

_PENDING: dict[str, str] = {}

PENDING: Final = MappingProxyType(_PENDING)
"""Operation id (``resource.nickname``) -> the work that will make it available."""
