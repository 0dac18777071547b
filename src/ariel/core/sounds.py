"""The index of prompt files (ARI ``/sounds``, and lookup for ``sound:`` playback).

Theory of operation, after Asterisk's media index (``media_index.c``):

* Each sounds root holds one folder per language (``<root>/en/hello-world.wav``,
  ``<root>/en/digits/1.wav``); a sound's id is its path below the language
  folder without the extension (``digits/1``). Files straight in the root
  (``<root>/beep.gsm``) and folders that do not look like a language code
  (``<root>/digits/``) are the legacy layout and count as the default
  language.
* A file's *format* is the codec its extension maps to, as Asterisk's format
  modules register them: ``.wav`` is ``slin`` (format_wav), ``.wav16`` is
  ``slin16``, ``.ulaw``/``.pcm`` are ``ulaw``... This is why the reference
  reports the WAV prompts as ``slin``. Unknown extensions are skipped.
* Debian's ``asterisk-core-sounds-*`` packages install
  ``/usr/share/asterisk/sounds/en_US_f_Allison`` plus symlinks ``en`` and
  ``en_US`` to it. Language folders that resolve to the same real folder
  are indexed once, under the shortest name (``en``), so the reference's
  listing (language ``en`` only) is reproduced.
* Descriptions come from ``<lang>/core-sounds-<lang>.txt`` and
  ``extra-sounds-<lang>.txt`` (``id: text`` lines, ``;`` comments); ARI's
  ``text`` is the default language's description.

The index is built on first use and kept until :meth:`SoundIndex.refresh`;
listing filters the cached, sorted tuple, which takes well under a
millisecond for the ~570 core prompts.
"""

from __future__ import annotations

import builtins
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from ariel.core.errors import NotFound

__all__ = ["EXTENSION_FORMATS", "FormatLang", "Sound", "SoundFile", "SoundIndex"]

#: File extension -> the format (codec) name Asterisk reports, in the order
#: a lookup prefers them when several files have the same format.
EXTENSION_FORMATS: dict[str, str] = {
    "wav": "slin",
    "sln": "slin",
    "raw": "slin",
    "wav16": "slin16",
    "sln16": "slin16",
    "sln12": "slin12",
    "sln24": "slin24",
    "sln32": "slin32",
    "sln44": "slin44",
    "sln48": "slin48",
    "sln96": "slin96",
    "sln192": "slin192",
    "ulaw": "ulaw",
    "pcm": "ulaw",
    "ul": "ulaw",
    "mu": "ulaw",
    "ulw": "ulaw",
    "au": "ulaw",
    "alaw": "alaw",
    "al": "alaw",
    "alw": "alaw",
    "gsm": "gsm",
    "WAV": "gsm",
    "wav49": "gsm",
    "g722": "g722",
    "g729": "g729",
    "g723": "g723",
    "g723sf": "g723",
    "g726-40": "g726",
    "g726-32": "g726",
    "g726-24": "g726",
    "g726-16": "g726",
    "siren7": "siren7",
    "siren14": "siren14",
    "ilbc": "ilbc",
    "spx": "speex",
    "opus": "opus",
    "ogg": "slin",
    "vox": "adpcm",
}

_LANGUAGE_DIR = re.compile(r"^[a-z]{2,3}(?:_[A-Za-z0-9]+)*$")
_EXT_RANK = {ext: i for i, ext in enumerate(EXTENSION_FORMATS)}


