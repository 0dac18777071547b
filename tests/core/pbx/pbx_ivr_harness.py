"""An in-process call for the IVR application tests: a dialplan, prompts, a media pump.

Each prompt is a WAV file of one constant sample value, so the frames the
channel sends tell which prompt was playing. The pump stands in for the media
clock: it asks the channel for a frame every millisecond (a 20 ms frame per
millisecond: audio runs about twenty times faster than real time).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from test_pbx_stasis_flow import ScriptedTech

from ariel.config import config_from_texts
from ariel.config.indications import IndicationsConf, build_indications
from ariel.config.moh import MohClass, MohConf
from ariel.config.parser import parse_conf
from ariel.core.channels.channel import Channel
from ariel.core.channels.state import ChannelState
from ariel.core.dialplan.lookup import DialplanIndex
from ariel.core.media.moh import MusicOnHold
from ariel.core.media.sources import SoundCache
from ariel.core.pbx import Pbx
from ariel.core.pbx.apps_basic import BASIC_APPS
from ariel.core.pbx.apps_ivr import IvrServices, make_ivr_apps
from ariel.core.playback.media_library import MediaLibrary
from ariel.core.sounds import SoundIndex
from ariel.core.stored_recordings import StoredRecordings
from ariel.media.formats import write_audio

NOW = datetime(2026, 1, 1, tzinfo=UTC)
NAME = "PJSIP/caller-00000001"
#: Prompt -> (sample value, length in samples).
PROMPTS = {
    "menu": (100, 8000),
    "short": (150, 1600),
    "two": (200, 1600),
    "enter": (500, 1600),
    **{f"digits/{d}": (10 + d, 800) for d in range(10)},
    "digits/hundred": (40, 800),
    "letters/a": (21, 800),
    "letters/b": (22, 800),
}
INDICATIONS = """\
[general]
country = us
[us]
dial = 350+440
busy = 480+620/500,0/500
congestion = 480+620/250,0/250
"""


def write_prompts(root: Path) -> Path:
    """The prompts above under ``root/en``."""
    for name, (value, samples) in PROMPTS.items():
        path = root / "en" / f"{name}.wav"
        path.parent.mkdir(parents=True, exist_ok=True)
        write_audio(path, "wav", np.full(samples, value, dtype=np.int16))
    return root


def indications() -> IndicationsConf:
    model, found = build_indications(parse_conf(INDICATIONS, "indications.conf"))
    assert found == ()
    return model


@dataclass
class Call:
    """One channel running the dialplan, and what it sent."""

    chan: Channel
    tech: ScriptedTech
    run: asyncio.Task[None]
    frames: list[int] = field(default_factory=list)
    generators: list[str] = field(default_factory=list)

    def heard(self) -> list[int]:
        """The prompt values sent, each run of equal frames once."""
        out: list[int] = []
        for value in self.frames:
            if not out or out[-1] != value:
                out.append(value)
        return out

    async def until(self, predicate: Callable[[], bool], timeout: float = 3.0) -> None:
        async def poll() -> None:
            while not predicate():
                await asyncio.sleep(0.001)

        await asyncio.wait_for(poll(), timeout)

    async def until_heard(self, value: int) -> None:
        await self.until(lambda: value in self.frames)

    async def press(self, digits: str) -> None:
        """The caller sends ``digits`` (a few milliseconds apart)."""
        for digit in digits:
            self.chan.dtmf_received(digit, 100)
            await asyncio.sleep(0.005)

    async def ended(self, timeout: float = 5.0) -> Channel:
        await asyncio.wait_for(self.run, timeout)
        return self.chan


async def _pump(call: Call) -> None:
    media = call.chan.media
    while not media.closed:
        frame = media.next_frame(160)
        if frame is not None:
            call.frames.append(int(frame[0]) if int(frame[0]) in _VALUES else -1)
        if media.generator_kind and (
            not call.generators or call.generators[-1] != media.generator_kind
        ):
            call.generators.append(media.generator_kind)
        await asyncio.sleep(0.001)


_VALUES = {value for value, _ in PROMPTS.values()}


def start_call(
    sounds: Path,
    extensions: str,
    *,
    exten: str = "s",
    context: str = "menu",
    state: ChannelState = ChannelState.UP,
    moh_dir: Path | None = None,
) -> Call:
    """Run a channel from ``exten@context`` through ``extensions``."""
    index = DialplanIndex(config_from_texts({"extensions.conf": extensions}).dialplan)
    cache = SoundCache()
    library = MediaLibrary(
        sounds=SoundIndex([sounds]),
        recordings=StoredRecordings(sounds / "recordings"),
        indications=indications(),
        cache=cache,
    )
    classes = {}
    if moh_dir is not None:
        classes["default"] = MohClass(name="default", directory=str(moh_dir))
    moh = MusicOnHold(MohConf(classes=classes), sounds, cache)
    apps = {**BASIC_APPS, **make_ivr_apps(IvrServices(media=library, moh=moh))}
    tech = ScriptedTech()
    chan = Channel(
        id="1.1",
        name=NAME,
        tech=tech,
        publish=lambda _e: None,
        now=lambda: NOW,
        state=state,
        context=context,
        exten=exten,
    )
    run = asyncio.ensure_future(Pbx(lambda: index, apps).run(chan))
    call = Call(chan=chan, tech=tech, run=run)
    pump = asyncio.ensure_future(_pump(call))
    run.add_done_callback(lambda _t: pump.cancel())
    return call


def verbose_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    """What the verbose trace printed, prefixes stripped."""
    return [
        r.getMessage().lstrip(" -=>") for r in caplog.records if r.name.startswith("ariel.verbose")
    ]


def warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
