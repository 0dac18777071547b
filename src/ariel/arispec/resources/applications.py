"""The ``applications`` resource: stasis application resources.

Generated once by tools/gen_arispec.py from the reference catalogue;
edited by hand since. Descriptions are our own.
"""

from __future__ import annotations

from ariel.arispec.types import ErrorResponse, Operation, Param, Resource

__all__ = ["RESOURCE"]

RESOURCE = Resource(
    name="applications",
    description="Stasis application resources",
    requires_modules=(),
    models=("Application",),
    operations=(
        Operation(
            resource="applications",
            nickname="list",
            method="GET",
            path="/applications",
            response_class="List[Application]",
            summary="List the registered applications.",
            since=("13.0.0",),
        ),
        Operation(
            resource="applications",
            nickname="get",
            method="GET",
            path="/applications/{applicationName}",
            response_class="Application",
            summary="Describe one application.",
            params=(
                Param(
                    name="applicationName",
                    param_type="path",
                    data_type="string",
                    required=True,
                    description="Name of the application.",
                ),
            ),
            error_responses=(ErrorResponse(code=404, reason="Application does not exist."),),
            since=("13.0.0",),
        ),
        Operation(
            resource="applications",
            nickname="subscribe",
            method="POST",
            path="/applications/{applicationName}/subscription",
            response_class="Application",
            summary="Subscribe an application to the events of a source.",
            params=(
                Param(
                    name="applicationName",
                    param_type="path",
                    data_type="string",
                    required=True,
                    description="Name of the application.",
                ),
                Param(
                    name="eventSource",
                    param_type="query",
                    data_type="string",
                    required=True,
                    allow_multiple=True,
                    missing_message="Missing parameter eventSource",
                    description=(
                        "Event source URIs: channel:ID, bridge:ID, "
                        "endpoint:TECH[/RES], deviceState:NAME."
                    ),
                ),
            ),
            error_responses=(
                ErrorResponse(code=400, reason="Missing parameter."),
                ErrorResponse(code=404, reason="Application does not exist."),
                ErrorResponse(code=422, reason="Event source does not exist."),
            ),
            since=("13.0.0",),
        ),
        Operation(
            resource="applications",
            nickname="unsubscribe",
            method="DELETE",
            path="/applications/{applicationName}/subscription",
            response_class="Application",
            summary="Unsubscribe an application from the events of a source.",
            params=(
                Param(
                    name="applicationName",
                    param_type="path",
                    data_type="string",
                    required=True,
                    description="Name of the application.",
                ),
                Param(
                    name="eventSource",
                    param_type="query",
                    data_type="string",
                    required=True,
                    allow_multiple=True,
                    missing_message="Missing parameter eventSource",
                    description=(
                        "Event source URIs: channel:ID, bridge:ID, "
                        "endpoint:TECH[/RES], deviceState:NAME."
                    ),
                ),
            ),
            error_responses=(
                ErrorResponse(
                    code=400, reason="Missing parameter; event source scheme not recognized."
                ),
                ErrorResponse(code=404, reason="Application does not exist."),
                ErrorResponse(code=409, reason="Application not subscribed to event source."),
                ErrorResponse(code=422, reason="Event source does not exist."),
            ),
            since=("13.0.0",),
        ),
        Operation(
            resource="applications",
            nickname="filter",
            method="PUT",
            path="/applications/{applicationName}/eventFilter",
            response_class="Application",
            summary="Set which event types an application receives.",
            params=(
                Param(
                    name="applicationName",
                    param_type="path",
                    data_type="string",
                    required=True,
                    description="Name of the application.",
                ),
                Param(
                    name="filter",
                    param_type="body",
                    data_type="object",
                    description=(
                        'Body with `allowed` and `disallowed` lists of {"type": NAME} entries.'
                    ),
                ),
            ),
            error_responses=(
                ErrorResponse(code=400, reason="Bad request."),
                ErrorResponse(code=404, reason="Application does not exist."),
            ),
            since=("13.26.0", "16.3.0"),
        ),
    ),
)
