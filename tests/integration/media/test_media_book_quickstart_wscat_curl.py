"""The book's quick start, typed as the chapter types it: ``wscat`` and ``curl``.

Ariel runs on its embedded default configuration (``ariel run``, no ``-C``),
so on 127.0.0.1:8088 and :5060 as in the chapter. The chapter's ``wscat``
command opens the event socket of ``zarniwoop``; a SIPp phone registered as
nobody (identified as ``SOFTPHONE_A`` by its From user) dials 242; wscat
prints the ``StasisStart``; the chapter's ``curl`` command then plays
``sound:believe-its-free`` on the channel -- still ringing, never answered,
exactly as in the chapter -- and the phone hears the prompt as early media
(183 Session Progress, as the reference sends before playing to an
unanswered channel). The caller then gives up (CANCEL) and wscat prints
``StasisEnd``.

``believe-its-free`` is not in Debian's prompts: Ariel ships it
(``src/ariel/sounds``), so the chapter works verbatim.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from audio_measure import read_wav, voiced_seconds
from media_phones import RtpSippPhone
from rtp_peer import RtpPeer
from sipp_phone import sipp_path

#: The chapter's commands (the README has them on one line each).
WSCAT = (
    'wscat -c "ws://localhost:8088/ari/events?api_key='
    'asterisk:whateveryoudodontusethispassword&app=zarniwoop"'
)
#: The chapter ends the command with a stray `` sd``: curl plays the prompt,
#: then tries a host called ``sd`` and fails with "Could not resolve host".
CURL = (
    "curl -v -u asterisk:whateveryoudodontusethispassword -X POST "
    '"http://localhost:8088/ari/channels/{id}/play?media=sound:believe-its-free" sd'
)
PROMPT = Path(__file__).resolve().parents[3] / "src/ariel/sounds/en/believe-its-free.wav"


def _ports_free() -> bool:
    for kind, port in ((socket.SOCK_STREAM, 8088), (socket.SOCK_DGRAM, 5060)):
        with socket.socket(socket.AF_INET, kind) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # TIME_WAIT is fine
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                return False
    return True


pytestmark = [
    pytest.mark.skipif(shutil.which("wscat") is None, reason="wscat is not installed"),
    pytest.mark.skipif(sipp_path() is None, reason="sipp (sip-tester) is not installed"),
    pytest.mark.skipif(not _ports_free(), reason="127.0.0.1:8088 or :5060 is in use"),
    pytest.mark.timeout(120),
]


@pytest.fixture
def quickstart_server(tmp_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    """``ariel run`` with no configuration: the embedded quick start."""
    env = dict(os.environ, PYTHONUNBUFFERED="1", HOME=str(tmp_path))
    log = (tmp_path / "ariel.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "ariel", "run"],
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        env=env,
        cwd=tmp_path,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen("http://127.0.0.1:8088/ari/api-docs/resources.json"):
                    break
            except urllib.error.HTTPError:  # 401: up, and asking for the chapter's user
                break
            except OSError:
                assert proc.poll() is None, (tmp_path / "ariel.log").read_text()
                assert time.monotonic() < deadline, "the quick-start server did not come up"
                time.sleep(0.1)
        yield proc
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def _app_registered() -> bool:
    """Whether ``zarniwoop`` has an event socket (GET /applications, as the chapter's user)."""
    auth = base64.b64encode(b"asterisk:whateveryoudodontusethispassword").decode()
    request = urllib.request.Request(
        "http://127.0.0.1:8088/ari/applications", headers={"Authorization": f"Basic {auth}"}
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        return any(app["name"] == "zarniwoop" for app in json.load(response))


class Wscat:
    """The chapter's wscat, its output collected as it prints."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.output = ""
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        assert self.process.stdout is not None
        while chunk := await self.process.stdout.read(4096):
            self.output += chunk.decode(errors="replace")

    def events(self) -> list[dict[str, object]]:
        """The JSON events printed so far.

        On a terminal wscat prefixes each message with ``< ``; with its output
        piped, as here, it prints the messages as they come.
        """
        decoder = json.JSONDecoder()
        found: list[dict[str, object]] = []
        for match in re.finditer(r"(?m)^(?:< )?(?=\{)", self.output):
            try:
                event, _ = decoder.raw_decode(self.output, match.end())
            except json.JSONDecodeError:
                continue
            found.append(event)
        return found

    async def wait_event(self, kind: str, timeout: float = 15.0) -> dict[str, object]:
        deadline = time.monotonic() + timeout
        while True:
            for event in self.events():
                if event.get("type") == kind:
                    return event
            assert self.process.returncode is None, f"wscat exited:\n{self.output}"
            assert time.monotonic() < deadline, f"no {kind} from wscat:\n{self.output}"
            await asyncio.sleep(0.05)

    async def close(self) -> None:
        if self.process.returncode is None:
            self.process.terminate()
            await self.process.wait()
        await asyncio.wait_for(self._reader, 5)


async def test_the_chapters_wscat_and_curl_play_believe_its_free_to_the_ringing_caller(
    quickstart_server: subprocess.Popen[bytes], tmp_path: Path
) -> None:
    wscat = Wscat(
        await asyncio.create_subprocess_shell(
            f"exec {WSCAT}",  # the shell becomes wscat, so terminate() reaches it
            stdin=asyncio.subprocess.PIPE,  # wscat quits when its input closes
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
    )
    try:
        deadline = time.monotonic() + 15
        while not _app_registered():
            assert wscat.process.returncode is None, f"wscat exited:\n{wscat.output}"
            assert time.monotonic() < deadline, f"wscat did not connect:\n{wscat.output}"
            await asyncio.sleep(0.05)
        async with RtpPeer() as rtp:
            workdir = tmp_path / "phone"
            workdir.mkdir()
            phone = RtpSippPhone(
                "early_media_then_cancel.xml",
                rtp_port=rtp.port,
                sip_port=5060,
                workdir=workdir,
                dial="242",
                display="101",
            )
            await phone.start()
            try:
                start = await wscat.wait_event("StasisStart")
                channel = start["channel"]
                assert isinstance(channel, dict)
                assert channel["state"] == "Ring"
                assert channel["caller"] == {"name": "101", "number": "SOFTPHONE_A"}
                assert channel["dialplan"] == {
                    "context": "sets",
                    "exten": "242",
                    "priority": 2,
                    "app_name": "Stasis",
                    "app_data": "zarniwoop",
                }

                curl = await asyncio.create_subprocess_shell(
                    CURL.format(id=channel["id"]),
                    stdout=asyncio.subprocess.PIPE,
                    stderr=asyncio.subprocess.PIPE,
                )
                with_sd = asyncio.ensure_future(curl.communicate())
                done, _ = await asyncio.wait({with_sd}, timeout=30)
                if not done:  # the stray "sd" host may hang on a resolver: the play is done
                    curl.kill()
                    await with_sd
                out, err = with_sd.result()
                assert "< HTTP/1.1 201 Created" in err.decode(), err.decode()
                playback = json.loads(out.decode().split("\n}")[0] + "\n}")
                assert playback["media_uri"] == "sound:believe-its-free"
                assert playback["target_uri"] == f"channel:{channel['id']}"

                await wscat.wait_event("PlaybackStarted")
                await wscat.wait_event("PlaybackFinished", timeout=10)
                await rtp.wait_until(lambda: bool(rtp.received()), "the prompt's audio")
                await rtp.wait_quiet(0.3)
                heard = voiced_seconds(rtp.audio())
                prompt, _, _ = read_wav(PROMPT)
                expected = voiced_seconds(prompt)
                assert abs(heard - expected) < 0.3, (heard, expected)
                assert any(m.status == 183 for m in phone.messages() if not m.sent), (
                    "early media (183) before the prompt"
                )

                phone.press()  # the caller gives up
                assert await phone.finish() == 0, phone.report()
                end = await wscat.wait_event("StasisEnd")
                assert end["channel"]["id"] == channel["id"]  # type: ignore[index]
            finally:
                await phone.stop()
    finally:
        await wscat.close()
