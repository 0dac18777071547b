"""Probe: the PyPI ``ari-client`` (asyncio, httpx, pydantic, websockets) against an ARI server.

This client has hand-written pydantic models instead of loading the Swagger
docs, so the probe fetches ``/ari/api-docs/*`` with the client's own httpx
session (Basic auth) to check that the docs are served to it too.

Run with the interpreter of the ari-client virtual environment::

    python ari_client_probe.py --base-url http://127.0.0.1:8088 --user U --password P
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any
from urllib.parse import urlsplit

from _probe import MISSING_CHANNEL, USER_EVENT, Recorder, failure, parse_args
from ari_client import AriClient, AriError


async def main() -> None:
    args = parse_args()
    logging.getLogger().setLevel(logging.WARNING)
    rec = Recorder("ari-client", "ari-client")
    url = urlsplit(args.base_url)
    client = AriClient(url.hostname or "127.0.0.1", url.port or 8088, args.user, args.password)
    received: asyncio.Queue[Any] = asyncio.Queue()

    async def on_user_event(event: Any) -> None:
        received.put_nowait(event)

    client.on_channel_userevent(on_user_event)

    async def timed(coro: Any) -> Any:
        return await asyncio.wait_for(coro, args.timeout)

    try:
        # connect() builds the httpx client and opens the event socket at once.
        await timed(client.connect(args.app))
    except Exception as exc:
        rec.record("connect", failure(exc))
        rec.emit()
        return
    try:
        ari = client.ari

        async def load_docs() -> dict[str, Any]:
            listing = (await ari.client.get("/api-docs/resources.json")).raise_for_status()
            names = []
            operations = 0
            for api in listing.json()["apis"]:
                name = api["path"].rsplit("/", 1)[-1].split(".", 1)[0]
                decl = (await ari.client.get(f"/api-docs/{name}.json")).raise_for_status()
                operations += sum(len(a["operations"]) for a in decl.json()["apis"])
                names.append(name)
            return {"resources": sorted(names), "operations": operations}

        outcome = await rec.step("connect", lambda: timed(load_docs()))
        if outcome["ok"]:
            outcome.update(outcome.pop("value"))
        rec.record("websocket", {"ok": client.ws is not None, "value": client.ws is not None})

        await rec.step("asterisk.getInfo", lambda: timed(ari.get_asterisk_info()))
        await rec.step("asterisk.ping", lambda: timed(ari.ping()))
        await rec.step("channels.list", lambda: timed(ari.list_channels()))
        await rec.step("applications.list", lambda: timed(ari.list_applications()))
        await rec.step("applications.get", lambda: timed(ari.get_application(args.app)))
        await rec.step("deviceStates.list", lambda: timed(ari.list_device_states()))
        await rec.step("endpoints.list", lambda: timed(ari.list_endpoints()))
        await rec.step("sounds.list", lambda: timed(ari.list_sounds()))

        try:
            await timed(ari.get_channel(MISSING_CHANNEL))
        except AriError as exc:
            outcome = failure(exc)
            outcome.update(ok=True, status=exc.status_code, body=exc.body)
            rec.record("channels.get missing", outcome)
        except Exception as exc:
            rec.record("channels.get missing", failure(exc))
        else:
            rec.record("channels.get missing", {"ok": False, "error": "no error raised"})

        async def user_event() -> Any:
            await ari.send_user_event(USER_EVENT, application=args.app)
            return await received.get()

        await rec.step("events.userEvent", lambda: timed(user_event()))

        await timed(client.disconnect())
        await ari.client.aclose()
        rec.record("close", {"ok": True})
    except Exception as exc:
        rec.record("unexpected", failure(exc))
    rec.emit()


if __name__ == "__main__":
    asyncio.run(main())
