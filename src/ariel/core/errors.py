"""Named domain errors of the core services.

Core services raise these; each ARI resource translates them once, per
operation, into that operation's documented status code. The message is the
reference's wording wherever the ARI answer carries it, so a resource can
pass ``error.message`` through unchanged.

Pick the class for *why* the operation failed, not for the HTTP code it will
become (the same class maps to different codes in different operations, as it
does in the reference):

* :class:`NotFound`: the object named does not exist.
* :class:`AlreadyExists`: creating something that is already there.
* :class:`InvalidArgument`: a value is missing, malformed or out of range.
* :class:`InvalidState`: the object exists, but its state forbids the
  operation right now (in use, already loaded, not reloadable...).
* :class:`NotPermitted`: the object can never be managed this way
  (an uncontrolled device, a configuration object read from a file).
* :class:`OperationFailed`: the operation was attempted and failed for a
  reason outside the caller's control (I/O, allocation).
"""

from __future__ import annotations

__all__ = [
    "AlreadyExists",
    "DomainError",
    "InvalidArgument",
    "InvalidState",
    "NotFound",
    "NotPermitted",
    "OperationFailed",
]


class DomainError(Exception):
    """Base of the core's named errors.

    Args:
        message: Human-readable reason, in the reference's words where ARI
            reports it.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(DomainError):
    """The named object does not exist."""


class AlreadyExists(DomainError):
    """The object to create already exists."""


class InvalidArgument(DomainError):
    """A value is missing, malformed or not acceptable."""


class InvalidState(DomainError):
    """The object's current state does not allow the operation."""


class NotPermitted(DomainError):
    """The object cannot be managed this way at all."""


class OperationFailed(DomainError):
    """The operation failed for an internal reason."""
