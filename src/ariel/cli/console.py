"""``ariel -r`` / ``ariel -rx '<command>'``: the remote console of a running server.

The socket is found the way the server chose it: ``astrundir`` of the
configuration's asterisk.conf (``-C``), else the per-user fallback. ``-rx``
sends one command, prints its output and exits with its status; ``-r`` reads
lines with readline (history in ``~/.ariel_history``, completion asked of the
server) and prints the server's log lines for this console's verbosity as they
come.
"""

from __future__ import annotations

import contextlib
import os
import platform
import queue
import sys
import threading
from pathlib import Path
from typing import Any

from ariel.config import AsteriskConf, parse_file
from ariel.config.asterisk import build_asterisk_conf
from ariel.net.control import ControlClient, client_socket_path

__all__ = ["remote_console", "socket_for"]

HISTORY = Path.home() / ".ariel_history"
REPLY_TIMEOUT_S = 30.0


def socket_for(config_dir: Path | None) -> Path:
    """The control socket of the server run with ``config_dir``."""
    conf = AsteriskConf()
    if config_dir is not None and (config_dir / "asterisk.conf").exists():
        conf, _ = build_asterisk_conf(parse_file(config_dir / "asterisk.conf"))
    return client_socket_path(conf.directories.astrundir)


def remote_console(config_dir: Path | None, command: str | None, verbose: int) -> int:
    """Connect to the server; run ``command`` (``-x``) or an interactive console."""
    path = socket_for(config_dir)
    try:
        client = ControlClient(path, timeout=None)
    except OSError:
        print(f"Unable to connect to remote Ariel (does {path} exist?)", file=sys.stderr)
        return 1
    with client:
        if verbose:
            client.send({"op": "verbose", "level": verbose})
        if command is not None:
            return _one(client, command)
        return _interactive(client, verbose)


def _one(client: ControlClient, command: str) -> int:
    client.send({"op": "command", "line": command})
    while True:
        message = client.receive()
        if message is None:
            print("Disconnected from Ariel server", file=sys.stderr)
            return 1
        if message.get("op") == "log":
            print(message.get("text", ""))
        elif message.get("op") == "result":
            sys.stdout.write(str(message.get("text", "")))
            sys.stdout.flush()
            return int(message.get("status", 0))


class _Reader(threading.Thread):
    """Prints log lines as they arrive; hands answers to the main thread."""

    def __init__(self, client: ControlClient) -> None:
        super().__init__(daemon=True, name="console-reader")
        self._client = client
        self.answers: queue.Queue[dict[str, Any] | None] = queue.Queue()

    def run(self) -> None:
        while True:
            try:
                message = self._client.receive()
            except (OSError, ValueError):
                message = None
            if message is None:
                self.answers.put(None)
                return
            if message.get("op") == "log":
                sys.stdout.write(f"\r{message.get('text', '')}\n")
                sys.stdout.flush()
            else:
                self.answers.put(message)


def _interactive(client: ControlClient, verbose: int) -> int:
    try:
        import readline
    except ImportError:  # pragma: no cover - readline is part of CPython on Linux
        readline = None  # type: ignore[assignment]
    reader = _Reader(client)
    reader.start()
    prompt = f"{platform.node() or 'ariel'}*CLI> "
    matches: list[str] = []

    def ask(message: dict[str, Any]) -> dict[str, Any] | None:
        client.send(message)
        try:
            return reader.answers.get(timeout=REPLY_TIMEOUT_S)
        except queue.Empty:
            return {}

    def complete(text: str, state: int) -> str | None:
        nonlocal matches
        if state == 0 and readline is not None:
            line = readline.get_line_buffer()[: readline.get_endidx()]
            answer = ask({"op": "complete", "line": line}) or {}
            matches = [f"{w} " for w in answer.get("words", []) if w.startswith(text)]
        return matches[state] if state < len(matches) else None

    if readline is not None:
        with contextlib.suppress(OSError):
            readline.read_history_file(HISTORY)
        readline.set_completer(complete)
        readline.set_completer_delims(" \t")
        readline.parse_and_bind("tab: complete")
    print(f"Connected to Ariel (verbosity {verbose}); 'quit' or Ctrl-D leaves.")
    status = 0
    try:
        while True:
            try:
                line = input(prompt).strip()
            except EOFError:
                print()
                break
            except KeyboardInterrupt:
                print()
                continue
            if not line:
                continue
            if line in ("quit", "exit"):
                break
            answer = ask({"op": "command", "line": line})
            if answer is None:
                print("Disconnected from Ariel server", file=sys.stderr)
                status = 1
                break
            sys.stdout.write(str(answer.get("text", "")))
            sys.stdout.flush()
    finally:
        if readline is not None:
            with contextlib.suppress(OSError):
                readline.set_history_length(1000)
                readline.write_history_file(HISTORY)
                os.chmod(HISTORY, 0o600)
    return status
