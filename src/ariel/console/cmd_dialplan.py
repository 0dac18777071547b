"""``dialplan show [context]`` and ``dialplan reload`` (pbx/pbx_config.c, main/pbx.c)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ariel.config import Context
from ariel.console.context import ConsoleContext, SessionState
from ariel.console.fmt import fit
from ariel.console.table import Command, Result

__all__ = ["DIALPLAN_COMMANDS", "format_dialplan"]


def _registrar(context: Context, file: str, line: int) -> str:
    if context.name.startswith("stasis-") and not file:
        return "res_stasis"
    return f"{file}:{line}" if file else "pbx_config"


def _context_lines(context: Context) -> tuple[list[str], int, int]:
    """One context's lines, and how many extensions and priorities it has."""
    created = (
        "res_stasis" if context.name.startswith("stasis-") and not context.file else "pbx_config"
    )
    out = [f"[ Context '{context.name}' created by '{created}' ]"]
    groups: dict[tuple[str, str | None], list[str]] = {}
    for ext in context.extensions:
        key = (ext.exten, ext.cid_match)
        rows = groups.setdefault(key, [])
        first = not rows
        if first:
            head = f"'{ext.exten}' =>"
            if ext.cid_match is not None:
                head = f"'{ext.exten}' (CID match '{ext.cid_match}') =>"
        else:
            head = f"   [{ext.label}]" if ext.label else ""
        step = f"{ext.priority}. {ext.app}({ext.app_data})"
        rows.append(
            f"  {fit(head, 17)} {fit(step, 45)} [{_registrar(context, ext.file, ext.line)}]"
        )
    for hint in context.hints:
        key = (hint.exten, hint.cid_match)
        rows = groups.setdefault(key, [])
        head = "" if rows else f"'{hint.exten}' =>"
        rows.insert(0, f"  {fit(head, 17)} {fit('hint: ' + hint.device, 45)} [pbx_config]")
    priorities = 0
    for rows in groups.values():
        out.extend(rows)
        priorities += len(rows)
    for inc in context.includes:
        name = f"'{inc.context}'" + (f"|{inc.timing}" if inc.timing else "")
        out.append(f"  {fit('Include =>', 17)} {fit(name, 45)} [pbx_config]")
    out.append("")
    return out, len(groups), priorities


def format_dialplan(contexts: Mapping[str, Context], only: str | None = None) -> str:
    """``dialplan show [context]``: contexts, their steps and Asterisk's summary line."""
    chosen: Iterable[Context]
    if only is not None:
        found = contexts.get(only)
        if found is None:
            return ""
        chosen = [found]
    else:
        chosen = sorted(contexts.values(), key=lambda c: c.name)
    lines: list[str] = []
    extens = prios = count = 0
    for context in chosen:
        more, e, p = _context_lines(context)
        lines.extend(more)
        extens, prios, count = extens + e, prios + p, count + 1
    lines.append(
        f"-= {extens} extension{'' if extens == 1 else 's'} ({prios} "
        f"{'priority' if prios == 1 else 'priorities'}) in {count} "
        f"context{'' if count == 1 else 's'}. =-"
    )
    return "".join(f"{line.rstrip()}\n" for line in lines)


async def show(ctx: ConsoleContext, args: list[str], _s: SessionState) -> Result:
    if len(args) > 1:
        return Result(text="Usage: dialplan show [[exten@]context]\n", status=1)
    contexts = ctx.core.dialplan().contexts
    only = args[0].split("@")[-1] if args else None
    if only is not None and only not in contexts:
        return Result(text=f"There is no existence of '{only}' context\n", status=1)
    return Result(text=format_dialplan(contexts, only))


async def reload(ctx: ConsoleContext, args: list[str], _s: SessionState) -> Result:
    if args:
        return Result(text="Usage: dialplan reload\n", status=1)
    outcome = ctx.reloader.reload_dialplan()
    return Result(text=outcome.text, status=0 if outcome.ok else 1)


def _complete_context(ctx: ConsoleContext, args: list[str]) -> list[str]:
    return sorted(ctx.core.dialplan().contexts) if not args else []


DIALPLAN_COMMANDS = (
    Command(
        words=("dialplan", "show"),
        handler=show,
        summary="Show dialplan",
        complete=_complete_context,
    ),
    Command(
        words=("dialplan", "reload"),
        handler=reload,
        summary="Reload extensions and *only* extensions",
    ),
)
