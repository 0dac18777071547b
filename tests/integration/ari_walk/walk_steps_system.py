"""Walk steps that need no call: asterisk, sounds, device states, mailboxes,
endpoints and applications.

Each step creates what it uses and deletes it last.
"""

from __future__ import annotations

from walk_config import APP, ENDPOINT
from walk_scene import Scene, Step

__all__ = ["SYSTEM_STEPS"]

#: A module without dependents that supports reload (Ariel's MOH).
MODULE = "res_musiconhold.so"
LOG_CHANNEL = "walk-log"


async def asterisk_system(scene: Scene) -> None:
    await scene.ok("asterisk.ping")
    await scene.ok("asterisk.getInfo", params={"only": "build,status"})
    await scene.ok("asterisk.setGlobalVar", params={"variable": "WALK_GLOBAL", "value": "walked"})
    value = await scene.ok("asterisk.getGlobalVar", params={"variable": "WALK_GLOBAL"})
    assert value == {"value": "walked"}, value


async def asterisk_modules(scene: Scene) -> None:
    modules = await scene.ok("asterisk.listModules")
    assert MODULE in [m["name"] for m in modules], modules
    await scene.ok("asterisk.getModule", moduleName=MODULE)
    await scene.ok("asterisk.unloadModule", moduleName=MODULE)
    await scene.ok("asterisk.loadModule", moduleName=MODULE)
    await scene.ok("asterisk.reloadModule", moduleName=MODULE)


async def asterisk_logging(scene: Scene) -> None:
    await scene.ok(
        "asterisk.addLog", params={"configuration": "notice,warning"}, logChannelName=LOG_CHANNEL
    )
    channels = await scene.ok("asterisk.listLogChannels")
    assert any(c["channel"].endswith(LOG_CHANNEL) for c in channels), channels
    await scene.ok("asterisk.rotateLog", logChannelName=LOG_CHANNEL)
    await scene.ok("asterisk.deleteLog", logChannelName=LOG_CHANNEL)


async def asterisk_config(scene: Scene) -> None:
    fields = {"fields": [{"attribute": "max_contacts", "value": "2"}]}
    aor = "walk-aor"
    await scene.ok(
        "asterisk.updateObject", body=fields, configClass="res_pjsip", objectType="aor", id=aor
    )
    tuples = await scene.ok("asterisk.getObject", configClass="res_pjsip", objectType="aor", id=aor)
    assert {"attribute": "max_contacts", "value": "2"} in tuples, tuples
    await scene.ok("asterisk.deleteObject", configClass="res_pjsip", objectType="aor", id=aor)


async def sounds(scene: Scene) -> None:
    found = await scene.ok("sounds.list", params={"lang": "en"})
    assert "tt-monkeys" in [s["id"] for s in found]
    await scene.ok("sounds.get", soundId="tt-monkeys")


async def device_states(scene: Scene) -> None:
    device = "Stasis:walk-device"
    await scene.ok("deviceStates.update", params={"deviceState": "BUSY"}, deviceName=device)
    await scene.ok("deviceStates.list")
    state = await scene.ok("deviceStates.get", deviceName=device)
    assert state == {"name": device, "state": "BUSY"}, state
    await scene.ok("deviceStates.delete", deviceName=device)


async def mailboxes(scene: Scene) -> None:
    box = "walk@default"
    await scene.ok(
        "mailboxes.update", params={"oldMessages": "1", "newMessages": "2"}, mailboxName=box
    )
    await scene.ok("mailboxes.list")
    found = await scene.ok("mailboxes.get", mailboxName=box)
    assert (found["old_messages"], found["new_messages"]) == (1, 2), found
    await scene.ok("mailboxes.delete", mailboxName=box)


async def endpoints(scene: Scene) -> None:
    await scene.ok("endpoints.list")
    await scene.ok("endpoints.listByTech", tech="PJSIP")
    await scene.ok("endpoints.get", tech="PJSIP", resource=ENDPOINT)
    # MESSAGE and REFER go to the AOR contact, a UDP socket the test holds.
    text = {"from": "walk", "body": "walked"}
    await scene.ok("endpoints.sendMessage", params={"to": f"pjsip:{ENDPOINT}", **text})
    await scene.ok(
        "endpoints.sendMessageToEndpoint",
        params=text,
        body={"variables": {"X-Walk": "yes"}},
        tech="PJSIP",
        resource=ENDPOINT,
    )
    refer = {"from": "walk", "refer_to": "sip:300@127.0.0.1"}
    await scene.ok("endpoints.refer", params={"to": f"pjsip:{ENDPOINT}", **refer})
    await scene.ok("endpoints.referToEndpoint", params=refer, tech="PJSIP", resource=ENDPOINT)


async def applications(scene: Scene) -> None:
    apps = await scene.ok("applications.list")
    assert APP in [a["name"] for a in apps], apps
    await scene.ok("applications.get", applicationName=APP)
    source = {"eventSource": f"endpoint:PJSIP/{ENDPOINT}"}
    await scene.ok("applications.subscribe", params=source, applicationName=APP)
    await scene.ok("applications.unsubscribe", params=source, applicationName=APP)
    await scene.ok(
        "applications.filter",
        body={"allowed": [], "disallowed": [{"type": "ChannelDialplan"}]},
        applicationName=APP,
    )
    # Back to no filter, so the rest of the walk sees every event.
    await scene.ok("applications.filter", body={}, applicationName=APP)


SYSTEM_STEPS: tuple[Step, ...] = (
    asterisk_system,
    asterisk_modules,
    asterisk_logging,
    asterisk_config,
    sounds,
    device_states,
    mailboxes,
    endpoints,
    applications,
)
