"""A recording in progress survives a crash of the server.

The phone sends a 700 Hz tone while the call is recorded; the server is then
killed with SIGKILL (no chance to close anything). The WAV file must still be
valid -- its header was brought up to date at the last once-a-second flush --
and hold the tone up to that flush.
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import socket
import subprocess
import sys
import time
import uuid
import wave
from pathlib import Path

import aiohttp
import numpy as np
import pytest
from ari_app_events import AppEvents, Ari
from ariel_process import AriServer, free_port, write_config
from audio_measure import dominant_frequency, sine, voiced_seconds
from media_phones import RtpSippPhone
from rtp_peer import RtpPeer
from sipp_phone import sipp_path
from websockets.asyncio.client import connect

pytestmark = [pytest.mark.integration, pytest.mark.timeout(60)]


def _start(root: Path) -> tuple[subprocess.Popen[bytes], AriServer]:
    config_dir = root / "config"
    config_dir.mkdir()
    http_port, sip_port = free_port(), free_port(socket.SOCK_DGRAM)
    write_config(config_dir, http_port=http_port, sip_port=sip_port)
    start = 20000 + 2 * random.randrange(5000)
    (config_dir / "rtp.conf").write_text(f"[general]\nrtpstart = {start}\nrtpend = {start + 200}\n")
    with (root / "stderr.log").open("wb") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "ariel", "run", "-C", str(config_dir)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=err,
            env=dict(os.environ, PYTHONUNBUFFERED="1"),
            cwd=root,
        )
    server = AriServer(
        base_url=f"http://127.0.0.1:{http_port}",
        http_port=http_port,
        user="asterisk",
        password="whateveryoudodontusethispassword",
        config_dir=config_dir,
        sip_port=sip_port,
        process=process,
        stdout_path=root / "stdout.log",
        stderr_path=root / "stderr.log",
    )
    return process, server


async def _wait_up(ari: Ari) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            status, _ = await ari.request("GET", "asterisk/ping")
            if status == 200:
                return
        except aiohttp.ClientError:
            pass
        await asyncio.sleep(0.1)
    raise AssertionError("Ariel did not start")


async def test_killed_server_leaves_a_valid_recording_up_to_the_last_second(
    tmp_path: Path,
) -> None:
    if sipp_path() is None:
        pytest.skip("sipp is not installed")
    process, server = _start(tmp_path)
    name = f"crash-{uuid.uuid4().hex[:8]}"
    try:
        async with aiohttp.ClientSession(
            base_url=f"{server.ari_url}/",
            headers={"Authorization": server.basic_auth()},
            timeout=aiohttp.ClientTimeout(total=10),
        ) as http:
            ari = Ari(http)
            await _wait_up(ari)
            url = f"ws://127.0.0.1:{server.http_port}/ari/events?app=zarniwoop&api_key={server.api_key}"
            async with connect(url, open_timeout=10) as ws, RtpPeer() as rtp:
                stasis = AppEvents(ws, "zarniwoop")
                workdir = tmp_path / "call"
                workdir.mkdir()
                phone = RtpSippPhone(
                    "media_call.xml",
                    rtp_port=rtp.port,
                    sip_port=server.sip_port,
                    workdir=workdir,
                    dial="242",
                    display="crash-test",
                )
                async with phone:
                    start = await stasis.stasis_start("crash-test")
                    chan = start["channel"]["id"]
                    status, _ = await ari.request("POST", f"channels/{chan}/answer")
                    assert status == 204
                    ok = await phone.wait_status(200)
                    rtp.remote = ok.sdp_audio()
                    status, _ = await ari.request(
                        "POST", f"channels/{chan}/record", params={"name": name, "format": "wav"}
                    )
                    assert status == 201
                    await stasis.wait_for(
                        lambda e: e["type"] == "RecordingStarted", "RecordingStarted"
                    )
                    await rtp.send_audio(sine(700.0, 1.6))
                    process.send_signal(signal.SIGKILL)
                    process.wait(timeout=5)
                    await phone.stop()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=5)
    path = tmp_path / "config" / "state" / "spool" / "recording" / f"{name}.wav"
    with wave.open(str(path), "rb") as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, 8000)
        samples = np.frombuffer(wav.readframes(wav.getnframes()), dtype=np.int16)
    assert voiced_seconds(samples) >= 0.9, len(samples) / 8000
    assert abs(dominant_frequency(samples) - 700.0) < 20
