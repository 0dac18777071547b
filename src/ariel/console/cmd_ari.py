"""``ari show apps|app <name>|users|status|outbound-websockets|outbound-websocket <id>``
and ``ari set debug`` (res/ari/cli.c)."""

from __future__ import annotations

from ariel.config import OutboundWebsocket, ServerConfig
from ariel.console.context import ConsoleContext, SessionState
from ariel.console.fmt import fit
from ariel.console.table import Command, Result
from ariel.core.stasis.apps import AppNotFound

__all__ = ["ARI_COMMANDS"]


def _yes(flag: bool) -> str:
    return "Yes" if flag else "No"


async def show_status(ctx: ConsoleContext, args: list[str], _s: SessionState) -> Result:
    conf = ctx.config.ari
    lines = [
        "ARI Status:",
        f"Enabled: {_yes(conf.enabled)}",
        f"Output format: {'pretty' if conf.pretty else 'compact'}",
        f"Auth realm: {conf.auth_realm}",
        f"Allowed Origins: {','.join(conf.allowed_origins)}",
        f"User count: {len(conf.users)}",
    ]
    return Result(text="".join(f"{line}\n" for line in lines))


async def show_users(ctx: ConsoleContext, args: list[str], _s: SessionState) -> Result:
    lines = ["r/o?  Username", "----  --------"]
    lines += [f"{_yes(u.read_only):<4}  {u.name}" for u in ctx.config.ari.users.values()]
    return Result(text="".join(f"{line}\n" for line in lines))


async def show_apps(ctx: ConsoleContext, args: list[str], _s: SessionState) -> Result:
    lines = ["Application Name         ", "========================="]
    lines += [fit(app.name, 25) for app in ctx.core.apps.all() if app.active]
    return Result(text="".join(f"{line.rstrip()}\n" for line in lines))


async def show_app(ctx: ConsoleContext, args: list[str], _s: SessionState) -> Result:
    if len(args) != 1:
        return Result(text="Usage: ari show app <application>\n", status=1)
    try:
        app = ctx.core.apps.get(args[0])
    except AppNotFound:
        return Result(text=f"Could not find application '{args[0]}'\n", status=1)
    subscriptions = [
        *(f"    Channel: {i}" for i in app.channel_ids),
        *(f"    Bridge: {i}" for i in app.bridge_ids),
        *(f"    Endpoint: {i}" for i in app.endpoint_ids),
        *(f"    Device State: {i}" for i in app.device_names),
    ]
    queued = getattr(app.listener, "queued", None)
    lines = [
        f"Application: {app.name}",
        f"  Registered: {_yes(app.active)}",
        f"  Debug: {_yes(ctx.ari_debug.is_set(app.name))}",
        f"  Subscription Model: {'All' if app.subscribe_all else 'Application/Explicit'}",
        f"  Events queued: {queued if queued is not None else 0}",
        f"  Subscriptions: {len(subscriptions)}",
        *subscriptions,
    ]
    return Result(text="".join(f"{line}\n" for line in lines))


async def set_debug(ctx: ConsoleContext, args: list[str], _s: SessionState) -> Result:
    if len(args) != 2 or args[1].lower() not in ("on", "off"):
        return Result(text="Usage: ari set debug <application|all> <on|off>\n", status=1)
    name, on = args[0], args[1].lower() == "on"
    state = "enabled" if on else "disabled"
    if name.lower() == "all":
        ctx.ari_debug.set(None, on)
        return Result(text=f"Debugging on all applications {state}\n")
    try:
        app = ctx.core.apps.get(name)
    except AppNotFound:
        return Result(text=f"Could not find application '{name}'\n", status=1)
    ctx.ari_debug.set(app.name, on)
    return Result(text=f"Debugging on '{app.name}' {state}\n")


def _invalid(conf: OutboundWebsocket, config: ServerConfig) -> tuple[str, ...]:
    ari = config.ari
    return conf.invalid_fields(ari.outbound_websockets, config.websocket_clients, ari.users)


def _type(conf: OutboundWebsocket, config: ServerConfig) -> str:
    client = conf.client(config.websocket_clients)
    return "unknown" if client is None else client.connection_type


_DASHES = "-" * 70


