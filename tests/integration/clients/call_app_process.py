"""A call app (``apps/*_app.py``, ``node/app.js``) as a subprocess the test reads.

Theory of operation: the app prints one JSON object per line on stdout (see
``apps/_call_app.py``); a reader thread stamps each with its arrival time
(``time.monotonic()``) and keeps them all, so a test can wait for a line,
look at what the app did to one channel in order, and time its steps. The
app's stderr goes to a file, shown with the lines when an assertion fails.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

__all__ = ["AppLine", "CallAppProcess"]

#: How long a test waits for one line of the app.
LINE_TIMEOUT_S = 5.0
STOP_TIMEOUT_S = 10.0


@dataclass(frozen=True, slots=True)
class AppLine:
    """One JSON line of the app, with the time it arrived."""

    arrival: float
    data: dict[str, Any] = field(default_factory=dict)

    def get(self, key: str) -> Any:
        return self.data.get(key)


class CallAppProcess:
    """A running call app.

    Args:
        client: The client's name, for messages.
        command: The command line.
        cwd: Where to run it.
        workdir: Where its stderr file goes.
    """

    def __init__(self, client: str, command: list[str], cwd: Path, workdir: Path) -> None:
        self.client = client
        self.stderr_path = workdir / f"{client.replace(' ', '-')}-stderr.log"
        self.lines: list[AppLine] = []
        self.junk: list[str] = []
        with self.stderr_path.open("wb") as err:
            self.process = subprocess.Popen(
                command,
                cwd=cwd,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=err,
                text=True,
                start_new_session=True,
            )
        assert self.process.stdout is not None
        self._reader = threading.Thread(
            target=self._read, args=(self.process.stdout,), name=f"{client} stdout", daemon=True
        )
        self._reader.start()

    def _read(self, stream: IO[str]) -> None:
        for raw in stream:
            try:
                data = json.loads(raw)
            except json.JSONDecodeError:
                self.junk.append(raw.rstrip("\n"))
                continue
            if isinstance(data, dict):
                self.lines.append(AppLine(time.monotonic(), data))
            else:
                self.junk.append(raw.rstrip("\n"))

    # -- what the app said -----------------------------------------------------
    def find(self, **match: Any) -> list[AppLine]:
        """The lines whose fields equal ``match``, in order."""
        return [
            line
            for line in list(self.lines)
            if all(line.data.get(k) == v for k, v in match.items())
        ]

    def errors(self) -> list[dict[str, Any]]:
        return [line.data for line in list(self.lines) if "error" in line.data]

    def ops(self, channel: str) -> list[str]:
        """The operations the app did on one channel, in order."""
        return [line.data["op"] for line in self.find(channel=channel) if "op" in line.data]

    def events(self, channel: str) -> list[str]:
        """The events the app reported for one channel, in order."""
        return [line.data["event"] for line in self.find(channel=channel) if "event" in line.data]

    async def wait_line(
        self,
        what: str,
        predicate: Callable[[AppLine], bool] | None = None,
        timeout: float = LINE_TIMEOUT_S,
        **match: Any,
    ) -> AppLine:
        """The first line matching ``match`` (and ``predicate``); AssertionError on timeout."""
        deadline = time.monotonic() + timeout
        while True:
            for line in self.find(**match):
                if predicate is None or predicate(line):
                    return line
            if self.process.poll() is not None:
                self._reader.join(timeout=2)
                for line in self.find(**match):
                    if predicate is None or predicate(line):
                        return line
                raise AssertionError(f"{self.client} app exited before {what}\n{self.report()}")
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"{self.client} app: no {what} within {timeout} s\n{self.report()}"
                )
            await asyncio.sleep(0.01)

    # -- stopping ---------------------------------------------------------------
    def stop(self) -> int | None:
        """SIGTERM, then wait; kills it on timeout. The exit status, ``None`` if it hung."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    self.process.kill()
                self.process.wait(timeout=5)
                self._close_stdout()
                return None
        self._close_stdout()
        return self.process.returncode

    def _close_stdout(self) -> None:
        self._reader.join(timeout=2)
        if self.process.stdout is not None and not self._reader.is_alive():
            self.process.stdout.close()

    def report(self) -> str:
        """The app's last lines and stderr, for an assertion message."""
        shown = [json.dumps(line.data)[:400] for line in list(self.lines)[-40:]]
        stderr = self.stderr_path.read_text(errors="replace")[-3000:]
        return (
            f"{self.client} app (exit status {self.process.poll()}), last lines:\n  "
            + "\n  ".join(shown + [f"(not JSON) {j}" for j in self.junk[-10:]])
            + f"\nstderr:\n{stderr}"
        )
