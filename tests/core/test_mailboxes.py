"""Mailboxes: ARI-controlled message-waiting counts."""

from __future__ import annotations

from pathlib import Path

import pytest

from ariel.core.astdb import AstDB
from ariel.core.errors import InvalidArgument, NotFound
from ariel.core.mailboxes import MAILBOX_FAMILY, Mailboxes, MailboxSnapshot


def test_update_creates_mailbox_readable_by_get() -> None:
    boxes = Mailboxes(AstDB(None))
    boxes.update("conf-mbox", 3, 1)
    assert boxes.get("conf-mbox") == MailboxSnapshot(
        name="conf-mbox", old_messages=3, new_messages=1
    )


def test_update_changes_existing_mailbox() -> None:
    boxes = Mailboxes(AstDB(None))
    boxes.update("alice", 3, 4)
    boxes.update("alice", 11, 3)
    assert boxes.list() == [MailboxSnapshot(name="alice", old_messages=11, new_messages=3)]


def test_list_is_ordered_by_name() -> None:
    boxes = Mailboxes(AstDB(None))
    boxes.update("bob", 5, 6)
    boxes.update("alice", 3, 4)
    assert [m.name for m in boxes.list()] == ["alice", "bob"]


def test_get_of_unknown_mailbox_uses_reference_typo() -> None:
    boxes = Mailboxes(AstDB(None))
    with pytest.raises(NotFound, match=r"^Mailbox is does not exist$"):
        boxes.get("nobody")
    assert boxes.find("nobody") is None


def test_delete_removes_and_second_delete_is_not_found() -> None:
    boxes = Mailboxes(AstDB(None))
    boxes.update("bob", 1, 1)
    boxes.delete("bob")
    with pytest.raises(NotFound, match=r"^Mailbox does not exist$"):
        boxes.delete("bob")
    assert boxes.list() == []


@pytest.mark.parametrize(("name", "old", "new"), [("", 0, 0), ("x", -1, 0), ("x", 0, -5)])
def test_update_refuses_bad_values(name: str, old: int, new: int) -> None:
    with pytest.raises(InvalidArgument, match=r"^Error updating mailbox$"):
        Mailboxes(AstDB(None)).update(name, old, new)


def test_on_change_reports_updates_and_deletes() -> None:
    seen: list[tuple[str, MailboxSnapshot | None]] = []
    boxes = Mailboxes(AstDB(None), lambda name, snap: seen.append((name, snap)))
    boxes.update("a", 1, 2)
    boxes.delete("a")
    assert seen == [("a", MailboxSnapshot(name="a", old_messages=1, new_messages=2)), ("a", None)]


def test_mailboxes_survive_restart(tmp_path: Path) -> None:
    path = tmp_path / "astdb.sqlite3"
    db = AstDB(path)
    Mailboxes(db).update("1000@default", 2, 7)
    db.close()
    with AstDB(path) as again:
        assert Mailboxes(again).get("1000@default").new_messages == 7


def test_corrupt_stored_value_reads_as_zero_counts() -> None:
    db = AstDB(None)
    db.put(MAILBOX_FAMILY, "weird", "not json")
    assert Mailboxes(db).get("weird") == MailboxSnapshot(
        name="weird", old_messages=0, new_messages=0
    )
