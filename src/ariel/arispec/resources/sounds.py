"""The ``sounds`` resource: sound resources.

Generated once by tools/gen_arispec.py from the reference catalogue;
edited by hand since. Descriptions are our own.
"""

from __future__ import annotations

from ariel.arispec.types import Operation, Param, Resource

__all__ = ["RESOURCE"]

RESOURCE = Resource(
    name="sounds",
    description="Sound resources",
    requires_modules=(),
    models=("FormatLangPair", "Sound"),
    operations=(
        Operation(
            resource="sounds",
            nickname="list",
            method="GET",
            path="/sounds",
            response_class="List[Sound]",
            summary="List the sound files the server can play.",
            params=(
                Param(
                    name="lang",
                    param_type="query",
                    data_type="string",
                    description="Only list sounds that exist in this language.",
                ),
                Param(
                    name="format",
                    param_type="query",
                    data_type="string",
                    description="Only list sounds that exist in this format.",
                ),
            ),
            since=("12.0.0",),
        ),
        Operation(
            resource="sounds",
            nickname="get",
            method="GET",
            path="/sounds/{soundId}",
            response_class="Sound",
            summary="Describe one sound file.",
            params=(
                Param(
                    name="soundId",
                    param_type="path",
                    data_type="string",
                    required=True,
                    description="Name of the sound.",
                ),
            ),
            since=("12.0.0",),
        ),
    ),
)
