"""Every ARI operation of the registry, walked with a valid request against a real Ariel.

Issue #5: "nothing in the registry is marked not-implemented; a test walks
every operation and checks that each answers with one of its documented
codes for a valid request". The walk creates what it uses before using it
(channels over Local and SIPp, bridges, playbacks, recordings, device
states, mailboxes, log channels, configuration objects) and deletes it last.
Each request must get its operation's success code (``ari_walker``), and the
set of operations walked must equal the registry's, so an operation added to
``ariel.arispec`` without a walk step fails here.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import aiohttp
import pytest
from ari_app_events import AppEvents
from ari_walker import OPERATIONS, Walker
from sipp_phone import sipp_path
from walk_config import APP, OTHER_APP, WalkServer
from walk_scene import Scene, run_steps
from walk_steps_bridges import BRIDGE_STEPS
from walk_steps_channels import CHANNEL_STEPS
from walk_steps_system import SYSTEM_STEPS
from websockets.asyncio.client import connect

pytestmark = [pytest.mark.integration, pytest.mark.timeout(120)]

STEPS = (*SYSTEM_STEPS, *CHANNEL_STEPS, *BRIDGE_STEPS)


def test_no_operation_is_pending() -> None:
    pending = sorted(op.id for op in OPERATIONS.values() if not op.available)
    assert pending == []


async def test_every_operation_answers_its_success_code_to_a_valid_request(
    walk_server: WalkServer, tmp_path: Path
) -> None:
    if sipp_path() is None:
        pytest.skip("sipp is not installed")
    server = walk_server.server
    url = (
        f"ws://127.0.0.1:{server.http_port}/ari/events"
        f"?app={APP},{OTHER_APP}&api_key={server.api_key}"
    )
    async with (
        aiohttp.ClientSession(
            base_url=f"{server.ari_url}/",
            headers={"Authorization": server.basic_auth()},
            timeout=aiohttp.ClientTimeout(total=10),
        ) as http,
        connect(url, open_timeout=10, max_queue=None) as ws,
    ):
        walk = Walker(http)
        assert ws.response is not None
        walk.record("events.eventWebsocket", "events", ws.response.status_code)
        scene = Scene(
            walk=walk,
            events=AppEvents(ws, APP),
            server=server,
            contact_port=walk_server.contact.getsockname()[1],
            workdir=tmp_path,
        )
        try:
            stopped = await run_steps(scene, STEPS)
        finally:
            for phone in scene.phones:
                with contextlib.suppress(ProcessLookupError):
                    await phone.stop()
    report = walk.problems() + stopped
    assert not report, "the walk went wrong:\n" + "\n".join(report)
    assert walk.missing() == [], "operations with no walk step"
