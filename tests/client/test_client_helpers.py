"""The helpers on real calls: dial-and-bridge with a bridge monitor, and holding with MOH.

The dialled party is a Local channel (``Local/242@sets``): its ``;2`` half
runs extension 242 and so enters ``Stasis(zarniwoop)`` too, where the test's
handler answers it, which answers the ``;1`` half the helper originated.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from ariel_process import AriServer
from audio_measure import voiced_seconds
from client_support import PhoneFactory, run_example
from media_phones import require_moh

from ariel.client import AriClient, Channel
from ariel.client.helpers import BridgeMonitor, dial_and_bridge
from ariel.client.models import StasisStart

pytestmark = [pytest.mark.integration, pytest.mark.timeout(30)]


async def test_dial_and_bridge_then_monitor_sees_the_caller_leave(
    client: AriClient, sip_call: PhoneFactory
) -> None:
    loop = asyncio.get_running_loop()
    caller_started: asyncio.Future[Channel] = loop.create_future()

    @client.on(StasisStart)
    async def start(event: StasisStart) -> None:
        channel = client.channel(event.channel)
        if event.channel.name.startswith("Local/") and event.args == ():
            await channel.answer()  # the far end picks up
        elif event.channel.name.startswith("PJSIP/") and not caller_started.done():
            caller_started.set_result(channel)

    async with sip_call() as call:
        caller = await asyncio.wait_for(caller_started, 5)
        await caller.answer()
        await call.answered()
        changes: list[frozenset[str]] = []
        bridge, callee = await dial_and_bridge(client, caller, "Local/242@sets", timeout=5)
        try:
            assert callee.model is not None and callee.model.name.startswith("Local/")
            async with BridgeMonitor(bridge, on_change=changes.append) as monitor:
                assert monitor.channels == {caller.id, callee.id}
                await caller.hangup()
                await monitor.wait_until(lambda m: caller.id not in m.channels, timeout=5)
            assert any(caller.id not in c for c in changes), changes
            assert await call.phone.finish() == 0
        finally:
            await callee.hangup()
            await bridge.destroy()


async def test_holding_bridge_example_plays_music_on_hold(
    ariel_server: AriServer, sip_call: PhoneFactory, tmp_path: Path
) -> None:
    require_moh()
    ari = AriClient(ariel_server.base_url, user=ariel_server.user, password=ariel_server.password)
    async with ari:
        async with (
            run_example("holding_bridge.py", ariel_server, tmp_path) as app,
            sip_call() as call,
        ):
            await call.answered()
            await app.wait_log("is on hold in")
            await asyncio.sleep(1.5)
            heard = voiced_seconds(call.rtp.audio())
            for channel in await ari.channels.list():
                if channel.caller.name == call.caller:
                    await ari.channel(channel.id).hangup()
            assert await call.phone.finish() == 0
            bridges = [b for b in await ari.bridges.list() if b.name == "waiting-room"]
            assert len(bridges) == 1 and bridges[0].bridge_type == "holding"
        assert not [b for b in await ari.bridges.list() if b.id == bridges[0].id]
    assert heard >= 0.8, f"only {heard:.2f} s of music in 1.5 s on hold"
