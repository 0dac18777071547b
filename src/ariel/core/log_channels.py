"""Log channels (``/asterisk/logging``), as real stdlib logging handlers.

Theory of operation, after Asterisk's ``logger.c``:

* A channel is named like a ``logger.conf`` entry: ``console``, a file name
  (relative names live in the log folder) or ``syslog[.facility]``. Two
  names are the same channel when they resolve to the same file name; the
  console's file name is empty, so ARI lists it with ``channel: ""``.
* The configuration is a comma list of levels (``notice,warning,error``,
  ``verbose(3)``, ``*``, an optional ``[json]`` formatter prefix). Listing
  reports the levels upper-case in Asterisk's order, each followed by a
  space: ``"NOTICE WARNING ERROR "``. Unknown level names are ignored; an
  empty configuration is refused.
* Channels created over ARI are *dynamic*: only they can be deleted.
  Channels from the configuration (``static``) are listed and rotated.
  New channels go to the head of the list, as Asterisk inserts them.
* A file channel is a :class:`logging.FileHandler` on the ``ariel`` logger
  (or the one given) with a filter for its levels; rotating renames the file
  to the first free ``<file>.N`` (Asterisk's sequential strategy) and
  reopens it.

Python levels map to Asterisk's: ``ERROR``/``CRITICAL`` -> ERROR,
``WARNING`` -> WARNING, ``INFO`` -> NOTICE, :data:`VERBOSE` (15) ->
VERBOSE, :data:`DTMF` (12) -> DTMF, lower -> DEBUG; a record may name its
level explicitly with ``extra={"ast_level": "VERBOSE"}``.
"""

from __future__ import annotations

import json
import logging
import logging.handlers
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ariel.core.errors import AlreadyExists, InvalidArgument, NotFound, OperationFailed

__all__ = [
    "DTMF",
    "LEVELS",
    "VERBOSE",
    "LogChannelSnapshot",
    "LogChannels",
    "asterisk_level",
    "parse_levels",
]

#: Python level number of Asterisk's VERBOSE messages.
VERBOSE = 15
#: Python level number of Asterisk's DTMF messages.
DTMF = 12
#: Asterisk's level names, in the order listings use.
LEVELS = ("DEBUG", "NOTICE", "WARNING", "ERROR", "VERBOSE", "DTMF")
_PY_LEVEL = {
    "DEBUG": logging.DEBUG,
    "DTMF": DTMF,
    "VERBOSE": VERBOSE,
    "NOTICE": logging.INFO,
    "WARNING": logging.WARNING,
    "ERROR": logging.ERROR,
}


@dataclass(frozen=True, slots=True, kw_only=True)
class LogChannelSnapshot:
    """A log channel as ARI lists it (the ``LogChannel`` model)."""

    channel: str
    type: str
    status: str
    configuration: str


def parse_levels(components: str) -> tuple[frozenset[str], str]:
    """The levels and formatter name of a channel configuration.

    >>> sorted(parse_levels("notice, Warning,bogus")[0]), parse_levels("[json]*")[1]
    (['NOTICE', 'WARNING'], 'json')
    """
    text = components
    formatter = "default"
    start = text.find("[")
    end = text.find("]", start + 1) if start >= 0 else -1
    if start >= 0 and end > start:
        if text[start + 1 : end].strip().lower() == "json":
            formatter = "json"
        text = text[end + 1 :]
    levels: set[str] = set()
    for word in text.split(","):
        item = word.strip().upper()
        if item == "*":
            levels.update(LEVELS)
        elif item.startswith("VERBOSE("):
            levels.add("VERBOSE")
        elif item in LEVELS:
            levels.add(item)
    return frozenset(levels), formatter


def asterisk_level(record: logging.LogRecord) -> str:
    """The Asterisk level name of a log record."""
    explicit = getattr(record, "ast_level", None)
    if isinstance(explicit, str) and explicit.upper() in LEVELS:
        return explicit.upper()
    n = record.levelno
    if n >= logging.ERROR:
        return "ERROR"
    if n >= logging.WARNING:
        return "WARNING"
    if n >= logging.INFO:
        return "NOTICE"
    if n == VERBOSE:
        return "VERBOSE"
    if n == DTMF:
        return "DTMF"
    return "DEBUG"


