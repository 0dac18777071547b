"""The base of every ARI model and event, and the lenient JSON decoder.

Theory of operation: each generated model class (``ariel.client.models``)
is a frozen dataclass that also carries ``_wire``, a table of
``(attribute, wire name, ARI type, required)`` rows covering its own and its
inherited fields. `decode` walks that table: known fields are converted to
their Python type (nested models decoded recursively, ``List[X]`` as a
tuple), anything the table does not name lands in ``extra``, and a required
field the server left out gets an empty value of its type instead of an
error. A client must survive a server newer (or older) than the spec it was
generated from, so nothing in decoding is fatal.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar

__all__ = ["AriModel", "decode", "decode_list", "decode_message", "model_class"]

M = TypeVar("M", bound="AriModel")

WireRow = tuple[str, str, str, bool]
"""``(attribute, wire name, ARI type, required)``."""

_CLASSES: dict[str, type[AriModel]] = {}
"""Model id -> class; filled once by ``ariel.client.models`` at import."""


@dataclass(frozen=True, slots=True, kw_only=True)
class AriModel:
    """Base of every ARI model.

    Attributes:
        extra: Fields the server sent that this version of the model does not
            declare, by wire name, as received.
    """

    extra: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    _wire: ClassVar[tuple[WireRow, ...]] = ()
    _model_id: ClassVar[str] = ""

    def to_json(self) -> dict[str, Any]:
        """The model as ARI JSON: wire names, nested models as objects, ``extra`` kept."""
        out: dict[str, Any] = {}
        for attr, wire, _kind, _required in self._wire:
            value = getattr(self, attr)
            if value is not None:
                out[wire] = _to_json(value)
        out.update(self.extra)
        return out


def _to_json(value: object) -> object:
    if isinstance(value, AriModel):
        return value.to_json()
    if isinstance(value, tuple | list):
        return [_to_json(v) for v in value]
    return value


def register(*classes: type[AriModel]) -> None:
    """Make model classes known to the decoder by their model id."""
    for cls in classes:
        _CLASSES[cls._model_id] = cls


def model_class(model_id: str) -> type[AriModel] | None:
    """The class of the model ``model_id``, if the generated models declare it."""
    return _CLASSES.get(model_id)


def decode(cls: type[M], data: object) -> M:
    """Build ``cls`` from ARI JSON, leniently.

    Args:
        cls: A generated model class.
        data: The JSON object (anything else decodes as an empty object).

    Returns:
        The model; undeclared fields are in ``extra``.
    """
    source: Mapping[str, Any] = data if isinstance(data, Mapping) else {}
    kwargs: dict[str, Any] = {}
    known: set[str] = set()
    for attr, wire, kind, required in cls._wire:
        known.add(wire)
        value = source.get(wire)
        if value is not None:
            kwargs[attr] = _convert(kind, value)
        elif required:
            kwargs[attr] = _empty(kind)
    extra = {k: v for k, v in source.items() if k not in known}
    return cls(extra=extra, **kwargs)


def decode_list(cls: type[M], data: object) -> list[M]:
    """Decode a JSON array of ``cls`` (anything else gives ``[]``)."""
    if not isinstance(data, list):
        return []
    return [decode(cls, item) for item in data]


def decode_message(data: object) -> AriModel:
    """Decode one event-socket message by its ``type``.

    Unknown types decode as ``Event`` when they carry an ``application``,
    else as ``Message``; everything undeclared is kept in ``extra``.
    """
    source: Mapping[str, Any] = data if isinstance(data, Mapping) else {}
    kind = source.get("type")
    cls = _CLASSES.get(kind) if isinstance(kind, str) else None
    message = _CLASSES["Message"]
    if cls is None or not issubclass(cls, message):
        cls = _CLASSES["Event"] if "application" in source else message
    return decode(cls, source)


def _convert(kind: str, value: object) -> object:
    if kind.startswith("List[") and kind.endswith("]"):
        inner = kind[5:-1]
        items = value if isinstance(value, list) else [value]
        return tuple(_convert(inner, item) for item in items)
    if kind in ("string", "Date"):
        return value if isinstance(value, str) else str(value)
    if kind in ("int", "long"):
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, int):
            return value
        try:
            return int(str(value))
        except ValueError:
            try:
                return int(float(str(value)))
            except ValueError:
                return 0
    if kind == "double":
        try:
            return float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return 0.0
    if kind == "boolean":
        if isinstance(value, str):
            return value.lower() in ("true", "yes", "1", "on")
        return bool(value)
    if kind == "object":
        return value
    cls = _CLASSES.get(kind)
    if cls is not None:
        return decode(cls, value)
    return value


def _empty(kind: str) -> object:
    if kind.startswith("List["):
        return ()
    if kind in ("string", "Date"):
        return ""
    if kind in ("int", "long"):
        return 0
    if kind == "double":
        return 0.0
    if kind == "boolean":
        return False
    if kind == "object":
        return {}
    cls = _CLASSES.get(kind)
    if cls is not None:
        return decode(cls, {})
    return None
