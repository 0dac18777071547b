"""AstDB: the persistent /family/key store."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from ariel.core.astdb import AstDB


def test_put_then_get_returns_value() -> None:
    with AstDB(None) as db:
        db.put("fam", "key", "value")
        assert db.get("fam", "key") == "value"


def test_get_of_missing_key_is_none() -> None:
    with AstDB(None) as db:
        assert db.get("fam", "nope") is None


def test_put_replaces_previous_value() -> None:
    with AstDB(None) as db:
        db.put("fam", "key", "one")
        db.put("fam", "key", "two")
        assert db.get("fam", "key") == "two"
        assert db.items("fam") == {"key": "two"}


def test_delete_reports_whether_key_existed() -> None:
    with AstDB(None) as db:
        db.put("fam", "key", "v")
        assert db.delete("fam", "key") is True
        assert db.delete("fam", "key") is False
        assert db.get("fam", "key") is None


def test_items_lists_one_family_in_key_order() -> None:
    with AstDB(None) as db:
        db.put("fam", "b", "2")
        db.put("fam", "a", "1")
        db.put("family", "x", "other family, same prefix")
        db.put("fam0", "y", "sorts right after fam/")
        assert db.items("fam") == {"a": "1", "b": "2"}
        assert db.keys("fam") == ["a", "b"]


def test_items_include_deeper_families_like_gettree() -> None:
    with AstDB(None) as db:
        db.put("fam/sub", "k", "deep")
        db.put("fam", "k", "top")
        assert db.items("fam") == {"k": "top", "sub/k": "deep"}
        assert db.items("fam/sub") == {"k": "deep"}


def test_delete_family_removes_only_that_family() -> None:
    with AstDB(None) as db:
        db.put("fam", "a", "1")
        db.put("fam", "b", "2")
        db.put("other", "a", "3")
        assert db.delete_family("fam") == 2
        assert db.items("fam") == {}
        assert db.get("other", "a") == "3"


def test_keys_and_values_may_hold_any_text() -> None:
    with AstDB(None) as db:
        db.put("fam", "name with spaces/and'quote", "ünïcode\nline")
        assert db.get("fam", "name with spaces/and'quote") == "ünïcode\nline"


def test_empty_family_is_refused() -> None:
    with AstDB(None) as db, pytest.raises(ValueError):
        db.put("", "k", "v")


def test_data_survives_reopening_the_file(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "astdb.sqlite3"
    db = AstDB(path)
    db.put("StasisDeviceState", "lamp", "BUSY")
    db.put("fam", "gone", "x")
    db.delete("fam", "gone")
    db.close()

    reopened = AstDB(path)
    try:
        assert reopened.get("StasisDeviceState", "lamp") == "BUSY"
        assert reopened.get("fam", "gone") is None
        assert reopened.path == path
    finally:
        reopened.close()


def test_file_database_uses_wal_journal(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "astdb.sqlite3"
    with AstDB(path) as db:
        db.put("f", "k", "v")
        conn = sqlite3.connect(path)
        try:
            assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        finally:
            conn.close()


def test_closed_database_refuses_calls() -> None:
    db = AstDB(None)
    db.close()
    db.close()  # idempotent
    with pytest.raises(RuntimeError):
        db.get("f", "k")


def test_concurrent_writers_do_not_lose_updates() -> None:
    with AstDB(None) as db:

        def write(n: int) -> None:
            for i in range(50):
                db.put("fam", f"{n}-{i}", str(i))

        threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len(db.items("fam")) == 200
