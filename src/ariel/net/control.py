"""The control socket: a UNIX socket carrying console commands (``asterisk.ctl``).

Theory of operation: the running server listens on ``<astrundir>/ariel.ctl``
(mode 0600: its owner and root only). Each side sends one JSON object per line.
The client asks ``{"op": "command", "line": ...}``, ``{"op": "complete",
"line": ...}`` or ``{"op": "verbose", "level": n}``; the server answers
``{"op": "result", "status": n, "text": ...}`` or ``{"op": "completions",
"words": [...]}``, in order, and may put ``{"op": "log", "text": ...}`` lines
(the verbose call trace) anywhere between them. What a command means is not
this module's business: each connection gets a session from ``open_session``.

The client half (:class:`ControlClient`) is blocking, for the ``ariel``
command line.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

__all__ = [
    "SOCKET_NAME",
    "ControlClient",
    "ControlServer",
    "ControlSession",
    "client_socket_path",
    "server_socket_path",
]

log = logging.getLogger("ariel.net.control")

SOCKET_NAME = "ariel.ctl"
#: Bytes of log lines a slow console may have waiting before lines are dropped.
MAX_BACKLOG = 1 << 20
#: Longest request line.
MAX_LINE = 1 << 16


def _fallback_dir() -> Path:
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime:
        return Path(runtime) / "ariel"
    return Path.home() / ".local" / "state" / "ariel" / "run"


def server_socket_path(rundir: Path) -> Path:
    """Where the server listens: ``rundir`` if it can write there, else a per-user folder."""
    for directory in (rundir, _fallback_dir()):
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError:
            continue
        if os.access(directory, os.W_OK | os.X_OK):
            return directory / SOCKET_NAME
    return rundir / SOCKET_NAME


def client_socket_path(rundir: Path) -> Path:
    """Where a client finds the server of ``rundir`` (the same choice, made without writing)."""
    preferred = rundir / SOCKET_NAME
    if preferred.exists() or os.access(rundir, os.W_OK | os.X_OK):
        return preferred
    return _fallback_dir() / SOCKET_NAME


class ControlSession(Protocol):
    """What the server does with one connection's requests."""

    async def command(self, line: str) -> tuple[int, str]:
        """Run a command line: (exit status, output)."""
        ...

    def complete(self, line: str) -> list[str]:
        """Completions of the line so far."""
        ...

    def set_verbose(self, level: int) -> None:
        """The connection's verbosity."""
        ...

    def close(self) -> None:
        """The connection ended."""
        ...


OpenSession = Callable[[Callable[[str], None]], ControlSession]


def _frame(message: dict[str, Any]) -> bytes:
    return json.dumps(message, ensure_ascii=False).encode() + b"\n"


class ControlServer:
    """Serves console sessions on a UNIX socket.

    Args:
        path: The socket file.
        open_session: Makes the session of a new connection, given the
            function that sends it one log line.
    """

    def __init__(self, path: Path, open_session: OpenSession) -> None:
        self.path = path
        self._open_session = open_session
        self._server: asyncio.AbstractServer | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._tasks: set[asyncio.Task[Any]] = set()

    async def start(self) -> None:
        """Listen (OSError when another server already answers on the path)."""
        if self.path.exists() or self.path.is_symlink():
            if _answers(self.path):
                raise OSError(f"another server is listening on {self.path}")
            self.path.unlink()
        self._server = await asyncio.start_unix_server(
            self._serve, path=str(self.path), limit=MAX_LINE
        )
        os.chmod(self.path, 0o600)

    async def stop(self) -> None:
        """Close the listener and every connection; remove the socket file."""
        if self._server is not None:
            self._server.close()
            self._server = None
        for writer in list(self._writers):
            writer.close()
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=1.0)
        with contextlib.suppress(OSError):
            self.path.unlink()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.add(writer)
        task = asyncio.current_task()
        if task is not None:
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

        def send(message: dict[str, Any]) -> None:
            if writer.is_closing():
                return
            transport = writer.transport
            if message.get("op") == "log" and transport.get_write_buffer_size() > MAX_BACKLOG:
                return
            writer.write(_frame(message))

        session = self._open_session(lambda text: send({"op": "log", "text": text}))
        try:
            while True:
                try:
                    line = await reader.readline()
                except (ValueError, ConnectionError):
                    break
                if not line:
                    break
                try:
                    request = json.loads(line)
                    op = request["op"]
                except (ValueError, KeyError, TypeError):
                    log.debug("control socket: dropping a malformed request")
                    continue
                if op == "command":
                    status, text = await session.command(str(request.get("line", "")))
                    send({"op": "result", "status": status, "text": text})
                elif op == "complete":
                    words = session.complete(str(request.get("line", "")))
                    send({"op": "completions", "words": words})
                elif op == "verbose":
                    with contextlib.suppress(TypeError, ValueError):
                        session.set_verbose(int(request.get("level", 0)))
                with contextlib.suppress(ConnectionError):
                    await writer.drain()
        finally:
            session.close()
            self._writers.discard(writer)
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()


def _answers(path: Path) -> bool:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(1.0)
        try:
            sock.connect(str(path))
        except OSError:
            return False
        return True


class ControlClient:
    """A blocking connection to a server's control socket (for ``ariel -r``)."""

    def __init__(self, path: Path, *, timeout: float | None = None) -> None:
        self.path = path
        self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._sock.settimeout(timeout)
        try:
            self._sock.connect(str(path))
        except OSError:
            self._sock.close()
            raise
        self._file = self._sock.makefile("rb")

    def send(self, message: dict[str, Any]) -> None:
        """Send one request."""
        self._sock.sendall(_frame(message))

    def receive(self) -> dict[str, Any] | None:
        """The next message from the server; ``None`` once it has closed the connection."""
        line = self._file.readline()
        if not line:
            return None
        message = json.loads(line)
        return message if isinstance(message, dict) else None

    def close(self) -> None:
        """Close the connection (a thread blocked in :meth:`receive` gets ``None``)."""
        with contextlib.suppress(OSError):
            self._sock.shutdown(socket.SHUT_RDWR)
        with contextlib.suppress(OSError):
            self._file.close()
            self._sock.close()

    def __enter__(self) -> ControlClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
