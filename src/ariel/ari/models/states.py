"""JSON of the ``DeviceState`` and ``Mailbox`` models."""

from __future__ import annotations

from typing import Any

from ariel.core.device_states import DeviceStateSnapshot
from ariel.core.mailboxes import MailboxSnapshot

__all__ = ["device_state_json", "mailbox_json"]


def device_state_json(state: DeviceStateSnapshot) -> dict[str, Any]:
    """The ``DeviceState`` model (also the ``device_state`` of DeviceStateChanged)."""
    return {"name": state.name, "state": state.state}


def mailbox_json(mailbox: MailboxSnapshot) -> dict[str, Any]:
    """The ``Mailbox`` model; the counts are JSON numbers."""
    return {
        "name": mailbox.name,
        "old_messages": mailbox.old_messages,
        "new_messages": mailbox.new_messages,
    }
