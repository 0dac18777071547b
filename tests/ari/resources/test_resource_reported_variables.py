"""Variables set with ``report_events``: in ``channelvars`` and ``bridgevars`` of later snapshots.

The reference (S44): a channel variable created or set with ``report_events:
true`` shows in the ``channelvars`` of the channel's later snapshots (StasisEnd
carries it); a bridge variable likewise in ``bridgevars`` (ChannelEnteredBridge
carries it). Variables set without it never show.
"""

from __future__ import annotations

from typing import Any

import pytest

from ariel.ari.dispatch import Dispatcher
from ariel.ari.events import event_json
from ariel.ari.handler import AriRequest
from ariel.ari.models.objects import bridge_json, channel_json
from ariel.ari.resources import bridges, channels
from ariel.arispec import REGISTRY
from ariel.core.bridges.bridge import Bridge
from ariel.core.channels.channel import Channel
from ariel.core.events import CoreEvent
from ariel.core.system import Core


class _Tech:
    async def hangup(self, chan: Channel, cause: int) -> None:
        return None

    def hangup_variables(self, chan: Channel) -> list[tuple[str, str]]:
        return []


class _Listener:
    def __init__(self) -> None:
        self.got: list[dict[str, Any]] = []

    def deliver(self, app: str, event: CoreEvent) -> None:
        self.got.append(event_json(event, application=app, asterisk_id="aid"))


@pytest.fixture
def core(dispatcher: Dispatcher) -> Core:
    return dispatcher.core


@pytest.fixture
def listener(core: Core) -> _Listener:
    rec = _Listener()
    core.apps.register("watcher", rec, subscribe_all=True)
    return rec


def _req(core: Core, operation: str, body: Any = None, **params: Any) -> AriRequest:
    if body is not None:
        params["variables"] = body  # the body parameter: the whole body, as dispatched
    return AriRequest(
        operation=REGISTRY.operation(operation),
        params=params,
        body=body,
        core=core,
        user="asterisk",
    )


def _channel(core: Core) -> Channel:
    chan = Channel(
        id="chan1",
        name="PJSIP/SOFTPHONE_A-00000001",
        tech=_Tech(),  # type: ignore[arg-type]
        publish=core.publish,
        now=core.clock.now,
    )
    core.channels.add(chan)
    return chan


async def test_a_channel_variable_set_with_report_events_shows_in_channelvars(core: Core) -> None:
    chan = _channel(core)
    assert channel_json(chan.snapshot()).get("channelvars") is None
    req = _req(
        core,
        "channels.setChannelVar",
        channelId="chan1",
        variable="CALLSTATE",
        value="created",
        report_events=True,
    )
    assert (await channels.setChannelVar(req)).status == 204
    hidden = _req(
        core,
        "channels.setChannelVar",
        channelId="chan1",
        variable="ALICEEXTRA1",
        value="extra",
        report_events=False,
    )
    assert (await channels.setChannelVar(hidden)).status == 204
    assert channel_json(chan.snapshot())["channelvars"] == {"CALLSTATE": "created"}
    assert chan.variables["ALICEEXTRA1"] == "extra"


async def test_bulk_channel_variables_report_only_those_asking_with_trimmed_names(
    core: Core,
) -> None:
    chan = _channel(core)
    body = {
        "variables": {
            "TESTVAR1": "test1",
            "TESTVAR2 ": {"value": "test2", "report_events": True},
            " TESTVAR3": {"value": "test3", "report_events": False},
        }
    }
    resp = await channels.setChannelVars(
        _req(core, "channels.setChannelVars", body, channelId="chan1")
    )
    assert resp.status == 204
    assert chan.snapshot().channelvars == {"TESTVAR2": "test2"}
    # The reported variable follows its value in later snapshots.
    chan.variables["TESTVAR2"] = "changed"
    assert chan.snapshot().channelvars == {"TESTVAR2": "changed"}


async def test_a_bridge_created_with_reported_variables_carries_bridgevars_in_its_events(
    core: Core, listener: _Listener
) -> None:
    body = {
        "variables": {
            "BRIDGESTATE": {"value": "created", "report_events": True},
            "BRIDGENOREPORT1": {"value": "donotreport", "report_events": False},
        }
    }
    resp = await bridges.createWithId(_req(core, "bridges.createWithId", body, bridgeId="b1"))
    assert resp.status == 200
    assert resp.body["bridgevars"] == {"BRIDGESTATE": "created"}
    created = [e for e in listener.got if e["type"] == "BridgeCreated"]
    assert [e["bridge"]["bridgevars"] for e in created] == [{"BRIDGESTATE": "created"}]


async def test_bridge_variables_set_singly_or_in_bulk_report_only_when_asked(core: Core) -> None:
    await bridges.createWithId(_req(core, "bridges.createWithId", bridgeId="b1"))
    bridge = core.bridges.get("b1")
    assert isinstance(bridge, Bridge)
    assert "bridgevars" not in bridge_json(bridge.snapshot())
    for name, report in (("TESTVAR1", False), ("TESTVAR2", True)):
        req = _req(
            core,
            "bridges.setBridgeVar",
            bridgeId="b1",
            variable=name,
            value=name.lower(),
            report_events=report,
        )
        assert (await bridges.setBridgeVar(req)).status == 204
    bulk = {"variables": {" TESTVAR3 ": {"value": "test3", "report_events": True}}}
    resp = await bridges.setBridgeVars(_req(core, "bridges.setBridgeVars", bulk, bridgeId="b1"))
    assert resp.status == 204
    assert bridge_json(bridge.snapshot())["bridgevars"] == {
        "TESTVAR2": "testvar2",
        "TESTVAR3": "test3",
    }
    got = await bridges.getBridgeVar(
        _req(core, "bridges.getBridgeVar", bridgeId="b1", variable="TESTVAR1")
    )
    assert got.body == {"value": "testvar1"}


async def test_report_events_given_as_a_string_does_not_report(core: Core) -> None:
    await bridges.createWithId(_req(core, "bridges.createWithId", bridgeId="b1"))
    bulk = {"variables": {"X": {"value": "1", "report_events": "true"}}}
    await bridges.setBridgeVars(_req(core, "bridges.setBridgeVars", bulk, bridgeId="b1"))
    bridge = core.bridges.get("b1")
    assert isinstance(bridge, Bridge)
    assert bridge.snapshot().bridgevars is None and bridge.variables["X"] == "1"
