"""Stored recordings: the finished recording files under the spool directory.

A recording ``name`` may contain ``/`` (a subdirectory) but never leaves the
recordings directory; its ``format`` is the file extension, and one name may
exist in several formats (the first found is reported, and deleted, as the
reference does). A name the file system cannot look up (too long, a loop) is
simply not found.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "CopyFailed",
    "DestinationForbidden",
    "RecordingExists",
    "RecordingNotFound",
    "StoredRecording",
    "StoredRecordings",
]

#: File extensions a recording can have, and the MIME type served for each.
CONTENT_TYPES = {
    "wav": "audio/wav",
    "wav16": "audio/wav",
    "gsm": "audio/x-gsm",
    "ulaw": "audio/basic",
    "alaw": "audio/x-alaw-basic",
    "sln": "audio/x-slin",
    "sln16": "audio/x-slin16",
    "g722": "audio/G722",
}


class RecordingNotFound(LookupError):
    """No stored recording of that name."""


class RecordingExists(Exception):
    """The destination of a copy already exists."""


class DestinationForbidden(Exception):
    """The destination of a copy lies outside the recordings directory."""


class CopyFailed(Exception):
    """The file system refused the copy."""


@dataclass(frozen=True, slots=True, kw_only=True)
class StoredRecording:
    """The ARI ``StoredRecording`` model: a name and its format."""

    name: str
    format: str
    path: Path

    @property
    def content_type(self) -> str:
        """MIME type of the file."""
        return CONTENT_TYPES.get(self.format, "application/octet-stream")


class StoredRecordings:
    """The recordings directory (``<astspooldir>/recording``)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def _resolve_base(self, name: str) -> Path | None:
        if not name or "\x00" in name:
            return None
        try:
            root = self.directory.resolve()
            candidate = (root / name).resolve()
        except (OSError, RuntimeError):  # too long, a symlink loop
            return None
        if candidate != root and root not in candidate.parents:
            return None
        return candidate

    def path_for(self, name: str, fmt: str) -> Path | None:
        """Where recording ``name`` in format ``fmt`` is written; ``None`` if it would escape."""
        base = self._resolve_base(name)
        if base is None or base == self.directory.resolve():
            return None
        return base.with_name(f"{base.name}.{fmt}")

    def list(self) -> list[StoredRecording]:
        """Every stored recording, sorted by name."""
        if not self.directory.is_dir():
            return []
        found: dict[str, StoredRecording] = {}
        root = self.directory
        for path in sorted(root.rglob("*")):
            if not path.is_file() or path.suffix[1:] not in CONTENT_TYPES:
                continue
            name = path.relative_to(root).with_suffix("").as_posix()
            found.setdefault(name, StoredRecording(name=name, format=path.suffix[1:], path=path))
        return sorted(found.values(), key=lambda r: r.name)

    def find(self, name: str) -> StoredRecording | None:
        """The recording ``name``, or ``None``."""
        base = self._resolve_base(name)
        if base is None:
            return None
        for fmt in CONTENT_TYPES:
            path = base.with_name(f"{base.name}.{fmt}")
            try:
                if path.is_file():
                    return StoredRecording(name=name, format=fmt, path=path)
            except OSError:  # ENAMETOOLONG and friends: no such recording
                return None
        return None

    def get(self, name: str) -> StoredRecording:
        """The recording ``name`` (RecordingNotFound if absent)."""
        found = self.find(name)
        if found is None:
            raise RecordingNotFound(name)
        return found

    def delete(self, name: str) -> None:
        """Delete the file of recording ``name`` (the format ``get`` reports).

        Raises:
            RecordingNotFound: no such recording.
            OSError: the file could not be removed.
        """
        self.get(name).path.unlink()

    def copy(self, name: str, destination: str) -> StoredRecording:
        """Copy recording ``name`` to ``destination`` (same format).

        An extension on ``destination`` is dropped, as the reference does.

        Raises:
            RecordingNotFound: no recording ``name``.
            DestinationForbidden: ``destination`` leaves the recordings directory.
            RecordingExists: ``destination`` already exists.
            CopyFailed: the file system refused.
        """
        rec = self.get(name)
        head, dot, ext = destination.rpartition(".")
        stem = head if dot and "/" not in ext else destination
        dest_base = self._resolve_base(stem)
        if dest_base is None or self._resolve_base(destination) is None:
            raise DestinationForbidden(destination)
        if self.find(stem) is not None:
            raise RecordingExists(destination)
        dest = dest_base.with_name(f"{dest_base.name}.{rec.format}")
        try:
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(rec.path, dest)
        except OSError as exc:
            raise CopyFailed(destination) from exc
        return StoredRecording(name=stem, format=rec.format, path=dest)
