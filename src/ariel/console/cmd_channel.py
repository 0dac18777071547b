"""``channel request hangup <name>|all`` (main/cli.c ``handle_softhangup``)."""

from __future__ import annotations

from ariel.console.cmd_core import channel_names, find_channel
from ariel.console.context import ConsoleContext, SessionState
from ariel.console.table import Command, Result
from ariel.core.channels.channel import SOFTHANGUP_EXPLICIT, Channel
from ariel.core.channels.state import Cause

__all__ = ["CHANNEL_COMMANDS"]


def _hangup(chan: object) -> None:
    if isinstance(chan, Channel):
        chan.request_hangup(cause=Cause.NORMAL_CLEARING, soft=SOFTHANGUP_EXPLICIT)


async def request_hangup(ctx: ConsoleContext, args: list[str], _s: SessionState) -> Result:
    if len(args) != 1:
        return Result(text="Usage: channel request hangup <channel>|<all>\n", status=1)
    if args[0].lower() == "all":
        lines = []
        for chan in ctx.core.channels:
            lines.append(f"Requested Hangup on channel '{chan.snapshot().name}'")
            _hangup(chan)
        return Result(text="".join(f"{line}\n" for line in lines))
    found = find_channel(ctx, args[0])
    if found is None:
        return Result(text=f"{args[0]} is not a known channel\n", status=1)
    _hangup(found)
    return Result(text=f"Requested Hangup on channel '{found.snapshot().name}'\n")


def _complete(ctx: ConsoleContext, args: list[str]) -> list[str]:
    return ["all", *channel_names(ctx)] if not args else []


CHANNEL_COMMANDS = (
    Command(
        words=("channel", "request", "hangup"),
        handler=request_hangup,
        summary="Request a hangup on a given channel",
        complete=_complete,
    ),
)
