"""`running_ariel`: a real Ariel in the test's event loop, on free ports, stopped clean."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

import aiohttp
import pytest

from ariel.client import AriClient
from ariel.config import ConfigError
from ariel.testing import RunningAriel, running_ariel

pytestmark = [pytest.mark.timeout(20)]


def udp_port_is_bound(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return True
        return False


async def test_serves_ari_and_sip_on_free_ports_and_leaves_nothing_behind(
    tmp_path: Path,
) -> None:
    before = asyncio.all_tasks()
    async with running_ariel(tmp_dir=tmp_path) as server:
        assert server.base_url == f"http://127.0.0.1:{server.http_port}"
        assert server.ws_url == f"ws://127.0.0.1:{server.http_port}/ari/events"
        assert server.sip_address == ("127.0.0.1", server.sip_port)
        assert udp_port_is_bound(server.sip_port)
        async with server.client(apps="probe") as client:
            assert client.connected.is_set()
            assert (await client.asterisk.ping()).ping == "pong"
        async with (
            aiohttp.ClientSession() as session,
            session.ws_connect(server.ws_url, params={"app": "raw", "api_key": server.api_key}),
        ):
            pass
        assert (tmp_path / "config" / "http.conf").read_text().count(str(server.http_port)) == 1
    await asyncio.sleep(0)
    assert asyncio.all_tasks() - before == set()
    assert not udp_port_is_bound(server.sip_port)
    with pytest.raises(OSError):
        await asyncio.open_connection("127.0.0.1", server.http_port)


async def test_given_files_replace_the_defaults_with_placeholders_filled(
    tmp_path: Path,
) -> None:
    files = {
        # No transport declared: the test transport is put in front.
        "pjsip.conf": "[carol]\ntype = endpoint\ncontext = lab\n",
        "extensions.conf": "[lab]\nexten => 300,1,Stasis(lab-app)\n",
        "ari.conf": "[general]\nenabled = yes\n\n[tester]\ntype = user\npassword = @PASSWORD@\n",
    }
    async with running_ariel(files, tmp_dir=tmp_path, user="tester", password="pw") as server:
        pjsip = (server.config_dir / "pjsip.conf").read_text()
        assert pjsip.startswith("[transport-udp]")
        assert f"bind = 127.0.0.1:{server.sip_port}" in pjsip
        async with server.client() as client:
            endpoints = await client.endpoints.list()
            assert [(e.technology, e.resource) for e in endpoints] == [("PJSIP", "carol")]


async def test_two_servers_run_side_by_side() -> None:
    async with running_ariel() as one, running_ariel() as two:
        assert len({one.http_port, one.sip_port, two.http_port, two.sip_port}) == 4
        for server in (one, two):
            async with server.client() as client:
                assert (await client.asterisk.get_info()).system is not None


async def test_a_broken_configuration_raises_config_error_with_its_place(
    tmp_path: Path,
) -> None:
    with pytest.raises(ConfigError, match=r"extensions\.conf:1"):
        async with running_ariel({"extensions.conf": "exten => 1,1,Noop()\n"}, tmp_dir=tmp_path):
            pass


async def test_plugin_fixtures_give_a_server_and_a_connected_client(
    ariel_server: RunningAriel, ari_client: AriClient
) -> None:
    assert ari_client.connected.is_set() and ari_client.apps == ("zarniwoop",)
    app = await ari_client.applications.get("zarniwoop")
    assert app.name == "zarniwoop"
    assert ari_client.url == ariel_server.ari_url
