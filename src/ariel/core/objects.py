"""Registries of live objects by id, each able to give its current snapshot."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Generic, Protocol, TypeVar

__all__ = ["HasSnapshot", "ObjectRegistry"]

S_co = TypeVar("S_co", covariant=True)


class HasSnapshot(Protocol[S_co]):
    """A live object that can describe itself."""

    @property
    def id(self) -> str:
        """The object's id."""
        ...

    def snapshot(self) -> S_co:
        """The object's current facts."""
        ...


T = TypeVar("T", bound=HasSnapshot[object])


class ObjectRegistry(Generic[T]):
    """Live objects of one kind, by id, in creation order."""

    def __init__(self) -> None:
        self._items: dict[str, T] = {}

    def add(self, item: T) -> None:
        """Register ``item``; its id must be new."""
        if item.id in self._items:
            raise KeyError(f"duplicate id {item.id!r}")
        self._items[item.id] = item

    def remove(self, ident: str) -> T | None:
        """Forget and return the object ``ident``, if present."""
        return self._items.pop(ident, None)

    def get(self, ident: str) -> T | None:
        """The object ``ident``, or ``None``."""
        return self._items.get(ident)

    def __contains__(self, ident: object) -> bool:
        return ident in self._items

    def __iter__(self) -> Iterator[T]:
        return iter(list(self._items.values()))

    def __len__(self) -> int:
        return len(self._items)
