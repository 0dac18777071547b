"""ARI ``recordings``: stored recording files and live recordings."""

from __future__ import annotations

from ariel.ari.handler import AriError, AriRequest, AriResponse, no_content, ok
from ariel.ari.models.objects import live_recording_json, stored_recording_json
from ariel.core.recording.live import LiveRecording
from ariel.core.stored_recordings import (
    CopyFailed,
    DestinationForbidden,
    RecordingExists,
    RecordingNotFound,
    StoredRecording,
)

__all__ = [
    "cancel",
    "copyStored",
    "deleteStored",
    "getLive",
    "getStored",
    "getStoredFile",
    "listStored",
    "mute",
    "pause",
    "stop",
    "unmute",
    "unpause",
]


def _stored(req: AriRequest) -> StoredRecording:
    try:
        return req.core.stored_recordings.get(req.params["recordingName"])
    except RecordingNotFound:
        raise AriError(404, "Recording not found") from None


async def listStored(req: AriRequest) -> AriResponse:
    """GET /recordings/stored."""
    return ok([stored_recording_json(r) for r in req.core.stored_recordings.list()])


async def getStored(req: AriRequest) -> AriResponse:
    """GET /recordings/stored/{recordingName}."""
    return ok(stored_recording_json(_stored(req)))


async def deleteStored(req: AriRequest) -> AriResponse:
    """DELETE /recordings/stored/{recordingName}."""
    _stored(req)
    try:
        req.core.stored_recordings.delete(req.params["recordingName"])
    except RecordingNotFound:
        raise AriError(404, "Recording not found") from None
    except OSError:
        raise AriError(500, "Delete failed") from None
    return no_content()


async def getStoredFile(req: AriRequest) -> AriResponse:
    """GET /recordings/stored/{recordingName}/file."""
    rec = _stored(req)
    try:
        data = rec.path.read_bytes()
    except OSError:
        raise AriError(403, "The recording file could not be opened") from None
    return AriResponse(
        status=200,
        raw=data,
        content_type=rec.content_type,
        headers={"Content-Disposition": f'attachment; filename="{rec.path.name}"'},
    )


async def copyStored(req: AriRequest) -> AriResponse:
    """POST /recordings/stored/{recordingName}/copy."""
    destination = req.param("destinationRecordingName") or ""
    if not destination:
        raise AriError(400, "Missing parameter destinationRecordingName")
    try:
        copied = req.core.stored_recordings.copy(req.params["recordingName"], destination)
    except RecordingNotFound:
        raise AriError(404, "Recording not found") from None
    except RecordingExists:
        raise AriError(409, "A recording with the same name already exists on the system") from None
    except DestinationForbidden:
        raise AriError(403, "Destination file path is forbidden") from None
    except CopyFailed:
        raise AriError(500, "Copy failed") from None
    return ok(stored_recording_json(copied))


def _live(req: AriRequest) -> LiveRecording:
    rec = req.core.live_recordings.get(req.params["recordingName"])
    if rec is None:
        raise AriError(404, "Recording not found")
    return rec


async def getLive(req: AriRequest) -> AriResponse:
    """GET /recordings/live/{recordingName}."""
    return ok(live_recording_json(_live(req).snapshot()))


async def stop(req: AriRequest) -> AriResponse:
    """POST /recordings/live/{recordingName}/stop."""
    _live(req).stop()
    return no_content()


async def cancel(req: AriRequest) -> AriResponse:
    """DELETE /recordings/live/{recordingName}."""
    _live(req).cancel()
    return no_content()


def _in_session(done: bool) -> AriResponse:
    if not done:
        raise AriError(409, "Recording not in session")
    return no_content()


async def pause(req: AriRequest) -> AriResponse:
    """POST /recordings/live/{recordingName}/pause."""
    return _in_session(_live(req).pause())


async def unpause(req: AriRequest) -> AriResponse:
    """DELETE /recordings/live/{recordingName}/pause."""
    return _in_session(_live(req).unpause())


async def mute(req: AriRequest) -> AriResponse:
    """POST /recordings/live/{recordingName}/mute."""
    return _in_session(_live(req).mute(True))


async def unmute(req: AriRequest) -> AriResponse:
    """DELETE /recordings/live/{recordingName}/mute."""
    return _in_session(_live(req).mute(False))
