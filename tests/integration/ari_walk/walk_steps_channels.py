"""Walk steps on channels: originate, control, variables, playbacks,
recordings, snoop, external media and the SIP-only operations.

The ``main`` channel is ``Local/up@walk;1`` originated into the ``walk``
app: the far half answers, so it is an Up channel in Stasis, and stays until
the last step hangs it up. The operations only a SIP channel can serve
(``redirect``, ``ring``, ``rtp_statistics``, ``transfer_progress``) and a
real ``answer`` use SIPp phones calling extension ``stasis``.
"""

from __future__ import annotations

from collections.abc import Callable

from ari_app_events import Event
from walk_config import APP, ENDPOINT, OTHER_APP
from walk_scene import Scene, Step

__all__ = ["CHANNEL_STEPS"]

LOCAL_UP = "Local/up@walk"
SOUND = "sound:tt-monkeys"


def _up(channel_id: str) -> Callable[[Event], bool]:
    def matches(event: Event) -> bool:
        channel = event.get("channel") or {}
        return (
            event.get("type") == "ChannelStateChange"
            and channel.get("id") == channel_id
            and channel.get("state") == "Up"
        )

    return matches


async def originate(scene: Scene) -> None:
    main = await scene.ok(
        "channels.originate", params={"endpoint": LOCAL_UP, "app": APP, "appArgs": "main"}
    )
    scene.channels["main"] = main["id"]
    await scene.event("StasisStart", "main", channel=main["id"])
    continued = await scene.ok(
        "channels.originateWithId",
        params={"endpoint": LOCAL_UP, "app": APP},
        channelId="walk-continued",
    )
    scene.channels["continued"] = continued["id"]
    await scene.event("StasisStart", "continued", channel=continued["id"])
    created = await scene.ok(
        "channels.create", params={"endpoint": LOCAL_UP, "app": APP, "channelId": "walk-created"}
    )
    scene.channels["created"] = created["id"]
    await scene.event("StasisStart", "created", channel=created["id"])
    await scene.ok("channels.dial", params={"timeout": "10"}, channelId=created["id"])
    await scene.events.wait_for(_up(created["id"]), "the dialled channel Up")
    listed = await scene.ok("channels.list")
    assert {main["id"], created["id"]} <= {c["id"] for c in listed}, listed
    await scene.ok("channels.get", channelId=main["id"])


async def controls(scene: Scene) -> None:
    main = scene.channels["main"]
    await scene.ok("channels.sendDTMF", params={"dtmf": "1", "duration": "100"}, channelId=main)
    await scene.ok("channels.mute", params={"direction": "both"}, channelId=main)
    await scene.ok("channels.unmute", params={"direction": "both"}, channelId=main)
    await scene.ok("channels.hold", channelId=main)
    await scene.ok("channels.unhold", channelId=main)
    await scene.ok("channels.startMoh", channelId=main)
    await scene.ok("channels.stopMoh", channelId=main)
    await scene.ok("channels.startSilence", channelId=main)
    await scene.ok("channels.stopSilence", channelId=main)


async def variables(scene: Scene) -> None:
    main = scene.channels["main"]
    await scene.ok(
        "channels.setChannelVar", params={"variable": "WALK_ONE", "value": "1"}, channelId=main
    )
    one = await scene.ok("channels.getChannelVar", params={"variable": "WALK_ONE"}, channelId=main)
    assert one == {"value": "1"}, one
    # A bulk value is bare or {value, report_events}.
    bulk = {"variables": {"WALK_TWO": {"value": "2", "report_events": False}}}
    await scene.ok("channels.setChannelVars", body=bulk, channelId=main)
    both = await scene.ok(
        "channels.getChannelVars", params={"variables": "WALK_ONE,WALK_TWO"}, channelId=main
    )
    assert both == {"variables": {"WALK_ONE": "1", "WALK_TWO": "2"}}, both


async def _play_and_stop(scene: Scene, playback_id: str) -> None:
    await scene.event("PlaybackStarted", playback_id, playback=playback_id)
    await scene.ok("playbacks.get", playbackId=playback_id)
    await scene.ok("playbacks.control", params={"operation": "pause"}, playbackId=playback_id)
    await scene.ok("playbacks.control", params={"operation": "unpause"}, playbackId=playback_id)
    await scene.ok("playbacks.stop", playbackId=playback_id)
    await scene.event("PlaybackFinished", playback_id, playback=playback_id)


async def channel_playback(scene: Scene) -> None:
    main = scene.channels["main"]
    played = await scene.ok("channels.play", params={"media": SOUND}, channelId=main)
    await _play_and_stop(scene, played["id"])
    await scene.ok(
        "channels.playWithId", params={"media": SOUND}, channelId=main, playbackId="walk-played"
    )
    await _play_and_stop(scene, "walk-played")


