"""load_config / check_config: directories, the embedded default and the conformance files."""

from __future__ import annotations

from pathlib import Path

import pytest

from ariel.config import ConfigError, ServerConfig, check_config, config_from_texts, load_config
from ariel.config.parser import parse_conf

SEED_EXTENSIONS_AS_PRINTED = """exten => 242,1,Noop()
 same => n,Stasis(zarniwoop)
 same => n,Hangup()
"""


def test_embedded_default_is_the_ari_quick_start() -> None:
    config = load_config(None)
    assert config.config_dir is None
    assert config.warnings == ()
    assert (config.http.enabled, config.http.bindaddr, config.http.bindport) == (
        True,
        "127.0.0.1",
        8088,
    )
    assert (config.ari.enabled, config.ari.pretty) == (True, True)
    user = config.ari.users["asterisk"]
    assert (user.password, user.read_only) == ("whateveryoudodontusethispassword", False)
    pjsip = config.pjsip
    assert pjsip.global_settings.endpoint_identifier_order == ("username", "ip", "anonymous")
    transport = pjsip.transports["transport-udp"]
    assert (transport.protocol, transport.bind_host, transport.bind_port) == (
        "udp",
        "127.0.0.1",
        5060,
    )
    for name in ("SOFTPHONE_A", "SOFTPHONE_B"):
        endpoint = pjsip.endpoints[name]
        assert (endpoint.context, endpoint.codecs, endpoint.dtmf_mode) == (
            "sets",
            ("ulaw",),
            "rfc4733",
        )
        assert (endpoint.direct_media, endpoint.rtp_symmetric, endpoint.aors) == (
            False,
            True,
            (name,),
        )
        assert pjsip.aors[name].contacts == ()
    sets = config.dialplan.contexts["sets"]
    assert [(e.exten, e.priority, e.app, e.app_data) for e in sets.extensions] == [
        ("242", 1, "Noop", ""),
        ("242", 2, "Stasis", "zarniwoop"),
        ("242", 3, "Hangup", ""),
    ]
    assert (config.rtp.rtpstart, config.rtp.rtpend) == (10000, 20000)
    assert config.moh.classes["default"].directory == "moh"
    zone = config.indications.zone()
    assert zone is not None and zone.tone("ring") is not None


def test_embedded_default_files_carry_an_embedded_file_name() -> None:
    endpoint = load_config(None).pjsip.endpoints["SOFTPHONE_A"]
    assert endpoint.file == "<default>/pjsip.conf"


def test_conformance_directory_loads_without_errors(conformance_dir: Path) -> None:
    config = load_config(conformance_dir)
    assert config.warnings == ()
    assert config.config_dir == conformance_dir
    assert (config.http.enabled, config.http.bindaddr, config.http.bindport) == (
        True,
        "127.0.0.1",
        8088,
    )
    ari = config.ari
    assert ari.pretty is True
    assert ari.allowed_origins == ("localhost:8088", "http://ari.asterisk.org")
    assert {n: (u.password, u.read_only) for n, u in ari.users.items()} == {
        "asterisk": ("whateveryoudodontusethispassword", False),
        "viewer": ("viewonly", True),
    }
    pjsip = config.pjsip
    assert set(pjsip.endpoints) == {"SOFTPHONE_A", "SOFTPHONE_B"}
    for name, port in (("SOFTPHONE_A", 5070), ("SOFTPHONE_B", 5072)):
        endpoint = pjsip.endpoints[name]
        assert (endpoint.context, endpoint.codecs, endpoint.transport) == (
            "sets",
            ("ulaw",),
            "transport-udp",
        )
        assert (endpoint.media_address, endpoint.bind_rtp_to_media_address) == ("127.0.0.1", True)
        assert pjsip.aors_of(endpoint)[0].contacts == (f"sip:{name}@127.0.0.1:{port}",)
    assert pjsip.global_settings.endpoint_identifier_order[0] == "username"
    dialplan = config.dialplan
    assert dialplan.globals == {"CONFORMANCE_GLOBAL": "initial"}
    sets = dialplan.contexts["sets"]
    assert {e.exten for e in sets.extensions} == {
        "242",
        "243",
        "244",
        "245",
        "continued",
        "reject",
        "origin",
    }
    stasis_243 = sets.find("243", 2)
    assert stasis_243 is not None and stasis_243.app_data == "zarniwoop,alpha,beta"
    reject = sets.find("reject", 1)
    assert reject is not None and (reject.app, reject.app_data) == ("Hangup", "21")
    assert (config.rtp.rtpstart, config.rtp.rtpend, config.rtp.icesupport) == (10000, 20000, False)
    assert config.moh.classes["default"].resolve_directory(
        config.asterisk.directories.astdatadir
    ) == Path("/var/lib/asterisk/moh")
    assert config.indications.zone("us") is not None
    assert check_config(conformance_dir) == ()


def test_seed_snippets_from_the_book_load(fixtures_dir: Path) -> None:
    config = load_config(fixtures_dir / "seed")
    assert config.warnings == ()
    assert (config.http.enabled, config.http.bindaddr) == (True, "127.0.0.1")
    assert config.ari.pretty is True
    assert config.ari.users["asterisk"].password == "whateveryoudodontusethispassword"
    assert [e.app for e in config.dialplan.contexts["sets"].extensions] == [
        "Noop",
        "Stasis",
        "Hangup",
    ]


