"""Call app on the PyPI ``aioari`` client: callbacks chained on object events.

aioari (like Digium's ari-py it descends from) runs every callback inside its
event loop, one event at a time, so nothing here waits for an event: each
step registers a callback on the object the next event belongs to
(``playback.on_event("PlaybackFinished", ...)``) and returns. The menu is
described in ``_call_app.py``.

Run with the interpreter of the aioari virtual environment::

    python aioari_app.py --base-url http://127.0.0.1:8088 --user U --password P
"""

from __future__ import annotations

import asyncio
import signal
import sys
from collections.abc import Awaitable, Callable
from typing import Any

import aioari
from _call_app import DIGIT_ONE, PROMPT, emit, error, parse_args


class CallApp:
    """The menu, as aioari callbacks. ``state`` maps a channel id to where it is."""

    def __init__(self, client: Any, bridge: Any) -> None:
        self.client = client
        self.bridge = bridge
        self.state: dict[str, str] = {}
        self.subscriptions: dict[str, list[Any]] = {}

    async def on_start(self, objects: dict[str, Any], event: dict[str, Any]) -> None:
        # StasisStart has two Channel fields (channel, replace_channel): aioari
        # then passes a dict of the ones present.
        channel = objects["channel"]
        emit(
            event="StasisStart",
            channel=channel.id,
            caller=event["channel"]["caller"]["name"],
            args=event["args"],
        )
        self.state[channel.id] = "prompt"
        self.subscriptions[channel.id] = [channel.on_event("ChannelDtmfReceived", self.on_dtmf)]
        await channel.answer()
        emit(op="answer", channel=channel.id)
        await self.play(channel, PROMPT, self.open_menu)

    async def play(self, channel: Any, media: str, then: Callable[[Any], Awaitable[None]]) -> None:
        playback = await channel.play(media=media)
        emit(op="play", channel=channel.id, media=media, playback=playback.id)

        async def finished(playback: Any, event: dict[str, Any]) -> None:
            subscription.close()
            emit(event="PlaybackFinished", channel=channel.id, media=event["playback"]["media_uri"])
            await then(channel)

        subscription = playback.on_event("PlaybackFinished", finished)

    async def open_menu(self, channel: Any) -> None:
        if self.state.get(channel.id) == "prompt":
            self.state[channel.id] = "menu"
            emit(op="menu", channel=channel.id)

    async def on_dtmf(self, channel: Any, event: dict[str, Any]) -> None:
        digit = event["digit"]
        emit(event="ChannelDtmfReceived", channel=channel.id, digit=digit)
        state = self.state.get(channel.id)
        if state == "menu" and digit == "1":
            self.state[channel.id] = "goodbye"
            await self.play(channel, DIGIT_ONE, self.hangup)
        elif state == "menu" and digit == "2":
            self.state[channel.id] = "bridged"
            await self.bridge.addChannel(channel=channel.id)
            emit(op="addChannel", channel=channel.id, bridge=self.bridge.id)
        elif state in ("menu", "bridged") and digit == "#":
            await self.hangup(channel)

    async def hangup(self, channel: Any) -> None:
        self.state[channel.id] = "hangup"
        await channel.hangup()
        emit(op="hangup", channel=channel.id)

    def on_entered_bridge(self, bridge: Any, event: dict[str, Any]) -> None:
        emit(event="ChannelEnteredBridge", channel=event["channel"]["id"], bridge=bridge.id)

    def on_end(self, channel: Any, event: dict[str, Any]) -> None:
        emit(event="StasisEnd", channel=channel.id)
        self.state.pop(channel.id, None)
        for subscription in self.subscriptions.pop(channel.id, []):
            subscription.close()


async def main() -> None:
    args = parse_args()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)

    client = await aioari.connect(args.base_url, args.user, args.password)
    client.exception_handler = lambda exc: error("callback", exc)
    bridge = await client.bridges.create(type="mixing", name=f"{args.app}-bridge")
    emit(op="create_bridge", bridge=bridge.id)
    app = CallApp(client, bridge)
    client.on_channel_event("StasisStart", app.on_start)
    client.on_channel_event("StasisEnd", app.on_end)
    bridge.on_event("ChannelEnteredBridge", app.on_entered_bridge)

    runner = asyncio.create_task(client.run(apps=args.app))
    while not client.websockets and not runner.done():
        await asyncio.sleep(0.02)
    if runner.done():
        runner.result()
        raise RuntimeError("the event socket closed at once")
    emit(app="ready", bridge=bridge.id)

    stopping = asyncio.create_task(stop.wait())
    await asyncio.wait({stopping, runner}, return_when=asyncio.FIRST_COMPLETED)
    if runner.done():
        runner.result()
        raise RuntimeError("the event socket closed")
    await bridge.destroy()
    emit(op="destroy_bridge", bridge=bridge.id)
    await client.close()
    await runner


if __name__ == "__main__":
    status = 0
    try:
        asyncio.run(main())
    except Exception as exc:
        error("main", exc)
        status = 1
    emit(app="exit")
    sys.exit(status)
