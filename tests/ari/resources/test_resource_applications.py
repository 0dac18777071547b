"""applications handlers: codes, messages and shapes of the golden applications trace."""

from __future__ import annotations

from typing import Any

import pytest

from ariel.ari.dispatch import Dispatcher
from ariel.ari.handler import AriError, AriRequest
from ariel.ari.resources import applications
from ariel.arispec import REGISTRY
from ariel.core.events import CoreEvent
from ariel.core.system import Core

EMPTY_APP = {
    "name": "zarniwoop",
    "channel_ids": [],
    "bridge_ids": [],
    "endpoint_ids": [],
    "device_names": [],
    "events_allowed": [],
    "events_disallowed": [],
}


class Listener:
    def __init__(self) -> None:
        self.got: list[tuple[str, str]] = []

    def deliver(self, app: str, event: CoreEvent) -> None:
        self.got.append((app, event.type))


@pytest.fixture
def core(dispatcher: Dispatcher) -> Core:
    """The conformance Core with ``zarniwoop`` registered by a socket."""
    dispatcher.core.apps.register("zarniwoop", Listener(), subscribe_all=False)
    return dispatcher.core


def _req(core: Core, nickname: str, body: Any = None, **params: Any) -> AriRequest:
    return AriRequest(
        operation=REGISTRY.operation(f"applications.{nickname}"),
        params=params,
        body=body,
        core=core,
        user="asterisk",
    )


async def _subscribe(core: Core, *sources: str, app: str = "zarniwoop") -> dict[str, Any]:
    resp = await applications.subscribe(
        _req(core, "subscribe", applicationName=app, eventSource=list(sources))
    )
    assert resp.status == 200
    body: dict[str, Any] = resp.body
    return body


async def _error(coro: Any) -> tuple[int, Any]:
    with pytest.raises(AriError) as err:
        await coro
    return err.value.status, err.value.body


# -- list and get ------------------------------------------------------------------


async def test_list_shows_registered_apps_with_every_field(core: Core) -> None:
    resp = await applications.list_(_req(core, "list"))
    assert (resp.status, resp.body) == (200, [EMPTY_APP])


async def test_list_is_empty_without_apps(dispatcher: Dispatcher) -> None:
    resp = await applications.list_(_req(dispatcher.core, "list"))
    assert (resp.status, resp.body) == (200, [])


async def test_get_returns_the_application(core: Core) -> None:
    resp = await applications.get(_req(core, "get", applicationName="zarniwoop"))
    assert (resp.status, resp.body) == (200, EMPTY_APP)


async def test_get_of_unknown_app_is_404(core: Core) -> None:
    status, body = await _error(applications.get(_req(core, "get", applicationName="no-such-app")))
    assert (status, body) == (404, {"message": "Application not found"})


# -- subscribe ------------------------------------------------------------------------


async def test_subscribing_endpoint_resource_then_tech_lists_both_sorted(core: Core) -> None:
    first = await _subscribe(core, "endpoint:PJSIP/SOFTPHONE_A")
    assert first["endpoint_ids"] == ["PJSIP/SOFTPHONE_A"]
    second = await _subscribe(core, "endpoint:PJSIP")
    assert second["endpoint_ids"] == ["PJSIP", "PJSIP/SOFTPHONE_A"]


async def test_subscribing_a_device_state_lists_the_device(core: Core) -> None:
    body = await _subscribe(core, "deviceState:Stasis:conf-dev")
    assert body == {**EMPTY_APP, "device_names": ["Stasis:conf-dev"]}


async def test_device_names_are_sorted(core: Core) -> None:
    await _subscribe(core, "deviceState:Stasis:zz", "deviceState:Stasis:aa")
    body = await _subscribe(core, "deviceState:Stasis:mm")
    assert body["device_names"] == ["Stasis:aa", "Stasis:mm", "Stasis:zz"]


async def test_subscribing_twice_lists_the_source_once(core: Core) -> None:
    await _subscribe(core, "deviceState:Stasis:conf-dev")
    body = await _subscribe(core, "deviceState:Stasis:conf-dev")
    assert body["device_names"] == ["Stasis:conf-dev"]


@pytest.mark.parametrize(
    "source",
    ["channel:no-such-channel", "bridge:no-such-bridge", "endpoint:PJSIP/NOBODY", "endpoint:Bogus"],
)
async def test_subscribing_to_a_missing_object_is_422(core: Core, source: str) -> None:
    status, body = await _error(
        applications.subscribe(
            _req(core, "subscribe", applicationName="zarniwoop", eventSource=[source])
        )
    )
    assert (status, body) == (422, {"message": "Event source does not exist"})


async def test_subscribing_with_an_unknown_scheme_is_400(core: Core) -> None:
    status, body = await _error(
        applications.subscribe(
            _req(core, "subscribe", applicationName="zarniwoop", eventSource=["bogus:thing"])
        )
    )
    assert (status, body) == (400, {"message": "Invalid event source URI scheme"})


@pytest.mark.parametrize("sources", [None, [], [""]])
async def test_subscribing_without_event_source_is_400(core: Core, sources: Any) -> None:
    params: dict[str, Any] = {"applicationName": "zarniwoop"}
    if sources is not None:
        params["eventSource"] = sources
    status, body = await _error(applications.subscribe(_req(core, "subscribe", **params)))
    assert (status, body) == (400, {"message": "Missing parameter eventSource"})