def test_seed_swagger_snippets_bind_to_the_lan_and_allow_the_swagger_origin(
    fixtures_dir: Path,
) -> None:
    config = load_config(fixtures_dir / "seed" / "swagger")
    assert config.http.bindaddr == "172.29.1.57"
    assert config.ari.allowed_origins == ("http://ari.asterisk.org",)


def test_book_extension_lines_without_a_context_are_errors() -> None:
    conf = parse_conf(SEED_EXTENSIONS_AS_PRINTED, "extensions.conf")
    assert [str(d) for d in conf.diagnostics] == [
        "extensions.conf:1: line is outside any [section]",
        "extensions.conf:2: line is outside any [section]",
        "extensions.conf:3: line is outside any [section]",
    ]


def test_missing_files_take_defaults_but_http_and_tones_fall_back_to_embedded(
    tmp_path: Path,
) -> None:
    config = load_config(tmp_path)
    assert config.warnings == ()
    assert (config.http.enabled, config.http.bindaddr) == (True, "127.0.0.1")
    assert config.ari.users == {}
    assert config.pjsip.endpoints == {}
    assert config.dialplan.contexts == {}
    assert (config.rtp.rtpstart, config.rtp.rtpend) == (5000, 31000)
    assert config.moh.classes == {}
    assert config.indications.zone("us") is not None


def test_present_http_conf_uses_asterisk_default_of_disabled(tmp_path: Path) -> None:
    (tmp_path / "http.conf").write_text("[general]\nbindport = 9000\n")
    config = load_config(str(tmp_path))
    assert (config.http.enabled, config.http.bindport) == (False, 9000)


def test_all_errors_from_all_files_are_raised_together(tmp_path: Path) -> None:
    (tmp_path / "http.conf").write_text("[general]\nbindport = x\n")
    (tmp_path / "pjsip.conf").write_text("[orphan]\ncontext = x\nfrob = 1\n")
    (tmp_path / "extensions.conf").write_text("exten => 1,1,Noop()\n")
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    assert [str(d) for d in caught.value.diagnostics] == [
        "http.conf:2: bad value for 'bindport': 'x' is not a whole number",
        "pjsip.conf:1: section [orphan] in pjsip.conf has no 'type'",
        "extensions.conf:1: line is outside any [section]",
    ]


def test_check_config_returns_errors_and_warnings_without_raising(tmp_path: Path) -> None:
    (tmp_path / "ari.conf").write_text("[general]\nshiny = yes\n[x]\ntype = user\n")
    (tmp_path / "rtp.conf").write_text("[general]\nrtpstart = lots\n")
    found = check_config(tmp_path)
    assert [(str(d), d.severity) for d in found] == [
        ("ari.conf:2: unknown [general] option 'shiny'", "warning"),
        ("ari.conf:3: ARI user [x] has no password; disabled", "warning"),
        ("rtp.conf:2: bad value for 'rtpstart': 'lots' is not a whole number", "error"),
    ]


def test_warnings_ride_along_on_the_loaded_config(tmp_path: Path) -> None:
    (tmp_path / "http.conf").write_text("[general]\nenabled = yes\nturbo = on\n")
    config = load_config(tmp_path)
    assert [str(d) for d in config.warnings] == ["http.conf:3: unknown [general] option 'turbo'"]


def test_endpoint_context_missing_from_dialplan_is_a_warning(tmp_path: Path) -> None:
    (tmp_path / "pjsip.conf").write_text(
        "[a]\ntype = endpoint\ncontext = nowhere\n[b]\ntype = endpoint\ncontext = stasis-app\n"
    )
    (tmp_path / "extensions.conf").write_text("[sets]\n")
    assert [str(d) for d in check_config(tmp_path)] == [
        "pjsip.conf:1: endpoint [a] uses context 'nowhere', which extensions.conf does not define"
    ]


def test_missing_directory_is_an_error(tmp_path: Path) -> None:
    absent = tmp_path / "absent"
    with pytest.raises(ConfigError) as caught:
        load_config(absent)
    assert [str(d) for d in caught.value.diagnostics] == [
        f"{absent}:0: not a configuration directory"
    ]
    assert check_config(absent) == caught.value.diagnostics


def test_includes_are_read_relative_to_the_config_directory(fixtures_dir: Path) -> None:
    config = load_config(fixtures_dir / "includes")
    assert set(config.pjsip.endpoints) == {"alice", "bob"}
    assert config.pjsip.endpoints["bob"].codecs == ("ulaw", "alaw")
    assert config.pjsip.endpoints["alice"].file == "pjsip.d/phone-alice.conf"
    assert config.pjsip.aors["bob"].contacts == ("sip:bob@127.0.0.1:5080",)


def test_config_from_texts_builds_in_memory_configs() -> None:
    config = config_from_texts({"pjsip.conf": "[e]\ntype = endpoint\nallow = ulaw\n"})
    assert isinstance(config, ServerConfig)
    assert config.pjsip.endpoints["e"].codecs == ("ulaw",)
    assert config.http.enabled is True
    with pytest.raises(ConfigError):
        config_from_texts({"rtp.conf": "[general]\nrtpend = nope\n"})


def test_check_config_of_the_embedded_default_is_clean() -> None:
    assert check_config(None) == ()
