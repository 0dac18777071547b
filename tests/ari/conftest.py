"""Fixtures for the ARI layer: a real Core built from Asterisk-syntax texts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ariel.ari.dispatch import Dispatcher
from ariel.config import config_from_texts
from ariel.server import build_core

ARI_CONF = """
[general]
enabled = yes
pretty = yes
allowed_origins = localhost:8088,http://ari.asterisk.org

[asterisk]
type = user
read_only = no
password = whateveryoudodontusethispassword

[viewer]
type = user
read_only = yes
password = viewonly
"""

PJSIP_CONF = """
[transport-udp]
type = transport
protocol = udp
bind = 127.0.0.1:5060

[SOFTPHONE_A]
type = endpoint
context = sets
disallow = all
allow = ulaw
aors = SOFTPHONE_A

[SOFTPHONE_A]
type = aor
contact = sip:SOFTPHONE_A@127.0.0.1:5070
"""

EXTENSIONS_CONF = """
[globals]
CONFORMANCE_GLOBAL = initial

[sets]
exten => 242,1,Noop()
 same => n,Stasis(zarniwoop)
"""


def asterisk_conf(root: Path) -> str:
    return (
        "[directories]\n"
        f"astdbdir => {root / 'db'}\n"
        f"astspooldir => {root / 'spool'}\n"
        f"astlogdir => {root / 'log'}\n"
        f"astdatadir => {root / 'data'}\n"
    )


@pytest.fixture
def dispatcher(tmp_path: Path) -> Iterator[Dispatcher]:
    """A dispatcher over a fresh Core whose files live in ``tmp_path``."""
    config = config_from_texts(
        {
            "asterisk.conf": asterisk_conf(tmp_path),
            "ari.conf": ARI_CONF,
            "pjsip.conf": PJSIP_CONF,
            "extensions.conf": EXTENSIONS_CONF,
        }
    )
    core = build_core(config)
    yield Dispatcher(core, config.ari)
    core.astdb.close()
