"""The administrator's console: Asterisk's CLI commands over the control socket.

Sans-IO: commands are functions of a :class:`ConsoleContext` and their words;
``ariel.net.control`` carries them over a UNIX socket and ``ariel.cli`` is the
client (``ariel -rx 'core show channels'``, ``ariel -r``).
"""

from ariel.console.context import CallCounts, ConsoleContext, SessionState
from ariel.console.reload import Reloader, ReloadOutcome
from ariel.console.service import ConsoleService, ConsoleSession, build_command_table
from ariel.console.table import Command, CommandTable, Result
from ariel.console.verbose import ConsoleFanout, VerboseFilter, Verbosity

__all__ = [
    "CallCounts",
    "Command",
    "CommandTable",
    "ConsoleContext",
    "ConsoleFanout",
    "ConsoleService",
    "ConsoleSession",
    "ReloadOutcome",
    "Reloader",
    "Result",
    "SessionState",
    "VerboseFilter",
    "Verbosity",
    "build_command_table",
]
