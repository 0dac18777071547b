"""recordings handlers for stored recordings: codes, messages, downloads."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest

from ariel.ari.dispatch import Dispatcher, HttpIn
from ariel.ari.handler import AriError, AriRequest
from ariel.ari.resources import recordings
from ariel.arispec import REGISTRY
from ariel.core.system import Core

RW = "Basic " + base64.b64encode(b"asterisk:whateveryoudodontusethispassword").decode()
WAV = b"RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00"


@pytest.fixture
def core(dispatcher: Dispatcher) -> Core:
    """A Core whose recordings directory holds ``superfly.wav``."""
    directory = dispatcher.core.stored_recordings.directory
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "superfly.wav").write_bytes(WAV)
    return dispatcher.core


@pytest.fixture
def directory(core: Core) -> Path:
    return core.stored_recordings.directory


def _req(core: Core, nickname: str, **params: Any) -> AriRequest:
    return AriRequest(
        operation=REGISTRY.operation(f"recordings.{nickname}"),
        params=params,
        body=None,
        core=core,
        user="asterisk",
    )


async def _error(coro: Any) -> tuple[int, Any]:
    with pytest.raises(AriError) as err:
        await coro
    return err.value.status, err.value.body


NOT_FOUND = (404, {"message": "Recording not found"})


async def test_list_returns_name_and_format(core: Core, directory: Path) -> None:
    (directory / "sub").mkdir()
    (directory / "sub" / "other.gsm").write_bytes(b"gsm")
    resp = await recordings.listStored(_req(core, "listStored"))
    assert (resp.status, resp.body) == (
        200,
        [{"name": "sub/other", "format": "gsm"}, {"name": "superfly", "format": "wav"}],
    )


async def test_get_returns_the_stored_recording(core: Core) -> None:
    resp = await recordings.getStored(_req(core, "getStored", recordingName="superfly"))
    assert (resp.status, resp.body) == (200, {"name": "superfly", "format": "wav"})


@pytest.mark.parametrize(
    "name", ["nothing", "../superfly", "/etc/passwd", "super\x00fly", "..", "x" * 4000]
)
async def test_get_of_missing_or_escaping_name_is_404(
    core: Core, directory: Path, name: str
) -> None:
    (directory.parent / "superfly.wav").write_bytes(WAV)
    for nickname in ("getStored", "getStoredFile", "deleteStored"):
        handler = getattr(recordings, nickname)
        assert await _error(handler(_req(core, nickname, recordingName=name))) == NOT_FOUND


async def test_file_download_returns_the_bytes_and_media_type(core: Core) -> None:
    resp = await recordings.getStoredFile(_req(core, "getStoredFile", recordingName="superfly"))
    assert resp.status == 200
    assert (resp.raw, resp.content_type) == (WAV, "audio/wav")
    assert resp.headers["Content-Disposition"] == 'attachment; filename="superfly.wav"'


async def test_file_download_over_http_carries_the_media_type(
    dispatcher: Dispatcher, core: Core
) -> None:
    out = await dispatcher.handle(
        HttpIn(
            method="GET",
            path="recordings/stored/superfly/file",
            headers={"Authorization": RW},
        )
    )
    assert (out.status, out.content_type, out.body) == (200, "audio/wav", WAV)


async def test_delete_is_204_then_404(core: Core, directory: Path) -> None:
    resp = await recordings.deleteStored(_req(core, "deleteStored", recordingName="superfly"))
    assert (resp.status, resp.body) == (204, None)
    assert not (directory / "superfly.wav").exists()
    again = recordings.deleteStored(_req(core, "deleteStored", recordingName="superfly"))
    assert await _error(again) == NOT_FOUND


async def test_copy_returns_the_new_recording_in_a_subfolder(core: Core, directory: Path) -> None:
    resp = await recordings.copyStored(
        _req(
            core,
            "copyStored",
            recordingName="superfly",
            destinationRecordingName="copy/superfreak",
        )
    )
    assert (resp.status, resp.body) == (200, {"name": "copy/superfreak", "format": "wav"})
    assert (directory / "copy" / "superfreak.wav").read_bytes() == WAV


async def test_copy_onto_an_existing_name_is_409(core: Core) -> None:
    params = {"recordingName": "superfly", "destinationRecordingName": "superfreak"}
    await recordings.copyStored(_req(core, "copyStored", **params))
    assert await _error(recordings.copyStored(_req(core, "copyStored", **params))) == (
        409,
        {"message": "A recording with the same name already exists on the system"},
    )


async def test_copy_of_a_missing_recording_is_404(core: Core) -> None:
    coro = recordings.copyStored(
        _req(
            core,
            "copyStored",
            recordingName="not-superfly",
            destinationRecordingName="copy/super-duper-freak",
        )
    )
    assert await _error(coro) == NOT_FOUND


@pytest.mark.parametrize("params", [{}, {"destinationRecordingName": ""}])
async def test_copy_without_destination_is_400(core: Core, params: dict[str, str]) -> None:
    coro = recordings.copyStored(_req(core, "copyStored", recordingName="superfly", **params))
    assert await _error(coro) == (400, {"message": "Missing parameter destinationRecordingName"})


@pytest.mark.parametrize("destination", ["../escaped", "copy/../../escaped", "/tmp/escaped"])
async def test_copy_outside_the_directory_is_403_and_writes_nothing(
    core: Core, directory: Path, destination: str
) -> None:
    coro = recordings.copyStored(
        _req(core, "copyStored", recordingName="superfly", destinationRecordingName=destination)
    )
    assert await _error(coro) == (403, {"message": "Destination file path is forbidden"})
    assert not (directory.parent / "escaped.wav").exists()


async def test_copy_the_file_system_refuses_is_500_copy_failed(core: Core) -> None:
    coro = recordings.copyStored(
        _req(core, "copyStored", recordingName="superfly", destinationRecordingName="x" * 4000)
    )
    assert await _error(coro) == (500, {"message": "Copy failed"})


async def test_stored_recordings_over_http_use_json_for_errors(
    dispatcher: Dispatcher, core: Core
) -> None:
    out = await dispatcher.handle(
        HttpIn(
            method="GET",
            path="recordings/stored/..%2F..%2Fetc%2Fpasswd/file",
            headers={"Authorization": RW},
        )
    )
    assert (out.status, json.loads(out.body)) == NOT_FOUND
