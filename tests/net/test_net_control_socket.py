"""The control socket on a real UNIX socket: requests, answers, log lines, permissions."""

from __future__ import annotations

import asyncio
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ariel.net.control import ControlClient, ControlServer, client_socket_path

pytestmark = pytest.mark.integration


class _Session:
    def __init__(self, send_log: Callable[[str], None]) -> None:
        self.send_log = send_log
        self.verbose = 0
        self.closed = False

    async def command(self, line: str) -> tuple[int, str]:
        self.send_log(f"log for {line}")
        return (0, f"ran {line}\n") if line != "bad" else (1, "nope\n")

    def complete(self, line: str) -> list[str]:
        return ["show", "stop"]

    def set_verbose(self, level: int) -> None:
        self.verbose = level

    def close(self) -> None:
        self.closed = True


def _exchange(path: Path, *requests: dict[str, Any]) -> list[dict[str, Any]]:
    got: list[dict[str, Any]] = []
    with ControlClient(path, timeout=5) as client:
        for request in requests:
            client.send(request)
            while request["op"] != "verbose":
                message = client.receive()
                assert message is not None
                got.append(message)
                if message["op"] != "log":
                    break
    return got


async def test_commands_answer_in_order_with_log_lines_and_the_socket_is_private(
    tmp_path: Path,
) -> None:
    sessions: list[_Session] = []

    def open_session(send_log: Callable[[str], None]) -> _Session:
        sessions.append(_Session(send_log))
        return sessions[-1]

    path = tmp_path / "run" / "ariel.ctl"
    path.parent.mkdir()
    server = ControlServer(path, open_session)
    await server.start()
    try:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert client_socket_path(path.parent) == path
        got = await asyncio.to_thread(
            _exchange,
            path,
            {"op": "verbose", "level": 3},
            {"op": "command", "line": "core show channels"},
        )
        # The verbose request has no answer: the first reply is the command's.
        assert got == [
            {"op": "log", "text": "log for core show channels"},
            {"op": "result", "status": 0, "text": "ran core show channels\n"},
        ]
        got = await asyncio.to_thread(
            _exchange,
            path,
            {"op": "command", "line": "bad"},
            {"op": "complete", "line": "core s"},
        )
        assert got[1:] == [
            {"op": "result", "status": 1, "text": "nope\n"},
            {"op": "completions", "words": ["show", "stop"]},
        ]
        await asyncio.sleep(0.05)
        assert sessions[0].verbose == 3 and sessions[0].closed
    finally:
        await server.stop()
    assert not path.exists()


async def test_a_stale_socket_file_is_replaced_but_a_live_server_is_not(tmp_path: Path) -> None:
    path = tmp_path / "ariel.ctl"
    first = ControlServer(path, lambda send: _Session(send))
    await first.start()
    second = ControlServer(path, lambda send: _Session(send))
    with pytest.raises(OSError, match="another server"):
        await second.start()
    await first.stop()
    path.write_bytes(b"")  # a leftover file, nobody listening
    await second.start()
    await second.stop()
