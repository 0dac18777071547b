"""GlobalVariables: dialplan globals shared with ARI."""

from __future__ import annotations

from pathlib import Path

import pytest

from ariel.core.astdb import AstDB
from ariel.core.errors import InvalidArgument
from ariel.core.global_vars import GlobalVariables, normalize_name


def test_initial_values_are_readable() -> None:
    gv = GlobalVariables(AstDB(None), {"CONFORMANCE_GLOBAL": "initial"})
    assert gv.get("CONFORMANCE_GLOBAL") == "initial"


def test_unset_variable_reads_as_none_or_empty() -> None:
    gv = GlobalVariables(AstDB(None))
    assert gv.get("CONF_G_UNSET") is None
    assert gv.value("CONF_G_UNSET") == ""


def test_set_then_get() -> None:
    gv = GlobalVariables(AstDB(None))
    gv.set("CONF_G", "g1")
    assert gv.value("CONF_G") == "g1"


def test_set_empty_keeps_empty_value_and_none_unsets() -> None:
    gv = GlobalVariables(AstDB(None))
    gv.set("X", "1")
    gv.set("X", "")
    assert gv.get("X") == ""
    gv.set("X", None)
    assert gv.get("X") is None
    assert gv.unset("X") is False


def test_names_are_case_sensitive() -> None:
    gv = GlobalVariables(AstDB(None))
    gv.set("Foo", "1")
    assert gv.get("FOO") is None


@pytest.mark.parametrize("name", ["_FOO", "__FOO", "GLOBAL(FOO)", "global( FOO )"])
def test_decorated_names_address_the_same_variable(name: str) -> None:
    gv = GlobalVariables(AstDB(None))
    gv.set(name, "v")
    assert gv.get("FOO") == "v"
    assert gv.items() == {"FOO": "v"}


@pytest.mark.parametrize("name", ["", "  ", "_", "__", "GLOBAL()", None])
def test_empty_name_is_required_error(name: str | None) -> None:
    with pytest.raises(InvalidArgument, match=r"^Variable name is required$"):
        normalize_name(name)
    gv = GlobalVariables(AstDB(None))
    with pytest.raises(InvalidArgument):
        gv.set(name or "", "x")


def test_on_change_reports_changes_only() -> None:
    seen: list[tuple[str, str | None]] = []
    gv = GlobalVariables(AstDB(None), on_change=lambda n, v: seen.append((n, v)))
    gv.set("A", "1")
    gv.set("A", "1")
    gv.set("A", "2")
    gv.unset("A")
    assert seen == [("A", "1"), ("A", "2"), ("A", None)]


def test_values_persist_and_config_wins_at_start(tmp_path: Path) -> None:
    path = tmp_path / "astdb.sqlite3"
    db = AstDB(path)
    gv = GlobalVariables(db, {"CONFIGURED": "initial"})
    gv.set("RUNTIME", "kept")
    gv.set("CONFIGURED", "changed at run time")
    db.close()
    with AstDB(path) as again:
        gv2 = GlobalVariables(again, {"CONFIGURED": "initial"})
        assert gv2.get("RUNTIME") == "kept"
        assert gv2.get("CONFIGURED") == "initial"


def test_reload_applies_globals_and_can_clear_others() -> None:
    gv = GlobalVariables(AstDB(None), {"A": "1"})
    gv.set("B", "2")
    gv.reload({"A": "10"})
    assert gv.items() == {"A": "10", "B": "2"}
    gv.reload({"C": "3"}, clear=True)
    assert gv.items() == {"C": "3"}
