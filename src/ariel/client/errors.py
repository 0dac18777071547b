"""The client's errors: one class per HTTP status, plus connection and timeout errors.

Every ARI error response is raised as a subclass of `AriHTTPError` chosen by
its status (`error_for_status`), carrying the status, the ``message`` of the
ARI JSON body and the operation that failed, so an app can write
``except AriNotFound:`` instead of comparing numbers.
"""

from __future__ import annotations

__all__ = [
    "AriBadRequest",
    "AriConflict",
    "AriConnectionError",
    "AriError",
    "AriForbidden",
    "AriHTTPError",
    "AriMethodNotAllowed",
    "AriNotFound",
    "AriNotImplemented",
    "AriPreconditionFailed",
    "AriServerError",
    "AriServiceUnavailable",
    "AriTimeout",
    "AriUnauthorized",
    "AriUnprocessable",
    "HandleEnded",
    "error_for_status",
]


class AriError(Exception):
    """Base of every error `ariel.client` raises."""


class AriConnectionError(AriError):
    """The server could not be reached, or the connection broke mid-request."""


class AriTimeout(AriError, TimeoutError):
    """A request, a connection attempt or a wait for an event took too long."""


class HandleEnded(AriError):
    """A wait on a handle can never be satisfied: its object ended.

    Attributes:
        event: The event that ended it (``ChannelDestroyed``, ``PlaybackFinished``...).
    """

    def __init__(self, message: str, event: object) -> None:
        super().__init__(message)
        self.event = event


class AriHTTPError(AriError):
    """ARI answered with an error status.

    Attributes:
        status: The HTTP status.
        message: The ARI ``message`` (or the body text when it is not ARI JSON).
        operation: The operation id (``channels.answer``), when known.
        method: The HTTP method.
        path: The request path under ``/ari``.
    """

    status_code: int = 0

    def __init__(
        self,
        status: int,
        message: str,
        *,
        operation: str = "",
        method: str = "",
        path: str = "",
    ) -> None:
        where = f" ({operation}: {method} {path})" if operation else ""
        super().__init__(f"{status} {message}{where}")
        self.status = status
        self.message = message
        self.operation = operation
        self.method = method
        self.path = path


class AriBadRequest(AriHTTPError):
    """400: invalid parameters."""

    status_code = 400


class AriUnauthorized(AriHTTPError):
    """401: missing or wrong credentials."""

    status_code = 401


class AriForbidden(AriHTTPError):
    """403: the user may not do this (a read-only user writing, for one)."""

    status_code = 403


class AriNotFound(AriHTTPError):
    """404: no such object (or no such route)."""

    status_code = 404


class AriMethodNotAllowed(AriHTTPError):
    """405: the path exists but not with this method."""

    status_code = 405


class AriConflict(AriHTTPError):
    """409: the object is in the wrong place (not in Stasis, id taken...)."""

    status_code = 409


class AriPreconditionFailed(AriHTTPError):
    """412: the object is in the wrong state (channel not answered...)."""

    status_code = 412


class AriUnprocessable(AriHTTPError):
    """422: a referenced object cannot be used (channel not in Stasis for addChannel...)."""

    status_code = 422


class AriServerError(AriHTTPError):
    """500 and any other 5xx without a class of its own."""

    status_code = 500


class AriNotImplemented(AriHTTPError):
    """501: the server does not implement the operation."""

    status_code = 501


class AriServiceUnavailable(AriHTTPError):
    """503: the server cannot serve it now."""

    status_code = 503


_BY_STATUS: dict[int, type[AriHTTPError]] = {
    cls.status_code: cls
    for cls in (
        AriBadRequest,
        AriUnauthorized,
        AriForbidden,
        AriNotFound,
        AriMethodNotAllowed,
        AriConflict,
        AriPreconditionFailed,
        AriUnprocessable,
        AriServerError,
        AriNotImplemented,
        AriServiceUnavailable,
    )
}


def error_for_status(
    status: int, message: str, *, operation: str = "", method: str = "", path: str = ""
) -> AriHTTPError:
    """The typed error for an HTTP error status.

    Args:
        status: The HTTP status (4xx or 5xx).
        message: The ARI ``message``.
        operation: The operation id.
        method: The HTTP method.
        path: The request path.

    Returns:
        An instance of the status's class; other 5xx give `AriServerError`,
        other statuses the plain `AriHTTPError`.
    """
    cls = _BY_STATUS.get(status)
    if cls is None:
        cls = AriServerError if status >= 500 else AriHTTPError
    return cls(status, message, operation=operation, method=method, path=path)
