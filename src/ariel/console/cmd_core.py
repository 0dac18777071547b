"""``core show ...``, ``core set verbose``, ``core stop``: the server as a whole.

Formats follow main/cli.c (``handle_chanlist``, ``handle_showchan``,
``handle_showuptime``) and main/asterisk.c (``handle_show_settings``).
"""

from __future__ import annotations

import platform
import sys
from collections.abc import Iterable
from datetime import datetime

from ariel import REFERENCE_ASTERISK_VERSION, __version__
from ariel.console.context import ConsoleContext, SessionState
from ariel.console.fmt import ess, fit, hhmmss, uptime_text
from ariel.console.table import Command, CommandTable, Result
from ariel.core.objects import HasSnapshot
from ariel.core.snapshots import ChannelSnapshot

__all__ = ["CORE_COMMANDS", "channel_names", "find_channel", "format_channel_list"]

#: ``ast_state2str`` order: the number ``core show channel`` prints after the name.
STATE_NUMBERS = {
    "Down": 0,
    "Rsrvd": 1,
    "OffHook": 2,
    "Dialing": 3,
    "Ring": 4,
    "Ringing": 5,
    "Up": 6,
    "Busy": 7,
    "Dialing Offhook": 8,
    "Pre-ring": 9,
}


def channel_names(ctx: ConsoleContext, _args: list[str] | None = None) -> list[str]:
    """Names of the live channels (argument completion)."""
    return [c.snapshot().name for c in ctx.core.channels]


def find_channel(ctx: ConsoleContext, name: str) -> HasSnapshot[ChannelSnapshot] | None:
    """The live channel called ``name`` (or with that unique id)."""
    for chan in ctx.core.channels:
        snap = chan.snapshot()
        if snap.name.lower() == name.lower() or snap.id == name:
            return chan
    return None


def _bridge_id(chan: object) -> str:
    bridge = getattr(chan, "bridge", None)
    return str(getattr(bridge, "id", "")) if bridge is not None else ""


def _location(snap: ChannelSnapshot) -> str:
    d = snap.dialplan
    if d.context and d.exten:
        return f"{d.exten}@{d.context}:{d.priority}"
    return "(None)"


def _appdata(snap: ChannelSnapshot) -> str:
    d = snap.dialplan
    return f"{d.app_name}({d.app_data})" if d.app_name else "(None)"


def format_channel_list(
    rows: Iterable[tuple[ChannelSnapshot, str]],
    *,
    mode: str,
    now: datetime,
    active_calls: int,
    processed_calls: int,
) -> str:
    """``core show channels [concise|verbose]`` for ``(snapshot, bridge id)`` rows."""
    out: list[str] = []
    rows = list(rows)
    if mode == "verbose":
        out.append(
            f"{fit('Channel', 80)} {fit('Context', 24)} {fit('Extension', 24)} "
            f"{fit('Prio', 4)} {fit('State', 7)} {fit('Application', 12)} "
            f"{fit('Data', 25)} {fit('CallerID', 15)} {fit('Duration', 8, right=True)} "
            f"{fit('Accountcode', 11)} {fit('PeerAccount', 11)} {fit('BridgeID', 20)}"
        )
    elif mode == "":
        out.append(
            f"{fit('Channel', 64)} {fit('Location', 32)} {fit('State', 7)} "
            f"{fit('Application(Data)', 30)}"
        )
    for snap, bridge in rows if mode != "count" else ():
        d = snap.dialplan
        duration = hhmmss((now - snap.creationtime).total_seconds())
        if mode == "concise":
            out.append(
                "!".join(
                    [
                        snap.name,
                        d.context,
                        d.exten,
                        str(d.priority),
                        snap.state,
                        d.app_name or "(None)",
                        d.app_data,
                        snap.caller.number,
                        snap.accountcode,
                        "",
                        "3",
                        duration,
                        bridge,
                        snap.id,
                    ]
                )
            )
        elif mode == "verbose":
            out.append(
                f"{fit(snap.name, 80)} {fit(d.context, 24)} {fit(d.exten, 24)} "
                f"{d.priority:4d} {fit(snap.state, 7)} {fit(d.app_name or '(None)', 12)} "
                f"{fit(d.app_data or '(Empty)', 25)} {fit(snap.caller.number, 15)} "
                f"{fit(duration, 8, right=True)} {fit(snap.accountcode, 11)} {fit('', 11)} "
                f"{fit(bridge, 20)}"
            )
        else:
            out.append(
                f"{fit(snap.name, 64)} {fit(_location(snap), 32)} {fit(snap.state, 7)} "
                f"{fit(_appdata(snap), 30)}"
            )
    if mode != "concise":
        n = len(rows)
        out.append(f"{n} active channel{ess(n)}")
        out.append(f"{active_calls} active call{ess(active_calls)}")
        out.append(f"{processed_calls} call{ess(processed_calls)} processed")
    return "".join(f"{line.rstrip()}\n" for line in out)


