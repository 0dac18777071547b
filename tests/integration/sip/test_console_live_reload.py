"""Live reload of pjsip.conf and ari.conf on a running server during real SIPp calls.

``pjsip reload`` (and SIGHUP) makes a new endpoint usable for the next call and
refuses a removed one, while calls in progress keep going; ``module reload
res_ari.so`` lets a new ARI user in and turns a removed one away with 401. A
broken file keeps the configuration in force and says where it is broken.
"""

from __future__ import annotations

import asyncio
import signal
import socket
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from ariel_process import (
    ARI_CONF,
    PJSIP_CONF,
    AriServer,
    free_port,
    launch_ariel,
    write_config,
)
from console_tools import ariel_rx, wait_console
from sipp_phone import SippPhone, sipp_path

pytestmark = [
    pytest.mark.timeout(90),
    pytest.mark.skipif(sipp_path() is None, reason="sipp is not installed"),
]

NEW_ENDPOINT = """
[SOFTPHONE_C](phone)
aors = SOFTPHONE_C

[SOFTPHONE_C]
type = aor
contact = sip:SOFTPHONE_C@127.0.0.1:5074
"""

NEW_USER = """
[newcomer]
type = user
read_only = yes
password = justarrived
"""


@pytest.fixture
def server(tmp_path: Path) -> Iterator[AriServer]:
    config_dir = tmp_path / "config"
    config_dir.mkdir()
    http_port = free_port()
    sip_port = free_port(socket.SOCK_DGRAM)
    write_config(config_dir, http_port=http_port, sip_port=sip_port)
    with launch_ariel(tmp_path, config_dir, http_port=http_port, sip_port=sip_port) as running:
        yield running


def _phone(server: AriServer, tmp_path: Path, name: str, scenario: str, user: str) -> SippPhone:
    workdir = tmp_path / name
    workdir.mkdir()
    return SippPhone(
        scenario, sip_port=server.sip_port, workdir=workdir, dial="echo", from_user=user
    )


def _pjsip_conf(server: AriServer, extra: str = "") -> str:
    return PJSIP_CONF.format(sip_port=server.sip_port) + extra


def _get_status(server: AriServer, user: str, password: str) -> int:
    request = urllib.request.Request(
        f"{server.ari_url}/asterisk/ping",
        headers={"Authorization": server.basic_auth(user, password)},
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return int(response.status)
    except urllib.error.HTTPError as refused:
        refused.close()
        return int(refused.code)


async def test_pjsip_reload_adds_and_removes_endpoints_without_dropping_calls(
    server: AriServer, tmp_path: Path
) -> None:
    conf = server.config_dir
    pjsip = conf / "pjsip.conf"
    async with _phone(server, tmp_path, "before", "rejected.xml", "SOFTPHONE_C") as unknown:
        await unknown.wait_status(403)
        assert await unknown.finish() == 0, unknown.report()

    async with _phone(
        server, tmp_path, "a", "answered_then_bye_from_server.xml", "SOFTPHONE_A"
    ) as first:
        await first.wait_status(200)
        pjsip.write_text(_pjsip_conf(server, NEW_ENDPOINT))
        status, out = await ariel_rx(conf, "pjsip reload")
        assert (status, out) == (0, "Module 'res_pjsip.so' reloaded successfully.\n")
        _, shown = await ariel_rx(conf, "pjsip show endpoints")
        assert " Endpoint:  SOFTPHONE_C" in shown

        async with _phone(
            server, tmp_path, "c", "answered_then_bye_from_server.xml", "SOFTPHONE_C"
        ) as second:
            await second.wait_status(200)
            await wait_console(conf, "core show channels", "2 active channels")

            # A broken file keeps the endpoints in force and says where it is broken.
            pjsip.write_text(_pjsip_conf(server, NEW_ENDPOINT) + "[broken\n")
            status, out = await ariel_rx(conf, "module reload res_pjsip.so")
            assert status == 1 and out.startswith("pjsip.conf:"), out
            assert "keeping the PJSIP configuration in force" in out

            # SOFTPHONE_C goes (by SIGHUP this time): its call goes on, new ones are refused.
            pjsip.write_text(_pjsip_conf(server))
            server.process.send_signal(signal.SIGHUP)
            await wait_console(conf, "pjsip show endpoints", "SOFTPHONE_C", present=False)
            async with _phone(server, tmp_path, "late", "rejected.xml", "SOFTPHONE_C") as late:
                await late.wait_status(403)
                assert await late.finish() == 0, late.report()

            text = await wait_console(conf, "core show channels", "2 active channels")
            assert text.count("echo@sets:2") == 2
            assert not [m for m in first.received() if m.method == "BYE"], first.report()
            assert not [m for m in second.received() if m.method == "BYE"], second.report()
            await ariel_rx(conf, "channel request hangup all")
            await first.wait_request("BYE")
            await second.wait_request("BYE")
            assert await first.finish() == 0, first.report()
            assert await second.finish() == 0, second.report()


async def test_ari_reload_lets_a_new_user_in_and_turns_a_removed_one_away(
    server: AriServer,
) -> None:
    conf = server.config_dir
    assert await asyncio.to_thread(_get_status, server, "newcomer", "justarrived") == 401
    assert await asyncio.to_thread(_get_status, server, "viewer", "viewonly") == 200

    (conf / "ari.conf").write_text(ARI_CONF.split("[viewer]")[0] + NEW_USER)
    status, out = await ariel_rx(conf, "module reload res_ari.so")
    assert (status, out) == (0, "Module 'res_ari.so' reloaded successfully.\n")
    assert await asyncio.to_thread(_get_status, server, "newcomer", "justarrived") == 200
    assert await asyncio.to_thread(_get_status, server, "viewer", "viewonly") == 401
    _, users = await ariel_rx(conf, "ari show users")
    assert "newcomer" in users and "viewer" not in users

    # A broken ari.conf keeps the users in force.
    (conf / "ari.conf").write_text(ARI_CONF.split("[viewer]")[0] + NEW_USER + "[broken\n")
    status, out = await ariel_rx(conf, "core reload")
    assert status == 1 and out.startswith("ari.conf:"), out
    assert await asyncio.to_thread(_get_status, server, "newcomer", "justarrived") == 200
