"""pjsip.conf: sections sorted by ``type =`` into typed objects.

Theory of operation: templates are skipped (their options already live in the
sections that inherit them).  Every other section must name a known ``type``;
a missing or unknown type is an error at the section header.  Each type has an
option table (see ``_options``); ``allow``/``disallow`` are applied in order
into the endpoint's codec tuple.  Types Asterisk has but Ariel does not model
(registration, acl, ...) are kept aside with a warning.  Finally, references
between objects (endpoint -> transport/aors/auth, identify -> endpoint) are
checked and dangling ones warned about.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ariel.config import pjsip_tables as tables
from ariel.config._options import Spec, read_section, section_type
from ariel.config.diagnostics import Diagnostic, Reporter
from ariel.config.parser import ConfFile, Section
from ariel.config.pjsip_objects import (
    Aor,
    Auth,
    Endpoint,
    Identify,
    PjsipGlobal,
    PjsipSystem,
    Transport,
)

__all__ = ["PjsipConf", "build_pjsip_conf"]

_SUPPORTED_TYPES = ("global", "system", "transport", "endpoint", "aor", "auth", "identify")
_IGNORED_TYPES = (
    "registration",
    "domain_alias",
    "acl",
    "contact",
    "phoneprov",
    "outbound-publish",
    "resource_list",
    "inbound-publication",
    "asterisk-publication",
)


@dataclass(frozen=True, slots=True, kw_only=True)
class PjsipConf:
    """The whole of pjsip.conf.

    Attributes:
        global_settings: The ``type = global`` section (defaults if absent).
        system: The ``type = system`` section (defaults if absent).
        transports: Transports by name.
        endpoints: Endpoints by name.
        aors: AoRs by name.
        auths: Auths by name.
        identifies: Identify sections by name.
        unsupported: Sections of types Asterisk knows but Ariel ignores.
    """

    global_settings: PjsipGlobal = field(default_factory=PjsipGlobal)
    system: PjsipSystem = field(default_factory=PjsipSystem)
    transports: Mapping[str, Transport] = field(default_factory=dict)
    endpoints: Mapping[str, Endpoint] = field(default_factory=dict)
    aors: Mapping[str, Aor] = field(default_factory=dict)
    auths: Mapping[str, Auth] = field(default_factory=dict)
    identifies: Mapping[str, Identify] = field(default_factory=dict)
    unsupported: tuple[Section, ...] = ()

    def aors_of(self, endpoint: Endpoint) -> tuple[Aor, ...]:
        """The endpoint's AoRs that are defined, in the endpoint's order."""
        return tuple(self.aors[name] for name in endpoint.aors if name in self.aors)


def _codecs(section: Section, report: Reporter) -> tuple[str, ...]:
    codecs: tuple[str, ...] = ()
    for option in section.options:
        key = option.key.lower()
        if key in ("allow", "disallow"):
            try:
                codecs = tables.apply_codec_list(codecs, option.value, allow=key == "allow")
            except ValueError as exc:
                report.error(option, f"bad value for '{option.key}': {exc}")
    return codecs


def _located(section: Section) -> dict[str, Any]:
    return {"name": section.name, "file": section.file, "line": section.line}


def _build_transport(section: Section, report: Reporter) -> Transport:
    values, extra = read_section(
        section, tables.TRANSPORT, report, kind="transport", known=tables.TRANSPORT_KNOWN
    )
    host, port = values.pop("_bind", ("0.0.0.0", 0))
    values["bind_host"] = host
    values["bind_port"] = port or (5061 if values.get("protocol") == "tls" else 5060)
    transport = Transport(**values, extra=extra, **_located(section))
    if transport.protocol == "tls":
        _check_tls_files(section, transport, report)
    return transport


_TLS_FILES = ("cert_file", "priv_key_file", "ca_list_file")


def _check_tls_files(section: Section, transport: Transport, report: Reporter) -> None:
    """res_pjsip refuses a TLS transport whose files are missing; so does the driver.

    These are warnings, so the rest of the configuration still runs (as in
    Asterisk, where only that transport fails to load); the driver logs the
    same problem as an error when it skips the transport.
    """
    for name in ("cert_file", "priv_key_file"):
        if not getattr(transport, name):
            report.warning(
                section,
                f"transport [{transport.name}]: protocol tls needs {name}; "
                "the transport will not start",
            )
    for option in section.options:
        key = option.key.lower()
        path = option.value.strip()
        if key not in _TLS_FILES or not path or path != getattr(transport, key):
            continue
        if not (os.path.isfile(path) and os.access(path, os.R_OK)):
            report.warning(
                option,
                f"transport [{transport.name}]: {key} '{path}' is either missing or "
                "not readable; the transport will not start",
            )


def _build_endpoint(section: Section, report: Reporter) -> Endpoint:
    values, extra = read_section(
        section,
        tables.ENDPOINT,
        report,
        kind="endpoint",
        known=tables.ENDPOINT_KNOWN,
        skip=("type", "allow", "disallow"),
    )
    codecs = _codecs(section, report)
    return Endpoint(**values, codecs=codecs, extra=extra, **_located(section))


def _build_identify(section: Section, report: Reporter) -> Identify:
    values, extra = read_section(section, tables.IDENTIFY, report, kind="identify")
    identify = Identify(**values, extra=extra, **_located(section))
    if not identify.endpoint:
        report.error(section, f"identify [{section.name}] has no 'endpoint'")
    if not (identify.match or identify.match_header or identify.match_request_uri):
        report.error(section, f"identify [{section.name}] matches nothing (set 'match')")
    return identify


def _simple(
    cls: Callable[..., Any], specs: Mapping[str, Spec], kind: str, known: tuple[str, ...] = ()
) -> Callable[[Section, Reporter], Any]:
    def build(section: Section, report: Reporter) -> Any:
        values, extra = read_section(section, specs, report, kind=kind, known=known)
        return cls(**values, extra=extra, **_located(section))

    return build


_BUILDERS: dict[str, Callable[[Section, Reporter], Any]] = {
    "global": _simple(PjsipGlobal, tables.GLOBAL, "global", tuple(tables.GLOBAL_KNOWN)),
    "system": _simple(PjsipSystem, tables.SYSTEM, "system", tuple(tables.SYSTEM_KNOWN)),
    "transport": _build_transport,
    "endpoint": _build_endpoint,
    "aor": _simple(Aor, tables.AOR, "aor"),
    "auth": _simple(Auth, tables.AUTH, "auth", tuple(tables.AUTH_KNOWN)),
    "identify": _build_identify,
}


def _check_references(conf: PjsipConf, report: Reporter) -> None:
    for endpoint in conf.endpoints.values():
        wanted: list[tuple[str, Mapping[str, object], tuple[str, ...]]] = [
            ("transport", conf.transports, (endpoint.transport,) if endpoint.transport else ()),
            ("aor", conf.aors, endpoint.aors),
            ("auth", conf.auths, endpoint.auth),
            ("auth", conf.auths, endpoint.outbound_auth),
        ]
        for kind, defined, names in wanted:
            for name in names:
                if name not in defined:
                    report.warning(
                        endpoint, f"endpoint [{endpoint.name}] names undefined {kind} '{name}'"
                    )
    for identify in conf.identifies.values():
        if identify.endpoint and identify.endpoint not in conf.endpoints:
            report.warning(
                identify,
                f"identify [{identify.name}] names undefined endpoint '{identify.endpoint}'",
            )


def build_pjsip_conf(conf: ConfFile) -> tuple[PjsipConf, tuple[Diagnostic, ...]]:
    """Build the pjsip.conf model from a parsed file.

    Returns:
        The model and what was found wrong with it (parse diagnostics excluded).
    """
    report = Reporter()
    found: dict[str, dict[str, Any]] = {kind: {} for kind in _SUPPORTED_TYPES}
    unsupported: list[Section] = []
    for section in conf.objects:
        kind = section_type(section, report, _SUPPORTED_TYPES + _IGNORED_TYPES, "pjsip.conf")
        if kind in _IGNORED_TYPES:
            report.warning(section, f"type '{kind}' is not supported; [{section.name}] ignored")
            unsupported.append(section)
            continue
        if not kind:
            continue
        if kind in ("global", "system") and found[kind]:
            report.error(section, f"only one '{kind}' section is allowed")
            continue
        if section.name in found[kind]:
            first = found[kind][section.name]
            report.error(
                section, f"{kind} [{section.name}] is already defined at {first.file}:{first.line}"
            )
            continue
        found[kind][section.name] = _BUILDERS[kind](section, report)
    model = PjsipConf(
        global_settings=next(iter(found["global"].values()), PjsipGlobal()),
        system=next(iter(found["system"].values()), PjsipSystem()),
        transports=found["transport"],
        endpoints=found["endpoint"],
        aors=found["aor"],
        auths=found["auth"],
        identifies=found["identify"],
        unsupported=tuple(unsupported),
    )
    _check_references(model, report)
    return model, report.diagnostics
