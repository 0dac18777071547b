"""Stopping a server with calls up: SIGTERM and ``core stop gracefully`` refuse new
calls (503) and let calls end within the grace period, then hang up with BYE and exit 0;
``core stop now`` hangs up at once."""

from __future__ import annotations

import asyncio
import signal
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from ariel_process import AriServer, free_port, launch_ariel, write_config
from console_tools import ariel_rx
from sipp_phone import SippPhone, sipp_path

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


def _phone(server: AriServer, tmp_path: Path, name: str, scenario: str) -> SippPhone:
    workdir = tmp_path / name
    workdir.mkdir()
    return SippPhone(scenario, sip_port=server.sip_port, workdir=workdir, dial="echo")


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
