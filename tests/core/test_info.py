"""SystemInfo: /asterisk/info sections, ping, reload time."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

import ariel
from ariel._util.clock import FixedClock
from ariel.core.info import BuildInfo, SystemInfo, info_sections

START = datetime(2026, 1, 2, 3, 4, 5, 678000, tzinfo=UTC)
EID = "02:42:ac:11:00:02"


def _info(**kwargs: object) -> tuple[SystemInfo, FixedClock]:
    clock = FixedClock(START)
    return SystemInfo(clock, EID, startup_time=START, **kwargs), clock  # type: ignore[arg-type]


def test_system_version_is_the_reference_asterisk_version() -> None:
    info, _ = _info()
    snap = info.snapshot()
    assert snap.system.version == "22.10.1" == ariel.REFERENCE_ASTERISK_VERSION
    assert snap.system.entity_id == EID


def test_build_describes_this_machine_and_ariel() -> None:
    build = BuildInfo.current()
    assert build.os and build.machine
    assert build.options == f"ariel-{ariel.__version__}"
    assert build.date.endswith(" UTC")


def test_config_section_reflects_settings() -> None:
    info, _ = _info(system_name="pbx1", default_language="fr", run_user="ast", run_group="ast")
    config = info.snapshot().config
    assert (config.name, config.default_language) == ("pbx1", "fr")
    assert (config.setid.user, config.setid.group) == ("ast", "ast")
    assert config.max_channels is None and config.max_load is None


def test_status_times_start_equal_and_reload_moves_last_reload() -> None:
    info, clock = _info()
    assert info.snapshot().status.last_reload_time == START
    clock.advance(60)
    info.modules.reload("res_ari.so")
    status = info.snapshot().status
    assert status.startup_time == START
    assert (status.last_reload_time - START).total_seconds() == 60


def test_reload_hook_is_called_through_modules() -> None:
    calls: list[str] = []
    info, _ = _info(reload_hook=calls.append)
    info.modules.reload("pbx_config")
    assert calls == ["pbx_config.so"]


def test_ping_uses_clock_and_entity_id() -> None:
    info, clock = _info()
    clock.advance(5)
    ping = info.ping()
    assert (ping.ping, ping.asterisk_id) == ("pong", EID)
    assert (ping.timestamp - START).total_seconds() == 5


def test_startup_defaults_to_clock_now() -> None:
    clock = FixedClock(START)
    assert SystemInfo(clock, EID).startup_time == START


def test_log_channels_use_given_folder_and_logger(tmp_path: Path) -> None:
    logger = logging.getLogger("ariel.test.info")
    logger.propagate = False
    info, _ = _info(log_dir=tmp_path, logger=logger, log_config={"messages.log": "error"})
    try:
        info.log_channels.add("extra", "error")
        logger.error("boom")
        assert "boom" in (tmp_path / "extra").read_text()
        assert "boom" in (tmp_path / "messages.log").read_text()
    finally:
        info.close()
    assert logger.handlers == []


def test_info_sections_rules() -> None:
    assert info_sections(None) == ("build", "system", "config", "status")
    assert info_sections([]) == ("build", "system", "config", "status")
    assert info_sections(["config", "BUILD"]) == ("build", "config")
    assert info_sections(["nonsense"]) == ()