async def show_channels(ctx: ConsoleContext, args: list[str], _s: SessionState) -> Result:
    mode = args[0].lower() if args else ""
    if len(args) > 1 or mode not in ("", "concise", "verbose", "count"):
        return _usage("core show channels [concise|verbose|count]")
    calls = ctx.calls()
    rows = [(c.snapshot(), _bridge_id(c)) for c in ctx.core.channels]
    text = format_channel_list(
        rows,
        mode=mode,
        now=ctx.core.clock.now(),
        active_calls=calls.active,
        processed_calls=calls.processed,
    )
    return Result(text=text)


def format_channel(
    snap: ChannelSnapshot, *, bridge: str, now: datetime, variables: dict[str, str]
) -> str:
    """``core show channel <name>``."""
    d = snap.dialplan
    elapsed = max(0, int((now - snap.creationtime).total_seconds()))
    h, m, s = elapsed // 3600, elapsed % 3600 // 60, elapsed % 60

    def na(value: str) -> str:
        return value or "(N/A)"

    lines = [
        " -- General --",
        f"           Name: {snap.name}",
        f"           Type: {snap.name.split('/', 1)[0]}",
        f"       UniqueID: {snap.id}",
        f"       LinkedID: {snap.id}",
        f"      Caller ID: {na(snap.caller.number)}",
        f" Caller ID Name: {na(snap.caller.name)}",
        f"Connected Line ID: {na(snap.connected.number)}",
        f"Connected Line ID Name: {na(snap.connected.name)}",
        f"       Language: {snap.language}",
        f"          State: {snap.state} ({STATE_NUMBERS.get(snap.state, 0)})",
        f"   Elapsed Time: {h}h{m}m{s}s",
        f"      Bridge ID: {bridge or '(Not bridged)'}",
        " --   PBX   --",
        f"        Context: {d.context}",
        f"      Extension: {d.exten}",
        f"       Priority: {d.priority}",
        f"    Application: {d.app_name or '(N/A)'}",
        f"           Data: {d.app_data or '(None)'}",
        "      Variables:",
        *(f"{k}={v}" for k, v in variables.items()),
    ]
    return "".join(f"{line}\n" for line in lines)


async def show_channel(ctx: ConsoleContext, args: list[str], _s: SessionState) -> Result:
    if len(args) != 1:
        return _usage("core show channel <channel>")
    chan = find_channel(ctx, args[0])
    if chan is None:
        return Result(text=f"{args[0]} is not a known channel\n", status=1)
    snap = chan.snapshot()
    variables = getattr(chan, "variables", {})
    text = format_channel(
        snap, bridge=_bridge_id(chan), now=ctx.core.clock.now(), variables=dict(variables)
    )
    return Result(text=text)


async def show_version(_ctx: ConsoleContext, args: list[str], _s: SessionState) -> Result:
    if args:
        return _usage("core show version")
    return Result(
        text=f"Ariel {__version__} (ARI of Asterisk {REFERENCE_ASTERISK_VERSION}) "
        f"running Python {platform.python_version()} on {platform.system()} "
        f"{platform.machine()}\n"
    )


async def show_uptime(ctx: ConsoleContext, args: list[str], _s: SessionState) -> Result:
    if args and args != ["seconds"]:
        return _usage("core show uptime [seconds]")
    info = ctx.core.info
    now = ctx.core.clock.now()
    up = (now - info.startup_time).total_seconds()
    reload = (now - info.last_reload_time).total_seconds()
    if args:
        return Result(text=f"System uptime: {int(up)}\nLast reload: {int(reload)}\n")
    return Result(text=f"System uptime: {uptime_text(up)}\nLast reload: {uptime_text(reload)}\n")


