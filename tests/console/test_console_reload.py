"""Live reload of each module's file: the new model reaches its sink, a broken one never does."""

from __future__ import annotations

from pathlib import Path

import pytest

from ariel.config import AriConf, Dialplan, MohConf, PjsipConf, load_config
from ariel.console import ConsoleContext, ConsoleService, Reloader, SessionState, Verbosity
from ariel.server import build_core

MOH = """\
[default]
mode = files
directory = moh
"""


class _Sinks:
    def __init__(self) -> None:
        self.dialplans: list[Dialplan] = []
        self.pjsip: list[PjsipConf] = []
        self.ari: list[AriConf] = []
        self.moh: list[MohConf] = []
        self.reloads = 0

    def reloaded(self) -> None:
        self.reloads += 1


@pytest.fixture
def conf(tmp_path: Path) -> Path:
    directory = tmp_path / "conf"
    directory.mkdir()
    (directory / "musiconhold.conf").write_text(MOH)
    (directory / "extensions.conf").write_text("[sets]\nexten => 1,1,Answer()\n")
    return directory


def _reloader(conf: Path, sinks: _Sinks) -> Reloader:
    return Reloader(
        conf,
        sinks.dialplans.append,
        sinks.reloaded,
        set_pjsip=sinks.pjsip.append,
        set_ari=sinks.ari.append,
        set_moh=sinks.moh.append,
    )


def test_module_reload_of_res_pjsip_hands_the_new_endpoints_to_its_sink(conf: Path) -> None:
    sinks = _Sinks()
    (conf / "pjsip.conf").write_text("[alice]\ntype = endpoint\ncontext = sets\n")
    outcome = _reloader(conf, sinks).reload_module("res_pjsip.so")
    assert outcome is not None and outcome.ok
    assert outcome.lines == ("Module 'res_pjsip.so' reloaded successfully.",)
    assert list(sinks.pjsip[0].endpoints) == ["alice"]
    assert sinks.reloads == 1 and not sinks.dialplans


def test_a_broken_file_reaches_no_sink_and_is_reported_with_file_and_line(conf: Path) -> None:
    sinks = _Sinks()
    (conf / "ari.conf").write_text("[general]\nenabled = yes\n[broken\n")
    outcome = _reloader(conf, sinks).reload_module("res_ari")
    assert outcome is not None and not outcome.ok
    assert outcome.lines[0].startswith("ari.conf:3: ")
    assert outcome.lines[-1] == "ari.conf reload failed: keeping the ARI configuration in force."
    assert not sinks.ari and sinks.reloads == 0


def test_a_module_without_a_file_is_not_reloaded_here(conf: Path) -> None:
    assert _reloader(conf, _Sinks()).reload_module("res_rtp_asterisk.so") is None


def test_core_reload_reloads_every_file_and_is_silent_on_success(conf: Path) -> None:
    sinks = _Sinks()
    outcome = _reloader(conf, sinks).reload_all()
    assert outcome.ok and outcome.lines == ()
    assert (len(sinks.dialplans), len(sinks.pjsip), len(sinks.ari), len(sinks.moh)) == (1, 1, 1, 1)


def test_core_reload_keeps_going_past_one_broken_file(conf: Path) -> None:
    sinks = _Sinks()
    (conf / "pjsip.conf").write_text("[broken\n")
    outcome = _reloader(conf, sinks).reload_all()
    assert not outcome.ok
    assert outcome.lines[0].startswith("pjsip.conf:1: ")
    assert not sinks.pjsip and len(sinks.dialplans) == len(sinks.ari) == len(sinks.moh) == 1


async def test_module_reload_of_res_musiconhold_makes_a_new_class_usable(
    conf: Path, tmp_path: Path
) -> None:
    (conf / "asterisk.conf").write_text(f"[directories]\nastdbdir => {tmp_path / 'db'}\n")
    config = load_config(conf)
    core = build_core(config)
    try:
        reloader = Reloader(conf, lambda _d: None, set_moh=core.moh.replace_conf)
        service = ConsoleService(
            ConsoleContext(
                core=core,
                config=config,
                verbosity=Verbosity(0),
                reloader=reloader,
                stop=lambda _g: None,
            )
        )
        assert not core.moh.has_class("jazz")
        (conf / "musiconhold.conf").write_text(MOH + "\n[jazz]\nmode = files\ndirectory = j\n")
        result = await service.run("module reload res_musiconhold.so", SessionState())
        assert (result.status, result.text) == (
            0,
            "Module 'res_musiconhold.so' reloaded successfully.\n",
        )
        assert core.moh.has_class("jazz")
    finally:
        core.astdb.close()
