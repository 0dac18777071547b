"""Console commands against a real Core (no sockets): output formats and effects."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from ariel.config import load_config
from ariel.console import ConsoleContext, ConsoleService, Reloader, SessionState, Verbosity
from ariel.console.cmd_core import format_channel_list
from ariel.console.cmd_database import format_entries
from ariel.console.fmt import uptime_text
from ariel.core.channels.channel import Channel
from ariel.core.channels.state import ChannelState
from ariel.core.snapshots import CallerId, ChannelSnapshot, DialplanLocation
from ariel.server import DialplanInForce, build_core

EXTENSIONS = """\
[sets]
exten => 242,1,NoOp()
 same => n,Stasis(zarniwoop)
 same => n,Hangup()

[other]
exten => s,1,Answer()
"""

ARI = """\
[general]
enabled = yes
pretty = yes

[asterisk]
type = user
password = secret

[viewer]
type = user
read_only = yes
password = v
"""


class _Tech:
    """A channel technology that only records hangups."""

    def __init__(self) -> None:
        self.hung_up: list[int] = []

    async def answer(self, chan: Channel) -> None: ...

    async def indicate(self, chan: Channel, condition: str) -> None: ...

    async def hangup(self, chan: Channel, cause: int) -> None:
        self.hung_up.append(cause)

    def hangup_variables(self, chan: Channel) -> list[tuple[str, str]]:
        return []

    async def send_digit(self, chan: Channel, digit: str, duration_ms: int) -> None: ...

    def rtp_statistics(self, chan: Channel) -> Mapping[str, int | float | str] | None:
        return None


@pytest.fixture
def config_dir(tmp_path: Path) -> Path:
    conf = tmp_path / "conf"
    conf.mkdir()
    (conf / "asterisk.conf").write_text(
        f"[directories]\nastdbdir => {tmp_path / 'db'}\nastrundir => {tmp_path / 'run'}\n"
    )
    (conf / "extensions.conf").write_text(EXTENSIONS)
    (conf / "ari.conf").write_text(ARI)
    return conf


@pytest.fixture
def service(config_dir: Path) -> Iterator[ConsoleService]:
    config = load_config(config_dir)
    core = build_core(config)
    dialplan = core.dialplan
    assert isinstance(dialplan, DialplanInForce)
    stops: list[bool] = []
    ctx = ConsoleContext(
        core=core,
        config=config,
        verbosity=Verbosity(0),
        reloader=Reloader(config_dir, dialplan.replace, core.info.mark_reloaded),
        stop=stops.append,
    )
    yield ConsoleService(ctx)
    core.astdb.close()


async def run(service: ConsoleService, line: str) -> tuple[int, str]:
    result = await service.run(line, SessionState())
    return result.status, result.text


def _snap(
    name: str, *, seconds: int = 0, app: str = "Stasis", data: str = "zarniwoop"
) -> ChannelSnapshot:
    created = datetime(2024, 1, 1, tzinfo=UTC)
    return ChannelSnapshot(
        id="1700000000.1",
        name=name,
        state="Up",
        creationtime=created - timedelta(seconds=seconds),
        caller=CallerId(name="Alice", number="1000"),
        dialplan=DialplanLocation(
            context="sets", exten="242", priority=2, app_name=app, app_data=data
        ),
    )


def test_core_show_channels_uses_asterisks_columns_and_footer() -> None:
    now = datetime(2024, 1, 1, tzinfo=UTC)
    text = format_channel_list(
        [(_snap("PJSIP/SOFTPHONE_A-00000001"), "")],
        mode="",
        now=now,
        active_calls=1,
        processed_calls=3,
    )
    lines = text.splitlines()
    assert lines[0].startswith(
        "Channel" + " " * 58 + "Location" + " " * 25 + "State   Application(Data)"
    )
    assert lines[1] == (
        "PJSIP/SOFTPHONE_A-00000001".ljust(64)
        + " "
        + "242@sets:2".ljust(32)
        + " Up      Stasis(zarniwoop)"
    )
    assert lines[2:] == ["1 active channel", "1 active call", "3 calls processed"]


def test_the_footer_says_channels_and_calls_in_the_plural_for_zero() -> None:
    now = datetime(2024, 1, 1, tzinfo=UTC)
    text = format_channel_list([], mode="", now=now, active_calls=0, processed_calls=1)
    assert text.splitlines()[1:] == ["0 active channels", "0 active calls", "1 call processed"]


def test_concise_is_bang_separated_without_header_or_footer() -> None:
    now = datetime(2024, 1, 1, tzinfo=UTC)
    text = format_channel_list(
        [(_snap("PJSIP/a-1", seconds=3725), "b1")],
        mode="concise",
        now=now,
        active_calls=1,
        processed_calls=1,
    )
    assert text == "PJSIP/a-1!sets!242!2!Up!Stasis!zarniwoop!1000!!!3!01:02:05!b1!1700000000.1\n"


def test_uptime_is_spelled_like_the_reference() -> None:
    assert uptime_text(0) == "0 seconds"
    assert uptime_text(61) == "1 minute, 1 second"
    assert uptime_text(2 * 3600 + 5) == "2 hours, 5 seconds"


def test_database_entries_are_padded_and_counted() -> None:
    assert format_entries({"/fam/key": "value"}) == (
        "/fam/key".ljust(50) + ": value\n1 results found.\n"
    )


async def test_dialplan_show_lists_a_context_with_file_and_line(service: ConsoleService) -> None:
    status, text = await run(service, "dialplan show sets")
    assert status == 0
    lines = text.splitlines()
    assert lines[0] == "[ Context 'sets' created by 'pbx_config' ]"
    head = "'242' =>"
    assert lines[1] == f"  {head:<17} {'1. NoOp()':<45} [extensions.conf:2]"
    assert lines[-1] == "-= 1 extension (3 priorities) in 1 context. =-"
    status, text = await run(service, "dialplan show nowhere")
    assert (status, text) == (1, "There is no existence of 'nowhere' context\n")


async def test_dialplan_reload_swaps_in_a_changed_extension(
    service: ConsoleService, config_dir: Path
) -> None:
    (config_dir / "extensions.conf").write_text(EXTENSIONS + "exten => 300,1,Hangup()\n")
    status, text = await run(service, "dialplan reload")
    assert (status, text) == (0, "Dialplan reloaded.\n")
    index = service.context.core.dialplan()
    assert index.find("other", "300", 1) is not None


async def test_a_broken_dialplan_keeps_the_old_one_and_says_file_and_line(
    service: ConsoleService, config_dir: Path
) -> None:
    (config_dir / "extensions.conf").write_text(EXTENSIONS + "[broken\nexten => 300,1,Hangup()\n")
    status, text = await run(service, "core reload")
    assert status == 1
    assert text.splitlines()[0].startswith("extensions.conf:8: ")
    assert text.splitlines()[-1] == "Dialplan reload failed: keeping the dialplan in force."
    index = service.context.core.dialplan()
    assert index.find("sets", "242", 2) is not None
    assert index.find("broken", "300", 1) is None


async def test_ari_show_users_and_status(service: ConsoleService) -> None:
    assert await run(service, "ari show users") == (
        0,
        "r/o?  Username\n----  --------\nNo    asterisk\nYes   viewer\n",
    )
    _status, text = await run(service, "ari show status")
    assert text.splitlines()[:3] == ["ARI Status:", "Enabled: Yes", "Output format: pretty"]


async def test_database_put_show_del(service: ConsoleService) -> None:
    assert await run(service, "database put fam key 'a value'") == (
        0,
        "Updated database successfully\n",
    )
    _status, text = await run(service, "database show fam")
    assert text == "/fam/key".ljust(50) + ": a value\n1 results found.\n"
    assert await run(service, "database del fam key") == (0, "Database entry removed.\n")
    assert await run(service, "database del fam key") == (1, "Database entry does not exist.\n")


async def test_core_set_verbose_sets_the_servers_level(service: ConsoleService) -> None:
    assert await run(service, "core set verbose 3") == (0, "Verbosity was OFF and is now 3\n")
    assert service.context.verbosity.level == 3
    assert await run(service, "core set verbose off") == (0, "Verbosity is now OFF\n")


async def test_core_stop_asks_the_server_to_stop(service: ConsoleService) -> None:
    stops: list[bool] = []
    service.context.stop = stops.append
    assert (await run(service, "core stop gracefully"))[0] == 0
    assert (await run(service, "core stop now"))[0] == 0
    assert stops == [True, False]
    assert (await run(service, "core stop sometime"))[0] == 1


async def test_channel_request_hangup_hangs_up_a_channel_by_name(service: ConsoleService) -> None:
    core = service.context.core
    tech = _Tech()
    chan = Channel(
        id="1.1",
        name="PJSIP/SOFTPHONE_A-00000001",
        tech=tech,
        publish=core.publish,
        now=core.clock.now,
        state=ChannelState.UP,
    )
    core.channels.add(chan)
    _status, text = await run(service, "core show channels")
    assert "PJSIP/SOFTPHONE_A-00000001" in text and "1 active channel\n" in text
    _status, text = await run(service, "core show channel PJSIP/SOFTPHONE_A-00000001")
    assert "          State: Up (6)\n" in text
    assert await run(service, "channel request hangup PJSIP/SOFTPHONE_A-00000001") == (
        0,
        "Requested Hangup on channel 'PJSIP/SOFTPHONE_A-00000001'\n",
    )
    assert chan.hangup_requested and chan.hangup_cause == 16
    assert await run(service, "channel request hangup PJSIP/nobody-1") == (
        1,
        "PJSIP/nobody-1 is not a known channel\n",
    )
    await asyncio.sleep(0)


async def test_unknown_and_misused_commands_fail(service: ConsoleService) -> None:
    status, text = await run(service, "core show nothing")
    assert status == 1 and text.startswith("No such command 'core show nothing'")
    status, text = await run(service, "database put onlyfamily")
    assert status == 1 and text.startswith("Usage: database put")
