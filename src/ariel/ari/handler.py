"""What an ARI resource handler receives and returns; no web framework here.

Each module in :mod:`ariel.ari.resources` defines one coroutine per operation
of its resource, named after the operation's Swagger nickname (with a
trailing underscore where the nickname is a Python builtin, e.g. ``list_``).
A handler gets an :class:`AriRequest` and returns an :class:`AriResponse`, or
raises :class:`AriError` with one of its operation's documented codes.
"""

from __future__ import annotations

import builtins
import keyword
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ariel.arispec.types import Operation

if TYPE_CHECKING:
    from ariel.core.system import Core

__all__ = [
    "AriError",
    "AriRequest",
    "AriResponse",
    "Handler",
    "accepted",
    "created",
    "handler_name",
    "no_content",
    "ok",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class AriRequest:
    """One validated ARI request.

    Attributes:
        operation: The registry entry being served.
        params: Typed parameter values (path, query, form and JSON keys),
            defaults applied; absent optional parameters are missing keys.
        body: The parsed JSON body (for ``body`` parameters), or ``None``.
        core: The server's domain facade.
        user: Name of the authenticated ARI user.
        base_url: ``http://host:port`` as the client addressed us, used for
            ``Location`` headers.
    """

    operation: Operation
    params: Mapping[str, Any]
    body: Any
    core: Core
    user: str
    base_url: str = ""

    def param(self, name: str, default: Any = None) -> Any:
        """A parameter's value, or ``default`` when absent."""
        return self.params.get(name, default)


@dataclass(frozen=True, slots=True, kw_only=True)
class AriResponse:
    """What a handler answers: a status, a JSON-able body, extra headers.

    ``raw`` carries a binary body (recording downloads) with ``content_type``.
    """

    status: int
    body: Any = None
    headers: Mapping[str, str] = field(default_factory=dict)
    raw: bytes | None = None
    content_type: str | None = None


class AriError(Exception):
    """An error answer: ``{"message": ...}`` with a status code.

    Args:
        status: HTTP status, one the operation documents (or 500).
        message: Text for the ``message`` key.
        body: Replaces the whole body where the reference answers another
            shape (originate's ``{"error": "Allocation failed"}``).
    """

    def __init__(self, status: int, message: str, *, body: Any = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.body: Any = body if body is not None else {"message": message}


Handler = Callable[[AriRequest], Awaitable[AriResponse]]


def ok(body: Any) -> AriResponse:
    """200 with a JSON body."""
    return AriResponse(status=200, body=body)


def no_content() -> AriResponse:
    """204 without a body."""
    return AriResponse(status=204)


def accepted() -> AriResponse:
    """202 without a body."""
    return AriResponse(status=202)


def created(body: Any, location: str) -> AriResponse:
    """201 with a body and a ``Location`` header."""
    return AriResponse(status=201, body=body, headers={"Location": location})


def handler_name(nickname: str) -> str:
    """The Python name of the handler for ``nickname``.

    >>> handler_name("list"), handler_name("originateWithId")
    ('list_', 'originateWithId')
    """
    if keyword.iskeyword(nickname) or hasattr(builtins, nickname):
        return nickname + "_"
    return nickname
