"""ari.conf: ``[general]``, users (``type = user``) and outbound WebSockets.

Every other non-template section must say ``type = user`` or
``type = outbound_websocket``; anything else is an error, as it is for
Asterisk's config framework.  A user without a password is dropped with a
warning, as res_ari does ("missing password; disabling").

An outbound WebSocket names its connection in websocket_client.conf with
``websocket_client_id`` (the section's own name when left out).  The
connection options of the first releases (``uri``, ``connection_type``...
written in the ari.conf section itself) are still read: they make the
section's :attr:`OutboundWebsocket.inline_client`, used when
websocket_client.conf has no client of that id.  Problems only visible once
every section is read (an unknown or crypt-password ``local_ari_user``, an
app served by two connections) are warnings: the reference marks such a
connection invalid and carries on.
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
from ariel.config.parser import ConfFile, Section
from ariel.config.websocket_client import CLIENT_OPTIONS, WebSocketClient, client_from_values

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
    """A ``type = outbound_websocket`` section: ARI served over a client connection.

    Attributes:
        name: The section name.
        websocket_client_id: The websocket_client.conf section to connect with.
        apps: The Stasis applications the connection serves.
        local_ari_user: The ARI user whose rights REST requests on the socket get.
        subscribe_all: Whether the apps receive every event (``subscribeAll``).
        inline_client: Connection options written in this section (legacy form).
        file: Where the section was written.
        line: The section header's line.
    """

    name: str
    websocket_client_id: str = ""
    apps: tuple[str, ...] = ()
    local_ari_user: str = ""
    subscribe_all: bool = False
    inline_client: WebSocketClient | None = None
    file: str = ""
    line: int = 0

    def client(self, clients: Mapping[str, WebSocketClient]) -> WebSocketClient | None:
        """The connection to use: websocket_client.conf's, else the inline one."""
        return clients.get(self.websocket_client_id or self.name, self.inline_client)

    def invalid_fields(
        self,
        connections: Mapping[str, OutboundWebsocket],
        clients: Mapping[str, WebSocketClient],
        users: Mapping[str, AriUser],
    ) -> tuple[str, ...]:
        """What makes this connection unusable, as the reference marks it invalid.

        ``websocket_client_id`` (no such client), ``apps`` (none, or one another
        connection serves) and ``local_ari_user`` (unknown, or a crypt password
        that cannot be sent).
        """
        found: list[str] = []
        if self.client(clients) is None:
            found.append("websocket_client_id")
        others = {app for c in connections.values() if c.name != self.name for app in c.apps}
        if not self.apps or others.intersection(self.apps):
            found.append("apps")
        user = users.get(self.local_ari_user)
        if user is None or user.password_format != "plain":
            found.append("local_ari_user")
        return tuple(found)


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
_OUTBOUND_FIELDS = frozenset(spec.attr for spec in _OUTBOUND.values())
_OUTBOUND_AND_CLIENT = {**CLIENT_OPTIONS, **_OUTBOUND}


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
            outbound[section.name] = _outbound(section, report, where)
    _check_outbound(outbound, users, report)
    model = AriConf(**general, users=users, outbound_websockets=outbound)
    return model, report.diagnostics


def _outbound(section: Section, report: Reporter, where: dict[str, Any]) -> OutboundWebsocket:
    found, _ = read_section(section, _OUTBOUND_AND_CLIENT, report, kind="outbound_websocket")
    own = {k: v for k, v in found.items() if k in _OUTBOUND_FIELDS}
    inline = {k: v for k, v in found.items() if k not in _OUTBOUND_FIELDS}
    client = None
    if inline.get("uri"):
        client = client_from_values(section, section.name, inline, report)
    return OutboundWebsocket(**own, inline_client=client, **where)


def _check_outbound(
    outbound: Mapping[str, OutboundWebsocket], users: Mapping[str, AriUser], report: Reporter
) -> None:
    served: dict[str, str] = {}
    for connection in outbound.values():
        user = users.get(connection.local_ari_user)
        if connection.local_ari_user and user is None:
            report.warning(
                connection,
                f"outbound_websocket [{connection.name}] names unknown ARI user "
                f"'{connection.local_ari_user}'",
            )
        elif user is not None and user.password_format != "plain":
            report.warning(
                connection,
                f"outbound_websocket [{connection.name}]: local_ari_user "
                f"'{user.name}' must have a plain-text password",
            )
        for app in connection.apps:
            if app in served:
                report.warning(
                    connection,
                    f"outbound_websocket [{connection.name}]: app '{app}' is already "
                    f"served by [{served[app]}]",
                )
            else:
                served[app] = connection.name
