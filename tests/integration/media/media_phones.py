"""Phones for the media tests: SIPp with a test-owned RTP port, baresip that records.

Theory of operation: :class:`RtpSippPhone` is a :class:`~sipp_phone.SippPhone`
whose scenario lives in ``media/scenarios`` and whose SDP offer advertises the
port of an :class:`~rtp_peer.RtpPeer` (SIPp key ``rtp_port``), so the audio
and digits of the call flow between the server and the test's own socket.

:class:`RecordingBaresip` is a :class:`~baresip_phone.BaresipPhone` that also
loads baresip's ``sndfile`` audio filter: it writes what the phone decodes
from the call (``dump-<time>-dec.wav``, 8 kHz 16-bit mono) into its working
directory. The jitter buffer is off (``jitter_buffer_delay 0-0``), so every
packet received is decoded at once and the file holds exactly the audio
that arrived, packet after packet (gaps in the stream are not filled in);
libsndfile completes the WAV header when the call's audio stream closes.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from baresip_phone import MODULE_PATHS, BaresipPhone, baresip_path
from rtp_peer import RtpPeer
from sipp_phone import SipMessage, SippPhone, parse_trace

__all__ = [
    "MEDIA_SCENARIOS",
    "CalledSippPhone",
    "MediaCall",
    "MediaCallFactory",
    "RecordingBaresip",
    "RtpSippPhone",
    "recording_baresip_path",
    "require_moh",
    "require_prompts",
    "rtp_range",
]

MEDIA_SCENARIOS = Path(__file__).resolve().parent / "scenarios"
#: Where the prompts and music on hold of the test configuration live (its astdatadir).
DATA_DIR = Path("/usr/share/asterisk")
SOUNDS = DATA_DIR / "sounds" / "en"
MOH_DIR = DATA_DIR / "moh"


def rtp_range(config_dir: Path) -> tuple[int, int]:
    """``(rtpstart, rtpend)`` of the ``rtp.conf`` in a server's configuration directory."""
    values = {}
    for line in (config_dir / "rtp.conf").read_text().splitlines():
        key, sep, value = line.partition("=")
        if sep and key.strip() in ("rtpstart", "rtpend"):
            values[key.strip()] = int(value.strip())
    return values["rtpstart"], values["rtpend"]


def require_prompts(*names: str) -> dict[str, Path]:
    """The prompts' WAV files by name; skips the test when one is not installed."""
    found = {name: SOUNDS / f"{name}.wav" for name in names}
    missing = [name for name, path in found.items() if not path.is_file()]
    if missing:
        pytest.skip(f"prompts not installed in {SOUNDS}: {', '.join(missing)}")
    return found


def require_moh() -> list[Path]:
    """The files of music-on-hold class ``default``; skips the test when there are none."""
    files = sorted(MOH_DIR.glob("*.wav")) if MOH_DIR.is_dir() else []
    if not files:
        pytest.skip(f"no music on hold installed in {MOH_DIR}")
    return files


@dataclass
class MediaCall:
    """An answered call whose RTP the test holds (what ``media_call()`` gives)."""

    channel_id: str
    phone: RtpSippPhone
    rtp: RtpPeer
    #: The server's 200 OK to the INVITE (its SDP answer).
    answer: SipMessage


#: The ``media_call`` fixture: ``async with media_call() as call``.
MediaCallFactory = Callable[[], AbstractAsyncContextManager[MediaCall]]


class RtpSippPhone(SippPhone):
    """A SIPp phone running a ``media/scenarios`` scenario with ``-key rtp_port``."""

    def __init__(self, scenario: str, *, rtp_port: int, **kwargs: Any) -> None:
        options = ("-key", "rtp_port", str(rtp_port), *kwargs.pop("options", ()))
        super().__init__(scenario, options=options, **kwargs)
        self.rtp_port = rtp_port

    async def start(self) -> RtpSippPhone:
        """Starts SIPp; returns once its first message is on the wire."""
        await self._launch(MEDIA_SCENARIOS)
        await self.wait_for(lambda m: m.sent, "its first message sent")
        return self

    async def _launch(self, scenarios: Path) -> None:
        shutil.copyfile(scenarios / self.scenario, self.workdir / self.scenario)
        with (self.workdir / "stdout.log").open("wb") as out:
            self._process = await asyncio.create_subprocess_exec(
                *self.command(),
                stdin=asyncio.subprocess.DEVNULL,
                stdout=out,
                stderr=asyncio.subprocess.STDOUT,
                cwd=self.workdir,
                start_new_session=True,
            )


class CalledSippPhone(RtpSippPhone):
    """SIPp as a called phone, listening on an endpoint's contact port.

    It runs ``scenario`` from ``scenarios``; :meth:`start` returns at once (it
    sends nothing until called), and only the messages of the one call it
    takes count (that Call-ID is the server's).
    """

    def __init__(self, scenario: str, *, scenarios: Path, listen_port: int, **kwargs: Any) -> None:
        super().__init__(scenario, **kwargs)
        self.local_port = listen_port
        self.call_id = ""
        self._scenarios = scenarios

    async def start(self) -> CalledSippPhone:
        await self._launch(self._scenarios)
        return self

    def messages(self) -> list[SipMessage]:
        try:
            found = parse_trace(self.message_file.read_text(errors="replace"))
        except FileNotFoundError:
            return []
        if not self.call_id and found:
            self.call_id = found[0].header("Call-ID") or ""
        return [m for m in found if m.header("Call-ID") == self.call_id]


def recording_baresip_path() -> str | None:
    """``baresip`` if it and its ``sndfile`` module are installed, else ``None``."""
    if baresip_path() is None:
        return None
    if not any((path / "sndfile.so").exists() for path in MODULE_PATHS):
        return None
    return baresip_path()


class RecordingBaresip(BaresipPhone):
    """A :class:`BaresipPhone` that writes the audio it receives to a WAV file."""

    def write_config(self) -> None:
        super().write_config()
        config = self.workdir / "config"
        config.write_text(
            config.read_text()
            + "module sndfile.so\n"
            + f"snd_path {self.workdir}\n"
            + "jitter_buffer_delay 0-0\n"
        )

    def received_wav(self) -> Path:
        """The WAV of the decoded incoming audio (AssertionError if there is none)."""
        found = sorted(self.workdir.glob("dump-*-dec.wav"))
        assert len(found) == 1, (
            f"expected one sndfile dump of received audio in {self.workdir}, found "
            f"{[p.name for p in found]}; baresip said:\n{self.output()[-3000:]}"
        )
        return found[0]
