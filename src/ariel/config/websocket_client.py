"""websocket_client.conf: WebSocket connections Ariel opens to other servers.

Theory of operation: every non-template section must say
``type = websocket_client``.  Each becomes a frozen :class:`WebSocketClient`,
found by name in ``ServerConfig.websocket_clients``.  Two features use them:
ARI outbound WebSockets (ari.conf ``type = outbound_websocket`` names one with
``websocket_client_id``) and externalMedia / ``WebSocket/`` channels.

As in res_websocket_client, ``uri`` (``ws://`` or ``wss://``) and
``connection_type`` (``persistent`` or ``per_call_config``) are required;
timeouts and intervals are milliseconds, keepalive and ping intervals seconds.
A ``wss`` URI implies TLS whatever ``tls_enabled`` says.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlsplit

from ariel.config._options import (
    Spec,
    boolean,
    choice,
    integer,
    listing,
    read_section,
    section_type,
    table,
    text,
)
from ariel.config.diagnostics import Diagnostic, Located, Reporter
from ariel.config.parser import ConfFile, Section

__all__ = [
    "CLIENT_OPTIONS",
    "ConnectionType",
    "WebSocketClient",
    "build_websocket_clients",
    "client_from_values",
]

ConnectionType = Literal["persistent", "per_call_config"]


@dataclass(frozen=True, slots=True, kw_only=True)
class WebSocketClient:
    """One ``type = websocket_client`` section: where and how to connect.

    Attributes:
        name: The section name (the id other files refer to).
        uri: ``ws://host[:port]/path`` or ``wss://...``.
        protocols: WebSocket subprotocols offered (``ari``, ``media``).
        username: HTTP Basic user sent on the upgrade request (``""``: none).
        password: Its password.
        connection_type: ``"persistent"`` (opened at start, kept open) or
            ``"per_call_config"`` (opened for each call).
        connection_timeout: Milliseconds one connection attempt may take.
        reconnect_interval: Milliseconds between (re)connection attempts.
        reconnect_attempts: Attempts before a per-call connection gives up; for
            persistent ones, how many failures between two log messages.
        write_timeout: Milliseconds one write may take.
        tls_enabled: Whether TLS is used (also implied by ``wss``).
        ca_list_file: CA certificates file (``""``: the system's).
        ca_list_path: CA certificates directory.
        cert_file: Client certificate.
        priv_key_file: Client certificate's private key.
        verify_server_cert: Whether the server certificate must be valid.
        verify_server_hostname: Whether it must match the URI's host.
        proxy_host: ``host:port`` of an HTTP CONNECT proxy (``""``: none).
        proxy_username: Proxy user.
        proxy_password: Proxy password.
        enable_tcp_keepalives: Whether TCP keepalives are on.
        tcp_keepalive_time: Idle seconds before the first keepalive.
        tcp_keepalive_interval: Seconds between keepalives.
        tcp_keepalive_probes: Missed keepalives that close the connection.
        enable_pingpongs: Whether WebSocket PINGs are sent.
        pingpong_interval: Seconds between PINGs.
        pingpong_probes: Missed PONGs that close the connection.
        file: Where the section was written.
        line: The section header's line.
    """

    name: str
    uri: str = ""
    protocols: tuple[str, ...] = ()
    username: str = ""
    password: str = ""
    connection_type: ConnectionType = "persistent"
    connection_timeout: int = 500
    reconnect_interval: int = 500
    reconnect_attempts: int = 4
    write_timeout: int = 100
    tls_enabled: bool = False
    ca_list_file: str = ""
    ca_list_path: str = ""
    cert_file: str = ""
    priv_key_file: str = ""
    verify_server_cert: bool = True
    verify_server_hostname: bool = True
    proxy_host: str = ""
    proxy_username: str = ""
    proxy_password: str = ""
    enable_tcp_keepalives: bool = False
    tcp_keepalive_time: int = 20
    tcp_keepalive_interval: int = 20
    tcp_keepalive_probes: int = 3
    enable_pingpongs: bool = False
    pingpong_interval: int = 20
    pingpong_probes: int = 3
    file: str = ""
    line: int = 0

    @property
    def uses_tls(self) -> bool:
        """Whether the connection is made over TLS (``tls_enabled`` or a ``wss`` URI)."""
        return self.tls_enabled or self.uri.lower().startswith("wss:")

    @property
    def per_call(self) -> bool:
        """Whether a connection is opened for each call."""
        return self.connection_type == "per_call_config"


def _uri(value: str) -> str:
    word = value.strip()
    parts = urlsplit(word)
    if parts.scheme.lower() not in ("ws", "wss"):
        raise ValueError(f"{value!r} is not a ws:// or wss:// URI")
    if not parts.hostname:
        raise ValueError(f"{value!r} has no host")
    try:
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        raise ValueError(f"{value!r} has a bad port") from None
    return word


#: Option name to spec, shared with ari.conf's legacy inline options.
CLIENT_OPTIONS: dict[str, Spec] = table(
    {
        "uri": _uri,
        "protocols": listing,
        "username": text,
        "password": text,
        "connection_type": choice("persistent", "per_call_config"),
        "connection_timeout": integer(0),
        "reconnect_interval": integer(0),
        "reconnect_attempts": integer(0),
        "write_timeout": integer(1),
        "tls_enabled": boolean,
        "ca_list_file": text,
        "ca_list_path": text,
        "cert_file": text,
        "priv_key_file": text,
        "verify_server_cert": boolean,
        "verify_server_hostname": boolean,
        "proxy_host": text,
        "proxy_username": text,
        "proxy_password": text,
        "enable_tcp_keepalives": boolean,
        "tcp_keepalive_time": integer(1),
        "tcp_keepalive_interval": integer(1),
        "tcp_keepalive_probes": integer(1),
        "enable_pingpongs": boolean,
        "pingpong_interval": integer(1),
        "pingpong_probes": integer(1),
    }
)


def client_from_values(
    where: Located, name: str, values: Mapping[str, Any], report: Reporter
) -> WebSocketClient | None:
    """Check the required options and build the client (``None`` after an error)."""
    missing = [key for key in ("uri", "connection_type") if not values.get(key)]
    if missing:
        report.error(where, f"websocket_client [{name}] has no '{missing[0]}'")
        return None
    return WebSocketClient(name=name, file=where.file, line=where.line, **values)


def _read(section: Section, report: Reporter) -> WebSocketClient | None:
    before = len(report.errors)
    values, _ = read_section(section, CLIENT_OPTIONS, report, kind="websocket_client")
    if len(report.errors) > before:
        return None
    return client_from_values(section, section.name, values, report)


def build_websocket_clients(
    conf: ConfFile,
) -> tuple[Mapping[str, WebSocketClient], tuple[Diagnostic, ...]]:
    """Build websocket_client.conf from a parsed file.

    Returns:
        The clients by name and what was found wrong (parse diagnostics excluded).
    """
    report = Reporter()
    clients: dict[str, WebSocketClient] = {}
    for section in conf.objects:
        kind = section_type(section, report, ("websocket_client",), "websocket_client.conf")
        if not kind:
            continue
        if section.name in clients:
            report.error(section, f"websocket_client [{section.name}] is defined twice")
            continue
        client = _read(section, report)
        if client is not None:
            clients[section.name] = client
    return clients, report.diagnostics
