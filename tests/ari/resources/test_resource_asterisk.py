"""asterisk handlers: info, ping, modules, logging, variables, dynamic config."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from ariel._util.clock import FixedClock
from ariel.ari.handler import AriError, AriRequest
from ariel.ari.resources import asterisk
from ariel.arispec import REGISTRY
from ariel.core.astdb import AstDB
from ariel.core.config_objects import ConfigObjects
from ariel.core.global_vars import GlobalVariables
from ariel.core.info import SystemInfo

EID = "02:42:ac:11:00:02"
START = datetime(2026, 1, 2, 3, 4, 5, 678000, tzinfo=UTC)
PJSIP = [
    ("endpoint", "SOFTPHONE_A", [("context", "sets"), ("allow", "ulaw")]),
    ("auth", "auth-a", [("username", "a")]),
]


@pytest.fixture
def core(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[SimpleNamespace]:
    logger = logging.getLogger(f"ariel.test.{request.node.name}")
    logger.propagate = False
    db = AstDB(None)
    info = SystemInfo(
        FixedClock(START), EID, startup_time=START, log_dir=tmp_path / "log", logger=logger
    )
    yield SimpleNamespace(
        info=info,
        global_vars=GlobalVariables(db, {"CONFORMANCE_GLOBAL": "initial"}),
        config_objects=ConfigObjects({"res_pjsip": PJSIP}, db),
    )
    info.close()


def _req(core: Any, nickname: str, body: Any = None, **params: Any) -> AriRequest:
    return AriRequest(
        operation=REGISTRY.operation(f"asterisk.{nickname}"),
        params=params,
        body=body,
        core=core,
        user="asterisk",
    )


async def _error(coro: Any) -> tuple[int, Any]:
    with pytest.raises(AriError) as err:
        await coro
    return err.value.status, err.value.body


# -- info and ping ------------------------------------------------------------------------


async def test_info_has_the_golden_shape(core: SimpleNamespace) -> None:
    resp = await asterisk.getInfo(_req(core, "getInfo"))
    body = resp.body
    assert resp.status == 200
    assert list(body) == ["build", "system", "config", "status"]
    assert set(body["build"]) == {"os", "kernel", "machine", "options", "date", "user"}
    assert body["system"] == {"version": "22.10.1", "entity_id": EID}
    assert body["config"] == {
        "name": "",
        "default_language": "en",
        "setid": {"user": "", "group": ""},
    }
    assert body["status"] == {
        "startup_time": "2026-01-02T03:04:05.678+0000",
        "last_reload_time": "2026-01-02T03:04:05.678+0000",
    }


@pytest.mark.parametrize(
    ("only", "keys"),
    [
        (["status"], ["status"]),
        (["build", "config"], ["build", "config"]),
        ("build,config", ["build", "config"]),
        (["nonsense"], []),
    ],
)
async def test_info_only_selects_sections(
    core: SimpleNamespace, only: Any, keys: list[str]
) -> None:
    resp = await asterisk.getInfo(_req(core, "getInfo", only=only))
    assert list(resp.body) == keys


async def test_info_shows_limits_only_when_set(tmp_path: Path) -> None:
    info = SystemInfo(FixedClock(START), EID, max_channels=100, max_load=2.5)
    resp = await asterisk.getInfo(_req(SimpleNamespace(info=info), "getInfo", only=["config"]))
    assert resp.body["config"]["max_channels"] == 100
    assert resp.body["config"]["max_load"] == 2.5
    assert "max_open_files" not in resp.body["config"]


async def test_ping(core: SimpleNamespace) -> None:
    resp = await asterisk.ping(_req(core, "ping"))
    assert resp.body == {
        "ping": "pong",
        "timestamp": "2026-01-02T03:04:05.678+0000",
        "asterisk_id": EID,
    }


# -- modules --------------------------------------------------------------------------------


async def test_get_module_res_ari(core: SimpleNamespace) -> None:
    resp = await asterisk.getModule(_req(core, "getModule", moduleName="res_ari.so"))
    assert list(resp.body) == ["name", "description", "use_count", "status", "support_level"]
    assert resp.body["description"] == "Asterisk RESTful Interface"
    assert isinstance(resp.body["use_count"], int)


async def test_get_unknown_module_is_404_with_golden_message(core: SimpleNamespace) -> None:
    status, body = await _error(
        asterisk.getModule(_req(core, "getModule", moduleName="no_such_module.so"))
    )
    assert (status, body) == (404, {"message": "Module could not be found in running modules"})


async def test_list_modules_lists_running_modules(core: SimpleNamespace) -> None:
    resp = await asterisk.listModules(_req(core, "listModules"))
    names = [m["name"] for m in resp.body]
    assert "app_echo.so" in names and all(m["status"] == "Running" for m in resp.body)


async def test_module_unload_load_cycle(core: SimpleNamespace) -> None:
    name = {"moduleName": "app_echo.so"}
    assert (await asterisk.unloadModule(_req(core, "unloadModule", **name))).status == 204
    assert (await _error(asterisk.getModule(_req(core, "getModule", **name))))[0] == 404
    assert (await _error(asterisk.reloadModule(_req(core, "reloadModule", **name))))[0] == 404
    assert (await _error(asterisk.unloadModule(_req(core, "unloadModule", **name))))[0] == 404
    assert (await asterisk.loadModule(_req(core, "loadModule", **name))).status == 204
    assert (await asterisk.getModule(_req(core, "getModule", **name))).body["status"] == "Running"


async def test_load_of_loaded_or_unknown_module_is_409(core: SimpleNamespace) -> None:
    assert await _error(
        asterisk.loadModule(_req(core, "loadModule", moduleName="app_echo.so"))
    ) == (
        409,
        {"message": "Module is already loaded"},
    )
    assert (await _error(asterisk.loadModule(_req(core, "loadModule", moduleName="nope.so"))))[
        0
    ] == 409


async def test_unload_of_module_in_use_is_409(core: SimpleNamespace) -> None:
    status, _ = await _error(
        asterisk.unloadModule(_req(core, "unloadModule", moduleName="res_pjsip.so"))
    )
    assert status == 409


async def test_reload_codes(core: SimpleNamespace) -> None:
    assert (
        await asterisk.reloadModule(_req(core, "reloadModule", moduleName="res_ari.so"))
    ).status == 204
    status, body = await _error(
        asterisk.reloadModule(_req(core, "reloadModule", moduleName="chan_pjsip.so"))
    )
    assert (status, body) == (409, {"message": "Module does not support reloading"})
    status, _ = await _error(
        asterisk.reloadModule(_req(core, "reloadModule", moduleName="nope.so"))
    )
    assert status == 404


# -- logging --------------------------------------------------------------------------------


async def test_log_channel_lifecycle(core: SimpleNamespace, tmp_path: Path) -> None:
    add = await asterisk.addLog(
        _req(core, "addLog", logChannelName="testlog", configuration="verbose")
    )
    assert add.status == 204
    listed = (await asterisk.listLogChannels(_req(core, "listLogChannels"))).body
    assert listed[0] == {
        "channel": str(tmp_path / "log" / "testlog"),
        "type": "File",
        "status": "Enabled",
        "configuration": "VERBOSE ",
    }
    assert any(c["type"] == "Console" for c in listed)
    status, body = await _error(
        asterisk.addLog(_req(core, "addLog", logChannelName="testlog", configuration="verbose"))
    )
    assert (status, body) == (409, {"message": "Log channel already exists"})
    assert (
        await asterisk.rotateLog(_req(core, "rotateLog", logChannelName="testlog"))
    ).status == 204
    assert (tmp_path / "log" / "testlog.0").exists()
    assert (
        await asterisk.deleteLog(_req(core, "deleteLog", logChannelName="testlog"))
    ).status == 204
    status, body = await _error(
        asterisk.deleteLog(_req(core, "deleteLog", logChannelName="testlog"))
    )
    assert (status, body) == (404, {"message": "Log channel does not exist"})
    status, _ = await _error(asterisk.rotateLog(_req(core, "rotateLog", logChannelName="testlog")))
    assert status == 404


@pytest.mark.parametrize("params", [{}, {"configuration": ""}, {"configuration": None}])
async def test_add_log_without_configuration_is_400(
    core: SimpleNamespace, params: dict[str, Any]
) -> None:
    status, body = await _error(asterisk.addLog(_req(core, "addLog", logChannelName="x", **params)))
    assert (status, body) == (400, {"message": "Configuration levels are required"})


async def test_add_log_that_cannot_open_is_500(tmp_path: Path) -> None:
    info = SystemInfo(FixedClock(START), EID, log_dir=None)
    status, _ = await _error(
        asterisk.addLog(
            _req(SimpleNamespace(info=info), "addLog", logChannelName="x", configuration="error")
        )
    )
    assert status == 500


# -- global variables ---------------------------------------------------------------------


async def test_golden_global_variable_sequence(core: SimpleNamespace) -> None:
    got = await asterisk.getGlobalVar(_req(core, "getGlobalVar", variable="CONFORMANCE_GLOBAL"))
    assert (got.status, got.body) == (200, {"value": "initial"})
    put = await asterisk.setGlobalVar(_req(core, "setGlobalVar", variable="CONF_G", value="g1"))
    assert put.status == 204
    assert (await asterisk.getGlobalVar(_req(core, "getGlobalVar", variable="CONF_G"))).body == {
        "value": "g1"
    }
    unset = await asterisk.getGlobalVar(_req(core, "getGlobalVar", variable="CONF_G_UNSET"))
    assert unset.body == {"value": ""}
    assert await _error(asterisk.getGlobalVar(_req(core, "getGlobalVar"))) == (
        400,
        {"message": "Variable name is required"},
    )
    cleared = await asterisk.setGlobalVar(_req(core, "setGlobalVar", variable="CONF_G", value=""))
    assert cleared.status == 204
    assert (await asterisk.getGlobalVar(_req(core, "getGlobalVar", variable="CONF_G"))).body == {
        "value": ""
    }


async def test_set_global_without_name_is_400(core: SimpleNamespace) -> None:
    for params in ({"value": "novar"}, {"variable": "", "value": "x"}, {"variable": "__"}):
        status, body = await _error(asterisk.setGlobalVar(_req(core, "setGlobalVar", **params)))
        assert (status, body) == (400, {"message": "Variable name is required"})


async def test_set_global_without_value_unsets(core: SimpleNamespace) -> None:
    await asterisk.setGlobalVar(_req(core, "setGlobalVar", variable="X", value="1"))
    await asterisk.setGlobalVar(_req(core, "setGlobalVar", variable="X"))
    assert core.global_vars.get("X") is None


# -- dynamic configuration ----------------------------------------------------------------


def _path(ident: str, cls: str = "res_pjsip", kind: str = "endpoint") -> dict[str, str]:
    return {"configClass": cls, "objectType": kind, "id": ident}


async def test_get_static_object_returns_config_tuples(core: SimpleNamespace) -> None:
    resp = await asterisk.getObject(_req(core, "getObject", **_path("SOFTPHONE_A")))
    assert resp.body == [
        {"attribute": "context", "value": "sets"},
        {"attribute": "allow", "value": "ulaw"},
    ]


@pytest.mark.parametrize(
    ("path", "message"),
    [
        (_path("x", cls="BAD"), "configClass 'BAD' not found"),
        (_path("x", kind="BAD"), "objectType 'BAD' not found"),
        (_path("nobody"), "Object with id 'nobody' not found"),
    ],
)
async def test_get_object_bad_path_is_404(
    core: SimpleNamespace, path: dict[str, str], message: str
) -> None:
    assert await _error(asterisk.getObject(_req(core, "getObject", **path))) == (
        404,
        {"message": message},
    )


async def test_create_update_delete_dynamic_object(core: SimpleNamespace) -> None:
    body = {
        "fields": [
            {"attribute": "max_contacts", "value": "1"},
            {"attribute": "qualify", "value": 5},
        ]
    }
    created = await asterisk.updateObject(
        _req(core, "updateObject", body, fields=body, **_path("alice", kind="aor"))
    )
    assert (created.status, created.body) == (
        200,
        [{"attribute": "max_contacts", "value": "1"}, {"attribute": "qualify", "value": "5"}],
    )
    change = {"fields": [{"attribute": "max_contacts", "value": "2"}]}
    updated = await asterisk.updateObject(
        _req(core, "updateObject", change, **_path("alice", kind="aor"))
    )
    assert updated.body[0] == {"attribute": "max_contacts", "value": "2"}
    deleted = await asterisk.deleteObject(_req(core, "deleteObject", **_path("alice", kind="aor")))
    assert deleted.status == 204
    status, _ = await _error(
        asterisk.getObject(_req(core, "getObject", **_path("alice", kind="aor")))
    )
    assert status == 404


async def test_update_without_body_of_existing_object_is_400(core: SimpleNamespace) -> None:
    await asterisk.updateObject(_req(core, "updateObject", None, **_path("bob")))
    status, body = await _error(
        asterisk.updateObject(_req(core, "updateObject", None, **_path("bob")))
    )
    assert (status, body) == (400, {"message": "Fields must be provided to update object 'bob'"})


@pytest.mark.parametrize(
    "body",
    [
        {"fields": "nope"},
        {"fields": [{"value": "x"}]},
        {"fields": [{"attribute": "a", "value": [1]}]},
    ],
)
async def test_malformed_fields_are_400(core: SimpleNamespace, body: Any) -> None:
    status, payload = await _error(
        asterisk.updateObject(_req(core, "updateObject", body, **_path("carol")))
    )
    assert (status, payload) == (
        400,
        {"message": "Creation of object 'carol' failed field value validation"},
    )


async def test_non_dynamic_type_is_403(core: SimpleNamespace) -> None:
    body = {"fields": [{"attribute": "username", "value": "x"}]}
    status, _ = await _error(
        asterisk.updateObject(_req(core, "updateObject", body, **_path("n", kind="auth")))
    )
    assert status == 403
    status, _ = await _error(
        asterisk.deleteObject(_req(core, "deleteObject", **_path("SOFTPHONE_A")))
    )
    assert status == 403


async def test_update_with_unknown_class_is_404(core: SimpleNamespace) -> None:
    status, _ = await _error(
        asterisk.updateObject(_req(core, "updateObject", {"fields": []}, **_path("x", cls="BAD")))
    )
    assert status == 404
    status, _ = await _error(
        asterisk.deleteObject(_req(core, "deleteObject", **_path("x", kind="BAD")))
    )
    assert status == 404
