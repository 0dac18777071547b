"""Print the channels, bridges and endpoints as JSON; with --follow, every event after.

    python examples/channel_state_dump.py --url http://127.0.0.1:8088 --user asterisk \
        --password secret [--follow]
"""

from __future__ import annotations

import asyncio
import sys

import orjson
from _cli import client_for, parse_args, serve


def write(obj: object) -> None:
    sys.stdout.write(orjson.dumps(obj).decode() + "\n")
    sys.stdout.flush()


async def main() -> None:
    args = parse_args(
        __doc__.splitlines()[0],
        "state-dump",
        lambda p: p.add_argument("--follow", action="store_true", help="then stream events"),
    )
    client = client_for(args, subscribe_all=True)
    async with client_for(args, apps=()) as ari:
        write(
            {
                "channels": [c.to_json() for c in await ari.channels.list()],
                "bridges": [b.to_json() for b in await ari.bridges.list()],
                "endpoints": [e.to_json() for e in await ari.endpoints.list()],
            }
        )
    if args.follow:
        client.add_handler("*", lambda event: write(event.to_json()))
        await serve(client)


if __name__ == "__main__":
    asyncio.run(main())
