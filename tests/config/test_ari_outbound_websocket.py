"""ari.conf ``type = outbound_websocket``: the client it names, legacy inline options,
and the checks only possible once every section (and websocket_client.conf) is read."""

from __future__ import annotations

from pathlib import Path

from ariel.config import load_config
from ariel.config.ari import AriConf, build_ari_conf
from ariel.config.parser import parse_conf

USER = "[u]\ntype = user\npassword = pw\n"


def _build(text: str) -> tuple[AriConf, list[str]]:
    model, found = build_ari_conf(parse_conf(text, "ari.conf"))
    return model, [str(d) for d in found]


def test_the_client_id_defaults_to_the_section_name(tmp_path: Path) -> None:
    (tmp_path / "ari.conf").write_text(
        USER + "[conn]\ntype = outbound_websocket\napps = a\nlocal_ari_user = u\n"
    )
    (tmp_path / "websocket_client.conf").write_text(
        "[conn]\ntype = websocket_client\nuri = ws://127.0.0.1:9000/ari\n"
        "connection_type = persistent\n"
    )
    config = load_config(tmp_path)
    conn = config.ari.outbound_websockets["conn"]
    client = conn.client(config.websocket_clients)
    assert client is not None and client.uri == "ws://127.0.0.1:9000/ari"
    assert config.warnings == ()


def test_legacy_inline_connection_options_make_an_inline_client() -> None:
    # The form of the reference's own outbound_websocket tests (no websocket_client_id).
    model, found = _build(
        USER + "[connection1]\ntype = outbound_websocket\nuri = ws://127.0.0.1:9000/ari\n"
        "apps = testapp\nsubscribe_all = no\nprotocols = ari\nusername = myuser\n"
        "password = mypass\nlocal_ari_user = u\nconnection_type = per_call_config\n"
        "connection_timeout = 1000\nreconnect_interval = 1000\nreconnect_attempts = 10\n"
        "tls_enabled = no\n"
    )
    assert found == []
    conn = model.outbound_websockets["connection1"]
    assert (conn.apps, conn.local_ari_user, conn.subscribe_all) == (("testapp",), "u", False)
    client = conn.client({})
    assert client is not None
    assert (client.per_call, client.username, client.reconnect_attempts) == (True, "myuser", 10)
    assert (client.name, client.file, client.line) == ("connection1", "ari.conf", 4)


def test_a_missing_client_is_a_warning_naming_the_id(tmp_path: Path) -> None:
    (tmp_path / "ari.conf").write_text(
        USER + "[conn]\ntype = outbound_websocket\nwebsocket_client_id = nowhere\napps = a\n"
    )
    config = load_config(tmp_path)
    assert [str(w) for w in config.warnings] == [
        "ari.conf:4: outbound_websocket [conn] names websocket_client 'nowhere', "
        "which websocket_client.conf does not define"
    ]


def test_a_crypt_local_user_is_a_warning() -> None:
    _, found = _build(
        "[c]\ntype = user\npassword = $6$x$y\npassword_format = crypt\n"
        "[o]\ntype = outbound_websocket\nlocal_ari_user = c\nuri = ws://h/\n"
        "connection_type = persistent\n"
    )
    assert found == [
        "ari.conf:5: outbound_websocket [o]: local_ari_user 'c' must have a plain-text password"
    ]


def test_an_app_served_by_two_connections_is_a_warning() -> None:
    _, found = _build(
        "[o1]\ntype = outbound_websocket\napps = a, b\n[o2]\ntype = outbound_websocket\napps = b\n"
    )
    assert found == ["ari.conf:4: outbound_websocket [o2]: app 'b' is already served by [o1]"]


def test_a_bad_inline_option_is_an_error_at_its_line() -> None:
    model, found = _build("[o]\ntype = outbound_websocket\nuri = ftp://h/\n")
    assert found == ["ari.conf:3: bad value for 'uri': 'ftp://h/' is not a ws:// or wss:// URI"]
    assert model.outbound_websockets["o"].inline_client is None
