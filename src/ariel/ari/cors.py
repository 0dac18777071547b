"""CORS as the reference applies it, driven by ari.conf ``allowed_origins``.

A request whose ``Origin`` is allowed gets ``Access-Control-Allow-Origin``
(echoing the origin) and ``Access-Control-Allow-Credentials: true``. A
pre-flight ``OPTIONS`` additionally gets ``Access-Control-Allow-Methods``
(the path's methods, ``OPTIONS`` first) and the requested headers echoed in
``Access-Control-Allow-Headers``. A disallowed origin gets no CORS headers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

__all__ = ["CorsPolicy"]


class CorsPolicy:
    """Which origins may call ARI from a browser."""

    def __init__(self, allowed_origins: Sequence[str]) -> None:
        self._origins = tuple(o.strip() for o in allowed_origins if o.strip())

    def allows(self, origin: str) -> bool:
        """Whether ``origin`` is allowed (``*`` allows all)."""
        return "*" in self._origins or origin in self._origins

    def simple_headers(self, request_headers: Mapping[str, str]) -> dict[str, str]:
        """Headers to add to an ordinary response."""
        origin = request_headers.get("Origin")
        if not origin or not self.allows(origin):
            return {}
        return {
            "Access-Control-Allow-Origin": origin,
            "Access-Control-Allow-Credentials": "true",
        }

    def preflight_headers(
        self, request_headers: Mapping[str, str], allow: Sequence[str]
    ) -> dict[str, str]:
        """Headers answering a pre-flight ``OPTIONS`` for a path serving ``allow``."""
        origin = request_headers.get("Origin")
        wanted = request_headers.get("Access-Control-Request-Method")
        if not origin or not wanted or not self.allows(origin) or wanted not in allow:
            return {}
        headers = {
            "Access-Control-Allow-Methods": ",".join(allow),
            "Access-Control-Allow-Origin": origin,
            "Access-Control-Allow-Credentials": "true",
        }
        requested = request_headers.get("Access-Control-Request-Headers")
        if requested:
            headers["Access-Control-Allow-Headers"] = requested
        return headers
