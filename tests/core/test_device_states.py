"""DeviceStates: Stasis-controlled device states and the look-up of others."""

from __future__ import annotations

from pathlib import Path

import pytest

from ariel.core.astdb import AstDB
from ariel.core.device_states import STASIS_FAMILY, DeviceStates, DeviceStateSnapshot
from ariel.core.errors import InvalidArgument, NotFound, NotPermitted


@pytest.fixture
def changes() -> list[DeviceStateSnapshot]:
    return []


@pytest.fixture
def states(changes: list[DeviceStateSnapshot]) -> DeviceStates:
    return DeviceStates(AstDB(None), changes.append)


def test_update_then_get_returns_new_state(states: DeviceStates) -> None:
    states.update("Stasis:conf-dev", "BUSY")
    assert states.get("Stasis:conf-dev") == DeviceStateSnapshot(
        name="Stasis:conf-dev", state="BUSY"
    )


def test_get_of_never_set_stasis_device_is_unknown(states: DeviceStates) -> None:
    assert states.get("Stasis:nothing").state == "UNKNOWN"


def test_get_of_unknown_provider_device_is_invalid(states: DeviceStates) -> None:
    assert states.get("Invalid:Test").state == "INVALID"
    assert states.get("PJSIP/alice").state == "INVALID"


def test_state_names_are_case_insensitive_and_stored_canonical(states: DeviceStates) -> None:
    states.update("Stasis:lamp", "ringinuse")
    assert states.get("Stasis:lamp").state == "RINGINUSE"


def test_prefix_matches_case_insensitively(states: DeviceStates) -> None:
    states.update("stasis:lamp", "INUSE")
    assert states.get("Stasis:lamp").state == "INUSE"
    assert states.get("STASIS:lamp") == DeviceStateSnapshot(name="STASIS:lamp", state="INUSE")


@pytest.mark.parametrize("state", ["SLEEPY", "UNKNOWN", "", None])
def test_update_with_unsettable_state_is_unknown_device(
    states: DeviceStates, state: str | None
) -> None:
    states.update("Stasis:lamp", "BUSY")
    with pytest.raises(InvalidArgument, match=r"^Unknown device$"):
        states.update("Stasis:lamp", state)
    assert states.get("Stasis:lamp").state == "BUSY"


def test_update_of_uncontrolled_device_is_not_permitted(states: DeviceStates) -> None:
    with pytest.raises(NotPermitted, match=r"^Uncontrolled device specified$"):
        states.update("Invalid:Test", "NOT_INUSE")


def test_update_with_empty_stasis_name_is_missing(states: DeviceStates) -> None:
    with pytest.raises(NotFound, match=r"^Device name is missing$"):
        states.update("Stasis:", "NOT_INUSE")


def test_delete_forgets_state_and_is_idempotent(states: DeviceStates) -> None:
    states.update("Stasis:lamp", "BUSY")
    states.delete("Stasis:lamp")
    states.delete("Stasis:lamp")
    assert states.get("Stasis:lamp").state == "UNKNOWN"
    assert states.list() == []


def test_delete_checks_name_like_update(states: DeviceStates) -> None:
    with pytest.raises(NotPermitted):
        states.delete("Custom:lamp")
    with pytest.raises(NotFound):
        states.delete("Stasis:")


def test_list_returns_stasis_devices_in_name_order(states: DeviceStates) -> None:
    states.update("Stasis:Test2", "NOT_INUSE")
    states.update("Stasis:Test1", "NOT_INUSE")
    assert states.list() == [
        DeviceStateSnapshot(name="Stasis:Test1", state="NOT_INUSE"),
        DeviceStateSnapshot(name="Stasis:Test2", state="NOT_INUSE"),
    ]


def test_on_change_fires_on_each_real_change(
    states: DeviceStates, changes: list[DeviceStateSnapshot]
) -> None:
    states.update("Stasis:conf-dev", "BUSY")
    states.update("Stasis:conf-dev", "BUSY")
    states.update("Stasis:conf-dev", "NOT_INUSE")
    assert [c.state for c in changes] == ["BUSY", "NOT_INUSE"]


def test_on_change_names_device_with_canonical_prefix(
    states: DeviceStates, changes: list[DeviceStateSnapshot]
) -> None:
    states.update("stasis:lamp", "BUSY")
    assert changes == [DeviceStateSnapshot(name="Stasis:lamp", state="BUSY")]


def test_delete_does_not_fire_on_change(
    states: DeviceStates, changes: list[DeviceStateSnapshot]
) -> None:
    states.update("Stasis:lamp", "BUSY")
    changes.clear()
    states.delete("Stasis:lamp")
    assert changes == []


def test_states_survive_restart(tmp_path: Path) -> None:
    path = tmp_path / "astdb.sqlite3"
    db = AstDB(path)
    DeviceStates(db).update("Stasis:lamp", "ONHOLD")
    db.close()
    with AstDB(path) as again:
        assert DeviceStates(again).get("Stasis:lamp").state == "ONHOLD"
        assert again.get(STASIS_FAMILY, "lamp") == "ONHOLD"


class _Phones:
    def state_of(self, name: str) -> str | None:
        return "NOT_INUSE" if name == "PJSIP/alice" else None


def test_providers_answer_for_their_devices(states: DeviceStates) -> None:
    phones = _Phones()
    states.add_provider(phones)
    states.add_provider(phones)
    assert states.get("PJSIP/alice").state == "NOT_INUSE"
    assert states.get("PJSIP/bob").state == "INVALID"
    assert states.list() == []
    states.remove_provider(phones)
    states.remove_provider(phones)
    assert states.get("PJSIP/alice").state == "INVALID"


def test_provider_cannot_override_stasis_device(states: DeviceStates) -> None:
    class Everything:
        def state_of(self, name: str) -> str | None:
            return "BUSY"

    states.add_provider(Everything())
    assert states.get("Stasis:lamp").state == "UNKNOWN"


def test_publish_records_state_and_notifies_changes(
    states: DeviceStates, changes: list[DeviceStateSnapshot]
) -> None:
    states.publish("PJSIP/alice", "inuse")
    states.publish("PJSIP/alice", "INUSE")
    states.publish("PJSIP/alice", "NOT_INUSE")
    assert states.get("PJSIP/alice").state == "NOT_INUSE"
    assert [(c.name, c.state) for c in changes] == [
        ("PJSIP/alice", "INUSE"),
        ("PJSIP/alice", "NOT_INUSE"),
    ]


def test_publish_refuses_bad_state_and_stasis_devices(states: DeviceStates) -> None:
    with pytest.raises(InvalidArgument):
        states.publish("PJSIP/alice", "SLEEPY")
    with pytest.raises(NotPermitted):
        states.publish("Stasis:lamp", "BUSY")


def test_works_without_on_change() -> None:
    states = DeviceStates(AstDB(None))
    states.update("Stasis:x", "BUSY")
    states.publish("Local/x", "INUSE")
    assert states.get("Local/x").state == "INUSE"
