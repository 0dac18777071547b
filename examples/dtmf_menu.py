"""An auto-attendant: a prompt, a choice by keypad, a message for each choice.

    python examples/dtmf_menu.py --url http://127.0.0.1:8088 --user asterisk \
        --password secret --app attendant

Press 1 or 2; anything else (or nothing) gets "invalid" and the menu again,
three times at most.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from _cli import client_for, parse_args, serve

from ariel.client import AriNotFound, HandleEnded
from ariel.client.helpers import play_and_collect
from ariel.client.models import StasisStart

log = logging.getLogger("dtmf_menu")

MENU = {"1": "sound:hello-world", "2": "sound:demo-congrats"}
PROMPT = ["sound:vm-intro"]


async def main() -> None:
    args = parse_args(__doc__.splitlines()[0], "attendant")
    client = client_for(args)

    @client.on(StasisStart)
    async def on_start(event: StasisStart) -> None:
        channel = client.channel(event.channel)
        with contextlib.suppress(AriNotFound, HandleEnded):
            await channel.answer()
            for _attempt in range(3):
                choice = await play_and_collect(channel, PROMPT, max_digits=1, timeout=5)
                if choice in MENU:
                    log.info("caller %s chose %s", channel.id, choice)
                    await (await channel.play(media=MENU[choice])).done()
                    break
                log.info("caller %s pressed %r: invalid", channel.id, choice)
                await (await channel.play(media="sound:pbx-invalid")).done()
            await (await channel.play(media="sound:vm-goodbye")).done()
            await channel.hangup()

    await serve(client)


if __name__ == "__main__":
    asyncio.run(main())
