"""The ``playbacks`` resource: playback control resources.

Generated once by tools/gen_arispec.py from the reference catalogue;
edited by hand since. Descriptions are our own.
"""

from __future__ import annotations

from ariel.arispec.types import ErrorResponse, Operation, Param, Resource

__all__ = ["RESOURCE"]

RESOURCE = Resource(
    name="playbacks",
    description="Playback control resources",
    requires_modules=("res_stasis_playback",),
    models=("Playback",),
    operations=(
        Operation(
            resource="playbacks",
            nickname="get",
            method="GET",
            path="/playbacks/{playbackId}",
            response_class="Playback",
            summary="Describe one playback.",
            params=(
                Param(
                    name="playbackId",
                    param_type="path",
                    data_type="string",
                    required=True,
                    description="Id of the playback.",
                ),
            ),
            error_responses=(ErrorResponse(code=404, reason="The playback cannot be found"),),
            since=("12.0.0",),
        ),
        Operation(
            resource="playbacks",
            nickname="stop",
            method="DELETE",
            path="/playbacks/{playbackId}",
            response_class="void",
            summary="Stop a playback.",
            params=(
                Param(
                    name="playbackId",
                    param_type="path",
                    data_type="string",
                    required=True,
                    description="Id of the playback.",
                ),
            ),
            error_responses=(ErrorResponse(code=404, reason="The playback cannot be found"),),
            success_code=204,
            since=("12.0.0",),
        ),
        Operation(
            resource="playbacks",
            nickname="control",
            method="POST",
            path="/playbacks/{playbackId}/control",
            response_class="void",
            summary="Pause, resume, restart, rewind or fast-forward a playback.",
            params=(
                Param(
                    name="playbackId",
                    param_type="path",
                    data_type="string",
                    required=True,
                    description="Id of the playback.",
                ),
                Param(
                    name="operation",
                    param_type="query",
                    data_type="string",
                    required=True,
                    allowable_values=("restart", "pause", "unpause", "reverse", "forward"),
                    missing_message="Missing operation",
                    description="What to do with the playback.",
                ),
            ),
            error_responses=(
                ErrorResponse(code=400, reason="The provided operation parameter was invalid"),
                ErrorResponse(code=404, reason="The playback cannot be found"),
                ErrorResponse(
                    code=409,
                    reason=("The operation cannot be performed in the playback's current state"),
                ),
            ),
            success_code=204,
            since=("12.0.0",),
        ),
    ),
)
