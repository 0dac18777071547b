"""Starting recordings: name, format and ``ifExists`` rules of the reference.

``POST /channels/{id}/record`` is checked here before anything is opened:
an unknown format is refused (422), a name that would leave the recordings
directory is invalid (400), and a name in use -- a live recording, or a
stored file with ``ifExists=fail`` -- is a conflict (409).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from ariel.core.events import CoreEvent
from ariel.core.media.channel_media import ChannelMedia
from ariel.core.media.sources import Samples
from ariel.core.objects import ObjectRegistry
from ariel.core.recording.live import LiveRecording, RecordingOptions
from ariel.core.stored_recordings import StoredRecordings

__all__ = [
    "WRITABLE_FORMATS",
    "InvalidRecordingName",
    "Recorder",
    "RecordingNameInUse",
    "UnknownRecordingFormat",
]

#: Recording format (the file extension, as ARI names it) -> the media writer.
WRITABLE_FORMATS = {
    "wav": "wav",
    "wav16": "wav16",
    "sln": "sln",
    "sln16": "sln16",
    "ulaw": "ulaw",
    "alaw": "alaw",
}


class UnknownRecordingFormat(Exception):
    """No writer for the format (422)."""


class InvalidRecordingName(Exception):
    """The name is empty or escapes the recordings directory (400)."""


class RecordingNameInUse(Exception):
    """A live recording has the name, or ``ifExists=fail`` and a file exists (409)."""


@dataclass(slots=True)
class Recorder:
    """Creates live recordings in the stored recordings' directory."""

    stored: StoredRecordings
    live: ObjectRegistry[LiveRecording]
    publish: Callable[[CoreEvent], None]
    now: Callable[[], datetime]
    beep: Callable[[], Samples | None]

    def record(
        self,
        media: ChannelMedia,
        *,
        name: str,
        format: str,
        target_uri: str,
        if_exists: str = "fail",
        options: RecordingOptions,
    ) -> LiveRecording:
        """Create and start a recording of ``media``'s incoming audio.

        Raises:
            UnknownRecordingFormat, InvalidRecordingName, RecordingNameInUse.
            OSError: The file could not be created.
        """
        writer = WRITABLE_FORMATS.get(format)
        if writer is None:
            raise UnknownRecordingFormat(format)
        path = self.stored.path_for(name, format)
        if path is None:
            raise InvalidRecordingName(name)
        if self.live.get(name) is not None:
            raise RecordingNameInUse(name)
        exists = path.exists()
        if exists and if_exists == "fail":
            raise RecordingNameInUse(name)
        options.append = exists and if_exists == "append"
        recording = LiveRecording(
            name=name,
            format=format,
            writer_format=writer,
            path=path,
            target_uri=target_uri,
            channel_media=media,
            options=options,
            registry=self.live,
            publish=self.publish,
            now=self.now,
            beep=self.beep() if options.beep else None,
        )
        recording.start()
        return recording
