"""A call from baresip, a real softphone, answered and hung up over ARI."""

from __future__ import annotations

from pathlib import Path

import pytest
from ari_app_events import AppEvents, Ari
from ariel_process import AriServer
from baresip_phone import BaresipPhone, baresip_path

pytestmark = pytest.mark.timeout(30)


async def test_baresip_call_answered_and_hung_up_over_ari(
    ariel_server: AriServer, stasis: AppEvents, ari: Ari, tmp_path: Path, caller_name: str
) -> None:
    if baresip_path() is None:
        pytest.skip("baresip is not installed")
    uri = f"sip:242@127.0.0.1:{ariel_server.sip_port}"
    channel_id = None
    try:
        async with BaresipPhone(
            workdir=tmp_path, uri=uri, user="SOFTPHONE_B", display=caller_name
        ) as softphone:
            start = await stasis.stasis_start(caller_name)
            channel = start["channel"]
            channel_id = channel["id"]
            assert channel["name"].startswith("PJSIP/SOFTPHONE_B-")
            assert channel["caller"] == {"name": caller_name, "number": "SOFTPHONE_B"}
            assert channel["state"] == "Ring"

            status, _ = await ari.request("POST", f"channels/{channel_id}/answer")
            assert status == 204
            await stasis.channel_event(channel_id, "ChannelStateChange")
            await softphone.wait_output(r"Call established: " + uri)
            await softphone.wait_output(r"audio: Set audio encoder: PCMU 8000Hz")

            status, _ = await ari.request("DELETE", f"channels/{channel_id}")
            assert status == 204
            await stasis.channel_event(channel_id, "ChannelHangupRequest")
            await stasis.channel_event(channel_id, "StasisEnd")
            await softphone.wait_output(r"^BYE sip:SOFTPHONE_B")
            await softphone.wait_output(r"session closed: Connection reset by peer")
        await ari.wait_channel_gone(channel_id)
    finally:
        if channel_id is not None:
            await ari.request("DELETE", f"channels/{channel_id}")
