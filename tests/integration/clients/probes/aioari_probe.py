"""Probe: the PyPI ``aioari`` client (asyncio, aiohttp, aioswagger11) against an ARI server.

Run with the interpreter of the aioari virtual environment::

    python aioari_probe.py --base-url http://127.0.0.1:8088 --user U --password P
"""

from __future__ import annotations

import asyncio
from typing import Any

import aioari
from _probe import MISSING_CHANNEL, USER_EVENT, Recorder, failure, parse_args


async def main() -> None:
    args = parse_args()
    rec = Recorder("aioari", "aioari")
    try:
        client = await asyncio.wait_for(
            aioari.connect(args.base_url, args.user, args.password), args.timeout
        )
    except Exception as exc:
        rec.record("connect", failure(exc))
        rec.emit()
        return
    try:
        resources = client.swagger.resources
        rec.record(
            "connect",
            {
                "ok": True,
                "resources": sorted(resources),
                "operations": sum(len(r.operations) for r in resources.values()),
                "event_models": len(client.event_models),
            },
        )

        received: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        client.on_event("*", lambda msg: received.put_nowait(msg))
        runner = asyncio.create_task(client.run(apps=args.app))

        async def socket_open() -> bool:
            while not client.websockets:
                if runner.done():
                    runner.result()  # raises what made the socket fail
                    raise RuntimeError("event socket closed at once")
                await asyncio.sleep(0.05)
            return True

        async def timed(coro: Any) -> Any:
            return await asyncio.wait_for(coro, args.timeout)

        await rec.step("websocket", lambda: timed(socket_open()))
        await rec.step("asterisk.getInfo", lambda: timed(client.asterisk.getInfo()))
        await rec.step("asterisk.ping", lambda: timed(client.asterisk.ping()))
        await rec.step("channels.list", lambda: timed(client.channels.list()))
        await rec.step("applications.list", lambda: timed(client.applications.list()))
        await rec.step(
            "applications.get",
            lambda: timed(client.applications.get(applicationName=args.app)),
        )
        await rec.step("deviceStates.list", lambda: timed(client.deviceStates.list()))
        await rec.step("endpoints.list", lambda: timed(client.endpoints.list()))
        await rec.step("sounds.list", lambda: timed(client.sounds.list()))

        try:
            await timed(client.channels.get(channelId=MISSING_CHANNEL))
        except Exception as exc:
            # aioswagger11 raises aiohttp.web_exceptions.HTTPException subclasses.
            outcome = failure(exc)
            outcome.update(
                ok=True,
                status=getattr(exc, "status", None),
                body=getattr(exc, "text", None),
            )
            rec.record("channels.get missing", outcome)
        else:
            rec.record("channels.get missing", {"ok": False, "error": "no error raised"})

        async def user_event() -> dict[str, Any]:
            while not received.empty():
                received.get_nowait()
            await client.events.userEvent(eventName=USER_EVENT, application=args.app)
            while True:
                msg = await received.get()
                if msg.get("type") == "ChannelUserevent":
                    return msg

        await rec.step("events.userEvent", lambda: timed(user_event()))

        await client.close()
        await asyncio.wait_for(runner, args.timeout)
        rec.record("close", {"ok": True})
    except Exception as exc:
        rec.record("unexpected", failure(exc))
    rec.emit()


if __name__ == "__main__":
    asyncio.run(main())
