"""``ari set debug <app> on``: a console sees the app's events and REST traffic during a call.

A SIPp phone calls 245 (Answer, then Stasis(zarniwoop)); the app's event socket
is open and a console watches the log. The StasisStart sent to the app and a
REST request naming the app (``POST .../snoop?app=zarniwoop``) with its answer
appear in Asterisk's ``ari set debug`` layout.
"""

from __future__ import annotations

import asyncio
import json
import socket
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from ariel_process import AriServer, free_port, launch_ariel, write_config
from console_tools import ariel_rx
from sipp_phone import SippPhone, sipp_path
from websockets.asyncio.client import ClientConnection, connect

from ariel.net.control import ControlClient

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
    with launch_ariel(tmp_path, config_dir, http_port=http_port, sip_port=sip_port) as running:
        yield running


def _read_log(path: Path, wanted: tuple[str, ...], timeout: float) -> list[str]:
    """Log lines a console receives until every one of ``wanted`` has been seen."""
    lines: list[str] = []
    with ControlClient(path, timeout=timeout) as client:
        client.send({"op": "command", "line": "core show version"})
        while not all(any(w in line for line in lines) for w in wanted):
            message = client.receive()
            assert message is not None, lines
            if message["op"] == "log":
                lines.append(message["text"])
    return lines


async def _event(ws: ClientConnection, kind: str) -> dict[str, Any]:
    while True:
        event: dict[str, Any] = json.loads(await asyncio.wait_for(ws.recv(), 5))
        if event["type"] == kind:
            return event


def _post(server: AriServer, path: str) -> int:
    request = urllib.request.Request(
        f"{server.ari_url}/{path}", method="POST", headers={"Authorization": server.basic_auth()}
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        return int(response.status)


async def test_a_console_sees_the_events_and_rest_requests_of_a_debugged_app(
    server: AriServer, tmp_path: Path
) -> None:
    conf = server.config_dir
    url = f"ws://127.0.0.1:{server.http_port}/ari/events?app=zarniwoop&api_key={server.api_key}"
    async with connect(url, open_timeout=10) as ws:
        assert await ariel_rx(conf, "ari set debug zarniwoop on") == (
            0,
            "Debugging on 'zarniwoop' enabled\n",
        )
        _, shown = await ariel_rx(conf, "ari show app zarniwoop")
        assert "  Debug: Yes\n" in shown
        wanted = (
            "<--- Sending ARI event to 127.0.0.1:",
            "<--- ARI request received from: 127.0.0.1:",
            "<--- Sending ARI response to 127.0.0.1:",
        )
        path = conf / "state" / "run" / "ariel.ctl"
        reader = asyncio.create_task(asyncio.to_thread(_read_log, path, wanted, 10.0))
        await asyncio.sleep(0.5)
        workdir = tmp_path / "phone"
        workdir.mkdir()
        phone = SippPhone(
            "answered_then_bye_from_server.xml",
            sip_port=server.sip_port,
            workdir=workdir,
            dial="245",
        )
        async with phone:
            await phone.wait_status(200)
            channel_id = (await _event(ws, "StasisStart"))["channel"]["id"]
            snoop = f"channels/{channel_id}/snoop?app=zarniwoop&spy=in&snoopId=debug-snoop"
            assert await asyncio.to_thread(_post, server, snoop) == 200
            lines = await reader
            event = next(line for line in lines if line.startswith(wanted[0]))
            body = json.loads(event.split("\n", 1)[1])
            assert body["application"] == "zarniwoop" and "type" in body
            request = next(line for line in lines if line.startswith(wanted[1]))
            assert "app: zarniwoop" in request.splitlines()
            assert "spy: in" in request.splitlines()
            answer = next(line for line in lines if line.startswith(wanted[2]))
            assert answer.splitlines()[1] == "200 OK"
            assert '"id": "debug-snoop"' in answer

            # Debug lines are verbose level 0: a one-shot console may print some too.
            status, out = await ariel_rx(conf, "ari set debug zarniwoop off")
            assert status == 0 and out.endswith("Debugging on 'zarniwoop' disabled\n"), out
            await ariel_rx(conf, "channel request hangup all")
            await phone.wait_request("BYE")
            assert await phone.finish() == 0, phone.report()


async def test_ari_set_debug_names_unknown_apps_and_takes_all(server: AriServer) -> None:
    conf = server.config_dir
    assert await ariel_rx(conf, "ari set debug nosuchapp on") == (
        1,
        "Could not find application 'nosuchapp'\n",
    )
    assert await ariel_rx(conf, "ari set debug all on") == (
        0,
        "Debugging on all applications enabled\n",
    )
    assert await ariel_rx(conf, "ari set debug all off") == (
        0,
        "Debugging on all applications disabled\n",
    )
