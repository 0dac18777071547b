"""Existing ARI client libraries work against Ariel.

Each client (PyPI ``aioari``, ``asyncari``, ``ari-client``; npm ``ari-client``)
runs as a subprocess probe (``probes/*.py``, ``node/probe.js``) in its own
environment: it connects, loads the API docs, opens the event socket for the
app ``compat``, calls a few GET operations, asks for a missing channel, sends
itself a user event and closes. The probe prints one JSON result; each test
below checks one aspect of it. See docs/clients.md for what each client needs.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
APP = "compat"
NPM = "npm ari-client"
CLIENTS = ["aioari", "asyncari", "ari-client", NPM]
PROBE_TIMEOUT_S = 120

RESOURCES = [
    "applications",
    "asterisk",
    "bridges",
    "channels",
    "deviceStates",
    "endpoints",
    "events",
    "mailboxes",
    "playbacks",
    "recordings",
    "sounds",
]
OPERATION_COUNT = 109

#: The exception type each client raises for an HTTP error status.
ERROR_TYPES = {
    "aioari": "HTTPNotFound",  # aiohttp.web_exceptions, raised by aioswagger11
    "asyncari": "OperationError",  # asyncari.model, wrapping httpx.HTTPStatusError
    "ari-client": "AriError",
    NPM: "Error",  # node-ari-client: new Error(<response body>)
}

# Installing a client's environment the first time takes a while.
pytestmark = [pytest.mark.timeout(600)]


def _load_client_envs() -> ModuleType:
    spec = importlib.util.spec_from_file_location("ariel_client_envs", HERE / "client_envs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


client_envs = _load_client_envs()


def _probe_command(client: str, server: Any) -> tuple[list[str], Path]:
    args = [
        "--base-url",
        server.base_url,
        "--user",
        server.user,
        "--password",
        server.password,
        "--app",
        APP,
    ]
    if client == NPM:
        node = shutil.which("node")
        if node is None:
            pytest.fail("node is not installed (scripts/test.sh installs it)")
        node_dir = client_envs.ensure_node()
        return [node, str(node_dir / "probe.js"), *args], node_dir
    py_client = client_envs.PYTHON_CLIENTS[client]
    python = client_envs.ensure_python_client(py_client)
    return [str(python), str(client_envs.PROBES / py_client.probe), *args], client_envs.PROBES


@pytest.fixture(scope="module")
def probe(ariel_server: Any) -> Callable[[str], dict[str, Any]]:
    """Runs a client's probe once (per module) and returns its JSON result."""
    results: dict[str, dict[str, Any]] = {}

    def run(client: str) -> dict[str, Any]:
        if client not in results:
            command, cwd = _probe_command(client, ariel_server)
            proc = subprocess.run(
                command,
                cwd=cwd,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=PROBE_TIMEOUT_S,
            )
            lines = proc.stdout.strip().splitlines()
            try:
                result = json.loads(lines[-1])
            except (IndexError, json.JSONDecodeError):
                pytest.fail(
                    f"{client} probe printed no result (exit {proc.returncode})\n"
                    f"stdout:\n{proc.stdout[-3000:]}\nstderr:\n{proc.stderr[-3000:]}\n"
                    f"server stderr:\n{ariel_server.stderr_text()[-3000:]}"
                )
            result["stderr"] = proc.stderr[-3000:]
            results[client] = result
        return results[client]

    return run


def step(result: dict[str, Any], name: str) -> dict[str, Any]:
    """One step of a probe result, asserted to have succeeded."""
    outcome: dict[str, Any] | None = result["steps"].get(name)
    assert outcome is not None, f"{result['client']}: step {name!r} did not run: {result}"
    assert outcome["ok"], (
        f"{result['client']} {result.get('version')}: step {name!r} failed: "
        f"{outcome.get('error_type')}: {outcome.get('error')}\n"
        f"{''.join(outcome.get('traceback', []))}\nprobe stderr:\n{result.get('stderr', '')}"
    )
    return outcome


@pytest.mark.parametrize("client", CLIENTS)
def test_client_loads_the_api_docs(probe: Callable[[str], dict[str, Any]], client: str) -> None:
    connect = step(probe(client), "connect")
    assert connect["resources"] == RESOURCES
    assert connect["operations"] == OPERATION_COUNT


@pytest.mark.parametrize("client", CLIENTS)
def test_client_opens_the_event_socket_and_the_app_is_registered(
    probe: Callable[[str], dict[str, Any]], client: str
) -> None:
    result = probe(client)
    step(result, "websocket")
    apps = step(result, "applications.list")["value"]
    assert APP in [app["name"] for app in apps]
    app = step(result, "applications.get")["value"]
    assert app["name"] == APP
    assert app["channel_ids"] == []


@pytest.mark.parametrize("client", CLIENTS)
def test_client_reads_asterisk_info_and_ping(
    probe: Callable[[str], dict[str, Any]], client: str
) -> None:
    result = probe(client)
    info = step(result, "asterisk.getInfo")["value"]
    assert {"build", "system", "config", "status"} <= set(info)
    assert info["system"]["version"]
    ping = step(result, "asterisk.ping")["value"]
    assert ping["ping"] == "pong"
    assert ping["asterisk_id"]
    assert ping["timestamp"]


@pytest.mark.parametrize("client", CLIENTS)
def test_client_lists_channels_device_states_endpoints_and_sounds(
    probe: Callable[[str], dict[str, Any]], client: str
) -> None:
    result = probe(client)
    assert step(result, "channels.list")["value"] == []
    assert isinstance(step(result, "deviceStates.list")["value"], list)
    endpoints = step(result, "endpoints.list")["value"]
    names = {(e["technology"], e["resource"]) for e in endpoints}
    assert {("PJSIP", "SOFTPHONE_A"), ("PJSIP", "SOFTPHONE_B")} <= names
    sounds = step(result, "sounds.list")["value"]
    assert "hello-world" in [s["id"] for s in sounds]


@pytest.mark.parametrize("client", CLIENTS)
def test_client_gets_its_error_type_for_a_missing_channel(
    probe: Callable[[str], dict[str, Any]], client: str
) -> None:
    missing = step(probe(client), "channels.get missing")
    assert missing["error_type"] == ERROR_TYPES[client]
    if missing["status"] is not None:  # the npm client keeps only the body
        assert missing["status"] == 404
    assert json.loads(missing["body"]) == {"message": "Channel not found"}


@pytest.mark.parametrize("client", CLIENTS)
def test_client_receives_a_user_event_on_the_socket(
    probe: Callable[[str], dict[str, Any]], client: str
) -> None:
    event = step(probe(client), "events.userEvent")["value"]
    assert event["type"] == "ChannelUserevent"
    assert event["eventname"] == "compat-probe"
    assert event["application"] == APP


@pytest.mark.parametrize("client", CLIENTS)
def test_client_closes_without_errors(probe: Callable[[str], dict[str, Any]], client: str) -> None:
    result = probe(client)
    step(result, "close")
    failed = {k: v for k, v in result["steps"].items() if not v["ok"]}
    assert not failed, f"{client}: failed steps: {failed}"
