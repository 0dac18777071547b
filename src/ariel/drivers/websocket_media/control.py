"""chan_websocket's protocol, sans-IO: control messages and the incoming media queue.

Theory of operation, after Asterisk's ``chan_websocket``: media travels in
BINARY frames (raw audio in the channel's format, no header), control in
TEXT frames. The app's commands (``ANSWER``, ``HANGUP``, ``START_MEDIA_BUFFERING``,
``STOP_MEDIA_BUFFERING [id]``, ``MARK_MEDIA [id]``, ``FLUSH_MEDIA``,
``PAUSE_MEDIA``, ``CONTINUE_MEDIA``, ``GET_STATUS``, ``REPORT_QUEUE_DRAINED``)
are plain words, or JSON objects with a ``command`` key when the channel was
dialled with ``f(json)``; notifications go back in the same style.

:class:`MediaQueue` holds what the app sent, cut into frames of the
*optimal frame size* (20 ms of the format: 160 bytes of ulaw), one frame
taken per media tick. An odd remainder is dropped unless the app asked for
buffering, when it waits for the next message. Past ``XOFF_LEVEL`` queued
frames the app is told ``MEDIA_XOFF``; below ``XON_LEVEL`` again,
``MEDIA_XON``; at ``MAX_QUEUE`` new media is dropped. Notifications that
must follow the media queued before them (``MEDIA_BUFFERING_COMPLETED``,
``MEDIA_MARK_PROCESSED``) wait in the queue in order.
"""

from __future__ import annotations

import json
from collections import deque
from dataclasses import dataclass

__all__ = [
    "COMMANDS",
    "MAX_QUEUE",
    "MAX_TEXT",
    "XOFF_LEVEL",
    "XON_LEVEL",
    "Command",
    "ControlError",
    "MediaQueue",
    "Notice",
    "format_notice",
    "parse_command",
]

MAX_QUEUE = 1000
XOFF_LEVEL = 900
XON_LEVEL = 800
#: Longer TEXT messages are ignored (the reference's MAX_TEXT_MESSAGE_LEN).
MAX_TEXT = 128

COMMANDS = frozenset(
    {
        "ANSWER",
        "HANGUP",
        "START_MEDIA_BUFFERING",
        "STOP_MEDIA_BUFFERING",
        "MARK_MEDIA",
        "FLUSH_MEDIA",
        "GET_STATUS",
        "REPORT_QUEUE_DRAINED",
        "PAUSE_MEDIA",
        "CONTINUE_MEDIA",
    }
)
#: Commands refused in passthrough mode (the app frames and times media itself).
QUEUE_COMMANDS = frozenset(
    {
        "START_MEDIA_BUFFERING",
        "STOP_MEDIA_BUFFERING",
        "MARK_MEDIA",
        "FLUSH_MEDIA",
        "REPORT_QUEUE_DRAINED",
        "PAUSE_MEDIA",
        "CONTINUE_MEDIA",
    }
)


class ControlError(ValueError):
    """A TEXT message that is not a command."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Command:
    """One command from the app: its word and the optional id after it."""

    name: str
    data: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Notice:
    """One notification to the app (``fields`` in the order they are printed)."""

    event: str
    fields: tuple[tuple[str, str | int | bool], ...] = ()
    #: The optional id of MEDIA_BUFFERING_COMPLETED / MEDIA_MARK_PROCESSED.
    correlation_id: str | None = None


def parse_command(text: str, *, json_format: bool) -> Command:
    """One TEXT message as a command.

    Raises:
        ControlError: Not JSON (in JSON mode), or no command in it.
    """
    text = text.strip()
    if json_format:
        try:
            body = json.loads(text)
        except ValueError:
            raise ControlError("Unable to parse JSON command") from None
        if not isinstance(body, dict) or not isinstance(body.get("command"), str):
            raise ControlError("Unable to parse JSON command")
        ident = body.get("correlation_id")
        return Command(name=body["command"], data=str(ident) if ident is not None else "")
    name, _, data = text.partition(" ")
    return Command(name=name, data=data)


def _plain_value(value: str | int | bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def format_notice(notice: Notice, *, channel_id: str, json_format: bool) -> str:
    """The TEXT message of ``notice`` in the channel's control format."""
    if json_format:
        body: dict[str, object] = {"event": notice.event}
        if all(key != "channel_id" for key, _ in notice.fields):
            body["channel_id"] = channel_id
        body.update(notice.fields)
        if notice.correlation_id is not None or notice.event in (
            "MEDIA_BUFFERING_COMPLETED",
            "MEDIA_MARK_PROCESSED",
        ):
            body["correlation_id"] = notice.correlation_id or ""
        return json.dumps(body, separators=(",", ":"))
    if notice.event in ("MEDIA_BUFFERING_COMPLETED", "MEDIA_MARK_PROCESSED"):
        return notice.event + (f" {notice.correlation_id}" if notice.correlation_id else "")
    words = [notice.event, *(f"{k}:{_plain_value(v)}" for k, v in notice.fields)]
    return " ".join(words)


