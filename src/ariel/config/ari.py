"""ari.conf: ``[general]``, users (``type = user``) and outbound WebSockets.

Every other non-template section must say ``type = user`` or
``type = outbound_websocket``; anything else is an error, as it is for
Asterisk's config framework.  A user without a password is dropped with a
warning, as res_ari does ("missing password; disabling").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

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
from ariel.config.diagnostics import Diagnostic, Reporter
from ariel.config.parser import ConfFile

__all__ = ["AriConf", "AriUser", "OutboundWebsocket", "build_ari_conf"]


@dataclass(frozen=True, slots=True, kw_only=True)
class AriUser:
    """A ``type = user`` section: an account for ARI's HTTP basic auth or api_key.

    Attributes:
        name: The user name (the section name).
        password: Plain text or a crypt(3) hash, per ``password_format``.
        password_format: ``"plain"`` or ``"crypt"``.
        read_only: Whether only GET (and OPTIONS/HEAD) requests are allowed.
        permit: ``permit =`` ACL entries, in order.
        deny: ``deny =`` ACL entries, in order.
        acl: Named ACLs from acl.conf.
        file: Where the section was written.
        line: The section header's line.
    """

    name: str
    password: str = ""
    password_format: Literal["plain", "crypt"] = "plain"
    read_only: bool = False
    permit: tuple[str, ...] = ()
    deny: tuple[str, ...] = ()
    acl: tuple[str, ...] = ()
    file: str = ""
    line: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class OutboundWebsocket:
    """A ``type = outbound_websocket`` section: ARI served over a client connection."""

    name: str
    websocket_client_id: str = ""
    apps: tuple[str, ...] = ()
    local_ari_user: str = ""
    subscribe_all: bool = False
    file: str = ""
    line: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class AriConf:
    """The whole of ari.conf.

    Attributes:
        enabled: Whether ARI is served.
        pretty: Whether JSON responses are indented.
        allowed_origins: CORS origins (``"*"`` allows all).
        auth_realm: The realm in ``WWW-Authenticate``.
        websocket_write_timeout: Milliseconds a WebSocket write may take.
        channelvars: Channel variables included with every channel in events.
        users: The users by name.
        outbound_websockets: The outbound connections by name.
    """

    enabled: bool = True
    pretty: bool = False
    allowed_origins: tuple[str, ...] = ()
    auth_realm: str = "Asterisk REST Interface"
    websocket_write_timeout: int = 100
    channelvars: tuple[str, ...] = ()
    users: Mapping[str, AriUser] = field(default_factory=dict)
    outbound_websockets: Mapping[str, OutboundWebsocket] = field(default_factory=dict)


_GENERAL = table(
    {
        "enabled": boolean,
        "pretty": boolean,
        "allowed_origins": listing,
        "auth_realm": text,
        "websocket_write_timeout": integer(1),
        "channelvars": listing,
    }
)

_USER = table(
    {
        "password": text,
        "password_format": choice("plain", "crypt"),
        "read_only": boolean,
        "permit": Spec("permit", listing, accumulate=True),
        "deny": Spec("deny", listing, accumulate=True),
        "acl": Spec("acl", listing, accumulate=True),
    }
)

_OUTBOUND = table(
    {
        "websocket_client_id": text,
        "apps": listing,
        "local_ari_user": text,
        "subscribe_all": boolean,
    }
)


def build_ari_conf(conf: ConfFile) -> tuple[AriConf, tuple[Diagnostic, ...]]:
    """Build the ari.conf model from a parsed file.

    Returns:
        The model and what was found wrong with it (parse diagnostics excluded).
    """
    report = Reporter()
    general: dict[str, Any] = {}
    users: dict[str, AriUser] = {}
    outbound: dict[str, OutboundWebsocket] = {}
    for section in conf.objects:
        where: dict[str, Any] = {"name": section.name, "file": section.file, "line": section.line}
        if section.is_named("general"):
            found, _ = read_section(section, _GENERAL, report, kind="[general]", skip=())
            general.update(found)
            continue
        kind = section_type(section, report, ("user", "outbound_websocket"), "ari.conf")
        taken = users if kind == "user" else outbound
        if kind and section.name in taken:
            report.error(section, f"{kind} [{section.name}] is defined twice")
            continue
        if kind == "user":
            found, _ = read_section(section, _USER, report, kind="user")
            if not found.get("password"):
                report.warning(section, f"ARI user [{section.name}] has no password; disabled")
                continue
            users[section.name] = AriUser(**found, **where)
        elif kind == "outbound_websocket":
            found, _ = read_section(section, _OUTBOUND, report, kind="outbound_websocket")
            outbound[section.name] = OutboundWebsocket(**found, **where)
    for connection in outbound.values():
        if connection.local_ari_user and connection.local_ari_user not in users:
            report.warning(
                connection,
                f"outbound_websocket [{connection.name}] names unknown ARI user "
                f"'{connection.local_ari_user}'",
            )
    model = AriConf(**general, users=users, outbound_websockets=outbound)
    return model, report.diagnostics
