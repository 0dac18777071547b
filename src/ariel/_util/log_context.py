"""Log lines that carry the channel they are about.

Theory of operation: the task that runs a channel (and every task it starts,
since asyncio copies the context into new tasks) sets :data:`CHANNEL` with
:func:`channel_log_context`. :class:`ChannelLogFilter`, installed on the log
handlers, copies it onto each record as ``channel`` (the id, or ``""``) and
``channel_tag`` (`` channel=<id>``, or ``""``) for the format string, so
every line a call logs can be found by its channel id.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from contextvars import ContextVar

__all__ = ["CHANNEL", "ChannelLogFilter", "channel_log_context"]

#: The id of the channel the running task works for, if any.
CHANNEL: ContextVar[str | None] = ContextVar("ariel_log_channel", default=None)


@contextlib.contextmanager
def channel_log_context(channel_id: str) -> Iterator[None]:
    """Tag the log lines of the enclosed code (and the tasks it starts) with a channel id."""
    token = CHANNEL.set(channel_id)
    try:
        yield
    finally:
        CHANNEL.reset(token)


class ChannelLogFilter(logging.Filter):
    """Adds ``channel`` and ``channel_tag`` to every record; filters nothing out."""

    def filter(self, record: logging.LogRecord) -> bool:
        channel = getattr(record, "channel", None)
        if not isinstance(channel, str) or not channel:
            channel = CHANNEL.get() or ""
        record.channel = channel
        record.channel_tag = f" channel={channel}" if channel else ""
        return True
