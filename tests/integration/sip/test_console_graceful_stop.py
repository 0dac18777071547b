"""Stopping a server with calls up: SIGTERM and ``core stop gracefully`` refuse new
calls (503) and let calls end within the grace period, then hang up with BYE and exit 0;
``core stop now`` hangs up at once. A recording in progress is finished on the way out:
its WAV header matches its data, and it is a stored recording after a restart."""

from __future__ import annotations

import asyncio
import contextlib
import json
import signal
import socket
import struct
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from ariel_process import AriServer, free_port, launch_ariel, write_config
from console_tools import ariel_rx, send_rtp
from sipp_phone import SippPhone, sipp_path
from websockets.asyncio.client import ClientConnection, connect

pytestmark = [
    pytest.mark.timeout(60),
    pytest.mark.skipif(sipp_path() is None, reason="sipp is not installed"),
]

GRACE_S = 2.0


@pytest.fixture
def server(tmp_path: Path) -> Iterator[AriServer]:
    config_dir = tmp_path / "config"
    config_dir.mkdir()
    http_port = free_port()
    sip_port = free_port(socket.SOCK_DGRAM)
    write_config(config_dir, http_port=http_port, sip_port=sip_port)
    with launch_ariel(
        tmp_path,
        config_dir,
        http_port=http_port,
        sip_port=sip_port,
        extra_args=["--grace-period", str(GRACE_S)],
    ) as running:
        yield running


def _phone(
    server: AriServer, tmp_path: Path, name: str, scenario: str, dial: str = "echo"
) -> SippPhone:
    workdir = tmp_path / name
    workdir.mkdir()
    return SippPhone(scenario, sip_port=server.sip_port, workdir=workdir, dial=dial)


async def _event(ws: ClientConnection, kind: str) -> dict[str, Any]:
    while True:
        event: dict[str, Any] = json.loads(await asyncio.wait_for(ws.recv(), 5))
        if event["type"] == kind:
            return event


def _ari(server: AriServer, method: str, path: str) -> tuple[int, Any]:
    request = urllib.request.Request(
        f"{server.ari_url}/{path}", method=method, headers={"Authorization": server.basic_auth()}
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        body = response.read()
        return int(response.status), json.loads(body) if body else None


def _wav_sizes(data: bytes) -> tuple[int, int, int]:
    """(RIFF size, data chunk size, bytes after the 44-byte header) of a canonical WAV."""
    assert data[:4] == b"RIFF" and data[8:16] == b"WAVEfmt " and data[36:40] == b"data"
    (riff,) = struct.unpack_from("<I", data, 4)
    (size,) = struct.unpack_from("<I", data, 40)
    return riff, size, len(data) - 44


async def _exit_status(server: AriServer, timeout: float) -> int:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while server.process.poll() is None and loop.time() < deadline:
        await asyncio.sleep(0.05)
    status = server.process.poll()
    assert status is not None, f"still running after {timeout} s:\n{server.stderr_text()}"
    return status


async def test_sigterm_refuses_new_calls_then_ends_the_call_with_bye_and_exits_0(
    server: AriServer, tmp_path: Path
) -> None:
    async with _phone(server, tmp_path, "up", "answered_then_bye_from_server.xml") as up:
        await up.wait_status(200)
        loop = asyncio.get_running_loop()
        server.process.send_signal(signal.SIGTERM)
        stopped_at = loop.time()
        await asyncio.sleep(0.3)
        async with _phone(server, tmp_path, "late", "rejected.xml") as late:
            await late.wait_status(503)
            assert await late.finish() == 0, late.report()
        # The call in progress is left alone for the grace period, then hung up.
        assert not [m for m in up.received() if m.method == "BYE"]
        bye = await up.wait_request("BYE", timeout=GRACE_S + 5)
        assert loop.time() - stopped_at >= GRACE_S - 0.5, bye.summary()
        assert await up.finish() == 0, up.report()
    assert await _exit_status(server, 10) == 0
    assert not (server.config_dir / "state" / "run" / "ariel.ctl").exists()


async def test_a_call_that_ends_during_a_graceful_stop_lets_the_server_exit_early(
    server: AriServer, tmp_path: Path
) -> None:
    async with _phone(server, tmp_path, "up", "answered_then_phone_hangs_up.xml") as up:
        await up.wait_status(200)
        status, _ = await ariel_rx(server.config_dir, "core stop gracefully")
        assert status == 0
        up.press()  # the phone hangs up
        assert await up.finish() == 0, up.report()
    assert await _exit_status(server, GRACE_S) == 0


async def test_core_stop_now_hangs_up_at_once(server: AriServer, tmp_path: Path) -> None:
    async with _phone(server, tmp_path, "up", "answered_then_bye_from_server.xml") as up:
        await up.wait_status(200)
        status, _ = await ariel_rx(server.config_dir, "core stop now")
        assert status == 0
        await up.wait_request("BYE", timeout=GRACE_S - 0.5)
        assert await up.finish() == 0, up.report()
    assert await _exit_status(server, 5) == 0


async def test_sigterm_while_recording_ends_the_call_with_bye_and_keeps_a_valid_recording(
    server: AriServer, tmp_path: Path
) -> None:
    url = f"ws://127.0.0.1:{server.http_port}/ari/events?app=zarniwoop&api_key={server.api_key}"
    async with (
        connect(url, open_timeout=10) as ws,
        _phone(server, tmp_path, "rec", "answered_then_bye_from_server.xml", "245") as up,
    ):
        ok = await up.wait_status(200)
        channel_id = (await _event(ws, "StasisStart"))["channel"]["id"]
        status, _ = await asyncio.to_thread(
            _ari, server, "POST", f"channels/{channel_id}/record?name=at-sigterm&format=wav"
        )
        assert status == 201
        await _event(ws, "RecordingStarted")
        audio = ok.sdp_audio()
        assert audio is not None, ok.text
        with contextlib.closing(send_rtp(audio, 60)):
            await asyncio.sleep(0.3)
            server.process.send_signal(signal.SIGTERM)
            finished = await _event(ws, "RecordingFinished")
        assert finished["recording"]["name"] == "at-sigterm"
        await up.wait_request("BYE", timeout=GRACE_S + 5)
        assert await up.finish() == 0, up.report()
    assert await _exit_status(server, 10) == 0

    data = (server.config_dir / "state" / "spool" / "recording" / "at-sigterm.wav").read_bytes()
    riff, size, after_header = _wav_sizes(data)
    assert (riff, size) == (len(data) - 8, after_header)
    assert size >= 160 * 2 * 50  # most of the 60 packets of 20 ms, as 16-bit samples

    root = tmp_path / "restarted"
    root.mkdir()
    with launch_ariel(
        root, server.config_dir, http_port=server.http_port, sip_port=server.sip_port
    ) as again:
        status, stored = await asyncio.to_thread(_ari, again, "GET", "recordings/stored")
        assert status == 200
        assert {"name": "at-sigterm", "format": "wav"} in stored
