"""The ``endpoints`` resource: endpoint resources.

Generated once by tools/gen_arispec.py from the reference catalogue;
edited by hand since. Descriptions are our own.
"""

from __future__ import annotations

from ariel.arispec.types import ErrorResponse, Operation, Param, Resource

__all__ = ["RESOURCE"]

RESOURCE = Resource(
    name="endpoints",
    description="Endpoint resources",
    requires_modules=(),
    models=("Endpoint", "TextMessage"),
    operations=(
        Operation(
            resource="endpoints",
            nickname="list",
            method="GET",
            path="/endpoints",
            response_class="List[Endpoint]",
            summary="List every endpoint.",
            since=("12.0.0",),
        ),
        Operation(
            resource="endpoints",
            nickname="sendMessage",
            method="PUT",
            path="/endpoints/sendMessage",
            response_class="void",
            summary="Send a text message to a URI; the URI picks the technology.",
            params=(
                Param(
                    name="to",
                    param_type="query",
                    data_type="string",
                    required=True,
                    description="Destination URI, e.g. pjsip:alice.",
                ),
                Param(
                    name="from",
                    param_type="query",
                    data_type="string",
                    required=True,
                    description="Sender shown to the recipient.",
                ),
                Param(
                    name="body",
                    param_type="query",
                    data_type="string",
                    description="Text of the message.",
                ),
                Param(
                    name="variables",
                    param_type="body",
                    data_type="containers",
                    description="Body whose `variables` key holds extra message headers.",
                ),
            ),
            error_responses=(
                ErrorResponse(code=400, reason="Invalid parameters for sending a message."),
                ErrorResponse(code=404, reason="Endpoint not found"),
            ),
            success_code=202,
            since=("13.0.0",),
        ),
        Operation(
            resource="endpoints",
            nickname="refer",
            method="POST",
            path="/endpoints/refer",
            response_class="void",
            summary="Send an out-of-dialog REFER to a URI.",
            params=(
                Param(
                    name="to",
                    param_type="query",
                    data_type="string",
                    required=True,
                    description="Destination URI, e.g. pjsip:alice.",
                ),
                Param(
                    name="from",
                    param_type="query",
                    data_type="string",
                    required=True,
                    description="Sender shown to the recipient.",
                ),
                Param(
                    name="refer_to",
                    param_type="query",
                    data_type="string",
                    required=True,
                    description="URI the peer is asked to contact.",
                ),
                Param(
                    name="to_self",
                    param_type="query",
                    data_type="boolean",
                    default=False,
                    description=(
                        "When the target is one of our endpoints, point it back at this server."
                    ),
                ),
                Param(
                    name="variables",
                    param_type="body",
                    data_type="containers",
                    description="Body whose `variables` key holds extra REFER headers.",
                ),
            ),
            error_responses=(
                ErrorResponse(code=400, reason="Invalid parameters for referring."),
                ErrorResponse(code=404, reason="Endpoint not found"),
            ),
            success_code=202,
            since=("18.20.0", "20.5.0"),
        ),
        Operation(
            resource="endpoints",
            nickname="listByTech",
            method="GET",
            path="/endpoints/{tech}",
            response_class="List[Endpoint]",
            summary="List the endpoints of one channel technology.",
            params=(
                Param(
                    name="tech",
                    param_type="path",
                    data_type="string",
                    description="Channel technology, e.g. PJSIP.",
                ),
            ),
            error_responses=(ErrorResponse(code=404, reason="Endpoints not found"),),
            since=("12.0.0",),
        ),
        Operation(
            resource="endpoints",
            nickname="get",
            method="GET",
            path="/endpoints/{tech}/{resource}",
            response_class="Endpoint",
            summary="Describe one endpoint.",
            params=(
                Param(
                    name="tech",
                    param_type="path",
                    data_type="string",
                    description="Channel technology, e.g. PJSIP.",
                ),
                Param(
                    name="resource",
                    param_type="path",
                    data_type="string",
                    description="Endpoint name within the technology.",
                ),
            ),
            error_responses=(
                ErrorResponse(code=400, reason="Invalid parameters for sending a message."),
                ErrorResponse(code=404, reason="Endpoints not found"),
            ),
            since=("12.0.0",),
        ),
        Operation(
            resource="endpoints",
            nickname="sendMessageToEndpoint",
            method="PUT",
            path="/endpoints/{tech}/{resource}/sendMessage",
            response_class="void",
            summary="Send a text message to one endpoint.",
            params=(
                Param(
                    name="tech",
                    param_type="path",
                    data_type="string",
                    description="Channel technology, e.g. PJSIP.",
                ),
                Param(
                    name="resource",
                    param_type="path",
                    data_type="string",
                    description="Endpoint name within the technology.",
                ),
                Param(
                    name="from",
                    param_type="query",
                    data_type="string",
                    required=True,
                    description="Sender shown to the recipient.",
                ),
                Param(
                    name="body",
                    param_type="query",
                    data_type="string",
                    description="Text of the message.",
                ),
                Param(
                    name="variables",
                    param_type="body",
                    data_type="containers",
                    description="Body whose `variables` key holds extra message headers.",
                ),
            ),
            error_responses=(
                ErrorResponse(code=400, reason="Invalid parameters for sending a message."),
                ErrorResponse(code=404, reason="Endpoint not found"),
            ),
            success_code=202,
            since=("13.0.0",),
        ),
        Operation(
            resource="endpoints",
            nickname="referToEndpoint",
            method="POST",
            path="/endpoints/{tech}/{resource}/refer",
            response_class="void",
            summary="Send an out-of-dialog REFER to one endpoint.",
            params=(
                Param(
                    name="tech",
                    param_type="path",
                    data_type="string",
                    description="Channel technology, e.g. PJSIP.",
                ),
                Param(
                    name="resource",
                    param_type="path",
                    data_type="string",
                    description="Endpoint name within the technology.",
                ),
                Param(
                    name="from",
                    param_type="query",
                    data_type="string",
                    required=True,
                    description="Sender shown to the recipient.",
                ),
                Param(
                    name="refer_to",
                    param_type="query",
                    data_type="string",
                    required=True,
                    description="URI the peer is asked to contact.",
                ),
                Param(
                    name="to_self",
                    param_type="query",
                    data_type="boolean",
                    default=False,
                    description=(
                        "When the target is one of our endpoints, point it back at this server."
                    ),
                ),
                Param(
                    name="variables",
                    param_type="body",
                    data_type="containers",
                    description="Body whose `variables` key holds extra REFER headers.",
                ),
            ),
            error_responses=(
                ErrorResponse(code=400, reason="Invalid parameters for referring."),
                ErrorResponse(code=404, reason="Endpoint not found"),
            ),
            success_code=202,
            since=("18.20.0", "20.5.0"),
        ),
    ),
)
