"""Mailboxes controlled over ARI (message-waiting counts), after ``res_stasis_mailbox``.

Theory of operation: a mailbox is a name with two counters, old and new
messages. ARI creates one on the first update, changes it on later ones,
reads and deletes it. Asterisk keeps them through ``res_mwi_external`` in
astdb; we keep each one in astdb family ``mwi_external`` as a small JSON
value, so they survive a restart. ``on_change`` lets the caller publish
message-waiting state (SIP NOTIFY later); on delete it receives ``None``.

The error messages are the reference's, typo included: GET of an unknown
mailbox says "Mailbox is does not exist", DELETE says "Mailbox does not
exist".
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from ariel.core.astdb import AstDB
from ariel.core.errors import InvalidArgument, NotFound

__all__ = ["MAILBOX_FAMILY", "MailboxSnapshot", "Mailboxes"]

#: The astdb family holding mailboxes.
MAILBOX_FAMILY = "mwi_external"


@dataclass(frozen=True, slots=True, kw_only=True)
class MailboxSnapshot:
    """One mailbox (the ARI ``Mailbox`` model).

    Attributes:
        name: Mailbox name (``1000@default``, ``conf-mbox``).
        old_messages: Count of old (read) messages.
        new_messages: Count of new (unread) messages.
    """

    name: str
    old_messages: int
    new_messages: int


def _decode(name: str, raw: str) -> MailboxSnapshot:
    try:
        data = json.loads(raw)
        old, new = int(data["old"]), int(data["new"])
    except (ValueError, KeyError, TypeError):
        old = new = 0
    return MailboxSnapshot(name=name, old_messages=old, new_messages=new)


class Mailboxes:
    """The ARI-controlled mailboxes.

    Args:
        db: Where mailboxes persist.
        on_change: Called with ``(name, snapshot)`` after an update and with
            ``(name, None)`` after a delete.
    """

    def __init__(
        self,
        db: AstDB,
        on_change: Callable[[str, MailboxSnapshot | None], None] | None = None,
    ) -> None:
        self._db = db
        self._on_change = on_change

    def list(self) -> list[MailboxSnapshot]:
        """Every mailbox, ordered by name."""
        return [_decode(name, raw) for name, raw in self._db.items(MAILBOX_FAMILY).items()]

    def get(self, name: str) -> MailboxSnapshot:
        """One mailbox.

        Raises:
            NotFound: no such mailbox ("Mailbox is does not exist").
        """
        raw = self._db.get(MAILBOX_FAMILY, name) if name else None
        if raw is None:
            raise NotFound("Mailbox is does not exist")
        return _decode(name, raw)

    def find(self, name: str) -> MailboxSnapshot | None:
        """One mailbox, or ``None`` when it does not exist."""
        raw = self._db.get(MAILBOX_FAMILY, name) if name else None
        return None if raw is None else _decode(name, raw)

    def update(self, name: str, old_messages: int, new_messages: int) -> MailboxSnapshot:
        """Create or change a mailbox.

        Raises:
            InvalidArgument: empty name or a negative count
                ("Error updating mailbox").
        """
        if not name or old_messages < 0 or new_messages < 0:
            raise InvalidArgument("Error updating mailbox")
        value = json.dumps({"old": old_messages, "new": new_messages})
        self._db.put(MAILBOX_FAMILY, name, value)
        snapshot = MailboxSnapshot(name=name, old_messages=old_messages, new_messages=new_messages)
        if self._on_change is not None:
            self._on_change(name, snapshot)
        return snapshot

    def delete(self, name: str) -> None:
        """Remove a mailbox.

        Raises:
            NotFound: no such mailbox ("Mailbox does not exist").
        """
        if not name or not self._db.delete(MAILBOX_FAMILY, name):
            raise NotFound("Mailbox does not exist")
        if self._on_change is not None:
            self._on_change(name, None)
