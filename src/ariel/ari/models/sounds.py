"""JSON of the ``Sound`` and ``FormatLangPair`` models."""

from __future__ import annotations

from typing import Any

from ariel.core.sounds import FormatLang, Sound

__all__ = ["format_lang_json", "sound_json"]


def format_lang_json(pair: FormatLang) -> dict[str, Any]:
    """The ``FormatLangPair`` model."""
    return {"language": pair.language, "format": pair.format}


def sound_json(sound: Sound) -> dict[str, Any]:
    """The ``Sound`` model; ``text`` only when a description is known."""
    out: dict[str, Any] = {"id": sound.id}
    if sound.text:
        out["text"] = sound.text
    out["formats"] = [format_lang_json(p) for p in sound.formats]
    return out
