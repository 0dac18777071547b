"""A voicemail box: greet, beep, record until # or silence, count it in the mailbox.

    python examples/voicemail.py --url http://127.0.0.1:8088 --user asterisk \
        --password secret --app voicemail --mailbox 1000@default
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

from _cli import client_for, parse_args, serve

from ariel.client import AriNotFound, HandleEnded
from ariel.client.helpers import record
from ariel.client.models import StasisStart

log = logging.getLogger("voicemail")


async def main() -> None:
    args = parse_args(
        __doc__.splitlines()[0],
        "voicemail",
        lambda p: (
            p.add_argument("--mailbox", default="1000@default", help="mailbox to count in"),
            p.add_argument("--greeting", default="sound:vm-intro", help="what callers hear first"),
        ),
    )
    client = client_for(args)

    @client.on(StasisStart)
    async def on_start(event: StasisStart) -> None:
        channel = client.channel(event.channel)
        with contextlib.suppress(AriNotFound, HandleEnded):
            await channel.answer()
            await (await channel.play(media=args.greeting)).done()
            name = f"voicemail/{args.mailbox.split('@')[0]}/msg-{int(time.time() * 1000)}"
            stored = await record(
                channel,
                name,
                beep=True,
                terminate_on="#",
                max_silence_seconds=5,
                max_duration_seconds=120,
                timeout=180,
            )
            log.info("saved recording %s (%s)", stored.id, stored.model and stored.model.format)
            mailbox = client.mailbox(args.mailbox)
            try:
                count = (await mailbox.get()).new_messages
            except AriNotFound:
                count = 0
            await mailbox.update(old_messages=0, new_messages=count + 1)
            await (await channel.play(media=["sound:vm-msgsaved", "sound:vm-goodbye"])).done()
            await channel.hangup()

    await serve(client)


if __name__ == "__main__":
    asyncio.run(main())
