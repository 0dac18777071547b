"""The client against an in-process Ariel (`ariel.testing`): fast, no process, no phone.

Calls are Local channels: originating ``Local/242@sets`` puts its ``;2``
half into ``Stasis(zarniwoop)`` through the dialplan; answering that half
brings the ``;1`` half into the client's application (with the arguments
given), as a far end picking up would.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from ariel.client import (
    AriBadRequest,
    AriClient,
    AriNotFound,
    AriUnauthorized,
    Channel,
    HandleEnded,
)
from ariel.client.helpers import BridgeMonitor, dial_and_bridge, play_and_collect
from ariel.client.models import (
    ChannelDtmfReceived,
    PlaybackFinished,
    PlaybackStarted,
    StasisEnd,
    StasisStart,
)
from ariel.testing import RunningAriel

pytestmark = [pytest.mark.timeout(20)]

APP = "zarniwoop"


@pytest.fixture
async def ari(local_ariel: RunningAriel) -> AsyncIterator[AriClient]:
    """A client holding ``zarniwoop``; it answers the ``;2`` halves of Local calls."""
    async with local_ariel.client(apps=APP) as client:

        @client.on(StasisStart)
        async def far_end_answers(event: StasisStart) -> None:
            if event.channel.name.endswith(";2"):
                await client.channel(event.channel).answer()

        yield client


async def call_in(ari: AriClient, args: str = "caller") -> Channel:
    """A ``;1`` Local half in the app, answered (its ``StasisStart`` already seen)."""
    channel = await ari.originate("Local/242@sets", app_args=args)
    await channel.wait_for(StasisStart, timeout=5)
    return channel


async def far_end(ari: AriClient, channel: Channel) -> Channel:
    """The ``;2`` half of a Local ``;1`` channel: DTMF sent to it reaches ``channel``."""
    assert channel.model is not None
    name = channel.model.name[:-1] + "2"
    (found,) = [c for c in await ari.channels.list() if c.name == name]
    return ari.channel(found)


async def test_app_handlers_get_each_stasis_start_with_typed_events(ari: AriClient) -> None:
    seen: list[tuple[str, tuple[str, ...]]] = []
    everything: list[str] = []
    ari.on(StasisStart)(lambda ev: seen.append((ev.channel.name[-2:], ev.args)))
    ari.on("*")(lambda ev: everything.append(ev.type))
    channel = await call_in(ari, "alpha,beta")
    await asyncio.sleep(0.05)
    assert sorted(seen) == [(";1", ("alpha", "beta")), (";2", ())]
    assert everything.count("StasisStart") == 2
    await channel.hangup()
    end = await channel.wait_for(StasisEnd, timeout=5)
    assert end.channel.id == channel.id and channel.ended


async def test_handles_carry_the_node_of_the_server_that_sent_their_events(
    ari: AriClient,
) -> None:
    info = await ari.asterisk.get_info()
    assert info.system is not None
    fresh = ari.channel("not-seen-yet")
    assert fresh.node is None
    assert ari.channel("given", node="elsewhere").node == "elsewhere"
    channel = await call_in(ari)
    assert channel.node == info.system.entity_id
    # A handle made later, from the id alone, knows it from the events seen.
    assert ari.channel(channel.id).node == info.system.entity_id
    await channel.hangup()


async def test_staged_playback_keeps_events_that_came_before_play_returned(
    ari: AriClient,
) -> None:
    channel = await call_in(ari)
    bridge = await ari.create_bridge("mixing", name="staged")
    assert bridge.model is not None and bridge.model.name == "staged"
    await bridge.add_channel(channel=channel.id)
    playback = await bridge.play(media="tone:ring;tonezone=us")
    started = await playback.wait_for(PlaybackStarted, timeout=5)
    assert started.playback.target_uri == f"bridge:{bridge.id}"
    await playback.stop()
    finished = await playback.done(timeout=5)
    assert isinstance(finished, PlaybackFinished) and playback.ended
    with pytest.raises(HandleEnded):
        await playback.wait_for("PlaybackContinuing", timeout=1)
    await bridge.destroy()
    with pytest.raises(AriNotFound):
        await bridge.get()
    await channel.hangup()


async def test_channel_stream_and_callbacks_end_with_the_channel(ari: AriClient) -> None:
    channel = await call_in(ari)
    stream = channel.events()
    digits: list[str] = []
    channel.on("ChannelDtmfReceived", lambda ev: digits.append(ev.digit))
    other = await far_end(ari, channel)
    await other.send_dtmf(dtmf="12", between=50, duration=60)
    await channel.wait_for(ChannelDtmfReceived, predicate=lambda ev: ev.digit == "2", timeout=5)
    await channel.hangup()
    kinds = [event.type async for event in stream]
    assert kinds[-1] == "StasisEnd", kinds
    assert digits == ["1", "2"]


async def test_errors_are_typed_with_the_ari_message(
    ari: AriClient, local_ariel: RunningAriel
) -> None:
    with pytest.raises(AriNotFound) as not_found:
        await ari.channel("no-such-channel").answer()
    assert (not_found.value.status, not_found.value.message) == (404, "Channel not found")
    assert not_found.value.operation == "channels.answer"
    with pytest.raises(AriBadRequest) as bad:
        await ari.channel("fresh").originate_with_id(endpoint="PJSIP/SOFTPHONE_B")
    assert bad.value.message == "Application or extension must be specified"
    wrong = AriClient(local_ariel.base_url, user=local_ariel.user, password="wrong", apps="x")
    with pytest.raises(AriUnauthorized):
        await wrong.connect()
    await wrong.close()


async def test_dial_and_bridge_then_the_monitor_sees_the_caller_leave(ari: AriClient) -> None:
    caller = await call_in(ari)
    bridge, callee = await dial_and_bridge(ari, caller, "Local/242@sets", timeout=5)
    assert callee.model is not None and callee.model.name.endswith(";1")
    changes: list[frozenset[str]] = []
    async with BridgeMonitor(bridge, on_change=changes.append) as monitor:
        assert monitor.channels == {caller.id, callee.id}
        await caller.hangup()
        await monitor.wait_until(lambda m: caller.id not in m.channels, timeout=5)
    assert any(caller.id not in change for change in changes), changes
    await callee.hangup()
    await bridge.destroy()


async def test_play_and_collect_returns_the_digits_before_the_terminator(
    ari: AriClient,
) -> None:
    channel = await call_in(ari)
    phone = await far_end(ari, channel)

    async def press() -> None:
        await asyncio.sleep(0.2)
        await phone.send_dtmf(dtmf="42#", between=50, duration=60)

    presser = asyncio.ensure_future(press())
    digits = await play_and_collect(
        channel, "tone:ring;tonezone=us", max_digits=4, timeout=3, terminator="#"
    )
    await presser
    assert digits == "42"
    await channel.hangup()
