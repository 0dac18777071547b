"""The target of a REFER: its Refer-To URI and, for attended transfers, Replaces.

Theory of operation: RFC 3515 §2.1 puts the URI the referee is asked to
contact in ``Refer-To``; a phone asking for an *attended* transfer adds a
``Replaces`` header to that URI (RFC 3891 §5: "Replaces=" as a URI header,
percent-encoded, ``?Replaces=callid%3Bto-tag%3D..%3Bfrom-tag%3D..``) naming the
dialog the new call is to take over. Some phones send it as a URI parameter
instead; the reference looks in both places, so this does too.

RFC 3891 §6.1: ``Replaces = callid *(SEMI replaces-param)`` where the params are
``to-tag``, ``from-tag`` and ``early-only``. §3: "the to-tag parameter is
compared to the local tag, and the from-tag parameter is compared to the
remote tag" of the dialog at the UA that receives it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ariel.sip.address import parse_address
from ariel.sip.errors import SipParseError
from ariel.sip.uri import SipUri

__all__ = ["ReferTarget", "Replaces", "parse_refer_to", "parse_refer_to_uri", "parse_replaces"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Replaces:
    """The dialog a Replaces header names, from the receiving UA's side.

    Attributes:
        call_id: The dialog's Call-ID.
        to_tag: Matched against the receiver's *local* tag.
        from_tag: Matched against the receiver's *remote* tag.
        early_only: ``early-only`` was present.
    """

    call_id: str
    to_tag: str
    from_tag: str
    early_only: bool = False

    def __str__(self) -> str:
        text = f"{self.call_id};to-tag={self.to_tag};from-tag={self.from_tag}"
        return text + (";early-only" if self.early_only else "")


@dataclass(frozen=True, slots=True, kw_only=True)
class ReferTarget:
    """A parsed Refer-To value.

    Attributes:
        uri: The SIP URI to contact (its headers still include Replaces).
        replaces: The dialog to replace (attended transfer), or ``None`` (blind).
    """

    uri: SipUri
    replaces: Replaces | None = None

    @property
    def user(self) -> str:
        """The user part of the URI: the extension a blind transfer asks for."""
        return self.uri.user or ""


def parse_replaces(text: str) -> Replaces:
    """Parse a Replaces value (``callid;to-tag=x;from-tag=y``).

    Raises:
        SipParseError: No Call-ID, or a missing/empty to-tag or from-tag.
    """
    call_id, *pieces = (piece.strip() for piece in text.split(";"))
    if not call_id:
        raise SipParseError("Replaces has no Call-ID")
    tags: dict[str, str] = {}
    early_only = False
    for piece in pieces:
        name, equals, value = piece.partition("=")
        name = name.strip().lower()
        if name == "early-only" and not equals:
            early_only = True
        elif name in ("to-tag", "from-tag") and equals:
            tags[name] = value.strip()
        elif not name:
            raise SipParseError("Replaces has an empty parameter")
    to_tag, from_tag = tags.get("to-tag", ""), tags.get("from-tag", "")
    if not to_tag or not from_tag:
        raise SipParseError("Replaces needs both to-tag and from-tag")
    return Replaces(call_id=call_id, to_tag=to_tag, from_tag=from_tag, early_only=early_only)


def parse_refer_to_uri(value: str) -> SipUri:
    """The SIP/SIPS URI of a Refer-To header value (name-addr or bare URI).

    Raises:
        SipParseError: Not a parseable SIP/SIPS URI.
    """
    uri = parse_address(value.strip()).uri
    if not isinstance(uri, SipUri):
        raise SipParseError("Refer-To is not a SIP URI")
    return uri


def parse_refer_to(value: str) -> ReferTarget:
    """Parse a Refer-To header value (name-addr or bare URI).

    Raises:
        SipParseError: Not a SIP/SIPS URI, or a malformed Replaces.
    """
    uri = parse_refer_to_uri(value)
    replaces_text = next(
        (v for name, v in uri.headers if name.lower() == "replaces"), uri.param("Replaces")
    )
    replaces = parse_replaces(replaces_text) if replaces_text is not None else None
    return ReferTarget(uri=uri, replaces=replaces)
