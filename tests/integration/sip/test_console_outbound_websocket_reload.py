"""Live reload of ARI outbound WebSockets, watched from real ``websockets`` app servers.

``module reload res_ari.so`` (which re-reads websocket_client.conf too) starts
a persistent connection added to ari.conf, stops a removed one
(``ApplicationUnregistered``, then the socket closes), reconnects one whose
websocket_client.conf URI changed, and leaves an unchanged one alone; a
broken ari.conf keeps every connection as it was.  A per-call connection
changed by SIGHUP serves the next ``Stasis()`` call from its new server.
"""

from __future__ import annotations

import asyncio
import signal
import socket
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from ariel_process import ARI_CONF, AriServer, free_port, launch_ariel, write_config
from console_tools import ariel_rx, wait_console
from sipp_phone import SippPhone, sipp_path
from test_sip_call_outbound_websocket import AppServer, AppSocket, app_server, application_names

pytestmark = pytest.mark.timeout(90)

CONNECTION = """
[{name}]
type = outbound_websocket
websocket_client_id = {client}
apps = {apps}
local_ari_user = asterisk
"""

CLIENT = """
[{name}]
type = websocket_client
uri = ws://127.0.0.1:{port}/ari
protocols = ari
connection_type = {kind}
connection_timeout = 500
reconnect_interval = 200
reconnect_attempts = 10
"""

EXTENSIONS = """\
exten => percall,1,Noop()
 same => n,Stasis(pcapp)
 same => n,Hangup()

"""


@dataclass
class Reloadable:
    server: AriServer
    ports: dict[str, int]

    def write(self, connections: dict[str, tuple[str, str]], clients: dict[str, str]) -> None:
        """ari.conf: ``name -> (client, apps)``; websocket_client.conf: ``name -> port key``.

        A client named ``pc-...`` is per call; the others are persistent.
        """
        conf = self.server.config_dir
        sections = "".join(
            CONNECTION.format(name=name, client=client, apps=apps)
            for name, (client, apps) in connections.items()
        )
        (conf / "ari.conf").write_text(ARI_CONF + sections)
        (conf / "websocket_client.conf").write_text(
            "".join(
                CLIENT.format(
                    name=name,
                    port=self.ports[key],
                    kind="per_call_config" if name.startswith("pc-") else "persistent",
                )
                for name, key in clients.items()
            )
        )


@pytest.fixture
def reloadable(tmp_path: Path) -> Iterator[Reloadable]:
    config_dir = tmp_path / "config"
    config_dir.mkdir()
    http_port = free_port()
    sip_port = free_port(socket.SOCK_DGRAM)
    write_config(config_dir, http_port=http_port, sip_port=sip_port)
    dialplan = config_dir / "extensions.conf"
    dialplan.write_text(dialplan.read_text().replace("[sets]\n", "[sets]\n" + EXTENSIONS, 1))
    ports = {key: free_port() for key in ("keep", "gone", "old", "new", "added", "pc1", "pc2")}
    with launch_ariel(tmp_path, config_dir, http_port=http_port, sip_port=sip_port) as server:
        # Started with no outbound WebSocket: each test's reloads bring them.
        yield Reloadable(server=server, ports=ports)


async def _greeted(server: AppServer, *apps: str) -> AppSocket:
    sock = await server.accept()
    greeting = [await sock.next() for _ in apps]
    assert [(m["type"], m["application"]) for m in greeting] == [
        ("ApplicationRegistered", app) for app in apps
    ]
    return sock


