"""The route table: ARI paths to operations, built from the registry.

Paths are matched segment by segment as the reference does: a literal
segment wins over a ``{param}`` segment at the same level and there is no
backtracking, so ``GET /channels/create`` finds the ``create`` node, which
has only POST, and is answered 405. Segments are percent-decoded before they
become parameter values.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import unquote

from ariel.arispec.types import Operation

__all__ = ["METHOD_ORDER", "RouteMatch", "RouteTable"]

#: The order in which the reference lists methods in ``Allow`` headers.
METHOD_ORDER = ("GET", "POST", "PUT", "DELETE")


@dataclass(slots=True)
class _Node:
    literal: dict[str, _Node] = field(default_factory=dict)
    param_name: str | None = None
    param: _Node | None = None
    operations: dict[str, Operation] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class RouteMatch:
    """The operations at one path, and the path's parameter values."""

    operations: Mapping[str, Operation]
    path_params: Mapping[str, str]

    def allowed_methods(self) -> list[str]:
        """Methods served at this path, in the reference's order."""
        return [m for m in METHOD_ORDER if m in self.operations]


class RouteTable:
    """Operations by path template."""

    def __init__(self, operations: Iterable[Operation]) -> None:
        self._root = _Node()
        self._operations: list[Operation] = []
        for op in operations:
            self._add(op)

    @property
    def operations(self) -> list[Operation]:
        """Every routed operation, in registration order."""
        return list(self._operations)

    def _add(self, op: Operation) -> None:
        node = self._root
        for seg in _segments(op.path):
            if seg.startswith("{") and seg.endswith("}"):
                name = seg[1:-1]
                if node.param is None:
                    node.param, node.param_name = _Node(), name
                elif node.param_name != name:
                    raise ValueError(
                        f"{op.id}: path parameter {name} clashes with {node.param_name}"
                    )
                node = node.param
            else:
                node = node.literal.setdefault(seg, _Node())
        if op.method in node.operations:
            raise ValueError(f"{op.id}: {op.method} {op.path} routed twice")
        node.operations[op.method] = op
        self._operations.append(op)

    def match(self, path: str) -> RouteMatch | None:
        """Match ``path`` (relative to ``/ari``, no trailing slash)."""
        node = self._root
        params: dict[str, str] = {}
        for raw in _segments(path):
            seg = unquote(raw)
            nxt = node.literal.get(seg)
            if nxt is None and node.param is not None and node.param_name is not None and seg:
                params[node.param_name] = seg
                nxt = node.param
            if nxt is None:
                return None
            node = nxt
        if not node.operations:
            return None
        return RouteMatch(operations=dict(node.operations), path_params=params)


def _segments(path: str) -> list[str]:
    return [s for s in path.strip("/").split("/")] if path.strip("/") else []
