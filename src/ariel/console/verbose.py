"""Verbosity: Asterisk's ``-v`` levels for the log and for each console.

Theory of operation: verbose messages (the call trace, ``-- Executing [...]``)
are ordinary log records at INFO carrying a ``verbose`` level (see
:func:`verbose_extra`). The server's :class:`Verbosity` decides which of them
the main log shows (:class:`VerboseFilter`); each remote console has a level of
its own, and :class:`ConsoleFanout` copies records to the consoles that want
them: verbose records up to the console's level, and every warning or error.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

__all__ = [
    "ConsoleFanout",
    "VerboseFilter",
    "Verbosity",
    "format_for_console",
    "verbose_extra",
    "verbose_level",
]


def verbose_extra(level: int) -> Mapping[str, int]:
    """The ``extra=`` of a log call that is a verbose message at ``level``."""
    return {"verbose": level}


def verbose_level(record: logging.LogRecord) -> int | None:
    """The verbose level of a record, ``None`` for an ordinary log record."""
    level = getattr(record, "verbose", None)
    return level if isinstance(level, int) else None


@dataclass(slots=True)
class Verbosity:
    """The server's verbosity (``core set verbose N``, ``-v``, asterisk.conf ``verbose``)."""

    level: int = 0


class VerboseFilter(logging.Filter):
    """Lets verbose records through only up to the server's verbosity."""

    def __init__(self, verbosity: Verbosity) -> None:
        super().__init__()
        self._verbosity = verbosity

    def filter(self, record: logging.LogRecord) -> bool:
        level = verbose_level(record)
        return level is None or level <= self._verbosity.level


def format_for_console(record: logging.LogRecord) -> str:
    """A record as a console shows it: verbose messages bare, others with a header."""
    if verbose_level(record) is not None:
        return record.getMessage()
    stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(record.created))
    return f"[{stamp}] {record.levelname}[{record.process}]: {record.name}: {record.getMessage()}"


#: A console as the fan-out sees it: its level and where its lines go.
ConsoleSink = tuple[Callable[[], int], Callable[[str], None]]


class ConsoleFanout(logging.Handler):
    """Copies log records to the attached remote consoles."""

    def __init__(self) -> None:
        super().__init__(level=logging.INFO)
        self._sinks: dict[object, ConsoleSink] = {}

    def attach(self, key: object, level: Callable[[], int], send: Callable[[str], None]) -> None:
        """Send records to ``send`` while ``level()`` admits them."""
        self._sinks[key] = (level, send)

    def detach(self, key: object) -> None:
        """Stop sending to the console ``key``."""
        self._sinks.pop(key, None)

    def emit(self, record: logging.LogRecord) -> None:
        if not self._sinks:
            return
        level = verbose_level(record)
        text: str | None = None
        for wanted, send in list(self._sinks.values()):
            if level is None and record.levelno < logging.WARNING:
                continue
            if level is not None and level > wanted():
                continue
            if text is None:
                try:
                    text = format_for_console(record)
                except Exception:  # a bad format string must not break logging
                    self.handleError(record)
                    return
            send(text)