async def test_res_ari_reload_starts_stops_and_restarts_outbound_websockets(
    reloadable: Reloadable,
) -> None:
    conf = reloadable.server.config_dir
    ports = reloadable.ports
    async with (
        app_server(ports["keep"]) as keep_server,
        app_server(ports["gone"]) as gone_server,
        app_server(ports["old"]) as old_server,
        app_server(ports["new"]) as new_server,
        app_server(ports["added"]) as added_server,
    ):
        reloadable.write(
            {"keep": ("c-keep", "keepapp"), "gone": ("c-gone", "goneapp")},
            {"c-keep": "keep", "c-gone": "gone"},
        )
        assert await ariel_rx(conf, "module reload res_ari.so") == (
            0,
            "Module 'res_ari.so' reloaded successfully.\n",
        )
        keep = await _greeted(keep_server, "keepapp")
        gone = await _greeted(gone_server, "goneapp")

        # Add [moving] (at the old URI) and [added], drop [gone].
        reloadable.write(
            {
                "keep": ("c-keep", "keepapp"),
                "moving": ("c-moving", "movingapp"),
                "added": ("c-added", "addedapp"),
            },
            {"c-keep": "keep", "c-moving": "old", "c-added": "added"},
        )
        status, out = await ariel_rx(conf, "module reload res_ari.so")
        assert (status, out) == (0, "Module 'res_ari.so' reloaded successfully.\n")
        await _greeted(added_server, "addedapp")
        moving = await _greeted(old_server, "movingapp")
        assert await gone.closed_by_ariel() == ["ApplicationRegistered", "ApplicationUnregistered"]
        names = await application_names(reloadable.server)
        assert {"keepapp", "movingapp", "addedapp"} <= set(names) and "goneapp" not in names

        # A new URI for [moving] in websocket_client.conf: closed there, reconnected here.
        reloadable.write(
            {
                "keep": ("c-keep", "keepapp"),
                "moving": ("c-moving", "movingapp"),
                "added": ("c-added", "addedapp"),
            },
            {"c-keep": "keep", "c-moving": "new", "c-added": "added"},
        )
        assert (await ariel_rx(conf, "module reload res_ari.so"))[0] == 0
        await _greeted(new_server, "movingapp")
        assert await moving.closed_by_ariel() == ["ApplicationRegistered"]
        listing = await wait_console(conf, "ari show outbound-websockets", "movingapp")
        rows = {line.split()[0]: line.split() for line in listing.splitlines()[2:]}
        assert sorted(rows) == ["added", "keep", "moving"]
        assert rows["moving"][1:] == [
            "persistent",
            "movingapp",
            "valid",
            f"ws://127.0.0.1:{ports['new']}/ari",
        ]

        # A broken ari.conf keeps everything as it is and says where it broke.
        (conf / "ari.conf").write_text((conf / "ari.conf").read_text() + "[broken\n")
        status, out = await ariel_rx(conf, "module reload res_ari.so")
        assert status == 1 and out.startswith("ari.conf:"), out
        assert out.endswith("keeping the ARI configuration in force.\n")
        assert "added" in (await ariel_rx(conf, "ari show outbound-websockets"))[1]

        # [keep] was never touched: one connection, its greeting only, still open.
        await asyncio.sleep(0.5)
        assert keep_server.connections.empty() and not keep.closed
        assert [m["type"] for m in keep.seen] == ["ApplicationRegistered"]


async def test_sighup_moves_a_per_call_connection_for_the_next_call(
    reloadable: Reloadable, tmp_path: Path
) -> None:
    if sipp_path() is None:
        pytest.skip("sipp is not installed")
    conf = reloadable.server.config_dir
    ports = reloadable.ports
    async with app_server(ports["pc1"]) as first, app_server(ports["pc2"]) as second:
        reloadable.write({"pc": ("pc-server", "pcapp")}, {"pc-server": "pc1"})
        reloadable.server.process.send_signal(signal.SIGHUP)
        await wait_console(conf, "ari show outbound-websockets", "pcapp")
        await _call(reloadable.server, tmp_path, first, "one")

        reloadable.write({"pc": ("pc-server", "pcapp")}, {"pc-server": "pc2"})
        reloadable.server.process.send_signal(signal.SIGHUP)
        await wait_console(conf, "ari show outbound-websocket pc", f":{ports['pc2']}/")
        await _call(reloadable.server, tmp_path, second, "two")
        assert first.connections.empty()


async def _call(server: AriServer, tmp_path: Path, app: AppServer, label: str) -> None:
    """One SIPp call into ``Stasis(pcapp)``, served and hung up over a per-call socket."""
    workdir = tmp_path / f"phone-{label}"
    workdir.mkdir()
    phone = SippPhone(
        "answered_then_bye_from_server.xml",
        sip_port=server.sip_port,
        workdir=workdir,
        dial="percall",
        display=f"reload-{uuid.uuid4().hex[:8]}",
    )
    async with phone as sipp:
        sock = await app.accept()
        registered = await sock.next("ApplicationRegistered")
        assert registered["application"].startswith("pcapp:PJSIP/")
        channel_id = (await sock.next("StasisStart"))["channel"]["id"]
        answered = await sock.request("POST", f"channels/{channel_id}/answer")
        assert answered["status_code"] == 204, answered
        deleted = await sock.request("DELETE", f"channels/{channel_id}")
        assert deleted["status_code"] == 204, deleted
        assert "StasisEnd" in await sock.closed_by_ariel()
        await sipp.wait_request("BYE")
        assert await sipp.finish() == 0, sipp.report()
