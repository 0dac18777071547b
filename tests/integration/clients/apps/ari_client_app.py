"""Call app on the PyPI ``ari-client``: typed handlers, one per event type.

``ari-client`` validates each event into a pydantic model and runs the one
handler registered for its type in a task of its own, so handlers run
concurrently and keep no call stack between events: the app keeps each
channel's place in the menu in a dict, finds a playback's channel from its
``target_uri``, and acts on the event in hand (models come with methods:
``channel.answer()``, ``channel.play()``, ``bridge.add_channel()``). Errors
the library only logs (a model that does not validate, a failing handler)
are turned into ``{"error": ...}`` lines. The menu is described in
``_call_app.py``.

Run with the interpreter of the ari-client virtual environment::

    python ari_client_app.py --base-url http://127.0.0.1:8088 --user U --password P
"""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
from urllib.parse import urlsplit

from _call_app import DIGIT_ONE, PROMPT, emit, error, parse_args
from ari_client import (
    AriClient,
    Bridge,
    ChannelDtmfReceivedEvent,
    ChannelEnteredBridgeEvent,
    PlaybackFinishedEvent,
    StasisEndEvent,
    StasisStartEvent,
)


class ErrorLines(logging.Handler):
    """Reports what ari-client logs at ERROR as ``{"error": ...}`` lines."""

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            error(f"ari_client log: {message}", record.exc_info[1])
        else:
            emit(error=message[:800], where="ari_client log")


class CallApp:
    """The menu, as ari-client handlers. ``state`` maps a channel id to where it is."""

    def __init__(self, client: AriClient, bridge: Bridge) -> None:
        self.client = client
        self.bridge = bridge
        self.state: dict[str, str] = {}

    def register(self) -> None:
        self.client.on_stasis_start(self.on_start)
        self.client.on_playback_finished(self.on_playback_finished)
        self.client.on_channel_dtmf_received(self.on_dtmf)
        self.client.on_channel_entered_bridge(self.on_entered_bridge)
        self.client.on_stasis_end(self.on_end)

    async def on_start(self, event: StasisStartEvent) -> None:
        channel = event.channel
        emit(event="StasisStart", channel=channel.id, caller=channel.caller.name, args=event.args)
        self.state[channel.id] = "prompt"
        await channel.answer()
        emit(op="answer", channel=channel.id)
        playback = await channel.play(PROMPT)
        emit(op="play", channel=channel.id, media=PROMPT, playback=playback.id)

    async def on_playback_finished(self, event: PlaybackFinishedEvent) -> None:
        playback = event.playback
        kind, _, channel_id = playback.target_uri.partition(":")
        if kind != "channel":
            return
        emit(event="PlaybackFinished", channel=channel_id, media=playback.media_uri)
        state = self.state.get(channel_id)
        if state == "prompt":
            self.state[channel_id] = "menu"
            emit(op="menu", channel=channel_id)
        elif state == "goodbye":
            self.state[channel_id] = "hangup"
            await self.client.ari.stop_channel(channel_id)
            emit(op="hangup", channel=channel_id)

    async def on_dtmf(self, event: ChannelDtmfReceivedEvent) -> None:
        channel = event.channel
        digit = event.digit
        emit(event="ChannelDtmfReceived", channel=channel.id, digit=digit)
        state = self.state.get(channel.id)
        if state == "menu" and digit == "1":
            self.state[channel.id] = "goodbye"
            playback = await channel.play(DIGIT_ONE)
            emit(op="play", channel=channel.id, media=DIGIT_ONE, playback=playback.id)
        elif state == "menu" and digit == "2":
            self.state[channel.id] = "bridged"
            await self.bridge.add_channel(channel.id)
            emit(op="addChannel", channel=channel.id, bridge=self.bridge.id)
        elif state in ("menu", "bridged") and digit == "#":
            self.state[channel.id] = "hangup"
            await channel.stop()
            emit(op="hangup", channel=channel.id)

    async def on_entered_bridge(self, event: ChannelEnteredBridgeEvent) -> None:
        emit(event="ChannelEnteredBridge", channel=event.channel.id, bridge=event.bridge.id)

    async def on_end(self, event: StasisEndEvent) -> None:
        emit(event="StasisEnd", channel=event.channel.id)
        self.state.pop(event.channel.id, None)


async def main() -> None:
    args = parse_args()
    # ari-client calls logging.basicConfig(level=INFO) on import: keep stderr quiet.
    logging.getLogger().setLevel(logging.WARNING)
    logging.getLogger("ari_client").addHandler(ErrorLines(level=logging.ERROR))
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)

    url = urlsplit(args.base_url)
    client = AriClient(url.hostname or "127.0.0.1", url.port or 8088, args.user, args.password)
    # connect() opens the event socket and builds client.ari; no call comes in
    # before the "ready" line, so registering the handlers after it loses nothing.
    await client.connect(args.app)
    bridge = await client.ari.create_bridge(type="mixing", name=f"{args.app}-bridge")
    emit(op="create_bridge", bridge=bridge.id)
    app = CallApp(client, bridge)
    app.register()
    emit(app="ready", bridge=bridge.id)

    await stop.wait()
    await bridge.stop()
    emit(op="destroy_bridge", bridge=bridge.id)
    await client.disconnect()
    await client.ari.client.aclose()


if __name__ == "__main__":
    status = 0
    try:
        asyncio.run(main())
    except Exception as exc:
        error("main", exc)
        status = 1
    emit(app="exit")
    sys.exit(status)
