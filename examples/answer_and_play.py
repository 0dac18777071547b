"""Answer every call, play a prompt, hang up.

    python examples/answer_and_play.py --url http://127.0.0.1:8088 --user asterisk \
        --password secret --app hello

Dialplan: ``exten => 100,1,Stasis(hello)``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from _cli import client_for, parse_args, serve

from ariel.client import AriNotFound
from ariel.client.models import StasisStart

log = logging.getLogger("answer_and_play")


async def main() -> None:
    args = parse_args(
        __doc__.splitlines()[0],
        "hello",
        lambda p: p.add_argument("--media", default="sound:hello-world", help="what to play"),
    )
    client = client_for(args)

    @client.on(StasisStart)
    async def on_start(event: StasisStart) -> None:
        channel = client.channel(event.channel)
        log.info("call from %r on %s", event.channel.caller.name, channel.id)
        with contextlib.suppress(AriNotFound):  # the caller may hang up first
            await channel.answer()
            playback = await channel.play(media=args.media)
            await playback.done()
            log.info("played %s to %s", args.media, channel.id)
            await channel.hangup()

    await serve(client)


if __name__ == "__main__":
    asyncio.run(main())
