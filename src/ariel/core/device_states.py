"""Device states: the Stasis-controlled ones of ARI, and a look-up for all others.

Theory of operation, after Asterisk's ``res_stasis_device_state``:

* Devices named ``Stasis:<name>`` (prefix matched case-insensitively) are
  controlled over ARI. Their state is persisted in astdb family
  ``StasisDeviceState`` under ``<name>``, so it survives a restart.
* ``update`` accepts the states ``NOT_INUSE INUSE BUSY INVALID UNAVAILABLE
  RINGING RINGINUSE ONHOLD`` (case-insensitive; stored canonical). Anything
  else, or no state at all, is refused (the reference answers 500
  "Unknown device").
* ``get`` works for any device name: a Stasis device that was never set (or
  was deleted) is ``UNKNOWN``; other names are answered by states published
  through :meth:`DeviceStates.publish` (e.g. by the pjsip driver for
  ``PJSIP/alice``), then by registered :class:`DeviceStateProvider` objects,
  and are ``INVALID`` when nobody knows them (as for an unknown provider).
* ``list`` returns the Stasis-controlled devices only, as the reference does
  (its testsuite checks that every listed device is one it created).
* ``on_change`` is called when a device's state actually changes, so the
  caller can emit ``DeviceStateChanged``. Deleting a Stasis device does not
  call it: the reference emits no event for DELETE (golden device_states).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from ariel.core.astdb import AstDB
from ariel.core.errors import InvalidArgument, NotFound, NotPermitted

__all__ = [
    "DEVICE_STATES",
    "SETTABLE_STATES",
    "STASIS_FAMILY",
    "STASIS_PREFIX",
    "DeviceStateProvider",
    "DeviceStateSnapshot",
    "DeviceStates",
]

#: Every state string Asterisk reports (``ast_devstate_str``).
DEVICE_STATES = (
    "UNKNOWN",
    "NOT_INUSE",
    "INUSE",
    "BUSY",
    "INVALID",
    "UNAVAILABLE",
    "RINGING",
    "RINGINUSE",
    "ONHOLD",
)

#: States ``update`` accepts (``ast_devstate_val`` maps everything else to UNKNOWN).
SETTABLE_STATES = frozenset(DEVICE_STATES) - {"UNKNOWN"}

#: The astdb family holding Stasis-controlled states.
STASIS_FAMILY = "StasisDeviceState"

#: Prefix of the device names ARI may control.
STASIS_PREFIX = "Stasis:"


@dataclass(frozen=True, slots=True, kw_only=True)
class DeviceStateSnapshot:
    """A device's name and state (the ARI ``DeviceState`` model).

    Attributes:
        name: Device name as the caller spelled it (``Stasis:conf-dev``).
        state: One of :data:`DEVICE_STATES`.
    """

    name: str
    state: str


class DeviceStateProvider(Protocol):
    """Something that knows the state of some devices (e.g. PJSIP endpoints)."""

    def state_of(self, name: str) -> str | None:
        """The state of device ``name``, or ``None`` if it is not ours."""
        ...


def _stasis_key(name: str) -> str | None:
    """The astdb key of a ``Stasis:`` device, or ``None`` for other devices."""
    if name[: len(STASIS_PREFIX)].lower() == STASIS_PREFIX.lower():
        return name[len(STASIS_PREFIX) :]
    return None


def _canonical(state: str | None) -> str | None:
    """The canonical spelling of a settable state, or ``None``."""
    if state is None:
        return None
    upper = state.strip().upper()
    return upper if upper in SETTABLE_STATES else None


class DeviceStates:
    """Device state service.

    Args:
        db: Where Stasis-controlled states persist.
        on_change: Called with the new snapshot whenever a device's state
            changes (through :meth:`update` or :meth:`publish`).
    """

    def __init__(
        self,
        db: AstDB,
        on_change: Callable[[DeviceStateSnapshot], None] | None = None,
    ) -> None:
        self._db = db
        self._on_change = on_change
        self._providers: list[DeviceStateProvider] = []
        self._published: dict[str, str] = {}

    # -- providers -------------------------------------------------------

    def add_provider(self, provider: DeviceStateProvider) -> None:
        """Consult ``provider`` for devices that are not Stasis-controlled."""
        if provider not in self._providers:
            self._providers.append(provider)

    def remove_provider(self, provider: DeviceStateProvider) -> None:
        """Stop consulting ``provider``; unknown providers are ignored."""
        if provider in self._providers:
            self._providers.remove(provider)

    def publish(self, name: str, state: str) -> None:
        """Record the state of a device someone else controls.

        Drivers call this when, say, ``PJSIP/alice`` goes ``INUSE``;
        ``on_change`` fires if the state differs from the last one known.

        Raises:
            InvalidArgument: ``state`` is not one of :data:`DEVICE_STATES`.
            NotPermitted: ``name`` is a Stasis device (use :meth:`update`).
        """
        upper = state.strip().upper()
        if upper not in DEVICE_STATES:
            raise InvalidArgument(f"Unknown device state '{state}'")
        if _stasis_key(name) is not None:
            raise NotPermitted("Stasis devices are changed with update()")
        before = self.get(name).state
        self._published[name] = upper
        if upper != before:
            self._notify(name, upper)

    # -- ARI operations --------------------------------------------------

    def list(self) -> list[DeviceStateSnapshot]:
        """Every Stasis-controlled device, ordered by name."""
        return [
            DeviceStateSnapshot(name=STASIS_PREFIX + key, state=_canonical(value) or "UNKNOWN")
            for key, value in self._db.items(STASIS_FAMILY).items()
            if key
        ]

    def get(self, name: str) -> DeviceStateSnapshot:
        """The state of any device (see the module notes for the rules)."""
        key = _stasis_key(name)
        if key is not None:
            stored = self._db.get(STASIS_FAMILY, key) if key else None
            return DeviceStateSnapshot(name=name, state=_canonical(stored) or "UNKNOWN")
        state = self._published.get(name)
        if state is None:
            for provider in self._providers:
                found = provider.state_of(name)
                if found is not None:
                    state = found
                    break
        return DeviceStateSnapshot(name=name, state=state or "INVALID")

    def update(self, name: str, state: str | None) -> DeviceStateSnapshot:
        """Set a Stasis-controlled device's state.

        Raises:
            NotPermitted: ``name`` is not a ``Stasis:`` device
                ("Uncontrolled device specified").
            NotFound: the name after ``Stasis:`` is empty
                ("Device name is missing").
            InvalidArgument: ``state`` is missing or not settable
                ("Unknown device", the reference's wording).
        """
        key = self._controlled_key(name)
        canonical = _canonical(state)
        if canonical is None:
            raise InvalidArgument("Unknown device")
        before = self.get(name).state
        self._db.put(STASIS_FAMILY, key, canonical)
        snapshot = DeviceStateSnapshot(name=name, state=canonical)
        if canonical != before:
            # Events name the device as the reference publishes it: "Stasis:<key>".
            self._notify(STASIS_PREFIX + key, canonical)
        return snapshot

    def delete(self, name: str) -> None:
        """Forget a Stasis-controlled device; deleting an unknown one is fine.

        Raises:
            NotPermitted: ``name`` is not a ``Stasis:`` device.
            NotFound: the name after ``Stasis:`` is empty.
        """
        key = self._controlled_key(name)
        self._db.delete(STASIS_FAMILY, key)

    # -- helpers ---------------------------------------------------------

    @staticmethod
    def _controlled_key(name: str) -> str:
        key = _stasis_key(name)
        if key is None:
            raise NotPermitted("Uncontrolled device specified")
        if not key:
            raise NotFound("Device name is missing")
        return key

    def _notify(self, name: str, state: str) -> None:
        if self._on_change is not None:
            self._on_change(DeviceStateSnapshot(name=name, state=state))
