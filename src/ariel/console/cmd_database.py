"""``database show|get|put|del|deltree`` on the SQLite astdb (main/db.c)."""

from __future__ import annotations

from ariel.console.context import ConsoleContext, SessionState
from ariel.console.table import Command, Result

__all__ = ["DATABASE_COMMANDS", "format_entries"]


def format_entries(entries: dict[str, str]) -> str:
    """``database show``: ``%-50s: %-25s`` per entry, then the count."""
    lines = [f"{key:<50}: {value:<25}".rstrip() for key, value in entries.items()]
    lines.append(f"{len(entries)} results found.")
    return "".join(f"{line}\n" for line in lines)


async def show(ctx: ConsoleContext, args: list[str], _s: SessionState) -> Result:
    if len(args) > 2:
        return Result(text="Usage: database show [family [keytree]]\n", status=1)
    db = ctx.core.astdb
    if not args:
        entries = db.all_items()
    else:
        prefix = "/" + "/".join(a.strip("/") for a in args)
        entries = {
            k: v for k, v in db.all_items().items() if k == prefix or k.startswith(prefix + "/")
        }
    return Result(text=format_entries(entries))


async def get(ctx: ConsoleContext, args: list[str], _s: SessionState) -> Result:
    if len(args) != 2:
        return Result(text="Usage: database get <family> <key>\n", status=1)
    value = ctx.core.astdb.get(args[0], args[1])
    if value is None:
        return Result(text="Database entry not found.\n", status=1)
    return Result(text=f"Value: {value}\n")


async def put(ctx: ConsoleContext, args: list[str], _s: SessionState) -> Result:
    if len(args) != 3:
        return Result(text="Usage: database put <family> <key> <value>\n", status=1)
    ctx.core.astdb.put(args[0], args[1], args[2])
    return Result(text="Updated database successfully\n")


async def delete(ctx: ConsoleContext, args: list[str], _s: SessionState) -> Result:
    if len(args) != 2:
        return Result(text="Usage: database del <family> <key>\n", status=1)
    if ctx.core.astdb.delete(args[0], args[1]):
        return Result(text="Database entry removed.\n")
    return Result(text="Database entry does not exist.\n", status=1)


async def deltree(ctx: ConsoleContext, args: list[str], _s: SessionState) -> Result:
    if len(args) != 1:
        return Result(text="Usage: database deltree <family>\n", status=1)
    n = ctx.core.astdb.delete_family(args[0].strip("/"))
    if n == 0:
        return Result(text="Database entries do not exist.\n", status=1)
    return Result(text=f"{n} database entries removed.\n")


DATABASE_COMMANDS = (
    Command(words=("database", "show"), handler=show, summary="Shows database contents"),
    Command(words=("database", "get"), handler=get, summary="Gets database value"),
    Command(words=("database", "put"), handler=put, summary="Adds/updates database value"),
    Command(words=("database", "del"), handler=delete, summary="Removes database key/value"),
    Command(
        words=("database", "deltree"), handler=deltree, summary="Removes database keytree/values"
    ),
)
