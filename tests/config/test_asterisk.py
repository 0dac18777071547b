"""asterisk.conf: directories and options."""

from __future__ import annotations

from pathlib import Path

from ariel.config.asterisk import AsteriskConf, AsteriskDirectories, build_asterisk_conf
from ariel.config.parser import parse_conf


def _build(text: str) -> tuple[AsteriskConf, list[str]]:
    model, found = build_asterisk_conf(parse_conf(text, "asterisk.conf"))
    return model, [str(d) for d in found]


def test_defaults_are_asterisks_compiled_in_values() -> None:
    model = AsteriskConf()
    assert model.directories.astetcdir == Path("/etc/asterisk")
    assert model.directories.astdatadir == Path("/var/lib/asterisk")
    assert model.directories.astspooldir == Path("/var/spool/asterisk")
    assert model.directories.astlogdir == Path("/var/log/asterisk")
    assert model.directories.astmoddir == Path("/usr/lib/asterisk/modules")
    assert model.directories.astagidir == Path("/var/lib/asterisk/agi-bin")
    assert model.directories.astrundir == Path("/var/run/asterisk")
    assert model.directories.astsbindir == Path("/usr/sbin")
    assert model.options.defaultlanguage == "en"
    assert model.options.verbose == 0
    assert model.options.systemname == ""
    assert model.options.entityid == ""


def test_directories_section_sets_paths() -> None:
    model, found = _build("[directories]\nastdatadir => /srv/ariel\nastetcdir = /etc/ariel\n")
    assert found == []
    assert model.directories.astdatadir == Path("/srv/ariel")
    assert model.directories.astetcdir == Path("/etc/ariel")
    assert model.directories.astlogdir == AsteriskDirectories().astlogdir


def test_template_directories_section_is_ignored_as_in_the_sample_file() -> None:
    model, found = _build("[directories](!)\nastdatadir => /elsewhere\n")
    assert found == []
    assert model.directories.astdatadir == Path("/var/lib/asterisk")


def test_options_are_typed() -> None:
    text = (
        "[options]\nverbose = 3\ndebug = 2\ndefaultlanguage = fr\nsystemname = pbx1\n"
        "entityid = 00:11:22:AA:BB:CC\nmaxload = 0.9\ntransmit_silence = yes\n"
    )
    model, found = _build(text)
    assert found == []
    options = model.options
    assert (options.verbose, options.debug, options.defaultlanguage) == (3, 2, "fr")
    assert (options.systemname, options.entityid) == ("pbx1", "00:11:22:aa:bb:cc")
    assert options.maxload == 0.9
    assert options.transmit_silence is True


def test_known_unmodelled_options_are_kept_as_text() -> None:
    model, found = _build("[options]\nnocolor = yes\n")
    assert found == []
    assert model.options.extra == {"nocolor": "yes"}


def test_unknown_option_and_section_are_warnings() -> None:
    _, found = _build("[options]\nfrobnicate = 1\n[weird]\n")
    assert found == [
        "asterisk.conf:2: unknown [options] option 'frobnicate'",
        "asterisk.conf:3: unknown section [weird] in asterisk.conf; ignored",
    ]


def test_bad_values_are_errors() -> None:
    _, found = _build("[options]\nverbose = loud\nentityid = nope\nmaxload = high\n")
    assert found == [
        "asterisk.conf:2: bad value for 'verbose': 'loud' is not a whole number",
        "asterisk.conf:3: bad value for 'entityid': 'nope' is not a MAC address "
        "like 00:11:22:33:44:55",
        "asterisk.conf:4: bad value for 'maxload': 'high' is not a number",
    ]
