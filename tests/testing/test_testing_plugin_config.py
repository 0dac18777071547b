"""Overriding the plugin's ``ariel_config`` and ``ariel_app`` fixtures in a test module."""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from ariel.client import AriClient
from ariel.client.models import StasisStart

pytestmark = [pytest.mark.timeout(20)]


@pytest.fixture
def ariel_config() -> Mapping[str, str]:
    return {"extensions.conf": ("[sets]\nexten => 242,1,Stasis(greeter,hi)\n same => n,Hangup()\n")}


@pytest.fixture
def ariel_app() -> str:
    return "greeter"


async def test_the_overridden_dialplan_sends_calls_to_the_overridden_app(
    ari_client: AriClient,
) -> None:
    starts = ari_client.event_stream(StasisStart)
    ringing = await ari_client.channels.originate(endpoint="Local/242@sets", app="greeter")
    start = await starts.next(timeout=5)
    assert start.channel.name.endswith(";2") and start.args == ("hi",)
    await ari_client.channels.hangup(ringing.id)
