"""Connect each caller to an endpoint: ring it, bridge the two, clean up after.

    python examples/bridge_dial.py --url http://127.0.0.1:8088 --user asterisk \
        --password secret --app dialer --endpoint PJSIP/bob
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from _cli import client_for, parse_args, serve

from ariel.client import AriHTTPError
from ariel.client.helpers import BridgeMonitor, DialFailed, dial_and_bridge
from ariel.client.models import StasisStart

log = logging.getLogger("bridge_dial")


async def main() -> None:
    args = parse_args(
        __doc__.splitlines()[0],
        "dialer",
        lambda p: p.add_argument("--endpoint", required=True, help="what to dial"),
    )
    client = client_for(args)

    @client.on(StasisStart)
    async def on_start(event: StasisStart) -> None:
        if event.args == ("dialed",):
            return  # the outgoing leg we made ourselves
        caller = client.channel(event.channel)
        await caller.answer()
        try:
            bridge, callee = await dial_and_bridge(client, caller, args.endpoint, timeout=20)
        except DialFailed as exc:
            log.info("%s: %s", caller.id, exc)
            with contextlib.suppress(AriHTTPError):
                await (await caller.play(media="sound:tt-allbusy")).done()
                await caller.hangup()
            return
        log.info("bridged %s with %s in %s", caller.id, callee.id, bridge.id)
        async with BridgeMonitor(bridge) as monitor:
            await monitor.wait_until(lambda m: len(m.channels) < 2)
        for leg in (caller, callee):
            with contextlib.suppress(AriHTTPError):
                await leg.hangup()
        with contextlib.suppress(AriHTTPError):
            await bridge.destroy()
        log.info("call %s ended", caller.id)

    await serve(client)


if __name__ == "__main__":
    asyncio.run(main())