class _LevelFilter(logging.Filter):
    def __init__(self, levels: frozenset[str]) -> None:
        super().__init__()
        self.levels = levels

    def filter(self, record: logging.LogRecord) -> bool:
        return asterisk_level(record) in self.levels


class _AsteriskFormatter(logging.Formatter):
    """``[Mon dd hh:mm:ss] LEVEL[pid] module: message``, or Asterisk's JSON form."""

    def __init__(self, style_name: str) -> None:
        super().__init__()
        self.style_name = style_name

    def format(self, record: logging.LogRecord) -> str:
        t = time.localtime(record.created)
        date = time.strftime("%b ", t) + f"{t.tm_mday:2d}" + time.strftime(" %H:%M:%S", t)
        message = record.getMessage()
        if record.exc_info:
            message += "\n" + self.formatException(record.exc_info)
        level = asterisk_level(record)
        if self.style_name == "json":
            return json.dumps(
                {
                    "hostname": os.uname().nodename,
                    "timestamp": date,
                    "identifiers": {"lwp": record.process or 0, "callid": ""},
                    "logmsg": {
                        "location": {
                            "filename": record.filename,
                            "function": record.funcName,
                            "line": record.lineno,
                        },
                        "level": level,
                        "message": message,
                    },
                }
            )
        return f"[{date}] {level}[{record.process}] {record.module}: {message}"


@dataclass(slots=True, kw_only=True)
class _Channel:
    filename: str
    type: str
    levels: frozenset[str]
    formatter: str
    dynamic: bool
    handler: logging.Handler | None = None

    def snapshot(self) -> LogChannelSnapshot:
        config = "".join(f"{level} " for level in LEVELS if level in self.levels)
        return LogChannelSnapshot(
            channel=self.filename, type=self.type, status="Enabled", configuration=config
        )


