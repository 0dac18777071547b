"""An embedded key/value store shaped like Asterisk's astdb.

Theory of operation: Asterisk keeps small persistent facts (device states
set over ARI, mailbox counts, dynamic configuration objects) in one SQLite
table whose keys are ``/family/key``. We do the same with the stdlib
:mod:`sqlite3`: one table ``astdb(key PRIMARY KEY, value)``, WAL journal,
``synchronous=FULL`` and autocommit, so every ``put``/``delete`` is durable
when it returns. Writes are tiny and rare, so the calls are synchronous.

A family may itself contain ``/`` (``ariel_sorcery/res_pjsip/endpoint``);
:meth:`AstDB.items` of a family returns every key below ``/family/``, as
Asterisk's ``ast_db_gettree`` does. Family scans are range queries on the
primary key (``'/' < '0'`` in ASCII), so they use the index.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from types import TracebackType

__all__ = ["AstDB"]

_SCHEMA = "CREATE TABLE IF NOT EXISTS astdb (key TEXT PRIMARY KEY, value TEXT NOT NULL)"


def _full_key(family: str, key: str) -> str:
    if not family:
        raise ValueError("astdb family must not be empty")
    return f"/{family}/{key}"


def _family_range(family: str) -> tuple[str, str]:
    """Bounds of every full key under ``/family/``: [low, high)."""
    if not family:
        raise ValueError("astdb family must not be empty")
    # Every key under the family starts with "/family/"; "0" sorts just
    # after "/", so "/family0" is the first string past all of them.
    return f"/{family}/", f"/{family}0"


class AstDB:
    """A persistent ``/family/key -> value`` store.

    Args:
        path: The SQLite file; its folder is created if needed. ``None``
            keeps the data in memory (tests, throwaway servers).

    The object is safe to share between threads; each call holds a lock for
    the duration of one statement.
    """

    def __init__(self, path: Path | None) -> None:
        self._path = path
        if path is None:
            target = ":memory:"
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            target = str(path)
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = sqlite3.connect(
            target, isolation_level=None, check_same_thread=False
        )
        if path is not None:
            self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=FULL")
        self._conn.execute(_SCHEMA)

    @property
    def path(self) -> Path | None:
        """The database file, or ``None`` for an in-memory store."""
        return self._path

    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            raise RuntimeError("astdb is closed")
        return self._conn

    def get(self, family: str, key: str) -> str | None:
        """The value at ``/family/key``, or ``None`` when absent."""
        with self._lock:
            row = (
                self._db()
                .execute("SELECT value FROM astdb WHERE key = ?", (_full_key(family, key),))
                .fetchone()
            )
        return None if row is None else str(row[0])

    def put(self, family: str, key: str, value: str) -> None:
        """Store ``value`` at ``/family/key``, replacing any previous value."""
        with self._lock:
            self._db().execute(
                "INSERT INTO astdb (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (_full_key(family, key), value),
            )

    def delete(self, family: str, key: str) -> bool:
        """Remove ``/family/key``.

        Returns:
            Whether the key existed.
        """
        with self._lock:
            cur = self._db().execute("DELETE FROM astdb WHERE key = ?", (_full_key(family, key),))
        return cur.rowcount > 0

    def items(self, family: str) -> dict[str, str]:
        """Every ``key -> value`` below ``/family/``, in key order.

        Keys are returned relative to the family; keys of deeper families
        (``family/sub/key``) come back as ``sub/key``.
        """
        low, high = _family_range(family)
        with self._lock:
            rows = (
                self._db()
                .execute(
                    "SELECT key, value FROM astdb WHERE key >= ? AND key < ? ORDER BY key",
                    (low, high),
                )
                .fetchall()
            )
        return {str(k)[len(low) :]: str(v) for k, v in rows}

    def all_items(self) -> dict[str, str]:
        """Every full ``/family/key -> value`` of the store, in key order."""
        with self._lock:
            rows = self._db().execute("SELECT key, value FROM astdb ORDER BY key").fetchall()
        return {str(k): str(v) for k, v in rows}

    def keys(self, family: str) -> list[str]:
        """The keys below ``/family/``, in order (see :meth:`items`)."""
        return list(self.items(family))

    def delete_family(self, family: str) -> int:
        """Remove every key below ``/family/``.

        Returns:
            How many keys were removed.
        """
        low, high = _family_range(family)
        with self._lock:
            cur = self._db().execute("DELETE FROM astdb WHERE key >= ? AND key < ?", (low, high))
        return cur.rowcount

    def close(self) -> None:
        """Close the database; further calls raise :class:`RuntimeError`."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> AstDB:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
