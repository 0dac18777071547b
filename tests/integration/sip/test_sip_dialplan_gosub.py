"""A call runs a Gosub before Stasis, and the ``h`` extension after the phone hangs up.

Extension ``gosub`` answers, calls subroutine ``gosub-sub`` (which sets a
channel variable from its argument, a frame-local one, and returns a value),
then enters ``zarniwoop`` with the return value as its argument. The
application reads the variables over ARI; the phone then hangs up with a BYE,
the channel leaves Stasis and the dialplan run ends, so pbx.c's ``h``
extension runs: an application subscribed to everything sees its
ChannelVarset before ChannelDestroyed, and the verbose log shows its step.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from ari_app_events import AppEvents, Ari, channel_of
from ariel_process import EXTENSIONS_CONF, AriServer, free_port, launch_ariel, write_config
from sipp_phone import PhoneFactory

pytestmark = [pytest.mark.integration, pytest.mark.timeout(30)]

# Appended to the integration dialplan, whose last context is [sets].
GOSUB_EXTENSIONS = """
exten => gosub,1,Answer()
 same => n,Gosub(gosub-sub,s,1(from-gosub))
 same => n,Stasis(zarniwoop,${GOSUB_RETVAL})
 same => n,Hangup()

exten => h,1,Set(H_RAN=${GOSUB_RESULT})

[gosub-sub]
exten => s,1,Set(GOSUB_RESULT=${ARG1})
 same => n,Set(LOCAL(SCRATCH)=gone after Return)
 same => n,Return(ok)
"""


@pytest.fixture(scope="module")
def ariel_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AriServer]:
    """An Ariel whose dialplan has the ``gosub`` extension and an ``h`` extension, at -vvv."""
    root = tmp_path_factory.mktemp("ariel-gosub")
    config_dir = root / "config"
    config_dir.mkdir()
    http_port = free_port()
    sip_port = free_port(socket.SOCK_DGRAM)
    write_config(config_dir, http_port=http_port, sip_port=sip_port)
    (config_dir / "extensions.conf").write_text(EXTENSIONS_CONF + GOSUB_EXTENSIONS)
    with launch_ariel(
        root, config_dir, http_port=http_port, sip_port=sip_port, extra_args=["-vvv"]
    ) as server:
        yield server


async def _variable(ari: Ari, channel_id: str, name: str) -> tuple[int, object]:
    return await ari.request("GET", f"channels/{channel_id}/variable", params={"variable": name})


async def test_gosub_sets_a_variable_before_stasis_and_h_runs_after_the_phone_hangs_up(
    ariel_server: AriServer,
    stasis: AppEvents,
    observer: AppEvents,
    ari: Ari,
    phone: PhoneFactory,
    caller_name: str,
) -> None:
    async with phone("answered_then_phone_hangs_up.xml", dial="gosub") as sipp:
        start = await stasis.stasis_start(caller_name)
        channel_id = start["channel"]["id"]
        assert start["args"] == ["ok"]
        assert await _variable(ari, channel_id, "GOSUB_RESULT") == (200, {"value": "from-gosub"})
        assert await _variable(ari, channel_id, "GOSUB_RETVAL") == (200, {"value": "ok"})
        status, _ = await _variable(ari, channel_id, "SCRATCH")
        assert status == 404  # LOCAL() went with the frame

        await sipp.wait_status(200)
        sipp.press()  # the phone hangs up
        assert await sipp.finish() == 0, sipp.report()

    await stasis.channel_event(channel_id, "StasisEnd")
    varset = await observer.wait_for(
        lambda e: (
            e["type"] == "ChannelVarset"
            and channel_of(e) == channel_id
            and e["variable"] == "H_RAN"
        ),
        "ChannelVarset H_RAN from the h extension",
    )
    assert varset["value"] == "from-gosub"
    assert varset["channel"]["dialplan"]["exten"] == "h"
    await observer.channel_event(channel_id, "ChannelDestroyed")
    await ari.wait_channel_gone(channel_id)

    log = ariel_server.stderr_text()
    assert f"channel={channel_id}" in log
    assert "Executing [h@sets:1] Set(" in log, log[-3000:]
    assert "Executing [s@gosub-sub:3] Return(" in log, log[-3000:]
