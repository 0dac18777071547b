"""websocket_client.conf: clients by name, the reference's defaults, errors at file:line."""

from __future__ import annotations

from pathlib import Path

import pytest

from ariel.config import ConfigError, WebSocketClient, check_config, load_config
from ariel.config.parser import parse_conf
from ariel.config.websocket_client import build_websocket_clients

SAMPLE = b"""\
; as in the reference's websocket_client.conf.sample
[media_connection1]
type = websocket_client
uri = ws://localhost:8787
protocols = media
username = media_username
password = media_password
connection_type = per_call_config
connection_timeout = 500
reconnect_interval = 500
reconnect_attempts = 5
tls_enabled = no

[ari_connection1]
type = websocket_client
uri = wss://localhost:8765
protocols = ari
connection_type = persistent
tls_enabled = yes
ca_list_file = /etc/pki/tls/cert.pem
verify_server_cert = no
verify_server_hostname = no
enable_pingpongs = yes
pingpong_interval = 10
"""


def _build(text: str) -> tuple[dict[str, WebSocketClient], list[str]]:
    clients, found = build_websocket_clients(parse_conf(text, "websocket_client.conf"))
    return dict(clients), [str(d) for d in found]


def test_defaults_match_the_reference() -> None:
    client = WebSocketClient(name="c")
    assert (client.connection_timeout, client.reconnect_interval) == (500, 500)
    assert (client.reconnect_attempts, client.write_timeout) == (4, 100)
    assert (client.tls_enabled, client.verify_server_cert, client.verify_server_hostname) == (
        False,
        True,
        True,
    )
    assert (client.enable_pingpongs, client.pingpong_interval, client.pingpong_probes) == (
        False,
        20,
        3,
    )
    assert (client.tcp_keepalive_time, client.tcp_keepalive_interval) == (20, 20)


def test_the_reference_sample_reads_without_findings() -> None:
    clients, found = _build(SAMPLE.decode())
    assert found == []
    media, ari = clients["media_connection1"], clients["ari_connection1"]
    assert (media.uri, media.protocols, media.per_call) == ("ws://localhost:8787", ("media",), True)
    assert (media.username, media.password, media.reconnect_attempts) == (
        "media_username",
        "media_password",
        5,
    )
    assert (media.uses_tls, media.line) == (False, 2)
    assert (ari.connection_type, ari.uses_tls, ari.verify_server_cert) == (
        "persistent",
        True,
        False,
    )
    assert (ari.ca_list_file, ari.enable_pingpongs, ari.pingpong_interval) == (
        "/etc/pki/tls/cert.pem",
        True,
        10,
    )


def test_a_wss_uri_means_tls_even_without_tls_enabled() -> None:
    clients, _ = _build("[c]\ntype=websocket_client\nuri=wss://h/x\nconnection_type=persistent\n")
    assert clients["c"].uses_tls is True


def test_uri_and_connection_type_are_required() -> None:
    clients, found = _build(
        "[nouri]\ntype = websocket_client\nconnection_type = persistent\n"
        "[notype]\ntype = websocket_client\nuri = ws://h:1/\n"
    )
    assert clients == {}
    assert found == [
        "websocket_client.conf:1: websocket_client [nouri] has no 'uri'",
        "websocket_client.conf:4: websocket_client [notype] has no 'connection_type'",
    ]


def test_bad_values_are_errors_at_their_line() -> None:
    clients, found = _build(
        "[c]\ntype = websocket_client\nuri = http://h/\nconnection_type = sometimes\n"
        "reconnect_attempts = -1\ntls_enabled = maybe\n"
    )
    assert clients == {}
    assert found == [
        "websocket_client.conf:3: bad value for 'uri': 'http://h/' is not a ws:// or wss:// URI",
        "websocket_client.conf:4: bad value for 'connection_type': 'sometimes' is not one of "
        "persistent, per_call_config",
        "websocket_client.conf:5: bad value for 'reconnect_attempts': -1 is below the minimum 0",
        "websocket_client.conf:6: bad value for 'tls_enabled': 'maybe' is not a boolean "
        "(use yes or no)",
    ]


def test_a_uri_with_a_bad_port_or_no_host_is_an_error() -> None:
    _, found = _build(
        "[a]\ntype=websocket_client\nuri=ws://h:99999/\nconnection_type=persistent\n"
        "[b]\ntype=websocket_client\nuri=ws:///path\nconnection_type=persistent\n"
    )
    assert found == [
        "websocket_client.conf:3: bad value for 'uri': 'ws://h:99999/' has a bad port",
        "websocket_client.conf:7: bad value for 'uri': 'ws:///path' has no host",
    ]


def test_sections_need_type_websocket_client_and_unique_names() -> None:
    _, found = _build(
        "[x]\nuri = ws://h/\n[y]\ntype = user\n"
        "[c]\ntype=websocket_client\nuri=ws://h/\nconnection_type=persistent\n"
        "[c]\ntype=websocket_client\nuri=ws://h/\nconnection_type=persistent\n"
    )
    assert found == [
        "websocket_client.conf:1: section [x] in websocket_client.conf has no 'type'",
        "websocket_client.conf:3: section [y] has unknown type 'user'",
        "websocket_client.conf:9: websocket_client [c] is defined twice",
    ]


def test_unknown_options_are_warnings() -> None:
    clients, found = _build(
        "[c]\ntype=websocket_client\nuri=ws://h/\nconnection_type=persistent\ncolour=blue\n"
    )
    assert "c" in clients
    assert found == ["websocket_client.conf:5: unknown websocket_client option 'colour'"]


def test_the_loader_exposes_clients_on_server_config(tmp_path: Path) -> None:
    (tmp_path / "websocket_client.conf").write_bytes(SAMPLE)
    config = load_config(tmp_path)
    assert sorted(config.websocket_clients) == ["ari_connection1", "media_connection1"]
    assert config.websocket_clients["ari_connection1"].file == "websocket_client.conf"


def test_the_embedded_default_has_no_clients() -> None:
    assert load_config(None).websocket_clients == {}


def test_an_error_in_the_file_refuses_the_configuration(tmp_path: Path) -> None:
    (tmp_path / "websocket_client.conf").write_text("[c]\ntype = websocket_client\n")
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    assert str(caught.value) == "websocket_client.conf:1: websocket_client [c] has no 'uri'"
    assert [str(d) for d in check_config(tmp_path)] == [str(caught.value)]
