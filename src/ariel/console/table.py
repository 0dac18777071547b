"""The console's command table: words in, a handler out, and completion.

Theory of operation (after main/cli.c): a command is a fixed run of words
(``core show channels``) followed by free arguments. A line is split into words
(shell-style quoting, like Asterisk's ``ast_app_separate_args`` for the CLI);
the longest registered word run that starts the line, compared without case,
picks the handler, which gets the remaining words. Nothing matching is
Asterisk's "No such command" answer. Completion offers the next fixed word of
every command the line so far could still become, then the handler's own
argument completions (channel names ...).
"""

from __future__ import annotations

import shlex
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ariel.console.context import ConsoleContext, SessionState

__all__ = ["Command", "CommandTable", "Result", "no_such_command", "split_line"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Result:
    """A command's output and exit status (0: success)."""

    text: str = ""
    status: int = 0


Handler = Callable[["ConsoleContext", list[str], "SessionState"], Awaitable[Result]]
ArgCompleter = Callable[["ConsoleContext", list[str]], Iterable[str]]


@dataclass(frozen=True, slots=True, kw_only=True)
class Command:
    """One console command.

    Attributes:
        words: The fixed words (``("core", "show", "channels")``).
        handler: Runs the command with the words after ``words``.
        summary: One line for ``core show help``.
        usage: What ``Usage:`` shows when the arguments are wrong.
        complete: The candidates for the next free argument, given those before it.
    """

    words: tuple[str, ...]
    handler: Handler
    summary: str
    usage: str = ""
    complete: ArgCompleter | None = None

    @property
    def name(self) -> str:
        """The words as typed."""
        return " ".join(self.words)


def split_line(line: str) -> list[str]:
    """The words of a command line (shell-style quoting, plain split if unbalanced)."""
    try:
        return shlex.split(line)
    except ValueError:
        return line.split()


def no_such_command(line: str) -> Result:
    """Asterisk's answer to a line no command matches."""
    cmd = " ".join(split_line(line))
    return Result(
        text=f"No such command '{cmd}' (type 'core show help {cmd}' for other possible commands)\n",
        status=1,
    )


@dataclass(slots=True)
class CommandTable:
    """The registered commands."""

    commands: list[Command] = field(default_factory=list)

    def add(self, *commands: Command) -> None:
        """Register ``commands``."""
        self.commands.extend(commands)

    def find(self, words: Sequence[str]) -> tuple[Command, list[str]] | None:
        """The command ``words`` start with (the longest one) and its arguments."""
        lowered = [w.lower() for w in words]
        best: Command | None = None
        for command in self.commands:
            n = len(command.words)
            if tuple(lowered[:n]) == command.words and (best is None or n > len(best.words)):
                best = command
        if best is None:
            return None
        return best, list(words[len(best.words) :])

    async def run(self, ctx: ConsoleContext, line: str, session: SessionState) -> Result:
        """Run one command line."""
        words = split_line(line)
        if not words:
            return Result()
        found = self.find(words)
        if found is None:
            return no_such_command(line)
        command, args = found
        return await command.handler(ctx, args, session)

    def matching(self, prefix: Sequence[str]) -> list[Command]:
        """Commands whose words start with ``prefix`` (``core show help core``)."""
        lowered = tuple(w.lower() for w in prefix)
        return [
            c
            for c in sorted(self.commands, key=lambda c: c.words)
            if c.words[: len(lowered)] == lowered
        ]

    def complete(self, ctx: ConsoleContext, line: str) -> list[str]:
        """The words that may follow or finish ``line`` (the text before the cursor)."""
        words = line.split()
        partial = "" if not words or line[-1:].isspace() else words.pop()
        done = [w.lower() for w in words]
        found: set[str] = set()
        for command in self.commands:
            n = len(done)
            if n < len(command.words):
                if tuple(done) == command.words[:n] and command.words[n].startswith(
                    partial.lower()
                ):
                    found.add(command.words[n])
            elif tuple(done[: len(command.words)]) == command.words and command.complete:
                args = words[len(command.words) :]
                found.update(
                    c for c in command.complete(ctx, args) if c.lower().startswith(partial.lower())
                )
        return sorted(found)
