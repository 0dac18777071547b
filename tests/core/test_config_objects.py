"""ConfigObjects: static (file) and dynamic (astdb) configuration objects."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from ariel.core.astdb import AstDB
from ariel.core.config_objects import ConfigObject, ConfigObjects, ConfigSection
from ariel.core.errors import InvalidArgument, NotFound, NotPermitted

PJSIP: list[ConfigSection] = [
    ("transport", "transport-udp", [("protocol", "udp"), ("bind", "127.0.0.1:5060")]),
    ("endpoint", "SOFTPHONE_A", [("context", "sets"), ("allow", "!all"), ("allow", "ulaw")]),
    ("aor", "SOFTPHONE_A", [("contact", "sip:SOFTPHONE_A@127.0.0.1:5070")]),
    ("auth", "auth-a", [("username", "a")]),
]


@pytest.fixture
def objects() -> ConfigObjects:
    return ConfigObjects({"res_pjsip": PJSIP}, AstDB(None))


def test_static_object_is_readable_with_every_option(objects: ConfigObjects) -> None:
    obj = objects.get("res_pjsip", "endpoint", "SOFTPHONE_A")
    assert obj.fields == (("context", "sets"), ("allow", "!all"), ("allow", "ulaw"))
    assert obj.dynamic is False


@pytest.mark.parametrize(
    ("path", "message"),
    [
        (("BAD", "endpoint", "x"), "configClass 'BAD' not found"),
        (("res_pjsip", "BAD", "x"), "objectType 'BAD' not found"),
        (("res_pjsip", "endpoint", "nobody"), "Object with id 'nobody' not found"),
        (("res_pjsip", "endpoint", ""), "Object with id '' not found"),
    ],
)
def test_get_of_bad_path_is_not_found(
    objects: ConfigObjects, path: tuple[str, str, str], message: str
) -> None:
    with pytest.raises(NotFound) as err:
        objects.get(*path)
    assert err.value.message == message


def test_update_creates_dynamic_object(objects: ConfigObjects) -> None:
    obj = objects.update("res_pjsip", "aor", "alice", [("max_contacts", "1")])
    assert obj == ConfigObject(
        config_class="res_pjsip",
        object_type="aor",
        id="alice",
        fields=(("max_contacts", "1"),),
        dynamic=True,
    )
    assert objects.get("res_pjsip", "aor", "alice") == obj


def test_update_replaces_named_fields_and_keeps_others(objects: ConfigObjects) -> None:
    objects.update("res_pjsip", "aor", "alice", [("max_contacts", "1"), ("qualify_frequency", "0")])
    obj = objects.update("res_pjsip", "aor", "alice", [("qualify_frequency", "5")])
    assert obj.fields == (("max_contacts", "1"), ("qualify_frequency", "5"))


def test_update_of_existing_without_fields_is_invalid(objects: ConfigObjects) -> None:
    objects.update("res_pjsip", "aor", "alice", None)
    with pytest.raises(
        InvalidArgument, match=r"^Fields must be provided to update object 'alice'$"
    ):
        objects.update("res_pjsip", "aor", "alice", None)


def test_bad_field_fails_validation_with_reference_wording(objects: ConfigObjects) -> None:
    with pytest.raises(InvalidArgument, match=r"^Creation of object 'bob' failed field"):
        objects.update("res_pjsip", "aor", "bob", [("bad name", "x")])
    objects.update("res_pjsip", "aor", "bob", [])
    with pytest.raises(InvalidArgument, match=r"^Update of object 'bob' failed field"):
        objects.update("res_pjsip", "aor", "bob", [("", "x")])


def test_validator_can_refuse_fields() -> None:
    def validator(cls: str, kind: str, ident: str, fields: Sequence[tuple[str, str]]) -> str | None:
        return "bad" if ("max_contacts", "lots") in fields else None

    objects = ConfigObjects({"res_pjsip": PJSIP}, AstDB(None), validator=validator)
    with pytest.raises(InvalidArgument):
        objects.update("res_pjsip", "aor", "x", [("max_contacts", "lots")])
    objects.update("res_pjsip", "aor", "x", [("max_contacts", "2")])


def test_non_dynamic_type_cannot_be_created(objects: ConfigObjects) -> None:
    with pytest.raises(NotPermitted, match=r"^Cannot create sorcery objects of type 'auth'$"):
        objects.update("res_pjsip", "auth", "new-auth", [("username", "x")])


def test_static_object_cannot_be_updated_or_deleted(objects: ConfigObjects) -> None:
    with pytest.raises(NotPermitted, match=r"^Cannot update sorcery objects of type 'endpoint'$"):
        objects.update("res_pjsip", "endpoint", "SOFTPHONE_A", [("context", "other")])
    with pytest.raises(NotPermitted, match=r"^Could not delete object with id 'SOFTPHONE_A'$"):
        objects.delete("res_pjsip", "endpoint", "SOFTPHONE_A")


def test_delete_removes_dynamic_object(objects: ConfigObjects) -> None:
    objects.update("res_pjsip", "endpoint", "bob", [("context", "sets")])
    objects.delete("res_pjsip", "endpoint", "bob")
    with pytest.raises(NotFound):
        objects.get("res_pjsip", "endpoint", "bob")
    with pytest.raises(NotFound):
        objects.delete("res_pjsip", "endpoint", "bob")


def test_objects_lists_static_then_dynamic(objects: ConfigObjects) -> None:
    objects.update("res_pjsip", "endpoint", "zed", [("context", "a")])
    objects.update("res_pjsip", "endpoint", "bob", [("context", "b")])
    assert [o.id for o in objects.objects("res_pjsip", "endpoint")] == ["SOFTPHONE_A", "bob", "zed"]


def test_on_change_reports_changes_and_deletes() -> None:
    seen: list[tuple[str, bool]] = []
    objects = ConfigObjects(
        {"res_pjsip": PJSIP}, AstDB(None), on_change=lambda o, d: seen.append((o.id, d))
    )
    objects.update("res_pjsip", "aor", "a", [("max_contacts", "1")])
    objects.delete("res_pjsip", "aor", "a")
    assert seen == [("a", False), ("a", True)]


def test_dynamic_objects_survive_restart(tmp_path: Path) -> None:
    path = tmp_path / "astdb.sqlite3"
    db = AstDB(path)
    ConfigObjects({"res_pjsip": PJSIP}, db).update(
        "res_pjsip", "identify", "id-a", [("match", "1.2.3.4")]
    )
    db.close()
    with AstDB(path) as again:
        obj = ConfigObjects({"res_pjsip": PJSIP}, again).get("res_pjsip", "identify", "id-a")
        assert obj.fields == (("match", "1.2.3.4"),)


def test_set_static_replaces_file_objects_and_adds_types(objects: ConfigObjects) -> None:
    objects.set_static("res_pjsip", [("endpoint", "NEW", [("context", "x")])])
    with pytest.raises(NotFound):
        objects.get("res_pjsip", "endpoint", "SOFTPHONE_A")
    assert objects.get("res_pjsip", "endpoint", "NEW").fields == (("context", "x"),)
    objects.set_static("res_custom", [("widget", "w1", [])])
    assert objects.classes() == ["res_custom", "res_pjsip"]
    assert objects.types("res_custom") == ["widget"]
    assert objects.is_dynamic("res_custom", "widget") is False


def test_plain_section_list_is_res_pjsip_and_db_is_optional() -> None:
    objects = ConfigObjects(PJSIP)
    assert objects.get("res_pjsip", "aor", "SOFTPHONE_A").fields == (
        ("contact", "sip:SOFTPHONE_A@127.0.0.1:5070"),
    )
    objects.update("res_pjsip", "aor", "dyn", [("max_contacts", "1")])
    assert objects.get("res_pjsip", "aor", "dyn").dynamic is True
