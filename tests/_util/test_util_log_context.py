"""Log records carry the channel id of the task that logs them."""

from __future__ import annotations

import asyncio
import logging

import pytest

from ariel._util.log_context import ChannelLogFilter, channel_log_context


def _record(msg: str) -> logging.LogRecord:
    return logging.LogRecord("ariel.test", logging.INFO, __file__, 1, msg, None, None)


def test_a_record_outside_any_call_has_an_empty_channel() -> None:
    record = _record("idle")
    assert ChannelLogFilter().filter(record)
    assert (record.channel, record.channel_tag) == ("", "")


def test_a_record_inside_a_call_carries_its_channel_and_the_context_is_restored() -> None:
    with channel_log_context("1700000000.7"):
        record = _record("busy")
        ChannelLogFilter().filter(record)
    assert (record.channel, record.channel_tag) == ("1700000000.7", " channel=1700000000.7")
    after = _record("idle again")
    ChannelLogFilter().filter(after)
    assert after.channel == ""


@pytest.mark.timeout(5)
async def test_tasks_started_by_a_call_log_with_its_channel() -> None:
    seen: list[str] = []

    async def child() -> None:
        record = _record("child")
        ChannelLogFilter().filter(record)
        seen.append(record.channel)

    with channel_log_context("1700000000.8"):
        task = asyncio.create_task(child())
    await task
    assert seen == ["1700000000.8"]
