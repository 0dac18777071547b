"""deviceStates handlers: codes and messages of the golden device_states trace."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from ariel.ari.handler import AriError, AriRequest
from ariel.ari.resources import deviceStates
from ariel.arispec import REGISTRY
from ariel.core.astdb import AstDB
from ariel.core.device_states import DeviceStates, DeviceStateSnapshot


@pytest.fixture
def core() -> SimpleNamespace:
    changes: list[DeviceStateSnapshot] = []
    return SimpleNamespace(device_states=DeviceStates(AstDB(None), changes.append), changes=changes)


def _req(core: Any, nickname: str, **params: Any) -> AriRequest:
    return AriRequest(
        operation=REGISTRY.operation(f"deviceStates.{nickname}"),
        params=params,
        body=None,
        core=core,
        user="asterisk",
    )


async def test_put_then_get_returns_state(core: SimpleNamespace) -> None:
    put = await deviceStates.update(
        _req(core, "update", deviceName="Stasis:conf-dev", deviceState="BUSY")
    )
    assert (put.status, put.body) == (204, None)
    got = await deviceStates.get(_req(core, "get", deviceName="Stasis:conf-dev"))
    assert (got.status, got.body) == (200, {"name": "Stasis:conf-dev", "state": "BUSY"})


async def test_each_change_reaches_on_change(core: SimpleNamespace) -> None:
    for state in ("BUSY", "NOT_INUSE"):
        await deviceStates.update(
            _req(core, "update", deviceName="Stasis:conf-dev", deviceState=state)
        )
    assert [c.state for c in core.changes] == ["BUSY", "NOT_INUSE"]


@pytest.mark.parametrize("params", [{"deviceState": "SLEEPY"}, {}, {"deviceState": None}])
async def test_put_with_bad_or_missing_state_is_500_unknown_device(
    core: SimpleNamespace, params: dict[str, Any]
) -> None:
    with pytest.raises(AriError) as err:
        await deviceStates.update(_req(core, "update", deviceName="Stasis:conf-dev", **params))
    assert (err.value.status, err.value.body) == (500, {"message": "Unknown device"})


async def test_put_to_uncontrolled_device_is_409(core: SimpleNamespace) -> None:
    with pytest.raises(AriError) as err:
        await deviceStates.update(
            _req(core, "update", deviceName="Invalid:Test", deviceState="NOT_INUSE")
        )
    assert (err.value.status, err.value.message) == (409, "Uncontrolled device specified")


async def test_put_with_empty_stasis_name_is_404(core: SimpleNamespace) -> None:
    with pytest.raises(AriError) as err:
        await deviceStates.update(
            _req(core, "update", deviceName="Stasis:", deviceState="NOT_INUSE")
        )
    assert (err.value.status, err.value.message) == (404, "Device name is missing")


async def test_delete_twice_is_204_then_get_is_unknown(core: SimpleNamespace) -> None:
    await deviceStates.update(
        _req(core, "update", deviceName="Stasis:conf-dev", deviceState="BUSY")
    )
    for _ in range(2):
        resp = await deviceStates.delete(_req(core, "delete", deviceName="Stasis:conf-dev"))
        assert resp.status == 204
    got = await deviceStates.get(_req(core, "get", deviceName="Stasis:conf-dev"))
    assert got.body == {"name": "Stasis:conf-dev", "state": "UNKNOWN"}


async def test_delete_of_uncontrolled_device_is_409(core: SimpleNamespace) -> None:
    with pytest.raises(AriError) as err:
        await deviceStates.delete(_req(core, "delete", deviceName="Custom:x"))
    assert err.value.status == 409


async def test_list_returns_created_stasis_devices(core: SimpleNamespace) -> None:
    for name in ("Stasis:Test1", "Stasis:Test2"):
        await deviceStates.update(_req(core, "update", deviceName=name, deviceState="NOT_INUSE"))
    resp = await deviceStates.list_(_req(core, "list"))
    assert resp.body == [
        {"name": "Stasis:Test1", "state": "NOT_INUSE"},
        {"name": "Stasis:Test2", "state": "NOT_INUSE"},
    ]
