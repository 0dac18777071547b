"""Probe: the PyPI ``asyncari`` client (anyio, httpx, asyncswagger11) against an ARI server.

Run with the interpreter of the asyncari virtual environment::

    python asyncari_probe.py --base-url http://127.0.0.1:8088 --user U --password P
"""

from __future__ import annotations

import argparse
from typing import Any

import anyio
import asyncari
from _probe import MISSING_CHANNEL, USER_EVENT, Recorder, failure, parse_args


async def run_steps(client: Any, args: argparse.Namespace, rec: Recorder) -> None:
    async def timed(coro: Any) -> Any:
        with anyio.fail_after(args.timeout):
            return await coro

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
    # asyncari opens the event socket inside connect(), before it yields the client.
    rec.record("websocket", {"ok": bool(client.websockets), "value": len(client.websockets)})

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
        # asyncari wraps httpx.HTTPStatusError in asyncari.model.OperationError.
        outcome = failure(exc)
        response = getattr(exc.__cause__, "response", None)
        outcome.update(
            ok=True,
            status=getattr(response, "status_code", None),
            body=getattr(response, "text", None),
        )
        rec.record("channels.get missing", outcome)
    else:
        rec.record("channels.get missing", {"ok": False, "error": "no error raised"})

    async def user_event() -> dict[str, Any]:
        async with client.on_event("ChannelUserevent") as listener:
            await client.events.userEvent(eventName=USER_EVENT, application=args.app)
            async for msg in listener:
                return dict(msg._orig_msg)
        raise RuntimeError("event listener ended")

    await rec.step("events.userEvent", lambda: timed(user_event()))


async def main() -> None:
    args = parse_args()
    rec = Recorder("asyncari", "asyncari")
    connected = False
    try:
        with anyio.fail_after(args.timeout * 4):
            async with asyncari.connect(
                args.base_url, args.app, args.user, args.password
            ) as client:
                connected = True
                await run_steps(client, args, rec)
        rec.record("close", {"ok": True})
    except Exception as exc:
        rec.record("close" if connected else "connect", failure(exc))
    rec.emit()


if __name__ == "__main__":
    anyio.run(main)