async def show_settings(ctx: ConsoleContext, args: list[str], _s: SessionState) -> Result:
    if args:
        return _usage("core show settings")
    conf = ctx.config
    dirs = conf.asterisk.directories
    opts = conf.asterisk.options
    info = ctx.core.info
    config_dir = conf.config_dir
    rows = [
        ("Version", REFERENCE_ASTERISK_VERSION),
        ("Ariel version", __version__),
        ("Python", sys.version.split()[0]),
        ("Maximum calls", str(opts.maxcalls) if opts.maxcalls else "Not set"),
        ("Maximum open file handles", str(opts.maxfiles) if opts.maxfiles else "Not set"),
        ("Root console verbosity", str(ctx.verbosity.level)),
        ("Current console verbosity", str(ctx.verbosity.level)),
        ("Debug level", str(opts.debug)),
        ("System name", opts.systemname),
        ("Entity ID", ctx.core.entity_id),
        ("Default language", opts.defaultlanguage),
        ("Startup time", info.startup_time.strftime("%H:%M:%S")),
        ("Last reload time", info.last_reload_time.strftime("%H:%M:%S")),
        ("Transmit silence during rec", "Enabled" if opts.transmit_silence else "Disabled"),
    ]
    directories = [
        ("Configuration file", str(config_dir / "asterisk.conf") if config_dir else "<default>"),
        ("Configuration directory", str(config_dir) if config_dir else "<default>"),
        ("Spool directory", str(dirs.astspooldir)),
        ("Log directory", str(dirs.astlogdir)),
        ("Run/Sockets directory", str(dirs.astrundir)),
        ("Control socket", str(ctx.control_socket) if ctx.control_socket else "(none)"),
        ("VarLib directory", str(dirs.astvarlibdir)),
        ("Data directory", str(dirs.astdatadir)),
        ("ASTDB", str(ctx.core.astdb.path or "(memory)")),
    ]
    out = ["", "PBX Core settings", "-----------------"]
    out += [f"  {fit(k + ':', 28)} {v}" for k, v in rows]
    out += ["", "* Directories", "  -------------"]
    out += [f"  {fit(k + ':', 28)} {v}" for k, v in directories]
    return Result(text="".join(f"{line.rstrip()}\n" for line in out))


async def set_verbose(ctx: ConsoleContext, args: list[str], session: SessionState) -> Result:
    words = [a for a in args if a.lower() not in ("atleast", "silent")]
    if len(words) != 1:
        return _usage("core set verbose [atleast] <level> [silent]")
    word = words[0].lower()
    if word == "off":
        level = 0
    elif word.isdigit():
        level = int(word)
    else:
        return _usage("core set verbose [atleast] <level> [silent]")
    old = ctx.verbosity.level
    if "atleast" in (a.lower() for a in args) and level < old:
        level = old
    ctx.verbosity.level = level
    session.verbose = level
    if "silent" in (a.lower() for a in args):
        return Result()
    if level == 0:
        return Result(text="Verbosity is now OFF\n")
    was = "OFF" if old == 0 else str(old)
    return Result(text=f"Verbosity was {was} and is now {level}\n")


async def stop(ctx: ConsoleContext, args: list[str], _s: SessionState) -> Result:
    how = " ".join(args).lower()
    if how == "now":
        ctx.stop(False)
    elif how in ("gracefully", "when convenient"):
        ctx.stop(True)
    else:
        return _usage("core stop {now|gracefully|when convenient}")
    return Result()


def _usage(text: str) -> Result:
    return Result(text=f"Usage: {text}\n", status=1)


def _help_factory(table: CommandTable) -> Command:
    async def show_help(_ctx: ConsoleContext, args: list[str], _s: SessionState) -> Result:
        found = table.matching(args)
        if not found:
            cmd = " ".join(args)
            return Result(text=f"No such command '{cmd}'.\n", status=1)
        text = "".join(f"{fit(c.name, 25, right=True)}  {fit(c.summary, 45)}\n" for c in found)
        return Result(text=text)

    return Command(words=("core", "show", "help"), handler=show_help, summary="Display help list")


def _complete_channel_modes(_ctx: ConsoleContext, args: list[str]) -> list[str]:
    return ["concise", "verbose", "count"] if not args else []


def _complete_stop(_ctx: ConsoleContext, args: list[str]) -> list[str]:
    return ["now", "gracefully"] if not args else []


def _complete_channel(ctx: ConsoleContext, args: list[str]) -> list[str]:
    return channel_names(ctx) if not args else []


CORE_COMMANDS = (
    Command(
        words=("core", "show", "channels"),
        handler=show_channels,
        summary="Display information on channels",
        complete=_complete_channel_modes,
    ),
    Command(
        words=("core", "show", "channel"),
        handler=show_channel,
        summary="Display information on a specific channel",
        complete=_complete_channel,
    ),
    Command(words=("core", "show", "version"), handler=show_version, summary="Display version"),
    Command(words=("core", "show", "uptime"), handler=show_uptime, summary="Show uptime"),
    Command(words=("core", "show", "settings"), handler=show_settings, summary="Show PBX settings"),
    Command(
        words=("core", "set", "verbose"), handler=set_verbose, summary="Set level of verbosity"
    ),
    Command(
        words=("core", "stop"),
        handler=stop,
        summary="Shut down Ariel (now or gracefully)",
        complete=_complete_stop,
    ),
)


def add_help(table: CommandTable) -> None:
    """Register ``core show help`` over ``table``."""
    table.add(_help_factory(table))
