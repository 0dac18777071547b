"""Call app on the PyPI ``asyncari`` client: one task per call, iterating its events.

asyncari is structured (anyio) concurrency: a StasisStart listener starts a
task per call in the app's task group, and that task reads its channel's
own event stream (``async for event in channel``, which ends at StasisEnd).
Objects are shared per id, so a playback's events reach its channel's
stream too. A second listener logs StasisEnd; SIGTERM cancels the task
group. The menu is described in ``_call_app.py``.

Run with the interpreter of the asyncari virtual environment::

    python asyncari_app.py --base-url http://127.0.0.1:8088 --user U --password P
"""

from __future__ import annotations

import signal
import sys
from collections.abc import AsyncIterator
from typing import Any

import anyio
import asyncari
from _call_app import DIGIT_ONE, PROMPT, emit, error, parse_args


async def call(channel: Any, events: AsyncIterator[Any], bridge: Any) -> None:
    """One call, from StasisStart to StasisEnd."""
    try:
        await channel.answer()
        emit(op="answer", channel=channel.id)
        playback = await channel.play(media=PROMPT)
        emit(op="play", channel=channel.id, media=PROMPT, playback=playback.id)
        state = "prompt"
        async for event in events:
            if event.type == "PlaybackFinished":
                emit(event="PlaybackFinished", channel=channel.id, media=event.playback.media_uri)
                if state == "prompt":
                    state = "menu"
                    emit(op="menu", channel=channel.id)
                elif state == "goodbye":
                    state = "hangup"
                    await channel.hangup()
                    emit(op="hangup", channel=channel.id)
            elif event.type == "ChannelEnteredBridge":
                emit(event="ChannelEnteredBridge", channel=channel.id, bridge=event.bridge.id)
            elif event.type == "ChannelDtmfReceived":
                digit = event.digit
                emit(event="ChannelDtmfReceived", channel=channel.id, digit=digit)
                if state == "menu" and digit == "1":
                    state = "goodbye"
                    playback = await channel.play(media=DIGIT_ONE)
                    emit(op="play", channel=channel.id, media=DIGIT_ONE, playback=playback.id)
                elif state == "menu" and digit == "2":
                    state = "bridged"
                    await bridge.addChannel(channel=channel.id)
                    emit(op="addChannel", channel=channel.id, bridge=bridge.id)
                elif state in ("menu", "bridged") and digit == "#":
                    state = "hangup"
                    await channel.hangup()
                    emit(op="hangup", channel=channel.id)
    except Exception as exc:
        error(f"call {channel.id}", exc)


async def log_stasis_end(client: Any) -> None:
    async with client.on_channel_event("StasisEnd") as listener:
        async for channel, _event in listener:
            emit(event="StasisEnd", channel=channel.id)


async def main() -> None:
    args = parse_args()
    async with asyncari.connect(args.base_url, args.app, args.user, args.password) as client:
        bridge = await client.bridges.create(type="mixing", name=f"{args.app}-bridge")
        emit(op="create_bridge", bridge=bridge.id)
        try:
            async with anyio.create_task_group() as tg:

                async def stop_on_signal() -> None:
                    with anyio.open_signal_receiver(signal.SIGTERM, signal.SIGINT) as signals:
                        async for _ in signals:
                            tg.cancel_scope.cancel()
                            return

                tg.start_soon(stop_on_signal)
                tg.start_soon(log_stasis_end, client)
                async with client.on_channel_event("StasisStart") as listener:
                    emit(app="ready", bridge=bridge.id)
                    async for objects, event in listener:
                        # StasisStart has two Channel fields (channel, replace_channel).
                        channel = objects["channel"]
                        emit(
                            event="StasisStart",
                            channel=channel.id,
                            caller=event.channel.caller["name"],
                            args=event.args,
                        )
                        # Start queueing the channel's events before its task runs.
                        events = aiter(channel)
                        tg.start_soon(call, channel, events, bridge)
        finally:
            with anyio.CancelScope(shield=True):
                await bridge.destroy()
                emit(op="destroy_bridge", bridge=bridge.id)


if __name__ == "__main__":
    status = 0
    try:
        anyio.run(main)
    except Exception as exc:
        error("main", exc)
        status = 1
    emit(app="exit")
    sys.exit(status)