class LogChannels:
    """The server's log channels.

    Args:
        log_dir: Folder of relative file channels; ``None`` refuses file
            channels (500 "Allocation failed").
        logger: The logger channels attach to (default ``ariel``). Its level
            is lowered when a channel asks for more detail than it passes.
        static: ``logger.conf`` ``[logfiles]``: name -> levels, in file order.
            The console channel is always present (default
            ``notice,warning,error``; it always includes VERBOSE).
    """

    def __init__(
        self,
        log_dir: Path | None,
        *,
        logger: logging.Logger | None = None,
        static: Mapping[str, str] | None = None,
    ) -> None:
        self._log_dir = log_dir
        self._logger = logger if logger is not None else logging.getLogger("ariel")
        self._channels: list[_Channel] = []
        entries = dict(static or {})
        if not any(name.strip().lower() == "console" for name in entries):
            entries = {"console": "notice,warning,error", **entries}
        for name, levels in entries.items():
            self._channels.insert(0, self._make(name, levels, dynamic=False))

    def _filename(self, name: str) -> str:
        if name.lower() == "console":
            return ""
        if name.lower().startswith("syslog") or name.startswith("/"):
            return name
        if self._log_dir is None:
            raise OperationFailed("Allocation failed")
        return str(self._log_dir / name)

    def _find(self, name: str) -> _Channel | None:
        try:
            filename = self._filename(name)
        except OperationFailed:
            return None
        return next((c for c in self._channels if c.filename == filename), None)

    def _make(self, name: str, components: str, *, dynamic: bool) -> _Channel:
        levels, formatter = parse_levels(components)
        filename = self._filename(name)
        if name.lower() == "console":
            return _Channel(
                filename="",
                type="Console",
                levels=levels | {"VERBOSE"},
                formatter=formatter,
                dynamic=dynamic,
            )
        if name.lower().startswith("syslog"):
            chan = _Channel(
                filename=filename,
                type="Syslog",
                levels=levels,
                formatter=formatter,
                dynamic=dynamic,
            )
            chan.handler = self._syslog_handler(name)
        else:
            chan = _Channel(
                filename=filename, type="File", levels=levels, formatter=formatter, dynamic=dynamic
            )
            chan.handler = self._file_handler(filename)
        self._attach(chan)
        return chan

    @staticmethod
    def _file_handler(filename: str) -> logging.Handler:
        try:
            Path(filename).parent.mkdir(parents=True, exist_ok=True)
            return logging.FileHandler(filename, mode="a", encoding="utf-8")
        except OSError as exc:
            raise OperationFailed("Allocation failed") from exc

    @staticmethod
    def _syslog_handler(name: str) -> logging.Handler:
        _, _, facility_name = name.partition(".")
        facility = logging.handlers.SysLogHandler.facility_names.get(
            (facility_name or "local0").lower()
        )
        if facility is None:
            raise OperationFailed("Allocation failed")
        address: str | tuple[str, int] = (
            "/dev/log"
            if Path("/dev/log").exists()
            else ("localhost", logging.handlers.SYSLOG_UDP_PORT)
        )
        try:
            return logging.handlers.SysLogHandler(address=address, facility=facility)
        except OSError as exc:
            raise OperationFailed("Allocation failed") from exc

    def _attach(self, chan: _Channel) -> None:
        handler = chan.handler
        if handler is None:
            return
        handler.setFormatter(_AsteriskFormatter(chan.formatter))
        handler.addFilter(_LevelFilter(chan.levels))
        self._logger.addHandler(handler)
        if chan.levels:
            needed = min(_PY_LEVEL[level] for level in chan.levels)
            if self._logger.getEffectiveLevel() > needed:
                self._logger.setLevel(needed)

    def _detach(self, chan: _Channel) -> None:
        if chan.handler is not None:
            self._logger.removeHandler(chan.handler)
            chan.handler.close()
            chan.handler = None

    def list(self) -> list[LogChannelSnapshot]:
        """Every channel, newest first."""
        return [c.snapshot() for c in self._channels]

    def add(self, name: str, configuration: str | None) -> LogChannelSnapshot:
        """Create a dynamic channel.

        Raises:
            InvalidArgument: empty configuration ("Configuration levels are required").
            AlreadyExists: the channel exists ("Log channel already exists").
            OperationFailed: the file or syslog could not be opened ("Allocation failed").
        """
        if not configuration:
            raise InvalidArgument("Configuration levels are required")
        if not name:
            raise OperationFailed("Allocation failed")
        if not name.lower().startswith("syslog") and (
            "/" in name or "\\" in name or "\x00" in name or name.startswith(".")
        ):
            # A channel added over ARI is a file in the log directory, never elsewhere.
            raise InvalidArgument("Log channel name must be a file name in the log directory")
        if self._find(name) is not None:
            raise AlreadyExists("Log channel already exists")
        chan = self._make(name, configuration, dynamic=True)
        self._channels.insert(0, chan)
        return chan.snapshot()

    def remove(self, name: str) -> None:
        """Delete a dynamic channel.

        Raises:
            NotFound: no such dynamic channel ("Log channel does not exist").
        """
        chan = self._find(name)
        if chan is None or not chan.dynamic:
            raise NotFound("Log channel does not exist")
        self._channels.remove(chan)
        self._detach(chan)

    def rotate(self, name: str) -> Path:
        """Rename a file channel's file to the first free ``.N`` and reopen it.

        Returns:
            Where the old file went.

        Raises:
            NotFound: no such file channel ("Log channel does not exist").
            OperationFailed: the file could not be renamed or reopened.
        """
        chan = self._find(name)
        if chan is None or chan.type != "File":
            raise NotFound("Log channel does not exist")
        self._detach(chan)
        n = 0
        while Path(f"{chan.filename}.{n}").exists():
            n += 1
        target = Path(f"{chan.filename}.{n}")
        try:
            os.replace(chan.filename, target)
        except OSError as exc:
            chan.handler = self._file_handler(chan.filename)
            self._attach(chan)
            raise OperationFailed("Allocation failed") from exc
        chan.handler = self._file_handler(chan.filename)
        self._attach(chan)
        return target

    def close(self) -> None:
        """Detach and close every handler (server shutdown)."""
        for chan in self._channels:
            self._detach(chan)
