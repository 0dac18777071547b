"""What every example shares: its command line and a clean stop on Ctrl-C or SIGTERM."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
from collections.abc import Callable
from typing import Any

from ariel.client import AriClient


def parse_args(
    description: str,
    app: str,
    parser_hook: Callable[[argparse.ArgumentParser], object] | None = None,
) -> argparse.Namespace:
    """``--url --user --password --app`` (plus what ``parser_hook(parser)`` adds)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--url", default="http://127.0.0.1:8088", help="ARI server URL")
    parser.add_argument("--user", default="asterisk", help="ARI user")
    parser.add_argument("--password", required=True, help="ARI password")
    parser.add_argument("--app", default=app, help=f"Stasis application name (default {app})")
    if parser_hook is not None:
        parser_hook(parser)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    return args


def client_for(args: argparse.Namespace, **options: Any) -> AriClient:
    """The client the command line asks for."""
    settings: dict[str, Any] = {"apps": args.app, **options}
    return AriClient(args.url, user=args.user, password=args.password, **settings)


async def serve(client: AriClient) -> None:
    """Connect, say so, and run until Ctrl-C or SIGTERM."""
    loop = asyncio.get_running_loop()
    async with client:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, lambda: asyncio.ensure_future(client.close()))
        logging.getLogger("examples").info("ready: application %s", ",".join(client.apps))
        await client.run()
