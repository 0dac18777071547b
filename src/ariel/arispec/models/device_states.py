"""Models of the ``deviceStates`` resource.

Generated once by tools/gen_arispec.py from the reference catalogue;
edited by hand since. Descriptions are our own.
"""

from __future__ import annotations

from ariel.arispec.types import Field, Model

__all__ = ["MODELS"]

MODELS: tuple[Model, ...] = (
    Model(
        id="DeviceState",
        resource="deviceStates",
        description="The state of a device.",
        fields=(
            Field(name="name", type="string", required=True, description="Name of the device."),
            Field(
                name="state",
                type="string",
                required=True,
                allowable_values=(
                    "UNKNOWN",
                    "NOT_INUSE",
                    "INUSE",
                    "BUSY",
                    "INVALID",
                    "UNAVAILABLE",
                    "RINGING",
                    "RINGINUSE",
                    "ONHOLD",
                ),
                description="State of the device.",
            ),
        ),
    ),
)
