"""Phones played by SIPp, for the SIP call tests.

Theory of operation: each :class:`SippPhone` is one ``sipp`` process running
one call (``-m 1``) of an XML scenario from ``scenarios/`` against the
server's UDP port, from a free local port on 127.0.0.1. The scenario is copied
into a per-phone working directory together with everything SIPp writes there
(``-trace_msg`` message log, error log, stdout), so a failing test can show
the whole exchange. The message log is the phone's ears: :meth:`SippPhone.messages`
parses it into :class:`SipMessage` objects, and the ``wait_*`` methods poll it
until the phone has heard what the test awaits.

Scenarios are parameterised with SIPp keys: ``from_user`` (the From user, which
identifies the pjsip.conf endpoint), ``display`` (the From display name, which
becomes the channel's caller name) and the Request-URI user (``-s``, the
dialled extension). SIPp does no media: its SDP advertises SIPp's own media
port, which nothing reads.

Some scenarios wait at a ``<recv request="INFO"/>`` step for the user to
act (hang up, put the call on hold); :meth:`SippPhone.press` sends that INFO to
the phone's SIP port inside the call, like a button press. The scenarios do not
answer it, so nothing of it reaches the server.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import shutil
import socket
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "SCENARIOS",
    "PhoneFactory",
    "SipMessage",
    "SippPhone",
    "parse_trace",
    "sipp_path",
]

SCENARIOS = Path(__file__).resolve().parent / "scenarios"

#: How long one SIPp run may take in all (SIPp's own ``-timeout``).
RUN_TIMEOUT_S = 20
#: How long a test waits for one message to reach the phone.
WAIT_TIMEOUT_S = 5.0
POLL_S = 0.01

#: What the ``phone`` fixture gives: ``phone(scenario, dial=..., display=...)``.
PhoneFactory = Callable[..., "SippPhone"]

_SEPARATOR = re.compile(r"^-{20,}.*$", re.M)
_HEADER = re.compile(r"^([A-Za-z0-9-]+)[ \t]*:[ \t]*(.*)$")


def sipp_path() -> str | None:
    """Where ``sipp`` is installed, or ``None``."""
    return shutil.which("sipp")


def free_udp_port() -> int:
    """A UDP port on 127.0.0.1 that nothing is bound to right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass(frozen=True, slots=True)
class SipMessage:
    """One SIP message SIPp sent or received, as its message trace shows it."""

    sent: bool
    text: str

    @property
    def start_line(self) -> str:
        return self.text.split("\n", 1)[0].strip()

    @property
    def status(self) -> int | None:
        """The status code of a response (``None`` for a request)."""
        parts = self.start_line.split()
        if len(parts) >= 2 and parts[0] == "SIP/2.0" and parts[1].isdigit():
            return int(parts[1])
        return None

    @property
    def method(self) -> str:
        """The request method, or for a response the method of its CSeq."""
        if self.status is None:
            return self.start_line.split()[0]
        cseq = (self.header("CSeq") or "").split()
        return cseq[1] if len(cseq) > 1 else ""

    @property
    def cseq(self) -> int | None:
        number = (self.header("CSeq") or "").split()
        return int(number[0]) if number and number[0].isdigit() else None

    @property
    def headers(self) -> list[tuple[str, str]]:
        head = self.text.split("\n\n", 1)[0]
        found = []
        for line in head.split("\n")[1:]:
            match = _HEADER.match(line.strip())
            if match:
                found.append((match.group(1), match.group(2).strip()))
        return found

    def header(self, name: str) -> str | None:
        """The first value of header ``name`` (case-insensitive), or ``None``."""
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None

    @property
    def body(self) -> str:
        return self.text.split("\n\n", 1)[1] if "\n\n" in self.text else ""

    @property
    def sdp_lines(self) -> list[str]:
        """The body's lines when it is SDP, else ``[]``."""
        if (self.header("Content-Type") or "").lower() != "application/sdp":
            return []
        return [line.strip() for line in self.body.split("\n") if line.strip()]

    def sdp_audio(self) -> tuple[str, int] | None:
        """The (address, port) of the SDP's audio stream, or ``None`` without one."""
        address = port = None
        for line in self.sdp_lines:
            if line.startswith("c=IN IP4 "):
                address = line.split()[2]
            elif line.startswith("m=audio "):
                port = int(line.split()[1])
        if address is None or port is None:
            return None
        return address, port

    def summary(self) -> str:
        arrow = "->" if self.sent else "<-"
        return f"{arrow} {self.start_line} (CSeq {self.header('CSeq')})"


