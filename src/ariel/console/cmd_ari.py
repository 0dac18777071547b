"""``ari show apps|app <name>|users|status`` and ``ari set debug`` (res/ari/cli.c)."""

from __future__ import annotations

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
        words=("ari", "set", "debug"),
        handler=set_debug,
        summary="Enable/disable debugging of an ARI application",
        complete=_complete_debug,
    ),
)
