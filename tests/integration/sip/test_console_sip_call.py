"""The console (``ariel -rx``) and ``/metrics`` of a running server during real SIPp calls.

The server here is this module's own (its extensions.conf is rewritten by a
test); phones call ``echo`` (Answer, Echo), which keeps the call up until
someone hangs up.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import urllib.error
import urllib.request
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import pytest
from ariel_process import EXTENSIONS_CONF, AriServer, free_port, launch_ariel, write_config
from console_tools import ariel_rx, scrape, send_rtp, wait_console
from sipp_phone import SippPhone, sipp_path

from ariel.net.control import ControlClient

pytestmark = [
    pytest.mark.timeout(60),
    pytest.mark.skipif(sipp_path() is None, reason="sipp is not installed"),
]

MakePhone = Callable[..., SippPhone]


@pytest.fixture(scope="module")
def console_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AriServer]:
    root = tmp_path_factory.mktemp("console")
    config_dir = root / "config"
    config_dir.mkdir()
    http_port = free_port()
    sip_port = free_port(socket.SOCK_DGRAM)
    write_config(config_dir, http_port=http_port, sip_port=sip_port)
    with launch_ariel(root, config_dir, http_port=http_port, sip_port=sip_port) as server:
        yield server


@pytest.fixture
async def phones(console_server: AriServer, tmp_path: Path) -> AsyncIterator[MakePhone]:
    made: list[SippPhone] = []

    def make(scenario: str, dial: str) -> SippPhone:
        workdir = tmp_path / f"phone{len(made)}"
        workdir.mkdir()
        phone = SippPhone(
            scenario,
            sip_port=console_server.sip_port,
            workdir=workdir,
            dial=dial,
            display="console",
        )
        made.append(phone)
        return phone

    try:
        yield make
    finally:
        for phone in made:
            await phone.stop()
        await ariel_rx(console_server.config_dir, "channel request hangup all")
        await wait_console(console_server.config_dir, "core show channels", "0 active channels")


def _channel_names(concise: str) -> list[str]:
    return [line.split("!")[0] for line in concise.splitlines() if "!" in line]


async def test_a_call_is_listed_and_hung_up_by_name_from_the_console(
    console_server: AriServer, phones: MakePhone
) -> None:
    conf = console_server.config_dir
    async with phones("answered_then_bye_from_server.xml", "echo") as sipp:
        await sipp.wait_status(200)
        text = await wait_console(conf, "core show channels", "echo@sets:2")
        row = next(line for line in text.splitlines() if line.startswith("PJSIP/SOFTPHONE_A-"))
        name = row.split()[0]
        assert row.split()[1:] == ["echo@sets:2", "Up", "Echo()"]
        assert text.splitlines()[-3:] == [
            "1 active channel",
            "1 active call",
            text.splitlines()[-1],
        ]
        assert text.splitlines()[-1].endswith("processed")

        status, detail = await ariel_rx(conf, f"core show channel {name}")
        assert status == 0 and f"           Name: {name}\n" in detail

        status, out = await ariel_rx(conf, f"channel request hangup {name}")
        assert (status, out) == (0, f"Requested Hangup on channel '{name}'\n")
        await sipp.wait_request("BYE")
        assert await sipp.finish() == 0, sipp.report()
    await wait_console(conf, "core show channels", "0 active channels")


async def test_an_unknown_command_exits_non_zero_with_asterisks_answer(
    console_server: AriServer,
) -> None:
    status, out = await ariel_rx(console_server.config_dir, "core show nonsense")
    assert status != 0
    assert out == (
        "No such command 'core show nonsense' "
        "(type 'core show help core show nonsense' for other possible commands)\n"
    )


async def test_dialplan_reload_picks_up_a_new_extension_without_dropping_the_call(
    console_server: AriServer, phones: MakePhone
) -> None:
    conf = console_server.config_dir
    extensions = conf / "extensions.conf"
    async with phones("answered_then_bye_from_server.xml", "echo") as first:
        await first.wait_status(200)
        before = _channel_names((await ariel_rx(conf, "core show channels concise"))[1])
        assert len(before) == 1

        # A broken file keeps the dialplan in force and says where it is broken.
        extensions.write_text(EXTENSIONS_CONF + "[broken\n")
        status, out = await ariel_rx(conf, "dialplan reload")
        assert status == 1 and out.startswith("extensions.conf:"), out

        extensions.write_text(
            EXTENSIONS_CONF + "\n[sets]\nexten => fresh,1,Answer()\n same => n,Echo()\n"
        )
        try:
            assert await ariel_rx(conf, "dialplan reload") == (0, "Dialplan reloaded.\n")
            status, shown = await ariel_rx(conf, "dialplan show fresh@sets")
            assert "'fresh' =>" in shown and "1. Answer()" in shown

            async with phones("answered_then_bye_from_server.xml", "fresh") as second:
                await second.wait_status(200)
                text = await wait_console(conf, "core show channels", "fresh@sets:2")
                assert "echo@sets:2" in text and "2 active channels" in text
                assert not [m for m in first.received() if m.method == "BYE"], first.report()
                status, _ = await ariel_rx(conf, "channel request hangup all")
                assert status == 0
                await first.wait_request("BYE")
                await second.wait_request("BYE")
                assert await first.finish() == 0, first.report()
                assert await second.finish() == 0, second.report()
        finally:
            extensions.write_text(EXTENSIONS_CONF)
            await ariel_rx(conf, "dialplan reload")
    assert _channel_names(await wait_console(conf, "core show channels", "0 active")) == []


async def test_metrics_counters_move_during_a_call(
    console_server: AriServer, phones: MakePhone
) -> None:
    before = await asyncio.to_thread(scrape, console_server)
    async with phones("answered_then_bye_from_server.xml", "echo") as sipp:
        ok = await sipp.wait_status(200)
        audio = ok.sdp_audio()
        assert audio is not None, ok.text
        with contextlib.closing(send_rtp(audio, 25, skip=range(10, 15))) as sock:
            sock.settimeout(2.0)
            echoed = sock.recv(2048)  # Echo() sends the phone's audio back
            assert echoed[1] & 0x7F == 0
        request = urllib.request.Request(
            f"{console_server.ari_url}/channels",
            headers={"Authorization": console_server.basic_auth()},
        )
        response = await asyncio.to_thread(urllib.request.urlopen, request, timeout=5)
        response.close()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 5
        while True:
            during = await asyncio.to_thread(scrape, console_server)
            received = during["ariel_rtp_packets_received_total"]
            if (
                received - before["ariel_rtp_packets_received_total"] >= 20
                or loop.time() > deadline
            ):
                break
            await asyncio.sleep(0.1)
        assert received - before["ariel_rtp_packets_received_total"] >= 20
        # Five sequence numbers never sent; all 20 packets in one burst (no pacing).
        assert during["ariel_rtp_packets_lost"] == 5
        assert during["ariel_rtp_jitter_seconds"] > 0
        invite_ok = 'ariel_sip_transactions_total{method="INVITE",code="200",direction="out"}'
        assert during[invite_ok] >= before.get(invite_ok, 0) + 1
        assert during["ariel_rtp_packets_sent_total"] > before["ariel_rtp_packets_sent_total"]
        assert during['ariel_channels{state="Up"}'] == 1
        assert during["ariel_calls_active"] == 1
        assert during["ariel_calls_total"] == before["ariel_calls_total"] + 1
        listed = 'ariel_ari_requests_total{operation="channels.list",status="200"}'
        assert during[listed] >= before.get(listed, 0) + 1
        assert during['ariel_ari_request_duration_seconds_count{operation="channels.list"}'] >= 1
        await ariel_rx(console_server.config_dir, "channel request hangup all")
        await sipp.wait_request("BYE")
        assert await sipp.finish() == 0, sipp.report()
    after = await asyncio.to_thread(scrape, console_server)
    assert after["ariel_calls_active"] == 0
    # The ended stream's losses stay in the total (the gauge covers live streams only).
    lost_total = after["ariel_rtp_packets_lost_total"] - before["ariel_rtp_packets_lost_total"]
    assert lost_total == 5
    bye_ok = 'ariel_sip_transactions_total{method="BYE",code="200",direction="in"}'
    assert after[bye_ok] >= before.get(bye_ok, 0) + 1
    assert after['ariel_calls_ended_total{cause="16"}'] >= 1


async def test_metrics_need_ari_credentials(console_server: AriServer) -> None:
    request = urllib.request.Request(f"{console_server.base_url}/metrics")
    with pytest.raises(urllib.error.HTTPError) as refused:
        await asyncio.to_thread(urllib.request.urlopen, request, timeout=5)
    assert refused.value.code == 401
    refused.value.close()


def _read_trace(path: Path, wanted: str, timeout: float) -> list[str]:
    """Log lines a verbosity-3 console receives until one contains ``wanted``."""
    lines: list[str] = []
    with ControlClient(path, timeout=timeout) as client:
        client.send({"op": "verbose", "level": 3})
        client.send({"op": "command", "line": "core show version"})
        while True:
            message = client.receive()
            assert message is not None, lines
            if message["op"] == "log":
                lines.append(message["text"])
                if wanted in message["text"]:
                    return lines


async def test_a_verbose_console_sees_the_call_trace(
    console_server: AriServer, phones: MakePhone
) -> None:
    conf = console_server.config_dir
    path = conf / "state" / "run" / "ariel.ctl"
    reader = asyncio.create_task(asyncio.to_thread(_read_trace, path, "exited non-zero", 15.0))
    await asyncio.sleep(0.5)
    async with phones("answered_then_bye_from_server.xml", "echo") as sipp:
        await sipp.wait_status(200)
        concise = await wait_console(conf, "core show channels concise", "!echo!2!Up!Echo!")
        (name,) = _channel_names(concise)
        await ariel_rx(conf, f"channel request hangup {name}")
        lines = await reader
        # Echo() ends on the hangup; pbx.c says so at verbose level 2.
        assert lines[-3:] == [
            f'    -- Executing [echo@sets:1] Answer("{name}", "") in new stack',
            f'    -- Executing [echo@sets:2] Echo("{name}", "") in new stack',
            f"  == Spawn extension (sets, echo, 2) exited non-zero on '{name}'",
        ]
        assert await sipp.finish() == 0, sipp.report()