def _cut(text: str) -> str:
    """One traced message, without what SIPp logged after its body."""
    text = text.replace("\r\n", "\n").strip("\n")
    head, sep, rest = text.partition("\n\n")
    length = 0
    for line in head.split("\n"):
        match = _HEADER.match(line.strip())
        if match and match.group(1).lower() in ("content-length", "l"):
            length = int(match.group(2) or 0)
    return head + sep + rest[:length] if sep else head


def parse_trace(text: str) -> list[SipMessage]:
    """A SIPp ``-trace_msg`` file -> the messages it sent and received, in order.

    SIPp repeats an unexpected message in a block of its own ("Unexpected UDP
    message received"); those repeats are skipped.
    """
    found = []
    for block in _SEPARATOR.split(text):
        heading, _, message = block.strip("\n").partition("\n")
        if heading.startswith(("UDP message sent", "TCP message sent")):
            found.append(SipMessage(sent=True, text=_cut(message)))
        elif heading.startswith(("UDP message received", "TCP message received")):
            found.append(SipMessage(sent=False, text=_cut(message)))
    return found


class SippPhone:
    """One SIPp process placing one call to the server under test.

    Args:
        scenario: File name under ``scenarios/``.
        sip_port: The server's SIP UDP port on 127.0.0.1.
        workdir: An empty directory for the scenario and SIPp's logs.
        dial: The Request-URI user (the extension dialled).
        from_user: The From user (identifies the endpoint).
        display: The From display name (the channel's caller name).
        options: More ``sipp`` options (e.g. ``-nr``: no UDP retransmissions,
            neither of SIPp's own requests nor of its answers to what it takes
            for the peer's retransmissions).
    """

    def __init__(
        self,
        scenario: str,
        *,
        sip_port: int,
        workdir: Path,
        dial: str = "",
        from_user: str = "SOFTPHONE_A",
        display: str = "",
        options: Sequence[str] = (),
    ) -> None:
        self.scenario = scenario
        self.sip_port = sip_port
        self.workdir = workdir
        self.dial = dial
        self.from_user = from_user
        self.display = display
        self.options = tuple(options)
        self.call_id = f"ariel-sip-{uuid.uuid4().hex[:16]}@127.0.0.1"
        self.local_port = free_udp_port()
        self.media_port = free_udp_port()
        self.message_file = workdir / "messages.log"
        self.returncode: int | None = None
        self._process: asyncio.subprocess.Process | None = None
        self._presses = 0

    # -- running ---------------------------------------------------------------
    def command(self) -> list[str]:
        """The ``sipp`` command line."""
        sipp = sipp_path()
        assert sipp is not None, "sipp is not installed"
        args = [
            sipp,
            f"127.0.0.1:{self.sip_port}",
            "-sf",
            str(self.workdir / self.scenario),
            "-i",
            "127.0.0.1",
            "-p",
            str(self.local_port),
            "-mp",
            str(self.media_port),
            "-m",
            "1",
            "-l",
            "1",
            "-cid_str",
            self.call_id,
            "-key",
            "from_user",
            self.from_user,
            "-key",
            "display",
            self.display,
            "-timeout",
            f"{RUN_TIMEOUT_S}s",
            "-timeout_error",
            "-nostdin",
            "-trace_msg",
            "-message_file",
            str(self.message_file),
            "-trace_err",
            "-error_file",
            str(self.workdir / "errors.log"),
        ]
        if self.dial:
            args += ["-s", self.dial]
        return args + list(self.options)

    async def start(self) -> SippPhone:
        """Starts SIPp; returns once its first message is on the wire."""
        shutil.copyfile(SCENARIOS / self.scenario, self.workdir / self.scenario)
        with (self.workdir / "stdout.log").open("wb") as out:
            self._process = await asyncio.create_subprocess_exec(
                *self.command(),
                stdin=asyncio.subprocess.DEVNULL,
                stdout=out,
                stderr=asyncio.subprocess.STDOUT,
                cwd=self.workdir,
                start_new_session=True,
            )
        await self.wait_for(lambda m: m.sent, "its first message sent")
        return self

    async def finish(self, timeout: float = RUN_TIMEOUT_S) -> int:
        """Waits for SIPp to end its call and exit; returns its exit status (0: success)."""
        assert self._process is not None
        try:
            self.returncode = await asyncio.wait_for(self._process.wait(), timeout)
        except TimeoutError:
            await self.stop()
            raise AssertionError(f"sipp did not exit within {timeout} s\n{self.report()}") from None
        return self.returncode

    async def stop(self) -> None:
        """Kills SIPp if it still runs."""
        process = self._process
        if process is None or process.returncode is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(process.wait(), 5)

    async def __aenter__(self) -> SippPhone:
        return await self.start()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    # -- the user -------------------------------------------------------------
    def press(self) -> None:
        """Releases the scenario's next ``<recv request="INFO"/>`` step (a button press)."""
        self._presses += 1
        request = (
            f"INFO sip:{self.from_user}@127.0.0.1:{self.local_port} SIP/2.0\r\n"
            f"Via: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bK{uuid.uuid4().hex[:12]}\r\n"
            f"From: <sip:button@127.0.0.1>;tag={uuid.uuid4().hex[:8]}\r\n"
            f"To: <sip:{self.from_user}@127.0.0.1>\r\n"
            f"Call-ID: {self.call_id}\r\n"
            f"CSeq: {self._presses} INFO\r\n"
            "Max-Forwards: 70\r\n"
            "Content-Length: 0\r\n\r\n"
        )
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.sendto(request.encode(), ("127.0.0.1", self.local_port))

    # -- what the phone heard ---------------------------------------------------
    def messages(self) -> list[SipMessage]:
        """Every message SIPp sent or received so far (buttons presses excluded)."""
        try:
            text = self.message_file.read_text(errors="replace")
        except FileNotFoundError:
            return []
        return [m for m in parse_trace(text) if m.header("Call-ID") == self.call_id]

    def received(self) -> list[SipMessage]:
        """The messages from the server, in order (button presses excluded)."""
        return [m for m in self.messages() if not m.sent and m.method != "INFO"]

    def sent(self) -> list[SipMessage]:
        return [m for m in self.messages() if m.sent]

    def statuses(self, method: str = "INVITE", cseq: int | None = None) -> list[int]:
        """Status codes of the responses received for ``method``, in order, without repeats."""
        codes: list[int] = []
        for message in self.received():
            status = message.status
            if status is None or message.method != method:
                continue
            if cseq is not None and message.cseq != cseq:
                continue
            if not codes or codes[-1] != status:
                codes.append(status)
        return codes

    def response(self, status: int, method: str = "INVITE", cseq: int | None = None) -> SipMessage:
        """The first response ``status`` received for ``method`` (AssertionError if none)."""
        for message in self.received():
            same_cseq = cseq is None or message.cseq == cseq
            if message.status == status and message.method == method and same_cseq:
                return message
        raise AssertionError(f"the phone received no {status} for {method}\n{self.report()}")

    async def wait_for(
        self,
        predicate: Callable[[SipMessage], bool],
        what: str,
        timeout: float = WAIT_TIMEOUT_S,
    ) -> SipMessage:
        """Polls the message trace until a message matches ``predicate``."""
        deadline = time.monotonic() + timeout
        while True:
            for message in self.messages():
                if predicate(message):
                    return message
            exited = self._process is not None and self._process.returncode is not None
            if exited or time.monotonic() > deadline:
                # One last look: SIPp may have written its last message as it exited.
                for message in self.messages():
                    if predicate(message):
                        return message
                why = "sipp exited" if exited else f"not within {timeout} s"
                raise AssertionError(f"the phone never saw {what} ({why})\n{self.report()}")
            await asyncio.sleep(POLL_S)

    async def wait_notifies(self, count: int, timeout: float = 10.0) -> list[SipMessage]:
        """The NOTIFYs received, once there are at least ``count`` (a transfer's progress)."""
        deadline = time.monotonic() + timeout
        while True:
            found = [m for m in self.received() if m.method == "NOTIFY"]
            if len(found) >= count:
                return found
            if time.monotonic() > deadline:
                raise AssertionError(f"fewer than {count} NOTIFYs received:\n{self.report()}")
            await asyncio.sleep(POLL_S)

    async def wait_status(
        self, status: int, method: str = "INVITE", timeout: float = WAIT_TIMEOUT_S
    ) -> SipMessage:
        """Waits until the phone has received response ``status`` to ``method``."""
        return await self.wait_for(
            lambda m: not m.sent and m.status == status and m.method == method,
            f"a {status} for {method}",
            timeout,
        )

    async def wait_request(self, method: str, timeout: float = WAIT_TIMEOUT_S) -> SipMessage:
        """Waits until the phone has received a ``method`` request from the server."""
        return await self.wait_for(
            lambda m: not m.sent and m.status is None and m.method == method,
            f"a {method} request",
            timeout,
        )

    # -- diagnostics -------------------------------------------------------------
    def flow(self) -> list[str]:
        """One line per message, for assertion messages."""
        return [m.summary() for m in self.messages()]

    def report(self) -> str:
        """The message flow, SIPp's exit status and its error log, for a failing assertion."""
        lines = [f"sipp {self.scenario} (exit status {self.returncode}), call {self.call_id}:"]
        lines += [f"  {line}" for line in self.flow()]
        errors = self.workdir / "errors.log"
        with contextlib.suppress(FileNotFoundError):
            tail = errors.read_text(errors="replace")[-1500:]
            if tail.strip():
                lines.append("sipp errors:\n" + tail)
        return "\n".join(lines)
