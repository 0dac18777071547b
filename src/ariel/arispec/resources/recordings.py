"""The ``recordings`` resource: recording resources.

Generated once by tools/gen_arispec.py from the reference catalogue;
edited by hand since. Descriptions are our own.
"""

from __future__ import annotations

from ariel.arispec.types import ErrorResponse, Operation, Param, Resource

__all__ = ["RESOURCE"]

RESOURCE = Resource(
    name="recordings",
    description="Recording resources",
    requires_modules=("res_stasis_recording",),
    models=("StoredRecording", "LiveRecording"),
    operations=(
        Operation(
            resource="recordings",
            nickname="listStored",
            method="GET",
            path="/recordings/stored",
            response_class="List[StoredRecording]",
            summary="List the stored recordings.",
            since=("12.0.0",),
        ),
        Operation(
            resource="recordings",
            nickname="getStored",
            method="GET",
            path="/recordings/stored/{recordingName}",
            response_class="StoredRecording",
            summary="Describe one stored recording.",
            params=(
                Param(
                    name="recordingName",
                    param_type="path",
                    data_type="string",
                    required=True,
                    description="Name of the recording.",
                ),
            ),
            error_responses=(ErrorResponse(code=404, reason="Recording not found"),),
            since=("12.0.0",),
        ),
        Operation(
            resource="recordings",
            nickname="deleteStored",
            method="DELETE",
            path="/recordings/stored/{recordingName}",
            response_class="void",
            summary="Delete a stored recording.",
            params=(
                Param(
                    name="recordingName",
                    param_type="path",
                    data_type="string",
                    required=True,
                    description="Name of the recording.",
                ),
            ),
            error_responses=(ErrorResponse(code=404, reason="Recording not found"),),
            success_code=204,
            since=("12.0.0",),
        ),
        Operation(
            resource="recordings",
            nickname="getStoredFile",
            method="GET",
            path="/recordings/stored/{recordingName}/file",
            response_class="binary",
            summary="Download the audio file of a stored recording.",
            params=(
                Param(
                    name="recordingName",
                    param_type="path",
                    data_type="string",
                    required=True,
                    description="Name of the recording.",
                ),
            ),
            error_responses=(
                ErrorResponse(code=403, reason="The recording file could not be opened"),
                ErrorResponse(code=404, reason="Recording not found"),
            ),
            since=("14.0.0",),
        ),
        Operation(
            resource="recordings",
            nickname="copyStored",
            method="POST",
            path="/recordings/stored/{recordingName}/copy",
            response_class="StoredRecording",
            summary="Copy a stored recording under another name.",
            params=(
                Param(
                    name="recordingName",
                    param_type="path",
                    data_type="string",
                    required=True,
                    description="Name of the recording.",
                ),
                Param(
                    name="destinationRecordingName",
                    param_type="query",
                    data_type="string",
                    required=True,
                    description="Name of the copy.",
                ),
            ),
            error_responses=(
                ErrorResponse(code=404, reason="Recording not found"),
                ErrorResponse(
                    code=409, reason=("A recording with the same name already exists on the system")
                ),
            ),
            since=("12.5.0",),
        ),
        Operation(
            resource="recordings",
            nickname="getLive",
            method="GET",
            path="/recordings/live/{recordingName}",
            response_class="LiveRecording",
            summary="Describe a recording in progress.",
            params=(
                Param(
                    name="recordingName",
                    param_type="path",
                    data_type="string",
                    required=True,
                    description="Name of the recording.",
                ),
            ),
            error_responses=(ErrorResponse(code=404, reason="Recording not found"),),
            since=("12.0.0",),
        ),
        Operation(
            resource="recordings",
            nickname="cancel",
            method="DELETE",
            path="/recordings/live/{recordingName}",
            response_class="void",
            summary="Stop a live recording and throw it away.",
            params=(
                Param(
                    name="recordingName",
                    param_type="path",
                    data_type="string",
                    required=True,
                    description="Name of the recording.",
                ),
            ),
            error_responses=(ErrorResponse(code=404, reason="Recording not found"),),
            success_code=204,
            since=("12.0.0",),
        ),
        Operation(
            resource="recordings",
            nickname="stop",
            method="POST",
            path="/recordings/live/{recordingName}/stop",
            response_class="void",
            summary="Stop a live recording and keep it.",
            params=(
                Param(
                    name="recordingName",
                    param_type="path",
                    data_type="string",
                    required=True,
                    description="Name of the recording.",
                ),
            ),
            error_responses=(ErrorResponse(code=404, reason="Recording not found"),),
            success_code=204,
            since=("12.0.0",),
        ),
        Operation(
            resource="recordings",
            nickname="pause",
            method="POST",
            path="/recordings/live/{recordingName}/pause",
            response_class="void",
            summary="Pause a live recording.",
            params=(
                Param(
                    name="recordingName",
                    param_type="path",
                    data_type="string",
                    required=True,
                    description="Name of the recording.",
                ),
            ),
            error_responses=(
                ErrorResponse(code=404, reason="Recording not found"),
                ErrorResponse(code=409, reason="Recording not in session"),
            ),
            success_code=204,
            since=("12.0.0",),
        ),
        Operation(
            resource="recordings",
            nickname="unpause",
            method="DELETE",
            path="/recordings/live/{recordingName}/pause",
            response_class="void",
            summary="Resume a paused live recording.",
            params=(
                Param(
                    name="recordingName",
                    param_type="path",
                    data_type="string",
                    required=True,
                    description="Name of the recording.",
                ),
            ),
            error_responses=(
                ErrorResponse(code=404, reason="Recording not found"),
                ErrorResponse(code=409, reason="Recording not in session"),
            ),
            success_code=204,
            since=("12.0.0",),
        ),
        Operation(
            resource="recordings",
            nickname="mute",
            method="POST",
            path="/recordings/live/{recordingName}/mute",
            response_class="void",
            summary="Mute a live recording; silence is recorded meanwhile.",
            params=(
                Param(
                    name="recordingName",
                    param_type="path",
                    data_type="string",
                    required=True,
                    description="Name of the recording.",
                ),
            ),
            error_responses=(
                ErrorResponse(code=404, reason="Recording not found"),
                ErrorResponse(code=409, reason="Recording not in session"),
            ),
            success_code=204,
            since=("12.0.0",),
        ),
        Operation(
            resource="recordings",
            nickname="unmute",
            method="DELETE",
            path="/recordings/live/{recordingName}/mute",
            response_class="void",
            summary="Unmute a live recording.",
            params=(
                Param(
                    name="recordingName",
                    param_type="path",
                    data_type="string",
                    required=True,
                    description="Name of the recording.",
                ),
            ),
            error_responses=(
                ErrorResponse(code=404, reason="Recording not found"),
                ErrorResponse(code=409, reason="Recording not in session"),
            ),
            success_code=204,
            since=("12.0.0",),
        ),
    ),
)