@dataclass(frozen=True, slots=True, kw_only=True)
class FormatLang:
    """One language/format a sound exists in (ARI ``FormatLangPair``)."""

    language: str
    format: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Sound:
    """One sound (ARI ``Sound``).

    Attributes:
        id: Path below the language folder, without extension (``digits/1``).
        text: Description in the default language, if one is known.
        formats: Every (language, format) it exists in, sorted.
    """

    id: str
    text: str | None
    formats: tuple[FormatLang, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class SoundFile:
    """One file on disk holding a sound."""

    id: str
    language: str
    format: str
    extension: str
    path: Path


def _split_ext(filename: str) -> tuple[str, str] | None:
    stem, dot, ext = filename.rpartition(".")
    if not dot or not stem or ext not in EXTENSION_FORMATS:
        return None
    return stem, ext


def _walk(folder: Path, prefix: str, recurse: bool = True) -> Iterator[tuple[str, str, Path]]:
    """``(id, extension, path)`` of each sound file below ``folder``."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            if recurse:
                yield from _walk(Path(entry.path), f"{prefix}{entry.name}/")
        elif entry.is_file():
            split = _split_ext(entry.name)
            if split is not None:
                yield prefix + split[0], split[1], Path(entry.path)


def _read_descriptions(path: Path) -> dict[str, str]:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return {}
    found: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith(";"):
            continue
        ident, colon, description = line.partition(":")
        if colon and ident.strip():
            found[ident.strip()] = description.strip()
    return found


class SoundIndex:
    """Index of the prompt folders.

    Args:
        directories: Sounds roots, in priority order (the first root wins
            when two hold the same id, language and format).
        default_language: Language of legacy-layout files and of ``text``.
    """

    def __init__(self, directories: Sequence[Path], default_language: str = "en") -> None:
        self._roots = tuple(directories)
        self._default = default_language
        self._sounds: tuple[Sound, ...] | None = None
        self._by_id: dict[str, Sound] = {}
        self._files: dict[tuple[str, str], dict[str, SoundFile]] = {}

    @property
    def directories(self) -> tuple[Path, ...]:
        """The sounds roots."""
        return self._roots

    def refresh(self) -> None:
        """Rescan the folders (after prompts were added or removed)."""
        files: dict[tuple[str, str], dict[str, SoundFile]] = {}
        texts: dict[str, str] = {}
        for language, folder, prefix, is_language_dir in self._language_folders():
            for ident, ext, path in _walk(folder, prefix, recurse=bool(prefix) or is_language_dir):
                per_format = files.setdefault((ident, language), {})
                fmt = EXTENSION_FORMATS[ext]
                current = per_format.get(fmt)
                same_folder = current is not None and current.path.parent == path.parent
                if current is None or (
                    same_folder and _EXT_RANK[ext] < _EXT_RANK[current.extension]
                ):
                    per_format[fmt] = SoundFile(
                        id=ident, language=language, format=fmt, extension=ext, path=path
                    )
            if language == self._default and is_language_dir:
                for name in (f"core-sounds-{language}.txt", f"extra-sounds-{language}.txt"):
                    for ident, text in _read_descriptions(folder / name).items():
                        texts.setdefault(ident, text)
        pairs: dict[str, set[FormatLang]] = {}
        for (ident, language), per_format in files.items():
            pairs.setdefault(ident, set()).update(
                FormatLang(language=language, format=fmt) for fmt in per_format
            )
        sounds = tuple(
            Sound(
                id=ident,
                text=texts.get(ident) or None,
                formats=tuple(sorted(found, key=lambda p: (p.language, p.format))),
            )
            for ident, found in sorted(pairs.items())
        )
        self._files = files
        self._sounds = sounds
        self._by_id = {s.id: s for s in sounds}

    def _language_folders(self) -> list[tuple[str, Path, str, bool]]:
        """``(language, folder, id prefix, is a language folder)`` to scan.

        Language folders resolving to the same real folder appear once; the
        root itself comes last, scanned without recursion (legacy files).
        """
        out: list[tuple[str, Path, str, bool]] = []
        for root in self._roots:
            try:
                entries = sorted(os.scandir(root), key=lambda e: e.name)
            except OSError:
                continue
            by_real: dict[str, str] = {}
            for entry in entries:
                if not entry.is_dir() or not _LANGUAGE_DIR.match(entry.name):
                    continue
                real = os.path.realpath(entry.path)
                best = by_real.get(real)
                if best is None or (len(entry.name), entry.name) < (len(best), best):
                    by_real[real] = entry.name
            languages = set(by_real.values())
            for name in sorted(languages):
                out.append((name, root / name, "", True))
            for entry in entries:
                if entry.name.startswith(".") or _LANGUAGE_DIR.match(entry.name):
                    continue
                if entry.is_dir():
                    out.append((self._default, Path(entry.path), entry.name + "/", False))
            out.append((self._default, root, "", False))
        return out

    def _ensure(self) -> tuple[Sound, ...]:
        if self._sounds is None:
            self.refresh()
        assert self._sounds is not None
        return self._sounds

    def __len__(self) -> int:
        return len(self._ensure())

    def list(self, lang: str | None = None, format: str | None = None) -> list[Sound]:
        """The sounds, ordered by id, filtered like the reference.

        Args:
            lang: Keep only this language (exact match); ``None``/``""``: all.
            format: Keep only this format name (exact match); ``None``/``""``: all.

        Returns:
            The matching sounds, each carrying only the matching pairs; empty
            when nothing matches (ARI then answers 404).
        """
        sounds = self._ensure()
        if not lang and not format:
            return list(sounds)
        out: list[Sound] = []
        for sound in sounds:
            pairs = tuple(
                p
                for p in sound.formats
                if (not lang or p.language == lang) and (not format or p.format == format)
            )
            if pairs:
                out.append(Sound(id=sound.id, text=sound.text, formats=pairs))
        return out

    def get(self, sound_id: str) -> Sound:
        """One sound.

        Raises:
            NotFound: no such sound ("Sound not found").
        """
        self._ensure()
        sound = self._by_id.get(sound_id)
        if sound is None:
            raise NotFound("Sound not found")
        return sound

    def exists(self, sound_id: str) -> bool:
        """Whether a sound with this id is indexed."""
        self._ensure()
        return sound_id in self._by_id

    def files(self, sound_id: str) -> builtins.list[SoundFile]:
        """Every indexed file of a sound, by language then format."""
        self._ensure()
        return [
            f
            for (ident, _lang), per_format in sorted(self._files.items())
            if ident == sound_id
            for f in sorted(per_format.values(), key=lambda f: f.format)
        ]

    def resolve(
        self, sound_id: str, language: str | None = None, formats: Sequence[str] = ()
    ) -> SoundFile | None:
        """The file to play for ``sound:<sound_id>``.

        Languages are tried as Asterisk does: the requested one, then its
        prefix before ``_`` (``en_GB`` -> ``en``), then the default language.

        Args:
            sound_id: The sound id, or an absolute path without extension.
            language: The channel's language.
            formats: Acceptable formats, best first; empty accepts any.

        Returns:
            The file, or ``None`` when no acceptable file exists.
        """
        if sound_id.startswith("/"):
            return self._resolve_absolute(sound_id, formats)
        self._ensure()
        for lang in self._language_chain(language):
            per_format = self._files.get((sound_id, lang))
            if not per_format:
                continue
            if not formats:
                return min(per_format.values(), key=lambda f: _EXT_RANK[f.extension])
            for fmt in formats:
                if fmt in per_format:
                    return per_format[fmt]
        return None

    def path_of(
        self, sound_id: str, language: str | None = None, formats: Sequence[str] = ()
    ) -> Path | None:
        """The path of :meth:`resolve`'s file, or ``None``."""
        found = self.resolve(sound_id, language, formats)
        return None if found is None else found.path

    def _language_chain(self, language: str | None) -> builtins.list[str]:
        chain: builtins.list[str] = []
        for lang in (language, (language or "").split("_")[0], self._default):
            if lang and lang not in chain:
                chain.append(lang)
        return chain

    @staticmethod
    def _resolve_absolute(stem: str, formats: Sequence[str]) -> SoundFile | None:
        wanted: builtins.list[str | None] = [*formats] or [None]
        for fmt in wanted:
            for ext, ext_format in EXTENSION_FORMATS.items():
                if fmt is not None and ext_format != fmt:
                    continue
                path = Path(f"{stem}.{ext}")
                if path.is_file():
                    return SoundFile(
                        id=stem, language="", format=ext_format, extension=ext, path=path
                    )
        return None
