from datetime import UTC, datetime

import pytest

from ariel.core.events import CoreEvent, DeviceStateChanged, UserEvent
from ariel.core.stasis import Applications, AppNotFound, EventSourceError

NOW = datetime(2026, 1, 1, tzinfo=UTC)
ENDPOINTS = {"PJSIP", "PJSIP/alice"}


class Recorder:
    def __init__(self) -> None:
        self.got: list[tuple[str, str]] = []

    def deliver(self, app: str, event: CoreEvent) -> None:
        self.got.append((app, event.type))


def exists(scheme: str, ident: str) -> bool:
    return scheme == "deviceState" or (scheme == "endpoint" and ident in ENDPOINTS)


def make() -> Applications:
    return Applications(exists, now=lambda: NOW)


def state_event(name: str = "Stasis:dev") -> DeviceStateChanged:
    return DeviceStateChanged(timestamp=NOW, name=name, state="BUSY")


def test_registered_app_is_listed_and_gettable() -> None:
    apps = make()
    apps.register("a", Recorder(), subscribe_all=False)
    assert apps.names() == ["a"]
    assert apps.get("a").active
    with pytest.raises(AppNotFound):
        apps.get("b")


def test_second_registration_replaces_the_first_listener() -> None:
    apps, old, new = make(), Recorder(), Recorder()
    apps.register("a", old, subscribe_all=False)
    apps.register("a", new, subscribe_all=False)
    assert old.got == [("a", "ApplicationReplaced")]
    apps.unregister("a", old)  # a stale listener cannot release the app
    assert apps.is_registered("a")


def test_app_without_socket_or_subscriptions_disappears() -> None:
    apps, rec = make(), Recorder()
    apps.register("a", rec, subscribe_all=False)
    apps.unregister("a", rec)
    assert apps.names() == []


def test_app_with_subscriptions_outlives_its_socket_until_they_are_dropped() -> None:
    apps, rec = make(), Recorder()
    apps.register("a", rec, subscribe_all=False)
    apps.subscribe("a", ["deviceState:Stasis:dev"])
    apps.unregister("a", rec)
    assert apps.names() == ["a"]
    apps.unsubscribe("a", ["deviceState:Stasis:dev"])
    assert apps.names() == []


def test_subscription_errors_are_named() -> None:
    apps = make()
    apps.register("a", Recorder(), subscribe_all=False)
    with pytest.raises(EventSourceError) as bad_scheme:
        apps.subscribe("a", ["bogus:thing"])
    assert bad_scheme.value.kind == "scheme"
    with pytest.raises(EventSourceError) as missing:
        apps.subscribe("a", ["channel:nope"])
    assert missing.value.kind == "missing"
    with pytest.raises(EventSourceError) as not_subscribed:
        apps.unsubscribe("a", ["endpoint:PJSIP/alice"])
    assert not_subscribed.value.kind == "not_subscribed"


def test_event_reaches_only_subscribed_apps() -> None:
    apps, a, b = make(), Recorder(), Recorder()
    apps.register("a", a, subscribe_all=False)
    apps.register("b", b, subscribe_all=False)
    apps.subscribe("a", ["deviceState:Stasis:dev"])
    apps.publish(state_event())
    assert a.got == [("a", "DeviceStateChanged")]
    assert b.got == []


def test_subscribe_all_receives_everything() -> None:
    apps, rec = make(), Recorder()
    apps.register("all", rec, subscribe_all=True)
    apps.publish(state_event("Stasis:other"))
    assert rec.got == [("all", "DeviceStateChanged")]


def test_one_listener_gets_one_copy_per_interested_app() -> None:
    apps, rec = make(), Recorder()
    apps.register("a", rec, subscribe_all=True)
    apps.register("b", rec, subscribe_all=True)
    apps.publish(state_event())
    assert rec.got == [("a", "DeviceStateChanged"), ("b", "DeviceStateChanged")]


def test_addressed_event_reaches_only_its_app() -> None:
    apps, rec = make(), Recorder()
    apps.register("a", rec, subscribe_all=True)
    apps.register("b", rec, subscribe_all=True)
    apps.publish(UserEvent(timestamp=NOW, eventname="x", application="b"))
    assert rec.got == [("b", "ChannelUserevent")]


def test_disallowed_filter_wins_and_allowed_list_restricts() -> None:
    apps, rec = make(), Recorder()
    apps.register("a", rec, subscribe_all=True)
    apps.set_filter("a", [{"type": "StasisStart"}], [])
    apps.publish(state_event())
    assert rec.got == []
    apps.set_filter("a", [{"type": "DeviceStateChanged"}], [{"type": "DeviceStateChanged"}])
    apps.publish(state_event())
    assert rec.got == []
    apps.set_filter("a", [], [])
    apps.publish(state_event())
    assert rec.got == [("a", "DeviceStateChanged")]


def test_technology_subscription_matches_its_endpoints() -> None:
    app = make()
    app.register("a", Recorder(), subscribe_all=False)
    app.subscribe("a", ["endpoint:PJSIP"])
    assert app.get("a").endpoint_ids == ["PJSIP"]
