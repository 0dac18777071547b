"""The ARI registry: every operation, parameter, model and event, as pure data.

The single source for routing, parameter reading (`parse_params`), the
Swagger documents existing clients load (`resource_listing`,
`api_declaration`), the OpenAPI 3.1 document (`openapi_document`) and the
client framework. Which operations are served yet is decided in
`ariel.arispec.availability`.
"""

from __future__ import annotations

from ariel.arispec.openapi import openapi_document
from ariel.arispec.params import ParamError, ParsedRequest, parse_params
from ariel.arispec.registry import REGISTRY
from ariel.arispec.swagger import api_declaration, resource_listing
from ariel.arispec.types import (
    ErrorResponse,
    Field,
    Model,
    Operation,
    Param,
    ParamType,
    Registry,
    Resource,
)

__all__ = [
    "REGISTRY",
    "ErrorResponse",
    "Field",
    "Model",
    "Operation",
    "Param",
    "ParamError",
    "ParamType",
    "ParsedRequest",
    "Registry",
    "Resource",
    "api_declaration",
    "openapi_document",
    "parse_params",
    "resource_listing",
]
