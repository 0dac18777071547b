"""LogChannels: /asterisk/logging as stdlib logging handlers."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from ariel.core.errors import AlreadyExists, InvalidArgument, NotFound, OperationFailed
from ariel.core.log_channels import (
    DTMF,
    VERBOSE,
    LogChannels,
    LogChannelSnapshot,
    asterisk_level,
    parse_levels,
)


@pytest.fixture
def logger(request: pytest.FixtureRequest) -> Iterator[logging.Logger]:
    log = logging.getLogger(f"ariel.test.{request.node.name}")
    log.propagate = False
    yield log
    for handler in list(log.handlers):
        log.removeHandler(handler)
        handler.close()


@pytest.fixture
def channels(tmp_path: Path, logger: logging.Logger) -> Iterator[LogChannels]:
    chans = LogChannels(tmp_path, logger=logger)
    yield chans
    chans.close()


def test_console_is_always_listed(channels: LogChannels) -> None:
    assert channels.list() == [
        LogChannelSnapshot(
            channel="",
            type="Console",
            status="Enabled",
            configuration="NOTICE WARNING ERROR VERBOSE ",
        )
    ]


def test_add_lists_file_channel_with_reference_configuration(
    channels: LogChannels, tmp_path: Path
) -> None:
    snap = channels.add("testlog", "warning,notice,bogus,error")
    assert snap == LogChannelSnapshot(
        channel=str(tmp_path / "testlog"),
        type="File",
        status="Enabled",
        configuration="NOTICE WARNING ERROR ",
    )
    assert channels.list()[0] == snap
    assert (tmp_path / "testlog").exists()


def test_verbose_configuration_reads_upper_case(channels: LogChannels) -> None:
    assert channels.add("testlog", "verbose").configuration == "VERBOSE "


def test_file_channel_writes_only_its_levels(
    channels: LogChannels, logger: logging.Logger, tmp_path: Path
) -> None:
    channels.add("mylog", "notice,error")
    logger.info("a notice")
    logger.warning("a warning")
    logger.error("an error")
    logger.debug("a debug")
    text = (tmp_path / "mylog").read_text()
    assert "NOTICE[" in text and "a notice" in text
    assert "ERROR[" in text and "an error" in text
    assert "a warning" not in text and "a debug" not in text


def test_channel_lowers_logger_level_when_needed(
    channels: LogChannels, logger: logging.Logger, tmp_path: Path
) -> None:
    logger.setLevel(logging.WARNING)
    channels.add("dbg", "debug")
    logger.debug("fine detail")
    assert "fine detail" in (tmp_path / "dbg").read_text()


def test_json_formatter_writes_json_lines(
    channels: LogChannels, logger: logging.Logger, tmp_path: Path
) -> None:
    import json

    channels.add("j", "[json]warning")
    logger.warning("hello %s", "there")
    record = json.loads((tmp_path / "j").read_text().splitlines()[0])
    assert record["logmsg"]["level"] == "WARNING"
    assert record["logmsg"]["message"] == "hello there"


def test_add_existing_channel_is_already_exists(channels: LogChannels) -> None:
    channels.add("testlog", "notice")
    with pytest.raises(AlreadyExists, match=r"^Log channel already exists$"):
        channels.add("testlog", "error")
    with pytest.raises(AlreadyExists):
        channels.add("console", "error")


@pytest.mark.parametrize("configuration", ["", None])
def test_add_without_levels_is_invalid(channels: LogChannels, configuration: str | None) -> None:
    with pytest.raises(InvalidArgument, match=r"^Configuration levels are required$"):
        channels.add("testlog", configuration)


def test_add_where_file_cannot_open_fails(tmp_path: Path, logger: logging.Logger) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    chans = LogChannels(blocker, logger=logger)
    with pytest.raises(OperationFailed, match=r"^Allocation failed$"):
        chans.add("inside", "notice")
    nodir = LogChannels(None, logger=logger)
    with pytest.raises(OperationFailed):
        nodir.add("x", "notice")


def test_delete_removes_dynamic_channel_and_stops_writing(
    channels: LogChannels, logger: logging.Logger, tmp_path: Path
) -> None:
    channels.add("testlog", "error")
    channels.remove("testlog")
    logger.error("after removal")
    assert "after removal" not in (tmp_path / "testlog").read_text()
    with pytest.raises(NotFound, match=r"^Log channel does not exist$"):
        channels.remove("testlog")


def test_static_channels_cannot_be_deleted(channels: LogChannels) -> None:
    with pytest.raises(NotFound):
        channels.remove("console")


def test_rotate_renames_to_first_free_suffix_and_reopens(
    channels: LogChannels, logger: logging.Logger, tmp_path: Path
) -> None:
    channels.add("messages.txt", "notice")
    logger.info("before rotate")
    assert channels.rotate("messages.txt") == tmp_path / "messages.txt.0"
    logger.info("after rotate")
    assert channels.rotate("messages.txt") == tmp_path / "messages.txt.1"
    assert "before rotate" in (tmp_path / "messages.txt.0").read_text()
    assert "after rotate" in (tmp_path / "messages.txt.1").read_text()
    assert (tmp_path / "messages.txt").exists()


def test_rotate_of_unknown_or_console_channel_is_not_found(channels: LogChannels) -> None:
    for name in ("nope", "console"):
        with pytest.raises(NotFound, match=r"^Log channel does not exist$"):
            channels.rotate(name)


def test_static_file_channels_come_from_configuration(
    tmp_path: Path, logger: logging.Logger
) -> None:
    chans = LogChannels(tmp_path, logger=logger, static={"messages.log": "notice,warning,error"})
    try:
        listed = chans.list()
        assert [c.channel for c in listed] == [str(tmp_path / "messages.log"), ""]
        chans.rotate("messages.log")
        assert (tmp_path / "messages.log.0").exists()
    finally:
        chans.close()


def test_parse_levels_understands_star_and_verbose_level() -> None:
    assert parse_levels("*")[0] == frozenset(
        {"DEBUG", "NOTICE", "WARNING", "ERROR", "VERBOSE", "DTMF"}
    )
    assert parse_levels("verbose(3),dtmf")[0] == frozenset({"VERBOSE", "DTMF"})
    assert parse_levels("[default]notice") == (frozenset({"NOTICE"}), "default")


@pytest.mark.parametrize(
    ("level", "name"),
    [
        (logging.CRITICAL, "ERROR"),
        (logging.ERROR, "ERROR"),
        (logging.WARNING, "WARNING"),
        (logging.INFO, "NOTICE"),
        (VERBOSE, "VERBOSE"),
        (DTMF, "DTMF"),
        (logging.DEBUG, "DEBUG"),
    ],
)
def test_python_levels_map_to_asterisk_levels(level: int, name: str) -> None:
    record = logging.LogRecord("ariel", level, __file__, 1, "m", None, None)
    assert asterisk_level(record) == name


def test_record_may_name_its_asterisk_level() -> None:
    record = logging.LogRecord("ariel", logging.INFO, __file__, 1, "m", None, None)
    record.ast_level = "verbose"
    assert asterisk_level(record) == "VERBOSE"


@pytest.mark.parametrize("name", ["../escape", "/tmp/abs", "sub/dir", ".hidden", "a\x00b"])
def test_added_channel_never_leaves_the_log_directory(tmp_path: Path, name: str) -> None:
    channels = LogChannels(tmp_path / "log")
    try:
        with pytest.raises(InvalidArgument):
            channels.add(name, "notice")
    finally:
        channels.close()
