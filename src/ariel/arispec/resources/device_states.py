"""The ``deviceStates`` resource: device state resources.

Generated once by tools/gen_arispec.py from the reference catalogue;
edited by hand since. Descriptions are our own.
"""

from __future__ import annotations

from ariel.arispec.types import ErrorResponse, Operation, Param, Resource

__all__ = ["RESOURCE"]

RESOURCE = Resource(
    name="deviceStates",
    description="Device state resources",
    requires_modules=("res_stasis_device_state",),
    models=("DeviceState",),
    operations=(
        Operation(
            resource="deviceStates",
            nickname="list",
            method="GET",
            path="/deviceStates",
            response_class="List[DeviceState]",
            summary="List the device states that applications control.",
            since=("12.0.0",),
        ),
        Operation(
            resource="deviceStates",
            nickname="get",
            method="GET",
            path="/deviceStates/{deviceName}",
            response_class="DeviceState",
            summary="Read the state of one device.",
            params=(
                Param(
                    name="deviceName",
                    param_type="path",
                    data_type="string",
                    required=True,
                    description="Name of the device, e.g. Stasis:lamp.",
                ),
            ),
            since=("12.0.0",),
        ),
        Operation(
            resource="deviceStates",
            nickname="update",
            method="PUT",
            path="/deviceStates/{deviceName}",
            response_class="void",
            summary="Set the state of a device that applications control.",
            params=(
                Param(
                    name="deviceName",
                    param_type="path",
                    data_type="string",
                    required=True,
                    description="Name of the device, e.g. Stasis:lamp.",
                ),
                Param(
                    name="deviceState",
                    param_type="query",
                    data_type="string",
                    required=True,
                    allowable_values=(
                        "NOT_INUSE",
                        "INUSE",
                        "BUSY",
                        "INVALID",
                        "UNAVAILABLE",
                        "RINGING",
                        "RINGINUSE",
                        "ONHOLD",
                    ),
                    description="New state of the device.",
                ),
            ),
            error_responses=(
                ErrorResponse(code=404, reason="Device name is missing"),
                ErrorResponse(code=409, reason="Uncontrolled device specified"),
            ),
            success_code=204,
            since=("12.0.0",),
        ),
        Operation(
            resource="deviceStates",
            nickname="delete",
            method="DELETE",
            path="/deviceStates/{deviceName}",
            response_class="void",
            summary="Forget a device state that applications control.",
            params=(
                Param(
                    name="deviceName",
                    param_type="path",
                    data_type="string",
                    required=True,
                    description="Name of the device, e.g. Stasis:lamp.",
                ),
            ),
            error_responses=(
                ErrorResponse(code=404, reason="Device name is missing"),
                ErrorResponse(code=409, reason="Uncontrolled device specified"),
            ),
            success_code=204,
            since=("12.0.0",),
        ),
    ),
)
