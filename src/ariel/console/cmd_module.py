"""``core reload`` and ``module reload [name]``: live reload of configuration.

The modules that own a configuration file (``pbx_config``, ``res_pjsip``,
``res_ari``, ``res_musiconhold``) re-read it (see :mod:`.reload`); other
reloadable modules are acknowledged through the module catalogue.
"""

from __future__ import annotations

from ariel.console.context import ConsoleContext, SessionState
from ariel.console.table import Command, Result
from ariel.core.errors import InvalidState, NotFound, OperationFailed

__all__ = ["MODULE_COMMANDS"]


async def core_reload(ctx: ConsoleContext, args: list[str], _s: SessionState) -> Result:
    if args:
        return Result(text="Usage: core reload\n", status=1)
    outcome = ctx.reloader.reload_all()
    return Result(text=outcome.text, status=0 if outcome.ok else 1)


async def module_reload(ctx: ConsoleContext, args: list[str], _s: SessionState) -> Result:
    if not args:
        return await core_reload(ctx, args, _s)
    lines: list[str] = []
    status = 0
    modules = ctx.core.info.modules
    for name in args:
        outcome = ctx.reloader.reload_module(name) if modules.is_running(name) else None
        if outcome is not None:
            lines.extend(outcome.lines)
            status = status or (0 if outcome.ok else 1)
            continue
        try:
            modules.reload(name)
        except NotFound:
            lines.append(f"The module '{name}' was not properly initialized.  Before reloading")
            lines.append('the module, you must run "module load" and fix whatever is')
            lines.append("preventing the module from being initialized.")
            status = 1
        except InvalidState:
            lines.append(f"The module '{name}' does not support reloading.")
            status = 1
        except OperationFailed:
            lines.append(f"The module '{name}' reported a reload failure.")
            status = 1
    return Result(text="".join(f"{line}\n" for line in lines), status=status)


def _complete_module(ctx: ConsoleContext, args: list[str]) -> list[str]:
    return [m.name for m in ctx.core.info.modules.list()]


MODULE_COMMANDS = (
    Command(words=("core", "reload"), handler=core_reload, summary="Global reload"),
    Command(
        words=("module", "reload"),
        handler=module_reload,
        summary="Reload configuration for a module",
        complete=_complete_module,
    ),
)
