"""events.userEvent: the reference's codes and messages, and the event it publishes."""

from __future__ import annotations

from typing import Any

import pytest

from ariel.ari.dispatch import Dispatcher
from ariel.ari.events import event_json
from ariel.ari.handler import AriError, AriRequest
from ariel.ari.resources import events
from ariel.arispec import REGISTRY
from ariel.core.events import CoreEvent
from ariel.core.system import Core


class Listener:
    def __init__(self) -> None:
        self.got: list[dict[str, Any]] = []

    def deliver(self, app: str, event: CoreEvent) -> None:
        self.got.append(event_json(event, application=app, asterisk_id="aid"))


@pytest.fixture
def listener(dispatcher: Dispatcher) -> Listener:
    """One listener holding ``zarniwoop`` and ``bystander`` (subscribed to all)."""
    rec = Listener()
    dispatcher.core.apps.register("zarniwoop", rec, subscribe_all=False)
    dispatcher.core.apps.register("bystander", rec, subscribe_all=True)
    return rec


@pytest.fixture
def core(dispatcher: Dispatcher, listener: Listener) -> Core:
    return dispatcher.core


def _req(core: Core, body: Any = None, **params: Any) -> AriRequest:
    params.setdefault("eventName", "Greeting")
    return AriRequest(
        operation=REGISTRY.operation("events.userEvent"),
        params=params,
        body=body,
        core=core,
        user="asterisk",
    )


async def _error(core: Core, body: Any = None, **params: Any) -> tuple[int, Any]:
    with pytest.raises(AriError) as err:
        await events.userEvent(_req(core, body, **params))
    return err.value.status, err.value.body


async def test_user_event_reaches_only_the_named_app_with_its_variables(
    core: Core, listener: Listener
) -> None:
    resp = await events.userEvent(
        _req(core, {"variables": {"Param1": "Value1", "Param2": "Value2"}}, application="zarniwoop")
    )
    assert (resp.status, resp.body) == (204, None)
    assert len(listener.got) == 1
    event = listener.got[0]
    assert event["type"] == "ChannelUserevent"
    assert event["application"] == "zarniwoop"
    assert event["eventname"] == "Greeting"
    assert event["userevent"] == {"Param1": "Value1", "Param2": "Value2", "eventname": "Greeting"}
    assert not {"channel", "bridge", "endpoint"} & set(event)


async def test_user_event_without_body_carries_only_its_name(
    core: Core, listener: Listener
) -> None:
    await events.userEvent(_req(core, application="zarniwoop"))
    assert listener.got[0]["userevent"] == {"eventname": "Greeting"}


async def test_eventname_in_variables_is_overwritten_by_the_event_name(
    core: Core, listener: Listener
) -> None:
    await events.userEvent(
        _req(core, {"variables": {"eventname": "spoof", "x": 1}}, application="zarniwoop")
    )
    assert listener.got[0]["userevent"] == {"eventname": "Greeting", "x": 1}


async def test_endpoint_source_is_attached_to_the_event(core: Core, listener: Listener) -> None:
    await events.userEvent(
        _req(core, application="zarniwoop", source=["endpoint:PJSIP/SOFTPHONE_A"])
    )
    endpoint = listener.got[0]["endpoint"]
    assert (endpoint["technology"], endpoint["resource"]) == ("PJSIP", "SOFTPHONE_A")


@pytest.mark.parametrize("application", [None, ""])
async def test_missing_application_is_400(core: Core, application: str | None) -> None:
    params = {} if application is None else {"application": application}
    assert await _error(core, **params) == (400, {"message": "Missing parameter application"})


async def test_unregistered_application_is_404(core: Core) -> None:
    assert await _error(core, application="bogus") == (404, {"message": "Application not found"})


@pytest.mark.parametrize(
    "source", ["channel:doesnt-exist", "bridge:nope", "endpoint:PJSIP/NOBODY", "channel:"]
)
async def test_missing_source_object_is_422(core: Core, listener: Listener, source: str) -> None:
    assert await _error(core, application="zarniwoop", source=[source]) == (
        422,
        {"message": "Event source was not found"},
    )
    assert listener.got == []


@pytest.mark.parametrize("source", ["bogus:thing", "deviceState:Stasis:x", "nocolon"])
async def test_unknown_source_scheme_is_400(core: Core, listener: Listener, source: str) -> None:
    assert await _error(core, application="zarniwoop", source=[source]) == (
        400,
        {"message": "Invalid event source URI scheme"},
    )
    assert listener.got == []


@pytest.mark.parametrize("variables", ["text", [1, 2], 5, {"big": 2**64}])
async def test_variables_that_are_not_an_object_are_400(
    core: Core, listener: Listener, variables: Any
) -> None:
    assert await _error(core, {"variables": variables}, application="zarniwoop") == (
        400,
        {"message": "Invalid userevent data"},
    )
    assert listener.got == []
