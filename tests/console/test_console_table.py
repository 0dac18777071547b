"""The command table: matching words, Asterisk's unknown-command answer, completion."""

from __future__ import annotations

from typing import Any

from ariel.console.context import SessionState
from ariel.console.table import Command, CommandTable, Result, no_such_command, split_line


def _table(seen: list[tuple[str, list[str]]]) -> CommandTable:
    def handler(name: str) -> Any:
        async def run(_ctx: Any, args: list[str], _s: SessionState) -> Result:
            seen.append((name, args))
            return Result(text=f"{name}\n")

        return run

    table = CommandTable()
    table.add(
        Command(words=("core", "show", "channels"), handler=handler("chans"), summary=""),
        Command(
            words=("core", "show", "channel"),
            handler=handler("chan"),
            summary="",
            complete=lambda _ctx, args: ["PJSIP/a-1", "PJSIP/b-2"] if not args else [],
        ),
        Command(words=("core", "stop"), handler=handler("stop"), summary=""),
    )
    return table


async def test_the_longest_word_run_picks_the_command_and_the_rest_are_arguments() -> None:
    seen: list[tuple[str, list[str]]] = []
    table = _table(seen)
    await table.run(None, "core show channels concise", SessionState())  # type: ignore[arg-type]
    await table.run(None, "CORE Show channel PJSIP/a-1", SessionState())  # type: ignore[arg-type]
    assert seen == [("chans", ["concise"]), ("chan", ["PJSIP/a-1"])]


async def test_an_unknown_command_gets_asterisks_answer_and_status_1() -> None:
    result = await _table([]).run(None, "core frobnicate  now", SessionState())  # type: ignore[arg-type]
    assert result.status == 1
    assert result.text == (
        "No such command 'core frobnicate now' (type 'core show help core frobnicate now' "
        "for other possible commands)\n"
    )


def test_no_such_command_text_matches_the_reference() -> None:
    assert no_such_command("foo").text == (
        "No such command 'foo' (type 'core show help foo' for other possible commands)\n"
    )


async def test_an_empty_line_does_nothing() -> None:
    assert await _table([]).run(None, "   ", SessionState()) == Result()  # type: ignore[arg-type]


def test_quoted_arguments_stay_whole_and_unbalanced_quotes_fall_back_to_split() -> None:
    assert split_line('database put fam key "two words"') == [
        "database",
        "put",
        "fam",
        "key",
        "two words",
    ]
    assert split_line('say "oops') == ["say", '"oops']


def test_completion_offers_next_words_then_argument_candidates() -> None:
    table = _table([])
    assert table.complete(None, "co") == ["core"]  # type: ignore[arg-type]
    assert table.complete(None, "core ") == ["show", "stop"]  # type: ignore[arg-type]
    assert table.complete(None, "core show chan") == ["channel", "channels"]  # type: ignore[arg-type]
    assert table.complete(None, "core show channel PJSIP/b") == ["PJSIP/b-2"]  # type: ignore[arg-type]


def test_matching_lists_commands_under_a_prefix_in_order() -> None:
    names = [c.name for c in _table([]).matching(["core", "show"])]
    assert names == ["core show channel", "core show channels"]
