"""The client against a real Ariel: connect, events, operations, errors.

Calls are real SIP calls from SIPp (extension 242 runs ``Stasis(zarniwoop)``);
the client holds ``zarniwoop`` and handles them with its own handlers.
"""

from __future__ import annotations

import asyncio

import pytest
from ariel_process import AriServer
from client_support import STASIS_APP, PhoneFactory

from ariel.client import (
    AriBadRequest,
    AriClient,
    AriNotFound,
    AriUnauthorized,
    Channel,
    HandleEnded,
)
from ariel.client.models import (
    AsteriskInfo,
    PlaybackFinished,
    PlaybackStarted,
    StasisEnd,
    StasisStart,
)

pytestmark = [pytest.mark.integration, pytest.mark.timeout(30)]


async def test_rest_only_client_reads_info_and_lists(ariel_server: AriServer) -> None:
    async with AriClient(
        ariel_server.base_url, user=ariel_server.user, password=ariel_server.password
    ) as ari:
        info = await ari.asterisk.get_info()
        assert isinstance(info, AsteriskInfo)
        assert info.system is not None and info.system.entity_id
        assert isinstance(await ari.channels.list(), list)
        endpoints = await ari.endpoints.list()
        assert {(e.technology, e.resource) for e in endpoints} >= {
            ("PJSIP", "SOFTPHONE_A"),
            ("PJSIP", "SOFTPHONE_B"),
        }


async def test_api_key_authentication(ariel_server: AriServer) -> None:
    async with AriClient(ariel_server.base_url, api_key=ariel_server.api_key, apps="keyed") as ari:
        assert ari.connected.is_set()
        app = await ari.applications.get("keyed")
        assert app.name == "keyed"


async def test_wrong_password_raises_unauthorized(ariel_server: AriServer) -> None:
    ari = AriClient(ariel_server.base_url, user="asterisk", password="wrong", apps="nope")
    with pytest.raises(AriUnauthorized) as caught:
        await ari.connect()
    assert caught.value.status == 401
    await ari.close()
    ari = AriClient(ariel_server.base_url, user="asterisk", password="wrong")
    with pytest.raises(AriUnauthorized):
        await ari.asterisk.ping()
    await ari.close()


async def test_unknown_channel_raises_typed_error_with_ari_message(client: AriClient) -> None:
    with pytest.raises(AriNotFound) as caught:
        await client.channel("no-such-channel").answer()
    err = caught.value
    assert err.status == 404
    assert err.message == "Channel not found"
    assert err.operation == "channels.answer"
    with pytest.raises(AriNotFound):
        await client.channels.get("no-such-channel")


async def test_sip_call_reaches_stasis_start_handler_answer_play_hangup(
    client: AriClient, sip_call: PhoneFactory
) -> None:
    seen: list[str] = []
    done: asyncio.Future[list[str]] = asyncio.get_running_loop().create_future()

    @client.on(StasisStart)
    async def start(event: StasisStart) -> None:
        channel = client.channel(event.channel)
        seen.append(event.type)
        await channel.answer()
        # Stage-then-execute: the playback handle records events from before the request.
        playback = await channel.play(media="sound:beep")
        started = await playback.wait_for(PlaybackStarted, timeout=5)
        finished = await playback.wait_for(PlaybackFinished, timeout=5)
        seen.extend([started.type, finished.type, finished.playback.state])
        await channel.hangup()

    @client.on("StasisEnd")
    def end(event: StasisEnd) -> None:
        seen.append(event.type)
        done.set_result(seen)

    async with sip_call() as call:
        await call.answered()
        result = await asyncio.wait_for(done, 10)
        assert await call.phone.finish() == 0, call.phone.report()
    assert result == ["StasisStart", "PlaybackStarted", "PlaybackFinished", "done", "StasisEnd"]


async def test_channel_events_stream_and_callbacks(
    client: AriClient, sip_call: PhoneFactory
) -> None:
    starts = client.event_stream(StasisStart)
    async with sip_call() as call:
        start = await starts.next(timeout=5)
        starts.close()
        channel = client.channel(start.channel)
        assert channel.model is not None and channel.model.caller.name == call.caller
        states: list[str] = []
        channel.on("ChannelStateChange", lambda ev: states.append(ev.channel.state))
        stream = channel.events()
        await channel.answer()
        await call.answered()
        await channel.hangup()
        kinds = [event.type async for event in stream]
        assert kinds[-1] == "StasisEnd", kinds
        assert "ChannelStateChange" in kinds
        assert states == ["Up"]
        with pytest.raises(HandleEnded):
            await channel.wait_for("ChannelDtmfReceived", timeout=2)
        assert await call.phone.finish() == 0


async def test_bad_request_is_typed_and_staged_bridge_is_usable(client: AriClient) -> None:
    bridge = await client.create_bridge("mixing", name="typed-errors")
    try:
        assert bridge.model is not None and bridge.model.id == bridge.id
        assert (await bridge.get()).name == "typed-errors"
        with pytest.raises(AriBadRequest) as caught:
            await client.channel("fresh-id").originate_with_id(endpoint="PJSIP/nobody")
        assert caught.value.message == "Application or extension must be specified"
        with pytest.raises(AriBadRequest):
            await bridge.add_channel(channel="no-such-channel")
    finally:
        await bridge.destroy()
    with pytest.raises(AriNotFound):
        await bridge.get()
    assert isinstance(client.channel("x"), Channel)
    assert STASIS_APP in client.apps
