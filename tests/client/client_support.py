"""Helpers shared by the client tests (a module name no other test folder uses)."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
import time
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from pathlib import Path

from ariel_process import AriServer
from media_phones import RtpSippPhone
from rtp_peer import RtpPeer
from sipp_phone import SipMessage

#: The Stasis application of extension 242 in the test dialplan.
STASIS_APP = "zarniwoop"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@dataclass
class PhoneCall:
    """A SIPp call to 242 whose RTP the test holds (answered by whoever runs the app)."""

    phone: RtpSippPhone
    rtp: RtpPeer
    caller: str

    async def answered(self, timeout: float = 5.0) -> SipMessage:
        """Wait for the 200 OK and point the RTP peer at the server's media address."""
        ok = await self.phone.wait_status(200, timeout=timeout)
        remote = ok.sdp_audio()
        assert remote is not None, f"no audio in the 200 OK:\n{ok.text}"
        self.rtp.remote = remote
        return ok


PhoneFactory = Callable[[], AbstractAsyncContextManager[PhoneCall]]


class ExampleApp:
    """One example process and its log."""

    def __init__(self, process: asyncio.subprocess.Process, log_path: Path) -> None:
        self.process = process
        self.log_path = log_path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    async def wait_log(self, text: str, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.log():
            if self.process.returncode is not None or time.monotonic() > deadline:
                raise AssertionError(f"example never logged {text!r}:\n{self.log()}")
            await asyncio.sleep(0.02)


@contextlib.asynccontextmanager
async def run_example(
    name: str, server: AriServer, tmp_path: Path, *extra: str
) -> AsyncIterator[ExampleApp]:
    log_path = tmp_path / f"{name}.log"
    with log_path.open("wb") as log:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            str(EXAMPLES / name),
            "--url",
            server.base_url,
            "--user",
            server.user,
            "--password",
            server.password,
            "--app",
            STASIS_APP,
            *extra,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=log,
            stderr=asyncio.subprocess.STDOUT,
        )
    app = ExampleApp(process, log_path)
    try:
        await app.wait_log("ready: application")
        yield app
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        try:
            code = await asyncio.wait_for(process.wait(), 5)
        except TimeoutError:
            process.kill()
            await process.wait()
            raise AssertionError(f"{name} did not stop on SIGTERM:\n{app.log()}") from None
    assert code == 0, f"{name} exited with {code}:\n{app.log()}"
    assert "Traceback" not in app.log(), app.log()
