"""State kept in the embedded database (astdb) survives a restart."""

from __future__ import annotations

import json
import socket
import urllib.request
from pathlib import Path

from ariel_process import AriServer, free_port, launch_ariel, write_config


def _call(server: AriServer, method: str, path: str) -> tuple[int, object]:
    req = urllib.request.Request(
        f"{server.ari_url}{path}", method=method, headers={"Authorization": server.basic_auth()}
    )
    try:
        with urllib.request.urlopen(req, timeout=5) as resp:
            raw = resp.read()
            return resp.status, json.loads(raw) if raw else None
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"null")


def test_device_states_mailboxes_and_globals_survive_a_restart(tmp_path: Path) -> None:
    config_dir = tmp_path / "config"
    config_dir.mkdir()
    ports = {"http_port": free_port(), "sip_port": free_port(socket.SOCK_DGRAM)}
    write_config(config_dir, **ports)
    with launch_ariel(tmp_path, config_dir, **ports) as server:
        assert _call(server, "PUT", "/deviceStates/Stasis:kept?deviceState=INUSE")[0] == 204
        assert _call(server, "PUT", "/mailboxes/kept?oldMessages=2&newMessages=5")[0] == 204
        assert _call(server, "POST", "/asterisk/variable?variable=KEPT&value=yes")[0] == 204
    with launch_ariel(tmp_path, config_dir, **ports) as server:
        assert _call(server, "GET", "/deviceStates/Stasis:kept") == (
            200,
            {"name": "Stasis:kept", "state": "INUSE"},
        )
        assert _call(server, "GET", "/mailboxes/kept") == (
            200,
            {"name": "kept", "old_messages": 2, "new_messages": 5},
        )
        assert _call(server, "GET", "/asterisk/variable?variable=KEPT") == (200, {"value": "yes"})
