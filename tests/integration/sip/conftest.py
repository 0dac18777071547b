"""Fixtures of the SIP call tests: SIPp phones, ARI over HTTP, app event sockets.

Every test here places real SIP calls over loopback UDP into the session's
shared ``ariel_server`` and watches them through ARI. Phones identify as
``SOFTPHONE_A`` (the From user names the pjsip.conf endpoint) and carry a
caller name unique to the test, which is how a test finds its own channel
among anything other tests left behind.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from ari_app_events import AppEvents, Ari
from ariel_process import AriServer
from sipp_phone import PhoneFactory, SippPhone, sipp_path
from websockets.asyncio.client import connect

#: The Stasis application of the test dialplan (extensions 242, 243, 245).
STASIS_APP = "zarniwoop"
#: An application subscribed to every channel, to see calls that never reach Stasis.
OBSERVER_APP = "sip-call-observer"


@pytest.fixture
async def ari(ariel_server: AriServer) -> AsyncIterator[Ari]:
    """ARI over HTTP as the read-write user."""
    async with aiohttp.ClientSession(
        base_url=f"{ariel_server.ari_url}/",
        headers={"Authorization": ariel_server.basic_auth()},
        timeout=aiohttp.ClientTimeout(total=10),
    ) as http:
        yield Ari(http)


@contextlib.asynccontextmanager
async def _app_events(server: AriServer, app: str, **params: str) -> AsyncIterator[AppEvents]:
    query = "&".join(f"{k}={v}" for k, v in {"app": app, **params}.items())
    url = f"ws://127.0.0.1:{server.http_port}/ari/events?{query}&api_key={server.api_key}"
    async with connect(url, open_timeout=10) as ws:
        yield AppEvents(ws, app)


@pytest.fixture
async def stasis(ariel_server: AriServer) -> AsyncIterator[AppEvents]:
    """The event socket of the dialplan's Stasis application, ``zarniwoop``."""
    async with _app_events(ariel_server, STASIS_APP) as events:
        yield events


@pytest.fixture
async def observer(ariel_server: AriServer) -> AsyncIterator[AppEvents]:
    """An application with ``subscribeAll=true``: sees every channel, Stasis or not."""
    async with _app_events(ariel_server, OBSERVER_APP, subscribeAll="true") as events:
        yield events


@pytest.fixture
def caller_name(request: pytest.FixtureRequest) -> str:
    """A caller name (From display name) no other test uses."""
    return f"sip-{request.node.name[5:25]}-{uuid.uuid4().hex[:6]}"


@pytest.fixture
async def phone(
    ariel_server: AriServer, ari: Ari, tmp_path: Path, caller_name: str
) -> AsyncIterator[PhoneFactory]:
    """Makes SIPp phones; on teardown kills them and hangs up their leftover channels.

    ``phone(scenario, dial="242", from_user="SOFTPHONE_A", display=caller_name)``
    returns an unstarted :class:`SippPhone` (``async with`` starts it).
    """
    if sipp_path() is None:
        pytest.skip("sipp is not installed")
    phones: list[SippPhone] = []

    def make(scenario: str, **kwargs: Any) -> SippPhone:
        kwargs.setdefault("display", caller_name)
        workdir = tmp_path / f"phone{len(phones)}"
        workdir.mkdir()
        made = SippPhone(scenario, sip_port=ariel_server.sip_port, workdir=workdir, **kwargs)
        phones.append(made)
        return made

    try:
        yield make
    finally:
        for made in phones:
            await made.stop()
        names = {made.display for made in phones}
        for channel in await ari.channels():
            if channel["caller"]["name"] in names:
                with contextlib.suppress(aiohttp.ClientError):
                    await ari.request("DELETE", f"channels/{channel['id']}")
