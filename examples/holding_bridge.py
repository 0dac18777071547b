"""A holding bridge with music on hold: every caller waits there until hanging up.

    python examples/holding_bridge.py --url http://127.0.0.1:8088 --user asterisk \
        --password secret --app holding --moh-class default
"""

from __future__ import annotations

import asyncio
import logging

from _cli import client_for, parse_args, serve

from ariel.client import Bridge
from ariel.client.models import StasisEnd, StasisStart

log = logging.getLogger("holding_bridge")


async def main() -> None:
    args = parse_args(
        __doc__.splitlines()[0],
        "holding",
        lambda p: p.add_argument("--moh-class", default="default", help="music on hold class"),
    )
    client = client_for(args)
    holding: list[Bridge] = []

    @client.on(StasisStart)
    async def on_start(event: StasisStart) -> None:
        channel = client.channel(event.channel)
        await channel.answer()
        if not holding:
            holding.append(await client.create_bridge("holding", name="waiting-room"))
            await holding[0].start_moh(moh_class=args.moh_class)
        await holding[0].add_channel(channel=channel.id, role="participant")
        log.info("%s is on hold in %s", channel.id, holding[0].id)

    @client.on(StasisEnd)
    def on_end(event: StasisEnd) -> None:
        log.info("%s left", event.channel.id)

    try:
        await serve(client)
    finally:
        if holding:
            async with client_for(args, apps=()) as cleanup:
                await cleanup.bridge(holding[0].id).destroy()


if __name__ == "__main__":
    asyncio.run(main())
