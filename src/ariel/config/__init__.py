"""ariel.config: Asterisk-syntax configuration files -> frozen dataclasses.

Pure: standard library only, no sockets, no event loop.  The usual entry point is
:func:`load_config`; :func:`check_config` lists problems without raising.  Every
diagnostic renders as ``file:line: message``.

Example:
    >>> config = load_config(None)  # the embedded ARI quick start
    >>> config.http.bindaddr, config.http.bindport, sorted(config.ari.users)
    ('127.0.0.1', 8088, ['asterisk'])
"""

from ariel.config.ari import AriConf, AriUser, OutboundWebsocket
from ariel.config.asterisk import AsteriskConf
from ariel.config.diagnostics import ConfigError, Diagnostic
from ariel.config.dialplan import Context, Dialplan, Extension
from ariel.config.http import HttpConf
from ariel.config.indications import IndicationsConf, TonePart, ToneZone, parse_tone
from ariel.config.loader import ServerConfig, check_config, config_from_texts, load_config
from ariel.config.moh import MohClass, MohConf
from ariel.config.parser import ConfFile, Option, Section, parse_conf, parse_file
from ariel.config.pjsip import PjsipConf
from ariel.config.pjsip_objects import Aor, Auth, Endpoint, Identify, Transport
from ariel.config.rtp import RtpConf
from ariel.config.values import parse_bool
from ariel.config.websocket_client import WebSocketClient

__all__ = [
    "Aor",
    "AriConf",
    "AriUser",
    "AsteriskConf",
    "Auth",
    "ConfFile",
    "ConfigError",
    "Context",
    "Diagnostic",
    "Dialplan",
    "Endpoint",
    "Extension",
    "HttpConf",
    "Identify",
    "IndicationsConf",
    "MohClass",
    "MohConf",
    "Option",
    "OutboundWebsocket",
    "PjsipConf",
    "RtpConf",
    "Section",
    "ServerConfig",
    "TonePart",
    "ToneZone",
    "Transport",
    "WebSocketClient",
    "check_config",
    "config_from_texts",
    "load_config",
    "parse_bool",
    "parse_conf",
    "parse_file",
    "parse_tone",
]
