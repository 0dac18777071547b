"""Building ARI requests from an operation and its arguments (pure).

Theory of operation: a generated method passes every argument by wire name
(``{"channelId": ..., "media": [...]}``); `build_request` places each one
where the operation declares it. Path parameters are percent-encoded into the
path template. Query parameters that are ``None`` are left out (the server
applies its default); booleans travel as ``true``/``false``, lists as one
comma-separated value, as the reference reads them. A ``body`` parameter of
type ``containers`` (``variables``, ``fields``) is sent as
``{"<name>": value}``, the shape the reference's handlers read; one of type
``object`` (``filter``) is the whole JSON body.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import quote, urlencode

import orjson

from ariel.arispec import Operation

__all__ = ["Request", "build_request", "query_value"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Request:
    """One ARI request, ready for HTTP or for a ``RESTRequest`` message.

    Attributes:
        operation: The operation id.
        method: HTTP method.
        path: Path under ``/ari``, without the leading slash, percent-encoded.
        query: Query parameters in declaration order.
        body: The JSON body, or ``None``.
        binary: Whether the response is a file (``responseClass`` binary).
    """

    operation: str
    method: str
    path: str
    query: tuple[tuple[str, str], ...]
    body: bytes | None
    binary: bool = False

    @property
    def uri(self) -> str:
        """``path?query`` as sent on the wire."""
        return f"{self.path}?{urlencode(self.query)}" if self.query else self.path


def query_value(value: object) -> str:
    """One query value as ARI reads it: ``true``/``false``, comma lists, numbers as text."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, Sequence):
        return ",".join(query_value(v) for v in value)
    return str(value)


def build_request(op: Operation, values: Mapping[str, object]) -> Request:
    """Place the arguments of ``op`` in its path, query string and body.

    Args:
        op: The operation.
        values: Arguments by wire name; ``None`` means not given.

    Returns:
        The request.

    Raises:
        ValueError: A path parameter is missing or empty, or ``values``
            names something the operation does not declare.
    """
    declared = {p.name: p for p in op.params}
    unknown = sorted(set(values) - set(declared))
    if unknown:
        raise ValueError(f"{op.id} has no parameter {', '.join(unknown)}")
    path = op.path
    query: list[tuple[str, str]] = []
    body: object = None
    for p in op.params:
        value = values.get(p.name)
        if p.param_type == "path":
            if value is None or value == "":
                raise ValueError(f"{op.id}: path parameter {p.name} is required")
            path = path.replace("{" + p.name + "}", quote(str(value), safe=""))
        elif value is None:
            continue
        elif p.param_type == "body":
            body = value if p.data_type == "object" else {p.name: value}
        else:
            query.append((p.name, query_value(value)))
    encoded = None if body is None else orjson.dumps(body)
    return Request(
        operation=op.id,
        method=op.method,
        path=path.lstrip("/"),
        query=tuple(query),
        body=encoded,
        binary=op.response_class == "binary",
    )
