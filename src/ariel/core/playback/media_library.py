"""Turning ARI media URIs into audio sources.

Theory of operation: a playback names its media as URIs, as ARI defines
them: ``sound:<id>`` (a prompt, looked up by language like Asterisk's file
lookup), ``recording:<name>`` (a stored recording), ``tone:<name or tone
list>[;tonezone=<zone>]`` (``indications.conf``), and ``number:``,
``digits:``, ``characters:`` which are spoken with the core prompts as
Asterisk's ``say`` does. :meth:`MediaLibrary.open` gives a source ready to
play, or raises :class:`MediaUnavailable` -- the playback then finishes as
``failed``, which is what the reference does for a missing file.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ariel.config.indications import IndicationsConf, TonePart, parse_tone
from ariel.core.media.sources import Samples, SamplesSource, SoundCache, ToneSource
from ariel.core.playback.say import (
    SayError,
    parse_number,
    say_characters,
    say_digits,
    say_number,
)
from ariel.core.sounds import SoundIndex
from ariel.core.stored_recordings import StoredRecordings
from ariel.media.tones import ToneGenerator

__all__ = ["MEDIA_SCHEMES", "MediaLibrary", "MediaUnavailable", "file_format_of"]

log = logging.getLogger("ariel.playback")

MEDIA_SCHEMES = ("sound", "recording", "tone", "number", "digits", "characters")

#: Codecs we decode, best first (the reference prefers the channel's codec,
#: then signed linear; WAV prompts are ``slin``).
_PLAYABLE = ("slin", "ulaw", "alaw", "slin16", "gsm")

#: File extension -> the reader of :mod:`ariel.media.formats`.
_READERS = {
    "wav": "wav",
    "wav16": "wav",
    "sln": "sln",
    "raw": "sln",
    "sln16": "sln16",
    "ulaw": "ulaw",
    "pcm": "ulaw",
    "ul": "ulaw",
    "mu": "ulaw",
    "ulw": "ulaw",
    "alaw": "alaw",
    "al": "alaw",
    "alw": "alaw",
    "gsm": "gsm",
}


def file_format_of(path: Path) -> str | None:
    """The reader format for a file's extension, or ``None`` if we cannot decode it."""
    return _READERS.get(path.suffix.lstrip("."))


class MediaUnavailable(Exception):
    """The media URI names nothing we can play."""


@dataclass(slots=True)
class MediaLibrary:
    """Where media URIs are looked up."""

    sounds: SoundIndex
    recordings: StoredRecordings
    indications: IndicationsConf
    cache: SoundCache

    def open(self, uri: str, language: str, *, offset_ms: int = 0) -> SamplesSource | ToneSource:
        """A source for ``uri``.

        Raises:
            MediaUnavailable: Unknown scheme, missing or unreadable file, bad tone.
        """
        scheme, sep, rest = uri.partition(":")
        if not sep:
            raise MediaUnavailable(f"media URI {uri!r} has no scheme")
        if scheme == "sound":
            return SamplesSource(self._sound(rest, language), offset_ms=offset_ms)
        if scheme == "recording":
            return SamplesSource(self._recording(rest), offset_ms=offset_ms)
        if scheme == "tone":
            return self._tone(rest)
        if scheme in ("number", "digits", "characters"):
            return SamplesSource(self._say(scheme, rest, language), offset_ms=offset_ms)
        raise MediaUnavailable(f"unsupported media scheme {scheme!r}")

    def load_sound(self, sound_id: str, language: str) -> Samples:
        """The decoded samples of prompt ``sound_id`` in ``language``."""
        return self._sound(sound_id, language)

    # -- schemes ----------------------------------------------------------------
    def _sound(self, sound_id: str, language: str) -> Samples:
        if not sound_id or ".." in sound_id.split("/"):
            raise MediaUnavailable(f"invalid sound {sound_id!r}")
        found = self.sounds.resolve(sound_id, language, _PLAYABLE)
        if found is None:
            raise MediaUnavailable(f"sound {sound_id!r} not found for language {language!r}")
        return self._load(found.path)

    def _recording(self, name: str) -> Samples:
        rec = self.recordings.find(name) if name else None
        if rec is None:
            raise MediaUnavailable(f"recording {name!r} not found")
        return self._load(rec.path)

    def _load(self, path: Path) -> Samples:
        fmt = file_format_of(path)
        if fmt is None:
            raise MediaUnavailable(f"{path}: no decoder for this format")
        try:
            return self.cache.load(path, fmt)
        except (OSError, ValueError) as exc:
            log.warning("cannot play %s: %s", path, exc)
            raise MediaUnavailable(f"{path}: {exc}") from exc

    def _tone(self, spec: str) -> ToneSource:
        name, _, options = spec.partition(";")
        zone_name: str | None = None
        for option in options.split(";"):
            key, _, value = option.partition("=")
            if key.strip().lower() == "tonezone" and value.strip():
                zone_name = value.strip()
        zone = self.indications.zone(zone_name)
        if zone_name is not None and zone is None:
            raise MediaUnavailable(f"unknown tone zone {zone_name!r}")
        parts: tuple[TonePart, ...]
        tone = zone.tone(name) if zone is not None and name else None
        if tone is not None:
            parts = tone.parts
        else:
            try:
                parts = parse_tone(name)
            except ValueError as exc:
                raise MediaUnavailable(f"unknown tone {name!r}") from exc
        return ToneSource(ToneGenerator(parts))

    def _say(self, scheme: str, text: str, language: str) -> Samples:
        try:
            if scheme == "number":
                prompts = say_number(parse_number(text.split(",", 1)[0]))
            elif scheme == "digits":
                prompts = say_digits(text)
            else:
                prompts = say_characters(text)
        except (SayError, ValueError) as exc:
            raise MediaUnavailable(f"cannot say {scheme}:{text!r}: {exc}") from exc
        pieces = [self._sound(p, language) for p in prompts]
        if not pieces:
            raise MediaUnavailable(f"nothing to say for {scheme}:{text!r}")
        return np.concatenate(pieces)
