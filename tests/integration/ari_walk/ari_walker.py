"""Calls ARI operations by registry id and keeps score of what each answered.

Theory of operation: the walk names each request by its operation id
(``channels.answer``); :class:`Walker` finds that operation in
``ariel.arispec.REGISTRY``, fills the path template with the path values
given, refuses a parameter the operation does not declare (a typo would
otherwise walk a different request than intended), and sends the other
values in the query string and ``body`` as JSON. Every answer is recorded
as a :class:`Visit`; :meth:`Walker.problems` lists, one readable line each,
the visits whose status is not what a valid request must get:

* the operation's documented success code (``Operation.success_code``), or
  one of the codes :data:`ALSO_SUCCESS` admits for it with the reason;
* and in any case one of its documented codes (success or error responses).

:meth:`Walker.missing` lists the operations of the registry never visited,
so an operation added to the registry without a walk step fails the test.
"""

from __future__ import annotations

import json
import urllib.parse
from dataclasses import dataclass
from typing import Any

import aiohttp

from ariel.arispec import REGISTRY, Operation

__all__ = ["ALSO_SUCCESS", "OPERATIONS", "Visit", "Walker"]

#: Every operation of the registry, by id.
OPERATIONS: dict[str, Operation] = {
    op.id: op for resource in REGISTRY.resources for op in resource.operations
}

#: Success codes the reference gives besides the declared one, with why.
ALSO_SUCCESS: dict[str, tuple[frozenset[int], str]] = {
    # resource_asterisk.c answers 204 once the reload is done and 202 only
    # when the loader queues it (ari-surface.json: success_codes [202, 204]).
    "asterisk.reloadModule": (frozenset({202, 204}), "204 done, 202 queued"),
    # The event socket is an HTTP upgrade: 101 Switching Protocols is its success.
    "events.eventWebsocket": (frozenset({101}), "WebSocket upgrade"),
}


@dataclass(frozen=True, slots=True)
class Visit:
    """One request of the walk and what it answered."""

    op_id: str
    url: str
    status: int
    body: Any

    def line(self) -> str:
        shown = json.dumps(self.body)[:200] if self.body is not None else "no body"
        return f"{self.op_id}: {self.status} for {self.url} ({shown})"


def success_codes(op: Operation) -> frozenset[int]:
    """The statuses a valid request to ``op`` may get."""
    extra = ALSO_SUCCESS.get(op.id)
    return extra[0] if extra is not None else frozenset({op.success_code})


def documented_codes(op: Operation) -> frozenset[int]:
    """Every status the registry documents for ``op``."""
    return success_codes(op) | {e.code for e in op.error_responses}


class Walker:
    """ARI over HTTP, one operation id per request, every answer recorded.

    Args:
        http: A session whose ``base_url`` is the server's ``/ari/``, with credentials.
    """

    def __init__(self, http: aiohttp.ClientSession) -> None:
        self.http = http
        self.visits: list[Visit] = []

    def url(self, op_id: str, path: dict[str, str]) -> str:
        """The path of ``op_id`` under ``/ari/`` with ``path`` values filled in."""
        op = OPERATIONS[op_id]
        declared = {p.name for p in op.params if p.param_type == "path"}
        assert set(path) == declared, f"{op_id}: path values {sorted(path)} != {sorted(declared)}"
        url = op.path
        for name, value in path.items():
            url = url.replace("{" + name + "}", urllib.parse.quote(value, safe=""))
        return url.lstrip("/")

    async def call(
        self,
        op_id: str,
        *,
        params: dict[str, str] | None = None,
        body: Any = None,
        **path: str,
    ) -> tuple[int, Any]:
        """Sends one request of ``op_id``; returns ``(status, decoded JSON or None)``."""
        op = OPERATIONS[op_id]
        query = dict(params or {})
        known = {p.name for p in op.params if p.param_type != "path"}
        unknown = set(query) - known
        assert not unknown, f"{op_id} declares no parameter {sorted(unknown)}"
        url = self.url(op_id, path)
        kwargs: dict[str, Any] = {"params": query}
        if body is not None:
            kwargs["json"] = body
        async with self.http.request(op.method, url, **kwargs) as resp:
            raw = await resp.read()
            status = resp.status
            is_json = resp.content_type == "application/json"
        decoded = json.loads(raw) if raw and is_json else (raw[:40] if raw else None)
        if isinstance(decoded, bytes):
            decoded = f"<{len(raw)} bytes {resp.content_type}>"
        self.record(op_id, url, status, decoded)
        return status, decoded

    def record(self, op_id: str, url: str, status: int, body: Any = None) -> None:
        """Records a visit made some other way (the WebSocket upgrade)."""
        self.visits.append(Visit(op_id=op_id, url=url, status=status, body=body))

    def problems(self) -> list[str]:
        """One line per visit that did not get a success code of its operation."""
        lines = []
        for visit in self.visits:
            op = OPERATIONS[visit.op_id]
            if visit.status in success_codes(op):
                continue
            documented = visit.status in documented_codes(op)
            kind = "documented error" if documented else "UNDOCUMENTED status"
            want = sorted(success_codes(op))
            lines.append(f"{visit.line()}: {kind}, a valid request must get {want}")
        return lines

    def missing(self) -> list[str]:
        """The registry's operations the walk never visited."""
        seen = {v.op_id for v in self.visits}
        return sorted(set(OPERATIONS) - seen)
