"""Helpers shared by the client tests (a module name no other test folder uses)."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import signal
import sys
import time
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ariel_process import AriServer
from media_phones import RtpSippPhone
from rtp_peer import RtpPeer
from sipp_phone import SipMessage, parse_trace

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


class TcpProxy:
    """Forwards 127.0.0.1:<port> to the server; can cut the event-socket connections."""

    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.port = 0
        self._server: asyncio.Server | None = None
        self._links: list[tuple[bool, asyncio.StreamWriter, asyncio.StreamWriter]] = []
        self._tasks: set[asyncio.Task[None]] = set()

    async def __aenter__(self) -> TcpProxy:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        assert self._server is not None
        self._server.close()
        self.drop(websockets_only=False)
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._server.wait_closed()

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        first = await reader.read(65536)
        is_ws = first.startswith(b"GET ") and b"upgrade: websocket" in first.lower()
        self._links.append((is_ws, writer, up_writer))
        up_writer.write(first)
        for src, dst in ((reader, up_writer), (up_reader, writer)):
            task = asyncio.create_task(self._pump(src, dst))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    @staticmethod
    async def _pump(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
        with contextlib.suppress(ConnectionError, OSError):
            while data := await src.read(65536):
                dst.write(data)
                await dst.drain()
        dst.close()

    def drop(self, *, websockets_only: bool = True) -> int:
        """Abort the event-socket connections (or all); returns how many."""
        dropped = 0
        for link in list(self._links):
            is_ws, client_side, server_side = link
            if is_ws or not websockets_only:
                client_side.transport.abort()
                server_side.transport.abort()
                self._links.remove(link)
                dropped += 1
        return dropped


CLIENT_SCENARIOS = Path(__file__).resolve().parent / "scenarios"


class AnsweringPhone(RtpSippPhone):
    """SIPp as a called phone (``scenarios/answering_phone.xml``) on a fixed SIP port.

    It rings for ``ring_ms``, answers with the test's RTP port, and hangs up
    when :meth:`press` is called (or takes the far end's BYE). Its Call-ID is
    the server's, learned from the INVITE.
    """

    def __init__(self, *, listen_port: int, ring_ms: int = 0, **kwargs: Any) -> None:
        options = ("-d", str(ring_ms), *kwargs.pop("options", ()))
        super().__init__("answering_phone.xml", options=options, **kwargs)
        self.local_port = listen_port
        self.call_id = ""

    async def start(self) -> AnsweringPhone:
        """Starts SIPp; it then waits for the INVITE."""
        shutil.copyfile(CLIENT_SCENARIOS / self.scenario, self.workdir / self.scenario)
        with (self.workdir / "stdout.log").open("wb") as out:
            self._process = await asyncio.create_subprocess_exec(
                *self.command(),
                stdin=asyncio.subprocess.DEVNULL,
                stdout=out,
                stderr=asyncio.subprocess.STDOUT,
                cwd=self.workdir,
                start_new_session=True,
            )
        return self

    def messages(self) -> list[SipMessage]:
        try:
            text = self.message_file.read_text(errors="replace")
        except FileNotFoundError:
            return []
        found = parse_trace(text)
        if not self.call_id and found:
            self.call_id = found[0].header("Call-ID") or ""
        return [m for m in found if m.header("Call-ID") == self.call_id]

    async def invited(self, timeout: float = 10.0) -> SipMessage:
        """Wait for the INVITE; returns it (its SDP names the server's media address)."""
        return await self.wait_for(
            lambda m: not m.sent and m.status is None and m.method == "INVITE",
            "an INVITE",
            timeout=timeout,
        )
