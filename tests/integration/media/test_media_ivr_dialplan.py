"""An IVR dialplan on real calls: Background + WaitExten menus, ``t``, ``i``, Read + SayDigits.

A SIPp phone (``media_call.xml``: PCMU and telephone-event on a test-owned RTP
port, waiting for the server's BYE) calls an Ariel of the module's own whose
dialplan is the menu below; the test sends RFC 4733 digits and measures what
reaches the phone: the prompt of the extension chosen, the tone of ``t`` or
``i``, or the spoken digits, whose length must be that of the prompts said.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import socket
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import aiohttp
import pytest
from ariel_process import AriServer, free_port, launch_ariel, write_config
from audio_measure import dominant_frequency, read_wav, voiced_seconds
from media_phones import SOUNDS, RtpSippPhone, require_prompts
from rtp_peer import RtpPeer
from sipp_phone import SippPhone, sipp_path

pytestmark = pytest.mark.integration

IVR = """\
[sets]
exten => ivr,1,Answer()
 same => n,Set(TIMEOUT(response)=1)
 same => n,Set(TIMEOUT(digit)=1)
 same => n,Background(vm-goodbye)
 same => n,WaitExten()
exten => 2,1,Playback(hello-world)
 same => n,Hangup()
exten => t,1,Playtones(!697/600)
 same => n,Wait(0.8)
 same => n,Hangup()
exten => i,1,Playtones(!1209/600)
 same => n,Wait(0.8)
 same => n,Hangup()

exten => busy,1,Busy()

exten => read,1,Answer()
 same => n,Read(NUMBER,beep,3)
 same => n,SayDigits(${NUMBER})
 same => n,Hangup()
"""


@pytest.fixture(scope="module")
def ivr_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AriServer]:
    """An Ariel whose ``sets`` context is the IVR above."""
    root = tmp_path_factory.mktemp("ariel-ivr")
    config_dir = root / "config"
    config_dir.mkdir()
    http_port = free_port()
    sip_port = free_port(socket.SOCK_DGRAM)
    write_config(config_dir, http_port=http_port, sip_port=sip_port)
    (config_dir / "extensions.conf").write_text(IVR)
    start = 20000 + 2 * random.randrange((32000 - 20000 - 1000) // 2)
    (config_dir / "rtp.conf").write_text(
        f"[general]\nrtpstart = {start}\nrtpend = {start + 1000}\nicesupport = no\n"
    )
    with launch_ariel(root, config_dir, http_port=http_port, sip_port=sip_port) as server:
        yield server


@contextlib.asynccontextmanager
async def _call(
    server: AriServer, workdir: Path, exten: str
) -> AsyncIterator[tuple[RtpSippPhone, RtpPeer]]:
    if sipp_path() is None:
        pytest.skip("sipp is not installed")
    require_prompts("vm-goodbye", "hello-world", "beep")
    async with RtpPeer() as rtp:
        phone = RtpSippPhone(
            "media_call.xml",
            rtp_port=rtp.port,
            sip_port=server.sip_port,
            workdir=workdir,
            dial=exten,
            display=f"ivr-{exten}",
        )
        async with phone:
            ok = await phone.wait_status(200)
            remote = ok.sdp_audio()
            assert remote is not None, ok.text
            rtp.remote = remote
            yield phone, rtp


def _prompt_samples(name: str) -> int:
    """How many samples a prompt sends: whole 20 ms frames."""
    samples, rate, _ = read_wav(SOUNDS / f"{name}.wav")
    assert rate == 8000
    return -(-len(samples) // 160) * 160


async def test_digit_2_during_the_menu_plays_extension_2(
    ivr_server: AriServer, tmp_path: Path
) -> None:
    async with _call(ivr_server, tmp_path, "ivr") as (phone, rtp):
        await rtp.wait_until(lambda: len(rtp.audio()) >= 8 * 160, "the menu prompt")
        mark = rtp.mark()
        await rtp.send_digit("2", 100)
        assert await phone.finish() == 0, phone.report()
    heard = rtp.audio(since=mark)
    menu = len(rtp.audio()) - len(heard)
    assert menu < _prompt_samples("vm-goodbye") - 10 * 160  # the digit cut the menu short
    hello = voiced_seconds(read_wav(SOUNDS / "hello-world.wav")[0])
    assert abs(voiced_seconds(heard) - hello) <= 0.3


async def test_no_digit_times_out_into_t(ivr_server: AriServer, tmp_path: Path) -> None:
    async with _call(ivr_server, tmp_path, "ivr") as (phone, rtp):
        await rtp.wait_until(lambda: len(rtp.audio()) > 0, "the menu prompt")
        await rtp.wait_quiet(0.5)
        mark = rtp.mark()
        assert await phone.finish() == 0, phone.report()
    tone = rtp.audio(since=mark)
    assert abs(dominant_frequency(tone) - 697) < 15
    assert 0.5 <= voiced_seconds(tone) <= 0.7


async def test_a_wrong_digit_goes_to_i(ivr_server: AriServer, tmp_path: Path) -> None:
    async with _call(ivr_server, tmp_path, "ivr") as (phone, rtp):
        await rtp.wait_until(lambda: len(rtp.audio()) > 0, "the menu prompt")
        await rtp.wait_quiet(0.2)
        mark = rtp.mark()
        await rtp.send_digit("9", 100)
        assert await phone.finish() == 0, phone.report()
    tone = rtp.audio(since=mark)
    assert abs(dominant_frequency(tone) - 1209) < 15
    assert 0.5 <= voiced_seconds(tone) <= 0.7


async def test_read_collects_digits_that_saydigits_speaks_back(
    ivr_server: AriServer, tmp_path: Path
) -> None:
    async with _call(ivr_server, tmp_path, "read") as (phone, rtp):
        await rtp.wait_until(lambda: len(rtp.audio()) > 0, "the beep")
        await rtp.wait_quiet(0.3)
        mark = rtp.mark()
        for digit in "427":
            await rtp.send_digit(digit, 100)
        assert await phone.finish() == 0, phone.report()
    said = rtp.audio(since=mark)
    expected = sum(_prompt_samples(f"digits/{d}") for d in "427")
    assert abs(len(said) - expected) <= 3 * 160, (len(said), expected)
    assert voiced_seconds(said) > 0.5


async def test_busy_refuses_an_unanswered_call_with_486_and_ends_it(
    ivr_server: AriServer, tmp_path: Path
) -> None:
    if sipp_path() is None:
        pytest.skip("sipp is not installed")
    phone = SippPhone(
        "rejected.xml",
        sip_port=ivr_server.sip_port,
        workdir=tmp_path,
        dial="busy",
        display="ivr-busy",
    )
    async with phone:
        await phone.wait_status(486)
        assert await phone.finish() == 0, phone.report()
    async with aiohttp.ClientSession(headers={"Authorization": ivr_server.basic_auth()}) as http:
        for _ in range(100):  # Busy() waits for the hangup: the refused call must end it
            async with http.get(f"{ivr_server.ari_url}/channels") as response:
                if await response.json() == []:
                    return
            await asyncio.sleep(0.05)
    raise AssertionError("the busy channel was not hung up")
