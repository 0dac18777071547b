"""Modules: the catalogue of Ariel's components under Asterisk module names."""

from __future__ import annotations

import pytest

from ariel.core.errors import InvalidState, NotFound, OperationFailed
from ariel.core.modules import DEFAULT_MODULES, Modules, ModuleSnapshot, ModuleSpec

CATALOGUE = (
    ModuleSpec(name="res_base.so", description="Base"),
    ModuleSpec(name="res_top.so", description="Top", requires=("res_base.so",), reloadable=True),
    ModuleSpec(name="app_extra.so", description="Extra", autoload=False, requires=("res_base",)),
)


def test_default_catalogue_has_ari_module_with_reference_description() -> None:
    res_ari = Modules().get("res_ari.so")
    assert res_ari.description == "Asterisk RESTful Interface"
    assert res_ari.status == "Running"
    assert res_ari.support_level == "core"
    assert res_ari.use_count > 0


def test_default_catalogue_names_are_unique_and_requirements_known() -> None:
    names = [m.name for m in DEFAULT_MODULES]
    assert len(names) == len(set(names))
    for spec in DEFAULT_MODULES:
        assert spec.name.endswith(".so")
        assert all(r in names for r in spec.requires), spec.name
    assert {"app_echo.so", "chan_pjsip.so", "res_stasis_device_state.so"} <= set(names)


def test_chan_pjsip_cannot_reload_but_res_pjsip_can() -> None:
    modules = Modules()
    with pytest.raises(InvalidState, match=r"^Module does not support reloading$"):
        modules.reload("chan_pjsip.so")
    modules.reload("res_pjsip.so")


def test_list_shows_running_modules_in_catalogue_order() -> None:
    modules = Modules(CATALOGUE)
    assert [m.name for m in modules.list()] == ["res_base.so", "res_top.so"]


def test_use_count_counts_running_dependents() -> None:
    modules = Modules(CATALOGUE)
    assert modules.get("res_base.so").use_count == 1
    modules.load("app_extra.so")
    assert modules.get("res_base.so").use_count == 2


def test_names_match_without_so_and_case_insensitively() -> None:
    modules = Modules(CATALOGUE)
    assert modules.get("RES_BASE").name == "res_base.so"
    assert modules.is_running("res_top")


def test_get_of_unknown_or_unloaded_module_is_not_found() -> None:
    modules = Modules(CATALOGUE)
    for name in ("no_such_module.so", "app_extra.so"):
        with pytest.raises(NotFound, match=r"^Module could not be found in running modules$"):
            modules.get(name)


def test_unload_then_get_is_not_found_and_load_restores() -> None:
    seen: list[ModuleSnapshot] = []
    modules = Modules(CATALOGUE, on_change=seen.append)
    modules.unload("res_top.so")
    assert not modules.is_running("res_top.so")
    with pytest.raises(NotFound):
        modules.get("res_top.so")
    modules.load("res_top.so")
    assert modules.get("res_top.so").status == "Running"
    assert [(s.name, s.status) for s in seen] == [
        ("res_top.so", "Not Running"),
        ("res_top.so", "Running"),
    ]


def test_unload_of_module_in_use_is_refused() -> None:
    with pytest.raises(InvalidState, match=r"^Module could not be unloaded$"):
        Modules(CATALOGUE).unload("res_base.so")


def test_unload_of_unknown_module_is_not_found() -> None:
    with pytest.raises(NotFound, match=r"^Module not found in running modules$"):
        Modules(CATALOGUE).unload("nope.so")


def test_load_of_running_module_is_already_loaded() -> None:
    with pytest.raises(InvalidState, match=r"^Module is already loaded$"):
        Modules(CATALOGUE).load("res_base.so")


def test_load_of_unknown_module_is_declined() -> None:
    with pytest.raises(NotFound, match=r"^Module load declined$"):
        Modules(CATALOGUE).load("nope.so")


def test_load_starts_requirements_first() -> None:
    modules = Modules(CATALOGUE)
    modules.unload("res_top.so")
    modules.unload("res_base.so")
    modules.load("res_top.so")
    assert modules.is_running("res_base.so") and modules.is_running("res_top.so")


def test_reload_calls_hook_with_module_name() -> None:
    calls: list[str] = []
    Modules(CATALOGUE, reload_hook=calls.append).reload("res_top")
    assert calls == ["res_top.so"]


def test_reload_of_unloaded_or_unknown_module_is_not_found() -> None:
    modules = Modules(CATALOGUE)
    for name in ("app_extra.so", "nope.so"):
        with pytest.raises(NotFound, match=r"^Module not found in running modules$"):
            modules.reload(name)


def test_failing_reload_hook_is_operation_failed() -> None:
    def boom(name: str) -> None:
        raise RuntimeError(name)

    with pytest.raises(OperationFailed, match=r"^An unknown error occurred while reloading"):
        Modules(CATALOGUE, reload_hook=boom).reload("res_top.so")
