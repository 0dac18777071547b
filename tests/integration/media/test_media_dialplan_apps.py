"""Dialplan media applications on real calls: Playback, Echo, Dial to a Local pair.

Each test places a SIPp call (``media_call.xml``: INVITE with PCMU and
telephone-event on a test-owned RTP port, then waits for the server's BYE)
to an extension of the integration dialplan and measures what reaches the
phone's RTP socket.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from ariel_process import AriServer
from audio_measure import dominant_frequency, sine, voiced_seconds
from media_phones import RtpSippPhone, require_prompts
from rtp_peer import RtpPeer
from sipp_phone import sipp_path

pytestmark = pytest.mark.integration


@contextlib.asynccontextmanager
async def _call(
    server: AriServer, workdir: Path, exten: str
) -> AsyncIterator[tuple[RtpSippPhone, RtpPeer]]:
    if sipp_path() is None:
        pytest.skip("sipp is not installed")
    async with RtpPeer() as rtp:
        phone = RtpSippPhone(
            "media_call.xml",
            rtp_port=rtp.port,
            sip_port=server.sip_port,
            workdir=workdir,
            dial=exten,
            display=f"apps-{exten}",
        )
        async with phone:
            ok = await phone.wait_status(200)
            remote = ok.sdp_audio()
            assert remote is not None, ok.text
            rtp.remote = remote
            yield phone, rtp


async def test_playback_application_plays_the_prompt_then_hangs_up(
    ariel_server: AriServer, tmp_path: Path
) -> None:
    require_prompts("hello-world")
    async with _call(ariel_server, tmp_path, "hello") as (phone, rtp):
        assert await phone.finish() == 0, phone.report()
    assert 1.0 <= voiced_seconds(rtp.audio()) <= 1.5


async def test_echo_returns_what_the_caller_says_until_pound(
    ariel_server: AriServer, tmp_path: Path
) -> None:
    async with _call(ariel_server, tmp_path, "echo") as (phone, rtp):
        await rtp.send_silence(0.2)
        mark = rtp.mark()
        await rtp.send_audio(sine(600.0, 1.0))
        await rtp.wait_quiet(0.3)
        heard = rtp.audio(since=mark)
        assert 0.8 <= voiced_seconds(heard) <= 1.2
        assert abs(dominant_frequency(heard) - 600.0) < 20
        await rtp.send_digit("#", 100)
        assert await phone.finish() == 0, phone.report()


async def test_dial_to_a_local_pair_bridges_the_caller_to_its_dialplan(
    ariel_server: AriServer, tmp_path: Path
) -> None:
    require_prompts("hello-world")
    async with _call(ariel_server, tmp_path, "dial-local") as (phone, rtp):
        assert await phone.finish() == 0, phone.report()
    assert 1.0 <= voiced_seconds(rtp.audio()) <= 1.5
