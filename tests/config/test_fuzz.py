"""Arbitrary text never crashes the parser or the model builders."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from ariel.config import ConfigError, config_from_texts
from ariel.config.ari import build_ari_conf
from ariel.config.asterisk import build_asterisk_conf
from ariel.config.diagnostics import Diagnostic
from ariel.config.dialplan import build_dialplan
from ariel.config.http import build_http_conf
from ariel.config.indications import build_indications
from ariel.config.loader import CONFIG_FILES
from ariel.config.moh import build_moh_conf
from ariel.config.parser import parse_conf
from ariel.config.pjsip import build_pjsip_conf
from ariel.config.rtp import build_rtp_conf

BUILDERS = (
    build_asterisk_conf,
    build_http_conf,
    build_ari_conf,
    build_pjsip_conf,
    build_dialplan,
    build_rtp_conf,
    build_moh_conf,
    build_indications,
)
_RENDERED = re.compile(r"[^\n]*:-?\d+: [^\n]*")

_TOKENS = st.sampled_from(
    [
        "[", "]", "(", ")", "(!)", "(+)", "!", "+", "=", "=>", "+=", ";", "\\;", ";--", "--;",
        "#include", "#tryinclude", "#exec", " ", "\t", "\n", ",", "/", "type", "endpoint",
        "aor", "auth", "transport", "identify", "global", "user", "general", "globals",
        "exten", "same", "n", "1", "hint", "s", "include", "allow", "disallow", "all", "ulaw",
        "bind", "127.0.0.1:5060", "yes", "no", "mode", "files", "ring", "440+480/2000", "!",
        "*", "_X.", "Noop()", "Stasis(app,a)", "x", "\r", "\x00", "é",
    ]
)  # fmt: skip
_CONFISH = st.lists(_TOKENS, max_size=60).map("".join)


def _check(diagnostics: tuple[Diagnostic, ...]) -> None:
    for diagnostic in diagnostics:
        rendered = str(diagnostic)
        assert rendered == f"{diagnostic.file}:{diagnostic.line}: {diagnostic.message}"
        assert _RENDERED.fullmatch(rendered), rendered
        assert diagnostic.severity in ("error", "warning")


def _feed(text: str) -> None:
    conf = parse_conf(text, "fuzz.conf")
    _check(conf.diagnostics)
    for build in BUILDERS:
        _, found = build(conf)
        _check(found)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_text_never_crashes_parser_or_builders(text: str) -> None:
    _feed(text)


@settings(max_examples=500, deadline=None)
@given(_CONFISH)
def test_configuration_like_text_never_crashes_parser_or_builders(text: str) -> None:
    _feed(text)


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(CONFIG_FILES), _CONFISH)
def test_loading_any_text_raises_only_config_error(name: str, text: str) -> None:
    try:
        config = config_from_texts({name: text})
    except ConfigError as error:
        assert error.diagnostics
        _check(error.diagnostics)
    else:
        _check(config.warnings)


@settings(max_examples=100, deadline=None)
@given(_CONFISH)
def test_includes_against_a_real_directory_never_crash(text: str) -> None:
    with tempfile.TemporaryDirectory() as directory:
        (Path(directory) / "x").write_text(text)
        conf = parse_conf(text, "fuzz.conf", config_dir=Path(directory))
    _check(conf.diagnostics)