async def show_outbound_websockets(
    ctx: ConsoleContext, args: list[str], _s: SessionState
) -> Result:
    if args:
        return Result(text="Usage: ari show outbound-websockets\n", status=1)
    config = ctx.config
    lines = [
        f"{'Name':<32} {'Type':<15} {'Apps':<32} {'Status':<7} URI",
        f"{_DASHES[:32]} {_DASHES[:15]} {_DASHES[:32]} {_DASHES[:7]} {_DASHES[:64]}",
    ]
    for conf in config.ari.outbound_websockets.values():
        client = conf.client(config.websocket_clients)
        status = "INVALID" if _invalid(conf, config) else "valid"
        lines.append(
            f"{conf.name:<32} {_type(conf, config):<15} {','.join(conf.apps):<32} "
            f"{status:<7} {client.uri if client is not None else ''}"
        )
    return Result(text="".join(f"{line}\n" for line in lines))


async def show_outbound_websocket(ctx: ConsoleContext, args: list[str], _s: SessionState) -> Result:
    if len(args) != 1:
        return Result(text="Usage: ari show outbound-websocket <connection id>\n", status=1)
    config = ctx.config
    conf = config.ari.outbound_websockets.get(args[0])
    client = None if conf is None else conf.client(config.websocket_clients)
    if conf is None or client is None:
        return Result(text="Error getting ARI configuration\n", status=1)
    bad = _invalid(conf, config)
    rows = [
        ("uri", client.uri),
        ("protocols", ",".join(client.protocols)),
        ("apps", ",".join(conf.apps) + (" (invalid)" if "apps" in bad else "")),
        ("username", client.username),
        ("password", "********" if client.password else ""),
        ("local_ari_user", conf.local_ari_user + (" (invalid)" if "local_ari_user" in bad else "")),
        ("connection_type", client.connection_type),
        ("subscribe_all", _yes(conf.subscribe_all)),
        ("connec_timeout", str(client.connection_timeout)),
        ("reconnect_attempts", str(client.reconnect_attempts)),
        ("reconnect_interval", str(client.reconnect_interval)),
        ("tls_enabled", _yes(client.tls_enabled)),
        ("ca_list_file", client.ca_list_file),
        ("ca_list_path", client.ca_list_path),
        ("cert_file", client.cert_file),
        ("priv_key_file", client.priv_key_file),
        ("verify_server", _yes(client.verify_server_cert)),
        ("verify_server_hostname", _yes(client.verify_server_hostname)),
    ]
    lines = [f"[{conf.name}] {'**INVALID**' if bad else ''}"]
    lines += [f"{name + ' =':<24} {value}" for name, value in rows]
    return Result(text="".join(f"{line}\n" for line in lines) + "\n")


def _complete_outbound(ctx: ConsoleContext, args: list[str]) -> list[str]:
    return list(ctx.config.ari.outbound_websockets) if not args else []


def _complete_app(ctx: ConsoleContext, args: list[str]) -> list[str]:
    return ctx.core.apps.names() if not args else []


def _complete_debug(ctx: ConsoleContext, args: list[str]) -> list[str]:
    if not args:
        return ["all", *ctx.core.apps.names()]
    return ["on", "off"] if len(args) == 1 else []


ARI_COMMANDS = (
    Command(words=("ari", "show", "status"), handler=show_status, summary="Show ARI settings"),
    Command(words=("ari", "show", "users"), handler=show_users, summary="List ARI users"),
    Command(
        words=("ari", "show", "apps"), handler=show_apps, summary="List registered ARI applications"
    ),
    Command(
        words=("ari", "show", "app"),
        handler=show_app,
        summary="Display details of a registered ARI application",
        complete=_complete_app,
    ),
    Command(
        words=("ari", "show", "outbound-websockets"),
        handler=show_outbound_websockets,
        summary="List outbound websocket connections",
    ),
    Command(
        words=("ari", "show", "outbound-websocket"),
        handler=show_outbound_websocket,
        summary="Show outbound websocket connection",
        complete=_complete_outbound,
    ),
    Command(
        words=("ari", "set", "debug"),
        handler=set_debug,
        summary="Enable/disable debugging of an ARI application",
        complete=_complete_debug,
    ),
)
