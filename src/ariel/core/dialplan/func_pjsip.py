"""PJSIP dialplan functions: ``PJSIP_TRANSFER_HANDLING()`` (write-only).

After channels/pjsip/dialplan_functions.c (Asterisk 22.3+): writing ``core``
(or nothing) leaves REFERs to the core, which carries the transfer out and
publishes BridgeBlindTransfer/BridgeAttendedTransfer; ``ari-only`` hands them
to the application as ChannelTransfer. Values are case-sensitive; an unknown
one is a warning and leaves the mode unchanged. On a channel of another
technology the write fails with a warning. Like the reference, the function
has no read handler.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from ariel.core.dialplan.functions import DialplanFunction, FunctionScope

__all__ = ["PJSIP_FUNCTIONS", "TRANSFER_MODES", "TransferHandlingTech"]

NAME = "PJSIP_TRANSFER_HANDLING"
#: The accepted modes; ``core`` is the default.
TRANSFER_MODES = frozenset({"core", "ari-only"})


@runtime_checkable
class TransferHandlingTech(Protocol):
    """A technology that keeps a per-channel transfer handling mode (PJSIP)."""

    transfer_handling: str


def _write(scope: FunctionScope, data: str | None, value: str) -> bool:
    channel = scope.channel
    if channel is None:
        scope.warn(f"No channel was provided to {NAME} function.")
        return False
    tech = getattr(channel, "tech", None)
    if not isinstance(tech, TransferHandlingTech):
        scope.warn(f"Cannot call {NAME} on a non-PJSIP channel {channel.name}")
        return False
    mode = value or "core"
    if mode not in TRANSFER_MODES:
        scope.warn(
            f"Cannot set unknown transfer handling '{value}' on channel '{channel.name}', "
            "transfer handling will remain unchanged."
        )
        return False
    tech.transfer_handling = mode
    return True


PJSIP_FUNCTIONS: tuple[DialplanFunction, ...] = (DialplanFunction(name=NAME, write=_write),)
