"""endpoints handlers: codes and messages of the golden endpoints trace."""

from __future__ import annotations

from typing import Any

import pytest

from ariel.ari.dispatch import Dispatcher
from ariel.ari.handler import AriError, AriRequest
from ariel.ari.resources import endpoints
from ariel.arispec import REGISTRY
from ariel.core.endpoints import EndpointSnapshot
from ariel.core.system import Core

SOFTPHONE_A = {
    "technology": "PJSIP",
    "resource": "SOFTPHONE_A",
    "state": "online",
    "channel_ids": [],
}


@pytest.fixture
def core(dispatcher: Dispatcher) -> Core:
    """The conformance Core (PJSIP/SOFTPHONE_A with a contact) plus an offline phone."""
    dispatcher.core.endpoints.add(
        EndpointSnapshot(technology="PJSIP", resource="SOFTPHONE_B", state="offline")
    )
    return dispatcher.core


def _req(core: Core, nickname: str, **params: Any) -> AriRequest:
    return AriRequest(
        operation=REGISTRY.operation(f"endpoints.{nickname}"),
        params=params,
        body=None,
        core=core,
        user="asterisk",
    )


async def test_list_returns_every_endpoint_as_the_endpoint_model(core: Core) -> None:
    resp = await endpoints.list_(_req(core, "list"))
    assert resp.status == 200
    assert resp.body == [
        SOFTPHONE_A,
        {"technology": "PJSIP", "resource": "SOFTPHONE_B", "state": "offline", "channel_ids": []},
    ]


async def test_list_by_tech_returns_that_technologys_endpoints(core: Core) -> None:
    resp = await endpoints.listByTech(_req(core, "listByTech", tech="PJSIP"))
    assert resp.status == 200
    assert [e["resource"] for e in resp.body] == ["SOFTPHONE_A", "SOFTPHONE_B"]


async def test_list_by_unknown_tech_is_404_naming_the_tech(core: Core) -> None:
    with pytest.raises(AriError) as err:
        await endpoints.listByTech(_req(core, "listByTech", tech="Bogus"))
    assert (err.value.status, err.value.body) == (
        404,
        {"message": "No Endpoints found - invalid tech Bogus"},
    )


async def test_get_returns_one_endpoint(core: Core) -> None:
    resp = await endpoints.get(_req(core, "get", tech="PJSIP", resource="SOFTPHONE_A"))
    assert (resp.status, resp.body) == (200, SOFTPHONE_A)


@pytest.mark.parametrize(("tech", "resource"), [("PJSIP", "NO_SUCH_PHONE"), ("Bogus", "thing")])
async def test_get_of_unknown_endpoint_is_404_endpoint_not_found(
    core: Core, tech: str, resource: str
) -> None:
    with pytest.raises(AriError) as err:
        await endpoints.get(_req(core, "get", tech=tech, resource=resource))
    assert (err.value.status, err.value.body) == (404, {"message": "Endpoint not found"})


async def test_endpoint_lookup_is_case_sensitive(core: Core) -> None:
    with pytest.raises(AriError) as err:
        await endpoints.get(_req(core, "get", tech="PJSIP", resource="softphone_a"))
    assert err.value.status == 404
