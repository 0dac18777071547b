"""Dynamic configuration objects (``/asterisk/config/dynamic/{class}/{type}/{id}``).

Theory of operation, after Asterisk's sorcery and ``resource_asterisk.c``:

* A *config class* is the module owning a set of object types (``res_pjsip``
  owns ``endpoint``, ``aor``, ``auth``...). An object is an id with an
  ordered list of ``(attribute, value)`` fields, shown over ARI as
  ``ConfigTuple`` lists.
* *Static* objects come from configuration files (the server hands us the
  ``pjsip.conf`` sections, templates already applied); they can be read
  but not changed or deleted over ARI. They are looked up first, like
  sorcery's ``config`` wizard listed before ``astdb``.
* *Dynamic* objects are created and changed with PUT and removed with
  DELETE, for the object types declared dynamic (sorcery.conf's astdb
  wizard). They persist in astdb family ``ariel_sorcery/<class>/<type>``.
  An update replaces every field it names (all occurrences of that
  attribute) and keeps the others.
* Field values are checked by an optional ``validator`` (the server plugs in
  the pjsip option schema); without one only the shape is checked.
* ``on_change`` tells the server to apply a created, changed or deleted
  object (re-point an endpoint, unregister a registration...).

Error messages are the reference's: "configClass 'x' not found",
"objectType 'x' not found", "Object with id 'x' not found",
"Fields must be provided to update object 'x'",
"Creation of object 'x' failed field value validation",
"Cannot create sorcery objects of type 'x'", "Could not delete object with id 'x'".
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass

from ariel.core.astdb import AstDB
from ariel.core.errors import InvalidArgument, NotFound, NotPermitted

__all__ = [
    "DEFAULT_DYNAMIC_TYPES",
    "DEFAULT_OBJECT_TYPES",
    "ConfigObject",
    "ConfigObjects",
    "ConfigSection",
    "FieldValidator",
]

#: A configuration section: (object type, id, options in file order).
ConfigSection = tuple[str, str, Sequence[tuple[str, str]]]

#: ``(config class, object type, id, fields) -> error text or None``.
FieldValidator = Callable[[str, str, str, Sequence[tuple[str, str]]], str | None]

#: Object types of each config class.
DEFAULT_OBJECT_TYPES: Mapping[str, tuple[str, ...]] = {
    "res_pjsip": (
        "endpoint",
        "aor",
        "auth",
        "identify",
        "transport",
        "contact",
        "domain_alias",
        "global",
        "system",
        "registration",
        "acl",
        "outbound-publish",
        "resource_list",
        "phoneprov",
    ),
}

#: Object types that may be created, changed and deleted over ARI. ``auth``
#: is left out as in the reference testsuite's setup (403 for it).
DEFAULT_DYNAMIC_TYPES: Mapping[str, tuple[str, ...]] = {
    "res_pjsip": ("endpoint", "aor", "identify", "contact", "registration"),
}

_FAMILY = "ariel_sorcery"


@dataclass(frozen=True, slots=True, kw_only=True)
class ConfigObject:
    """One configuration object.

    Attributes:
        config_class: Owning module (``res_pjsip``).
        object_type: Type within the class (``endpoint``).
        id: Object id (section name).
        fields: ``(attribute, value)`` pairs in order.
        dynamic: Whether it was created over ARI (else it came from a file).
    """

    config_class: str
    object_type: str
    id: str
    fields: tuple[tuple[str, str], ...]
    dynamic: bool


def _shape_error(fields: Sequence[tuple[str, str]]) -> bool:
    for attribute, value in fields:
        if not attribute or any(c.isspace() or c == "=" for c in attribute):
            return True
        if "\n" in value or "\r" in value:
            return True
    return False


def _merge(
    old: Sequence[tuple[str, str]], new: Sequence[tuple[str, str]]
) -> tuple[tuple[str, str], ...]:
    """``old`` with every attribute named in ``new`` replaced by its new values."""
    replaced = {attribute for attribute, _ in new}
    out: list[tuple[str, str]] = []
    placed = False
    for attribute, value in old:
        if attribute in replaced:
            if not placed:
                out.extend(new)
                placed = True
            continue
        out.append((attribute, value))
    if not placed:
        out.extend(new)
    return tuple(out)


class ConfigObjects:
    """Static and dynamic configuration objects.

    Args:
        sources: Static sections per config class (``{"res_pjsip": [...]}``),
            or a plain sequence of sections, taken as ``res_pjsip``'s.
        db: Where dynamic objects persist; ``None`` keeps them in memory only.
        object_types: Known object types per class; types found in
            ``sources`` are added.
        dynamic_types: Types that may be managed over ARI, per class.
        validator: Checks the fields of a create/update; returns an error
            text to refuse them.
        on_change: Called with ``(object, deleted)`` after each change.
    """

    def __init__(
        self,
        sources: Mapping[str, Sequence[ConfigSection]] | Sequence[ConfigSection] = (),
        db: AstDB | None = None,
        *,
        object_types: Mapping[str, Collection[str]] = DEFAULT_OBJECT_TYPES,
        dynamic_types: Mapping[str, Collection[str]] = DEFAULT_DYNAMIC_TYPES,
        validator: FieldValidator | None = None,
        on_change: Callable[[ConfigObject, bool], None] | None = None,
    ) -> None:
        self._db = db if db is not None else AstDB(None)
        self._types: dict[str, set[str]] = {c: set(t) for c, t in object_types.items()}
        self._dynamic = {c: frozenset(t) for c, t in dynamic_types.items()}
        self._validator = validator
        self._on_change = on_change
        self._static: dict[str, dict[tuple[str, str], ConfigObject]] = {}
        by_class = sources if isinstance(sources, Mapping) else {"res_pjsip": sources}
        for config_class, sections in by_class.items():
            self.set_static(config_class, sections)

    def set_static(self, config_class: str, sections: Sequence[ConfigSection]) -> None:
        """Replace the file-defined objects of a class (at start and on reload)."""
        objects: dict[tuple[str, str], ConfigObject] = {}
        for object_type, ident, options in sections:
            self._types.setdefault(config_class, set()).add(object_type)
            objects[(object_type, ident)] = ConfigObject(
                config_class=config_class,
                object_type=object_type,
                id=ident,
                fields=tuple((str(k), str(v)) for k, v in options),
                dynamic=False,
            )
        self._types.setdefault(config_class, set())
        self._static[config_class] = objects

    def classes(self) -> list[str]:
        """The known config classes, sorted."""
        return sorted(self._types)

    def types(self, config_class: str) -> list[str]:
        """The object types of a class, sorted (empty for an unknown class)."""
        return sorted(self._types.get(config_class, ()))

    def is_dynamic(self, config_class: str, object_type: str) -> bool:
        """Whether objects of this type may be managed over ARI."""
        return object_type in self._dynamic.get(config_class, frozenset())

    def check_path(self, config_class: str, object_type: str) -> None:
        """Check that a class and type exist.

        Raises:
            NotFound: "configClass 'x' not found" or "objectType 'x' not found".
        """
        types = self._types.get(config_class)
        if types is None:
            raise NotFound(f"configClass '{config_class}' not found")
        if object_type not in types:
            raise NotFound(f"objectType '{object_type}' not found")

    @staticmethod
    def _family(config_class: str, object_type: str) -> str:
        return f"{_FAMILY}/{config_class}/{object_type}"

    def _load_dynamic(self, config_class: str, object_type: str, ident: str) -> ConfigObject | None:
        raw = self._db.get(self._family(config_class, object_type), ident) if ident else None
        return None if raw is None else self._decode(config_class, object_type, ident, raw)

    @staticmethod
    def _decode(config_class: str, object_type: str, ident: str, raw: str) -> ConfigObject:
        try:
            pairs = tuple((str(a), str(v)) for a, v in json.loads(raw))
        except (ValueError, TypeError):
            pairs = ()
        return ConfigObject(
            config_class=config_class, object_type=object_type, id=ident, fields=pairs, dynamic=True
        )

    def find(self, config_class: str, object_type: str, ident: str) -> ConfigObject | None:
        """An object, or ``None`` (also for unknown classes and types)."""
        static = self._static.get(config_class, {}).get((object_type, ident))
        return static or self._load_dynamic(config_class, object_type, ident)

    def get(self, config_class: str, object_type: str, ident: str) -> ConfigObject:
        """An object.

        Raises:
            NotFound: unknown class, type or id (reference wording).
        """
        self.check_path(config_class, object_type)
        found = self.find(config_class, object_type, ident)
        if found is None:
            raise NotFound(f"Object with id '{ident}' not found")
        return found

    def objects(self, config_class: str, object_type: str) -> list[ConfigObject]:
        """Every object of a type: file-defined ones in file order, then dynamic ones by id."""
        static = [
            obj
            for (kind, _), obj in self._static.get(config_class, {}).items()
            if kind == object_type
        ]
        seen = {obj.id for obj in static}
        dynamic = [
            self._decode(config_class, object_type, ident, raw)
            for ident, raw in self._db.items(self._family(config_class, object_type)).items()
            if ident not in seen
        ]
        return static + dynamic

    def update(
        self,
        config_class: str,
        object_type: str,
        ident: str,
        fields: Sequence[tuple[str, str]] | None,
    ) -> ConfigObject:
        """Create or change a dynamic object.

        Args:
            fields: The fields to set; ``None`` when the request had none
                (allowed only when creating).

        Raises:
            NotFound: unknown class or type.
            InvalidArgument: no fields for an existing object, or fields that
                fail validation (400).
            NotPermitted: the type is not dynamic, or the object is
                file-defined (403).
        """
        self.check_path(config_class, object_type)
        existing = self.find(config_class, object_type, ident)
        created = existing is None
        if fields is None and not created:
            raise InvalidArgument(f"Fields must be provided to update object '{ident}'")
        new_fields = list(fields or ())
        merged = _merge(existing.fields if existing else (), new_fields)
        error = _shape_error(new_fields) or not ident
        if not error and self._validator is not None:
            error = self._validator(config_class, object_type, ident, merged) is not None
        if error:
            verb = "Creation" if created else "Update"
            raise InvalidArgument(f"{verb} of object '{ident}' failed field value validation")
        if existing is not None and not existing.dynamic:
            raise NotPermitted(f"Cannot update sorcery objects of type '{object_type}'")
        if not self.is_dynamic(config_class, object_type):
            verb = "create" if created else "update"
            raise NotPermitted(f"Cannot {verb} sorcery objects of type '{object_type}'")
        self._db.put(self._family(config_class, object_type), ident, json.dumps(merged))
        obj = ConfigObject(
            config_class=config_class,
            object_type=object_type,
            id=ident,
            fields=merged,
            dynamic=True,
        )
        if self._on_change is not None:
            self._on_change(obj, False)
        return obj

    def delete(self, config_class: str, object_type: str, ident: str) -> None:
        """Delete a dynamic object.

        Raises:
            NotFound: unknown class, type or id.
            NotPermitted: the object is file-defined or its type not dynamic (403).
        """
        obj = self.get(config_class, object_type, ident)
        if not obj.dynamic or not self.is_dynamic(config_class, object_type):
            raise NotPermitted(f"Could not delete object with id '{ident}'")
        self._db.delete(self._family(config_class, object_type), ident)
        if self._on_change is not None:
            self._on_change(obj, True)
