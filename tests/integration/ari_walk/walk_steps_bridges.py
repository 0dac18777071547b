"""Walk steps on events, bridges, and the hang-ups that end the walk.

``events/claim`` takes a call that ``StasisBroadcast`` offers: the
``claimed`` channel is ``Local/up@walk;1`` originated into the dialplan at
``broadcast``. It joins ``main`` in the mixing bridge the bridge step walks.
"""

from __future__ import annotations

from walk_config import APP
from walk_scene import Scene, Step

__all__ = ["BRIDGE_STEPS"]

SOUND = "sound:tt-monkeys"


async def user_event_and_claim(scene: Scene) -> None:
    main = scene.channels["main"]
    await scene.ok(
        "events.userEvent",
        params={"application": APP, "source": f"channel:{main}"},
        body={"variables": {"walked": "yes"}},
        eventName="walk-event",
    )
    await scene.event("ChannelUserevent", "walk-event", channel=main)
    offered = await scene.ok(
        "channels.originate",
        params={"endpoint": "Local/up@walk", "context": "walk", "extension": "broadcast"},
    )
    claimed = offered["id"]
    scene.channels["claimed"] = claimed
    await scene.event("CallBroadcast", "broadcast offer", channel=claimed)
    await scene.ok("events.claimChannel", params={"channelId": claimed, "application": APP})
    await scene.event("StasisStart", "claimed", channel=claimed)


async def bridge_objects(scene: Scene) -> None:
    mixing = await scene.ok("bridges.create", params={"type": "mixing", "name": "walk-mixing"})
    scene.objects["bridge"] = mixing["id"]
    await scene.ok("bridges.createWithId", params={"type": "holding"}, bridgeId="walk-holding")
    scene.objects["holding"] = "walk-holding"
    listed = await scene.ok("bridges.list")
    assert {mixing["id"], "walk-holding"} <= {b["id"] for b in listed}, listed
    await scene.ok("bridges.get", bridgeId=mixing["id"])
    bid = mixing["id"]
    await scene.ok(
        "bridges.setBridgeVar", params={"variable": "WALK_B", "value": "b"}, bridgeId=bid
    )
    await scene.ok("bridges.getBridgeVar", params={"variable": "WALK_B"}, bridgeId=bid)
    await scene.ok(
        "bridges.setBridgeVars",
        body={"variables": {"WALK_C": {"value": "c", "report_events": False}}},
        bridgeId=bid,
    )
    found = await scene.ok(
        "bridges.getBridgeVars", params={"variables": "WALK_B,WALK_C"}, bridgeId=bid
    )
    assert found == {"variables": {"WALK_B": "b", "WALK_C": "c"}}, found


async def bridge_members(scene: Scene) -> None:
    bid = scene.objects["bridge"]
    main, claimed = scene.channels["main"], scene.channels["claimed"]
    for chan in (main, claimed):
        await scene.ok("bridges.addChannel", params={"channel": chan}, bridgeId=bid)
        await scene.event("ChannelEnteredBridge", chan, channel=chan)
    await scene.ok("bridges.setVideoSource", channelId=main, bridgeId=bid)
    await scene.ok("bridges.clearVideoSource", bridgeId=bid)
    await scene.ok("bridges.startMoh", params={"mohClass": "default"}, bridgeId=bid)
    await scene.ok("bridges.stopMoh", bridgeId=bid)


async def _stop_playback(scene: Scene, playback_id: str) -> None:
    await scene.event("PlaybackStarted", playback_id, playback=playback_id)
    await scene.ok("playbacks.stop", playbackId=playback_id)
    await scene.event("PlaybackFinished", playback_id, playback=playback_id)


async def bridge_media(scene: Scene) -> None:
    bid = scene.objects["bridge"]
    played = await scene.ok("bridges.play", params={"media": SOUND}, bridgeId=bid)
    await _stop_playback(scene, played["id"])
    await scene.ok(
        "bridges.playWithId", params={"media": SOUND}, playbackId="walk-bridge-played", bridgeId=bid
    )
    await _stop_playback(scene, "walk-bridge-played")
    name = "walk-bridge-recorded"
    await scene.ok(
        "bridges.record",
        params={"name": name, "format": "wav", "ifExists": "overwrite"},
        bridgeId=bid,
    )
    await scene.event("RecordingStarted", name, recording=name)
    await scene.ok("recordings.stop", recordingName=name)
    await scene.event("RecordingFinished", name, recording=name)


async def bridge_teardown(scene: Scene) -> None:
    bid = scene.objects["bridge"]
    claimed = scene.channels["claimed"]
    await scene.ok("bridges.removeChannel", params={"channel": claimed}, bridgeId=bid)
    await scene.event("ChannelLeftBridge", claimed, channel=claimed)
    await scene.ok("bridges.destroy", bridgeId=bid)
    await scene.ok("bridges.destroy", bridgeId=scene.objects["holding"])


async def hang_up_everything(scene: Scene) -> None:
    """The walk's last step: every channel it made, snoops before what they spy on."""
    order = ("snoop", "whisper", "external", "created", "claimed", "continued", "main")
    for role in order:
        if role in scene.channels:
            # Not scene.ok: one failed hang-up must not keep the others alive.
            await scene.walk.call(
                "channels.hangup", params={"reason": "normal"}, channelId=scene.channels[role]
            )


BRIDGE_STEPS: tuple[Step, ...] = (
    user_event_and_claim,
    bridge_objects,
    bridge_members,
    bridge_media,
    bridge_teardown,
    hang_up_everything,
)
