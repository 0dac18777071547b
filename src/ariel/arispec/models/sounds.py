"""Models of the ``sounds`` resource.

Generated once by tools/gen_arispec.py from the reference catalogue;
edited by hand since. Descriptions are our own.
"""

from __future__ import annotations

from ariel.arispec.types import Field, Model

__all__ = ["MODELS"]

MODELS: tuple[Model, ...] = (
    Model(
        id="FormatLangPair",
        resource="sounds",
        description="One format and language a sound exists in.",
        fields=(
            Field(name="language", type="string", required=True, description="Language."),
            Field(name="format", type="string", required=True, description="File format."),
        ),
    ),
    Model(
        id="Sound",
        resource="sounds",
        description="A sound file the server can play.",
        fields=(
            Field(name="id", type="string", required=True, description="Name of the sound."),
            Field(name="text", type="string", description="What the sound says."),
            Field(
                name="formats",
                type="List[FormatLangPair]",
                required=True,
                description="Formats and languages it exists in.",
            ),
        ),
    ),
)
