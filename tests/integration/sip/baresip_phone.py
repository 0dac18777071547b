"""A headless baresip softphone, for a call from a real SIP user agent.

Theory of operation: :class:`BaresipPhone` writes a baresip configuration
directory (``config``, ``accounts``, ``contacts``) into a temporary directory:
one account with no registration (``regint=0``), PCMU only, audio read from a
generated 8 kHz WAV of silence (``aufile``) and no audio player, SIP on a free
loopback UDP port. baresip runs with ``-s`` (SIP trace) and ``-e "/dial ..."``
(the call is placed at start-up); what it prints to stdout is how the test
learns what the phone did ("Call established", "terminated", the traced
messages).
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import shutil
import time
import wave
from pathlib import Path

from sipp_phone import POLL_S, WAIT_TIMEOUT_S, free_udp_port

__all__ = ["BaresipPhone", "baresip_path"]

MODULE_PATHS = (Path("/usr/lib/baresip/modules"), Path("/usr/local/lib/baresip/modules"))
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def baresip_path() -> str | None:
    """Where ``baresip`` and its modules are installed, or ``None``."""
    if shutil.which("baresip") is None or _module_path() is None:
        return None
    return shutil.which("baresip")


def _module_path() -> Path | None:
    for path in MODULE_PATHS:
        if (path / "g711.so").exists() and (path / "aufile.so").exists():
            return path
    return None


class BaresipPhone:
    """One baresip process that dials ``uri`` as soon as it starts.

    Args:
        workdir: An empty directory for the configuration and stdout.
        uri: What to dial, e.g. ``sip:242@127.0.0.1:5060``.
        user: The account's user (the From user, which identifies the endpoint).
        display: The account's display name (the channel's caller name).
    """

    def __init__(self, *, workdir: Path, uri: str, user: str, display: str) -> None:
        self.workdir = workdir
        self.uri = uri
        self.user = user
        self.display = display
        self.sip_port = free_udp_port()
        self.stdout_path = workdir / "stdout.log"
        self._process: asyncio.subprocess.Process | None = None

    def write_config(self) -> None:
        modules = _module_path()
        assert modules is not None, "baresip modules not found"
        silence = self.workdir / "silence.wav"
        with wave.open(str(silence), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(8000)
            out.writeframes(b"\0\0" * 8000 * 30)
        (self.workdir / "config").write_text(
            "poll_method epoll\n"
            f"sip_listen 127.0.0.1:{self.sip_port}\n"
            "net_interface 127.0.0.1\n"
            f"module_path {modules}\n"
            "module g711.so\n"
            "module aufile.so\n"
            "module menu.so\n"
            "module account.so\n"
            f"audio_source aufile,{silence}\n"
            "rtp_ports 40000-40999\n"
        )
        (self.workdir / "accounts").write_text(
            f'"{self.display}" <sip:{self.user}@127.0.0.1>;regint=0;audio_codecs=PCMU\n'
        )
        (self.workdir / "contacts").write_text("")

    async def start(self) -> BaresipPhone:
        self.write_config()
        baresip = baresip_path()
        assert baresip is not None, "baresip is not installed"
        with self.stdout_path.open("wb") as out:
            self._process = await asyncio.create_subprocess_exec(
                baresip,
                "-f",
                str(self.workdir),
                "-s",
                "-e",
                f"/dial {self.uri}",
                stdin=asyncio.subprocess.DEVNULL,
                stdout=out,
                stderr=asyncio.subprocess.STDOUT,
                cwd=self.workdir,
                start_new_session=True,
            )
        return self

    async def stop(self) -> int | None:
        """SIGTERM (baresip ends its calls and exits), SIGKILL if it hangs."""
        process = self._process
        if process is None:
            return None
        if process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                process.terminate()
            try:
                await asyncio.wait_for(process.wait(), 5)
            except TimeoutError:
                with contextlib.suppress(ProcessLookupError):
                    process.kill()
                await process.wait()
        return process.returncode

    async def __aenter__(self) -> BaresipPhone:
        return await self.start()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    def output(self) -> str:
        """What baresip has printed so far, colours removed."""
        try:
            return _ANSI.sub("", self.stdout_path.read_text(errors="replace"))
        except FileNotFoundError:
            return ""

    async def wait_output(self, pattern: str, timeout: float = WAIT_TIMEOUT_S) -> re.Match[str]:
        """Waits until baresip prints a line matching regular expression ``pattern``."""
        regex = re.compile(pattern, re.M)
        deadline = time.monotonic() + timeout
        while True:
            found = regex.search(self.output())
            if found:
                return found
            exited = self._process is not None and self._process.returncode is not None
            if exited or time.monotonic() > deadline:
                why = "baresip exited" if exited else f"not within {timeout} s"
                raise AssertionError(
                    f"baresip never printed /{pattern}/ ({why}); its output:\n"
                    + self.output()[-4000:]
                )
            await asyncio.sleep(POLL_S)
