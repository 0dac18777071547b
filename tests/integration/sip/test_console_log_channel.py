"""The server's log lines about a call carry its channel id (``channel=<id>``)."""

from __future__ import annotations

import asyncio
import json
import socket
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from ariel_process import AriServer, free_port, launch_ariel, write_config
from console_tools import ariel_rx, wait_console
from sipp_phone import SippPhone, sipp_path

pytestmark = [
    pytest.mark.timeout(60),
    pytest.mark.skipif(sipp_path() is None, reason="sipp is not installed"),
]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[AriServer]:
    config_dir = tmp_path / "config"
    config_dir.mkdir()
    http_port = free_port()
    sip_port = free_port(socket.SOCK_DGRAM)
    write_config(config_dir, http_port=http_port, sip_port=sip_port)
    with launch_ariel(
        tmp_path, config_dir, http_port=http_port, sip_port=sip_port, extra_args=["-vvv"]
    ) as running:
        yield running


def _channel_ids(server: AriServer) -> list[str]:
    request = urllib.request.Request(
        f"{server.ari_url}/channels", headers={"Authorization": server.basic_auth()}
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        return [c["id"] for c in json.loads(response.read())]


async def test_the_call_trace_in_the_log_names_the_channel_id(
    server: AriServer, tmp_path: Path
) -> None:
    workdir = tmp_path / "phone"
    workdir.mkdir()
    phone = SippPhone(
        "answered_then_bye_from_server.xml", sip_port=server.sip_port, workdir=workdir, dial="echo"
    )
    async with phone:
        await phone.wait_status(200)
        await wait_console(server.config_dir, "core show channels", "Echo()")
        (channel_id,) = await asyncio.to_thread(_channel_ids, server)
        await ariel_rx(server.config_dir, "channel request hangup all")
        await phone.wait_request("BYE")
        assert await phone.finish() == 0, phone.report()
    lines = server.stderr_text().splitlines()
    traced = [line for line in lines if "Executing [echo@sets:" in line]
    assert len(traced) == 2, lines[-20:]
    assert all(f" channel={channel_id}: " in line for line in traced), traced
    started = next(line for line in lines if "ARI listening on" in line)
    assert " channel=" not in started