async def channel_recording(scene: Scene) -> None:
    main = scene.channels["main"]
    name = "walk-recorded"
    options = {"format": "wav", "maxDurationSeconds": "30", "ifExists": "overwrite"}
    await scene.ok("channels.record", params={"name": name, **options}, channelId=main)
    await scene.event("RecordingStarted", name, recording=name)
    await scene.ok("recordings.getLive", recordingName=name)
    await scene.ok("recordings.pause", recordingName=name)
    await scene.ok("recordings.unpause", recordingName=name)
    await scene.ok("recordings.mute", recordingName=name)
    await scene.ok("recordings.unmute", recordingName=name)
    await scene.ok("recordings.stop", recordingName=name)
    await scene.event("RecordingFinished", name, recording=name)
    scene.objects["stored"] = name
    cancelled = "walk-cancelled"
    await scene.ok("channels.record", params={"name": cancelled, **options}, channelId=main)
    await scene.event("RecordingStarted", cancelled, recording=cancelled)
    await scene.ok("recordings.cancel", recordingName=cancelled)
    await scene.events.wait_for(
        lambda e: (
            e["type"] in ("RecordingFinished", "RecordingFailed")
            and e["recording"]["name"] == cancelled
        ),
        "the cancelled recording's end",
    )


async def stored_recordings(scene: Scene) -> None:
    name = scene.objects["stored"]
    stored = await scene.ok("recordings.listStored")
    assert name in [r["name"] for r in stored], stored
    await scene.ok("recordings.getStored", recordingName=name)
    await scene.ok("recordings.getStoredFile", recordingName=name)
    copy = f"{name}-copy"
    await scene.ok(
        "recordings.copyStored", params={"destinationRecordingName": copy}, recordingName=name
    )
    await scene.ok("recordings.deleteStored", recordingName=copy)
    await scene.ok("recordings.deleteStored", recordingName=name)


async def snoop_and_external_media(scene: Scene) -> None:
    main = scene.channels["main"]
    spy = await scene.ok(
        "channels.snoopChannel", params={"spy": "both", "app": APP}, channelId=main
    )
    scene.channels["snoop"] = spy["id"]
    await scene.event("StasisStart", "snoop", channel=spy["id"])
    whisper = await scene.ok(
        "channels.snoopChannelWithId",
        params={"whisper": "out", "app": APP},
        channelId=main,
        snoopId="walk-snoop",
    )
    scene.channels["whisper"] = whisper["id"]
    await scene.event("StasisStart", "whisper", channel=whisper["id"])
    # The RTP goes to the contact socket, which reads nothing.
    external = await scene.ok(
        "channels.externalMedia",
        params={
            "app": APP,
            "external_host": f"127.0.0.1:{scene.contact_port}",
            "format": "ulaw",
            "channelId": "walk-external",
        },
    )
    scene.channels["external"] = external["id"]
    await scene.event("StasisStart", "external", channel=external["id"])


async def sip_ringing_then_redirect(scene: Scene) -> None:
    async with scene.phone("redirected.xml", display="walk-redirected") as phone:
        start = await scene.events.stasis_start("walk-redirected")
        chan = start["channel"]["id"]
        await scene.ok("channels.ring", channelId=chan)
        await scene.ok("channels.ringStop", channelId=chan)
        await scene.ok("channels.progress", channelId=chan)
        await scene.ok(
            "channels.redirect", params={"endpoint": f"PJSIP/{ENDPOINT}"}, channelId=chan
        )
        await phone.wait_status(302)
        assert await phone.finish() == 0, phone.report()


async def sip_answer_then_transfer(scene: Scene) -> None:
    async with scene.phone("refer_after_answer.xml", display="walk-transfer") as phone:
        start = await scene.events.stasis_start("walk-transfer")
        chan = start["channel"]["id"]
        await scene.ok("channels.answer", channelId=chan)
        await phone.wait_status(200)
        await scene.event("ChannelTransfer", "the phone's REFER")
        await scene.ok("channels.rtpstatistics", channelId=chan)
        for state in ("channel_progress", "channel_answered"):
            await scene.ok("channels.transfer_progress", params={"states": state}, channelId=chan)
        assert await phone.finish() == 0, phone.report()


async def move_and_continue(scene: Scene) -> None:
    created = scene.channels["created"]
    await scene.ok("channels.move", params={"app": OTHER_APP}, channelId=created)
    await scene.event("StasisStart", "moved", channel=created, application=OTHER_APP)
    continued = scene.channels["continued"]
    await scene.ok(
        "channels.continueInDialplan",
        params={"context": "walk", "extension": "parked", "priority": "1"},
        channelId=continued,
    )
    await scene.event("StasisEnd", "continued", channel=continued)
    # Originated with app=, it keeps its subscription: the app sees the dialplan run.
    await scene.events.wait_for(
        lambda e: (
            e["type"] == "ChannelDialplan"
            and e["channel"]["id"] == continued
            and e["channel"]["dialplan"]["exten"] == "parked"
        ),
        "the continued channel in the dialplan",
    )


CHANNEL_STEPS: tuple[Step, ...] = (
    originate,
    controls,
    variables,
    channel_playback,
    channel_recording,
    stored_recordings,
    snoop_and_external_media,
    sip_ringing_then_redirect,
    sip_answer_then_transfer,
    move_and_continue,
)