class MediaQueue:
    """Frames the app sent, waiting for their media tick.

    Args:
        frame_size: Bytes in one 20 ms frame of the channel's format.
        passthrough: Queue each message whole, as the app framed it.
    """

    def __init__(self, frame_size: int, *, passthrough: bool = False) -> None:
        self.frame_size = frame_size
        self.passthrough = passthrough
        self._items: deque[bytes | Notice] = deque()
        self.length = 0
        self.full = False
        self.paused = False
        self.buffering = False
        self.report_drained = False
        self._leftover = b""

    def push(self, data: bytes) -> list[Notice]:
        """Queue a BINARY message; what to tell the app now (``MEDIA_XOFF``)."""
        if self.length >= MAX_QUEUE:
            return []
        if self.passthrough:
            return self._queue_frame(data)
        notices: list[Notice] = []
        if self.buffering and self._leftover:
            data = self._leftover + data
        self._leftover = b""
        size = self.frame_size
        whole = len(data) // size
        for i in range(whole):
            notices += self._queue_frame(data[i * size : (i + 1) * size])
        if self.buffering:
            self._leftover = data[whole * size :]
        return notices

    def _queue_frame(self, frame: bytes) -> list[Notice]:
        self._items.append(frame)
        self.length += 1
        if not self.full and self.length >= XOFF_LEVEL:
            self.full = True
            return [Notice(event="MEDIA_XOFF")]
        return []

    def pop(self) -> tuple[bytes | None, list[Notice]]:
        """The frame for this tick (``None``: silence) and what to tell the app first."""
        if self.paused:
            return None, []
        notices: list[Notice] = []
        if self.full and self.length < XON_LEVEL:
            self.full = False
            notices.append(Notice(event="MEDIA_XON"))
        while self._items and isinstance(self._items[0], Notice):
            item = self._items.popleft()
            assert isinstance(item, Notice)
            notices.append(item)
        if not self._items:
            if self.report_drained:
                self.report_drained = False
                notices.append(Notice(event="QUEUE_DRAINED"))
            return None, notices
        frame = self._items.popleft()
        assert isinstance(frame, bytes)
        self.length -= 1
        return frame, notices

    def stop_buffering(self, ident: str) -> None:
        """End a bulk transfer: the remainder is padded to a frame; a notice follows it."""
        self.buffering = False
        if self._leftover:
            self._queue_frame(self._leftover)
            self._leftover = b""
        self._items.append(Notice(event="MEDIA_BUFFERING_COMPLETED", correlation_id=ident or None))

    def mark(self, ident: str) -> None:
        """Tell the app when the media queued so far has been played."""
        self._items.append(Notice(event="MEDIA_MARK_PROCESSED", correlation_id=ident or None))

    def flush(self) -> None:
        """Drop everything queued; ends a bulk transfer and a pause."""
        self._items.clear()
        self.length = 0
        self.buffering = False
        self.paused = False
        self._leftover = b""

    def status(self, channel_id: str) -> Notice:
        """The ``STATUS`` notification."""
        return Notice(
            event="STATUS",
            fields=(
                ("channel_id", channel_id),
                ("queue_length", self.length),
                ("xon_level", XON_LEVEL),
                ("xoff_level", XOFF_LEVEL),
                ("queue_full", self.full),
                ("bulk_media", self.buffering),
                ("media_paused", self.paused),
            ),
        )
