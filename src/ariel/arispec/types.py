"""The vocabulary of the ARI registry: operations, parameters, models, events.

Everything here is plain frozen data. Routing, parameter validation, the
Swagger 1.x documents (what existing ARI clients load), OpenAPI 3.1 and the
client framework are all derived from one registry built of these types.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

__all__ = [
    "ErrorResponse",
    "Field",
    "Model",
    "Operation",
    "Param",
    "ParamType",
    "Registry",
    "Resource",
]

ParamType = Literal["path", "query", "body"]
Scalar = str | int | float | bool


@dataclass(frozen=True, slots=True, kw_only=True)
class Param:
    """One operation parameter, as declared in the reference's Swagger files.

    Attributes:
        name: Wire name (``channelId``, ``appArgs``).
        param_type: Where it travels: ``path``, ``query`` (also accepted in a
            form or JSON body) or ``body`` (receives the whole JSON body).
        data_type: Swagger data type: ``string``, ``int``, ``long``,
            ``boolean``, ``double``, ``containers``, ``object``.
        required: Whether the reference declares it required.
        allow_multiple: Comma-separated list (or JSON array) of values.
        default: Declared default, already typed.
        allowable_values: Declared enumeration (documentation; handlers decide
            how strictly to enforce it, as the reference does).
        value_range: Declared ``(min, max)`` for numbers, if any.
        missing_message: The reference's 400 message when a required value is
            absent; ``None`` means the handler decides.
        description: Our own short description.
    """

    name: str
    param_type: ParamType
    data_type: str
    required: bool = False
    allow_multiple: bool = False
    default: Scalar | None = None
    allowable_values: tuple[str, ...] | None = None
    value_range: tuple[float, float] | None = None
    missing_message: str | None = None
    description: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class ErrorResponse:
    """A documented error status of one operation."""

    code: int
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Operation:
    """One HTTP operation of ARI.

    Attributes:
        resource: Resource name (``channels``).
        nickname: Swagger nickname, also the handler's name (``originateWithId``).
        method: HTTP method.
        path: Path under ``/ari`` with ``{param}`` placeholders.
        response_class: Swagger responseClass (``Channel``, ``List[Bridge]``, ``void``).
        params: Parameters in declaration order.
        error_responses: Documented error codes.
        success_code: Status on success (200, 204, 201 or 202).
        since: Versions that introduced it.
        summary: Our one-line description.
        upgrade: ``"websocket"`` for the event socket.
        available: False while the capability lands in a later issue: the
            route answers 501 ``{"message": "Not implemented"}`` until then.
        pending_reason: Which piece of work will make it available.
    """

    resource: str
    nickname: str
    method: str
    path: str
    response_class: str
    params: tuple[Param, ...] = ()
    error_responses: tuple[ErrorResponse, ...] = ()
    success_code: int = 200
    since: tuple[str, ...] = ()
    summary: str = ""
    notes: str = ""
    upgrade: str | None = None
    available: bool = True
    pending_reason: str = ""

    @property
    def id(self) -> str:
        """``resource.nickname``."""
        return f"{self.resource}.{self.nickname}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Field:
    """One property of a model."""

    name: str
    type: str
    required: bool = False
    description: str = ""
    allowable_values: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Model:
    """A JSON model (a Swagger ``models`` entry); events are models too.

    ``fields`` are the model's own properties; ``extends`` names the parent
    (``Event`` extends ``Message``); ``subtypes`` lists direct children.
    """

    id: str
    resource: str
    fields: tuple[Field, ...] = ()
    description: str = ""
    extends: str | None = None
    subtypes: tuple[str, ...] = ()
    discriminator: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Resource:
    """An ARI resource: one Swagger API declaration file."""

    name: str
    description: str
    operations: tuple[Operation, ...] = ()
    models: tuple[str, ...] = ()
    requires_modules: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Registry:
    """The whole ARI surface."""

    api_version: str
    resources: tuple[Resource, ...]
    models: dict[str, Model] = field(default_factory=dict)

    @property
    def operations(self) -> tuple[Operation, ...]:
        """All operations, resource by resource, in declaration order."""
        return tuple(op for res in self.resources for op in res.operations)

    @property
    def events(self) -> tuple[Model, ...]:
        """Every model that descends from ``Event``."""
        return tuple(m for m in self.models.values() if self.is_event(m.id))

    def resource(self, name: str) -> Resource:
        """The resource called ``name`` (KeyError if none)."""
        for res in self.resources:
            if res.name == name:
                return res
        raise KeyError(name)

    def operation(self, op_id: str) -> Operation:
        """The operation ``resource.nickname`` (KeyError if none)."""
        for op in self.operations:
            if op.id == op_id:
                return op
        raise KeyError(op_id)

    def is_event(self, model_id: str) -> bool:
        """Whether ``model_id`` is ``Event`` or descends from it."""
        seen = model_id
        while seen in self.models:
            parent = self.models[seen].extends
            if parent == "Event":
                return True
            if parent is None:
                return False
            seen = parent
        return False
