"""``bridge show all|<id>`` (main/bridge.c ``handle_bridge_show_*``)."""

from __future__ import annotations

from ariel.console.context import ConsoleContext, SessionState
from ariel.console.fmt import hhmmss
from ariel.console.table import Command, Result

__all__ = ["BRIDGE_COMMANDS"]


async def show_all(ctx: ConsoleContext, args: list[str], _s: SessionState) -> Result:
    now = ctx.core.clock.now()
    lines = [
        f"{'Bridge-ID':<36} {'Name':<36} {'Chans':>5} {'Type':<15} {'Technology':<15} Duration"
    ]
    for bridge in ctx.core.bridges:
        snap = bridge.snapshot()
        lines.append(
            f"{snap.id:<36} {snap.name:<36} {len(snap.channels):>5} {snap.bridge_type:<15} "
            f"{snap.technology:<15} {hhmmss((now - snap.creationtime).total_seconds())}"
        )
    return Result(text="".join(f"{line}\n" for line in lines))


async def show_one(ctx: ConsoleContext, args: list[str], _s: SessionState) -> Result:
    if len(args) != 1:
        return Result(text="Usage: bridge show <bridge-id>\n", status=1)
    if args[0] == "all":
        return await show_all(ctx, [], _s)
    bridge = ctx.core.bridges.get(args[0])
    if bridge is None:
        return Result(text=f"Bridge '{args[0]}' not found\n", status=1)
    snap = bridge.snapshot()
    names = {c.id: c.snapshot().name for c in ctx.core.channels}
    lines = [
        f"Id: {snap.id}",
        f"Type: {snap.bridge_type}",
        f"Technology: {snap.technology}",
        f"Subclass: {snap.bridge_class}",
        f"Creator: {snap.creator}",
        f"Name: {snap.name}",
        f"Video-Mode: {snap.video_mode}",
        f"Video-Source-Id: {snap.video_source_id or ''}",
        f"Num-Channels: {len(snap.channels)}",
        f"Num-Active-Channels: {len(snap.channels)}",
        f"Duration: {hhmmss((ctx.core.clock.now() - snap.creationtime).total_seconds())}",
        *(f"Channel: {names.get(c, c)}" for c in snap.channels),
    ]
    return Result(text="".join(f"{line}\n" for line in lines))


def _complete_bridge(ctx: ConsoleContext, args: list[str]) -> list[str]:
    return ["all", *(b.id for b in ctx.core.bridges)] if not args else []


BRIDGE_COMMANDS = (
    Command(words=("bridge", "show", "all"), handler=show_all, summary="List all bridges"),
    Command(
        words=("bridge", "show"),
        handler=show_one,
        summary="Show information about a bridge",
        complete=_complete_bridge,
    ),
)
