"""The console as the control socket serves it: one session per connection.

Theory of operation: :class:`ConsoleService` holds the command table and the
:class:`~ariel.console.context.ConsoleContext`; ``ariel.net.control`` calls
:meth:`ConsoleService.open_session` for each connection and hands every line
the client sends to :meth:`ConsoleSession.command`. A session is also a sink
of the log fan-out, so an interactive console (``ariel -rvvv``) sees the call
trace at its own verbosity. An unplanned exception in a command is that
command's failure, never the server's.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from ariel.console.cmd_ari import ARI_COMMANDS
from ariel.console.cmd_bridge import BRIDGE_COMMANDS
from ariel.console.cmd_channel import CHANNEL_COMMANDS
from ariel.console.cmd_core import CORE_COMMANDS, add_help
from ariel.console.cmd_database import DATABASE_COMMANDS
from ariel.console.cmd_dialplan import DIALPLAN_COMMANDS
from ariel.console.cmd_module import MODULE_COMMANDS
from ariel.console.cmd_pjsip import PJSIP_COMMANDS
from ariel.console.context import ConsoleContext, SessionState
from ariel.console.table import CommandTable, Result
from ariel.console.verbose import ConsoleFanout

__all__ = ["ConsoleService", "ConsoleSession", "build_command_table"]

log = logging.getLogger("ariel.console")


def build_command_table() -> CommandTable:
    """Every console command."""
    table = CommandTable()
    table.add(
        *CORE_COMMANDS,
        *MODULE_COMMANDS,
        *DIALPLAN_COMMANDS,
        *PJSIP_COMMANDS,
        *ARI_COMMANDS,
        *BRIDGE_COMMANDS,
        *CHANNEL_COMMANDS,
        *DATABASE_COMMANDS,
    )
    add_help(table)
    return table


class ConsoleSession:
    """One remote console."""

    def __init__(self, service: ConsoleService, send_log: Callable[[str], None]) -> None:
        self._service = service
        self.state = SessionState(verbose=0)
        service.fanout.attach(self, lambda: self.state.verbose, send_log)

    async def command(self, line: str) -> tuple[int, str]:
        """Run one command line: (exit status, output)."""
        log.debug("console: %s", line)
        try:
            result = await self._service.run(line, self.state)
        except Exception:
            log.exception("console command %r failed", line)
            result = Result(text=f"Command '{line}' failed; see the log.\n", status=2)
        return result.status, result.text

    def complete(self, line: str) -> list[str]:
        """Completions of the line so far."""
        try:
            return self._service.table.complete(self._service.context, line)
        except Exception:
            log.exception("console completion of %r failed", line)
            return []

    def set_verbose(self, level: int) -> None:
        """This console's verbosity (``ariel -rvvv``)."""
        self.state.verbose = max(0, level)

    def close(self) -> None:
        """The connection ended."""
        self._service.fanout.detach(self)


class ConsoleService:
    """The commands and what they act on."""

    def __init__(self, context: ConsoleContext, table: CommandTable | None = None) -> None:
        self.context = context
        self.table = table if table is not None else build_command_table()
        self.fanout = ConsoleFanout()

    def open_session(self, send_log: Callable[[str], None]) -> ConsoleSession:
        """A session for a new connection; ``send_log`` writes one log line to it."""
        return ConsoleSession(self, send_log)

    async def run(self, line: str, state: SessionState | None = None) -> Result:
        """Run one command line (``state``: the console's; a fresh one if ``None``)."""
        return await self.table.run(self.context, line, state or SessionState())
