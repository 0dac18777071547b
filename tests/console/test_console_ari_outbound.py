"""``ari show outbound-websockets|outbound-websocket <id>`` and the reload of their files.

The show commands mirror res/ari/cli.c (columns, ``valid``/``INVALID``, the
detail lines); ``module reload res_ari.so`` re-reads websocket_client.conf with
ari.conf, and a broken one keeps both in force.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

from ariel.config import AriConf, WebSocketClient, load_config
from ariel.console import ConsoleContext, ConsoleService, Reloader, SessionState, Verbosity
from ariel.server import build_core

ARI = """\
[general]
enabled = yes

[asterisk]
type = user
password = secret

[hashed]
type = user
password = $6$salt$hash
password_format = crypt

[connection1]
type = outbound_websocket
websocket_client_id = server1
apps = voicebot, voicebot2
local_ari_user = asterisk
subscribe_all = yes

[connection2]
type = outbound_websocket
websocket_client_id = server2
apps = voicebotpc
local_ari_user = hashed
"""

CLIENTS = """\
[server1]
type = websocket_client
uri = ws://localhost:8765/ari
protocols = ari
username = someone
password = secret
connection_type = persistent
reconnect_interval = 1000

[server2]
type = websocket_client
uri = wss://localhost:8766
connection_type = per_call_config
reconnect_attempts = 5
"""

ADDED = """
[connection3]
type = outbound_websocket
websocket_client_id = server3
apps = newbot
local_ari_user = asterisk
"""

ADDED_CLIENT = """
[server3]
type = websocket_client
uri = ws://127.0.0.1:9999
connection_type = persistent
"""


@pytest.fixture
def config_dir(tmp_path: Path) -> Path:
    conf = tmp_path / "conf"
    conf.mkdir()
    (conf / "asterisk.conf").write_text(f"[directories]\nastdbdir => {tmp_path / 'db'}\n")
    (conf / "ari.conf").write_text(ARI)
    (conf / "websocket_client.conf").write_text(CLIENTS)
    return conf


class _Order:
    """The sinks of a reload, in the order they were called."""

    def __init__(self) -> None:
        self.calls: list[str] = []


@pytest.fixture
def service(config_dir: Path) -> Iterator[tuple[ConsoleService, _Order]]:
    config = load_config(config_dir)
    core = build_core(config)
    order = _Order()
    ctx = ConsoleContext(
        core=core,
        config=config,
        verbosity=Verbosity(0),
        reloader=Reloader(config_dir, lambda _d: None),
        stop=lambda _g: None,
    )

    def set_ari(ari: AriConf) -> None:
        order.calls.append("ari.conf")
        ctx.config = dataclasses.replace(ctx.config, ari=ari)

    def set_clients(clients: Mapping[str, WebSocketClient]) -> None:
        order.calls.append("websocket_client.conf")
        ctx.config = dataclasses.replace(ctx.config, websocket_clients=clients)

    ctx.reloader = Reloader(
        config_dir, lambda _d: None, set_ari=set_ari, set_websocket_clients=set_clients
    )
    yield ConsoleService(ctx), order
    core.astdb.close()


async def run(service: ConsoleService, line: str) -> tuple[int, str]:
    result = await service.run(line, SessionState())
    return result.status, result.text


def _row(name: str, kind: str, apps: str, status: str, uri: str) -> str:
    return f"{name:<32} {kind:<15} {apps:<32} {status:<7} {uri}"


async def test_show_outbound_websockets_lists_each_connection_in_the_references_columns(
    service: tuple[ConsoleService, _Order],
) -> None:
    status, text = await run(service[0], "ari show outbound-websockets")
    assert status == 0
    assert text.splitlines() == [
        _row("Name", "Type", "Apps", "Status", "URI"),
        " ".join("-" * n for n in (32, 15, 32, 7, 64)),
        _row("connection1", "persistent", "voicebot,voicebot2", "valid", "ws://localhost:8765/ari"),
        # A crypt local_ari_user makes the connection invalid, as in the reference.
        _row("connection2", "per_call_config", "voicebotpc", "INVALID", "wss://localhost:8766"),
    ]


async def test_show_outbound_websocket_gives_the_details_of_one_connection(
    service: tuple[ConsoleService, _Order],
) -> None:
    status, text = await run(service[0], "ari show outbound-websocket connection1")
    assert status == 0
    assert text == (
        "[connection1] \n"
        "uri =                    ws://localhost:8765/ari\n"
        "protocols =              ari\n"
        "apps =                   voicebot,voicebot2\n"
        "username =               someone\n"
        "password =               ********\n"
        "local_ari_user =         asterisk\n"
        "connection_type =        persistent\n"
        "subscribe_all =          Yes\n"
        "connec_timeout =         500\n"
        "reconnect_attempts =     4\n"
        "reconnect_interval =     1000\n"
        "tls_enabled =            No\n"
        "ca_list_file =           \n"
        "ca_list_path =           \n"
        "cert_file =              \n"
        "priv_key_file =          \n"
        "verify_server =          Yes\n"
        "verify_server_hostname = Yes\n"
        "\n"
    )
    _, invalid = await run(service[0], "ari show outbound-websocket connection2")
    lines = invalid.splitlines()
    assert lines[0] == "[connection2] **INVALID**"
    assert "local_ari_user =         hashed (invalid)" in lines
    assert "password =               " in lines


async def test_show_outbound_websocket_refuses_an_unknown_id_and_a_missing_one(
    service: tuple[ConsoleService, _Order],
) -> None:
    assert await run(service[0], "ari show outbound-websocket nope") == (
        1,
        "Error getting ARI configuration\n",
    )
    assert await run(service[0], "ari show outbound-websocket") == (
        1,
        "Usage: ari show outbound-websocket <connection id>\n",
    )


async def test_res_ari_reload_rereads_both_files_and_the_listing_follows(
    service: tuple[ConsoleService, _Order], config_dir: Path
) -> None:
    console, order = service
    (config_dir / "ari.conf").write_text(ARI + ADDED)
    (config_dir / "websocket_client.conf").write_text(CLIENTS + ADDED_CLIENT)
    status, text = await run(console, "module reload res_ari.so")
    assert status == 0
    assert text.splitlines()[-1] == "Module 'res_ari.so' reloaded successfully."
    assert order.calls == ["websocket_client.conf", "ari.conf"]
    _, text = await run(console, "ari show outbound-websockets")
    assert _row("connection3", "persistent", "newbot", "valid", "ws://127.0.0.1:9999") in (
        text.splitlines()
    )


async def test_a_broken_websocket_client_conf_keeps_both_files_and_says_where(
    service: tuple[ConsoleService, _Order], config_dir: Path
) -> None:
    console, order = service
    (config_dir / "ari.conf").write_text(ARI + ADDED)
    (config_dir / "websocket_client.conf").write_text(CLIENTS + "[server3]\ntype = nonsense\n")
    status, text = await run(console, "module reload res_ari.so")
    assert status == 1
    assert text.splitlines()[0].startswith("websocket_client.conf:15: "), text
    assert text.splitlines()[-1] == (
        "ari.conf reload failed: keeping the ARI configuration in force."
    )
    assert order.calls == []
    _, listing = await run(console, "ari show outbound-websockets")
    assert "connection3" not in listing


async def test_a_connection_naming_an_unknown_client_is_reported_on_reload(
    service: tuple[ConsoleService, _Order], config_dir: Path
) -> None:
    console, _ = service
    (config_dir / "ari.conf").write_text(ARI + ADDED)
    status, text = await run(console, "module reload res_ari.so")
    assert status == 0
    assert text.splitlines()[-2:] == [
        "ari.conf:26: outbound_websocket [connection3] names websocket_client 'server3', "
        "which websocket_client.conf does not define",
        "Module 'res_ari.so' reloaded successfully.",
    ]


async def test_res_websocket_client_reloads_its_file_alone(
    service: tuple[ConsoleService, _Order], config_dir: Path
) -> None:
    console, order = service
    (config_dir / "websocket_client.conf").write_text(CLIENTS.replace(":8765", ":8000"))
    outcome = console.context.reloader.reload_module("res_websocket_client.so")
    assert outcome is not None and outcome.ok
    assert outcome.lines == ("Module 'res_websocket_client.so' reloaded successfully.",)
    assert order.calls == ["websocket_client.conf"]
    _, text = await run(console, "ari show outbound-websocket connection1")
    assert "uri =                    ws://localhost:8000/ari" in text.splitlines()


async def test_core_reload_reads_websocket_client_conf_once_with_ari_conf(
    service: tuple[ConsoleService, _Order],
) -> None:
    console, order = service
    status, _ = await run(console, "core reload")
    assert status == 0
    assert order.calls == ["websocket_client.conf", "ari.conf"]