async def test_subscribing_an_unknown_app_is_404(core: Core) -> None:
    status, body = await _error(
        applications.subscribe(
            _req(
                core,
                "subscribe",
                applicationName="no-such-app",
                eventSource=["endpoint:PJSIP/SOFTPHONE_A"],
            )
        )
    )
    assert (status, body) == (404, {"message": "Application not found"})


async def test_a_failed_subscription_subscribes_nothing(core: Core) -> None:
    await _error(
        applications.subscribe(
            _req(
                core,
                "subscribe",
                applicationName="zarniwoop",
                eventSource=["deviceState:Stasis:ok", "channel:missing"],
            )
        )
    )
    assert core.apps.get("zarniwoop").device_names == []


# -- unsubscribe ----------------------------------------------------------------------


async def _unsubscribe(core: Core, *sources: str, app: str = "zarniwoop") -> Any:
    return await applications.unsubscribe(
        _req(core, "unsubscribe", applicationName=app, eventSource=list(sources))
    )


async def test_unsubscribing_follows_the_golden_sequence(core: Core) -> None:
    await _subscribe(core, "endpoint:PJSIP/SOFTPHONE_A")
    await _subscribe(core, "endpoint:PJSIP")
    await _subscribe(core, "deviceState:Stasis:conf-dev")
    first = await _unsubscribe(core, "endpoint:PJSIP/SOFTPHONE_A")
    assert first.status == 200
    assert (first.body["endpoint_ids"], first.body["device_names"]) == (
        ["PJSIP"],
        ["Stasis:conf-dev"],
    )
    status, body = await _error(_unsubscribe(core, "endpoint:PJSIP/SOFTPHONE_A"))
    assert (status, body) == (422, {"message": "Event source was not subscribed to"})
    assert (await _unsubscribe(core, "endpoint:PJSIP")).body["endpoint_ids"] == []
    last = await _unsubscribe(core, "deviceState:Stasis:conf-dev")
    assert (last.status, last.body) == (200, EMPTY_APP)


async def test_unsubscribing_with_an_unknown_scheme_is_400(core: Core) -> None:
    status, body = await _error(_unsubscribe(core, "bogus:thing"))
    assert (status, body) == (400, {"message": "Invalid event source URI scheme"})


async def test_unsubscribing_without_event_source_is_400(core: Core) -> None:
    status, body = await _error(
        applications.unsubscribe(_req(core, "unsubscribe", applicationName="zarniwoop"))
    )
    assert (status, body) == (400, {"message": "Missing parameter eventSource"})


async def test_unsubscribing_an_unknown_app_is_404(core: Core) -> None:
    status, body = await _error(_unsubscribe(core, "deviceState:x", app="no-such-app"))
    assert (status, body) == (404, {"message": "Application not found"})


# -- event filter ---------------------------------------------------------------------


async def _filter(core: Core, body: Any) -> Any:
    return await applications.filter_(_req(core, "filter", body=body, applicationName="zarniwoop"))


async def test_event_filter_sets_allowed_types(core: Core) -> None:
    allowed = [{"type": "StasisStart"}, {"type": "StasisEnd"}]
    resp = await _filter(core, {"allowed": allowed})
    assert (resp.status, resp.body) == (200, {**EMPTY_APP, "events_allowed": allowed})
    got = await applications.get(_req(core, "get", applicationName="zarniwoop"))
    assert got.body["events_allowed"] == allowed


async def test_event_filter_with_only_disallowed_keeps_allowed(core: Core) -> None:
    allowed = [{"type": "StasisStart"}, {"type": "StasisEnd"}]
    await _filter(core, {"allowed": allowed})
    resp = await _filter(core, {"disallowed": [{"type": "StasisEnd"}]})
    assert resp.body["events_allowed"] == allowed
    assert resp.body["events_disallowed"] == [{"type": "StasisEnd"}]


async def test_event_filter_with_only_allowed_keeps_disallowed(core: Core) -> None:
    await _filter(core, {"disallowed": [{"type": "ChannelCreated"}]})
    resp = await _filter(core, {"allowed": [{"type": "StasisStart"}]})
    assert resp.body["events_disallowed"] == [{"type": "ChannelCreated"}]


@pytest.mark.parametrize("body", [{}, None])
async def test_empty_event_filter_resets_both_lists(core: Core, body: Any) -> None:
    await _filter(
        core, {"allowed": [{"type": "StasisStart"}], "disallowed": [{"type": "StasisEnd"}]}
    )
    resp = await _filter(core, body)
    assert (resp.status, resp.body) == (200, EMPTY_APP)


@pytest.mark.parametrize(
    "body",
    [
        {"allowed": "StasisStart"},
        {"allowed": ["StasisStart"]},
        {"disallowed": [{"type": 5}]},
        {"allowed": [{"type": "StasisStart", "n": 2**64}]},
        [],
    ],
)
async def test_malformed_event_filter_is_400_and_changes_nothing(core: Core, body: Any) -> None:
    await _filter(core, {"allowed": [{"type": "StasisStart"}]})
    status, _ = await _error(_filter(core, body))
    assert status == 400
    assert core.apps.get("zarniwoop").events_allowed == [{"type": "StasisStart"}]


async def test_event_filter_of_unknown_app_is_404(core: Core) -> None:
    status, body = await _error(
        applications.filter_(_req(core, "filter", body={}, applicationName="no-such-app"))
    )
    assert (status, body) == (404, {"message": "Application not found"})
