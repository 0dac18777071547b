"""ari.conf: general settings, users and outbound WebSockets."""

from __future__ import annotations

from ariel.config.ari import AriConf, AriUser, build_ari_conf
from ariel.config.parser import parse_conf


def _build(text: str) -> tuple[AriConf, list[str]]:
    model, found = build_ari_conf(parse_conf(text, "ari.conf"))
    return model, [str(d) for d in found]


def test_defaults_match_asterisk() -> None:
    model = AriConf()
    assert model.enabled is True
    assert model.pretty is False
    assert model.allowed_origins == ()
    assert model.auth_realm == "Asterisk REST Interface"
    assert model.websocket_write_timeout == 100
    assert model.channelvars == ()
    assert model.users == {}
    user = AriUser(name="u")
    assert (user.password_format, user.read_only) == ("plain", False)


def test_general_lists_are_split_and_stripped() -> None:
    text = (
        "[general]\npretty = yes\nallowed_origins = localhost:8088, http://ari.asterisk.org\n"
        "channelvars = A, B\nwebsocket_write_timeout = 250\nauth_realm = Lab\n"
    )
    model, found = _build(text)
    assert found == []
    assert model.pretty is True
    assert model.allowed_origins == ("localhost:8088", "http://ari.asterisk.org")
    assert model.channelvars == ("A", "B")
    assert (model.websocket_write_timeout, model.auth_realm) == (250, "Lab")


def test_users_are_sections_of_type_user() -> None:
    text = (
        "[asterisk]\ntype = user\nread_only = no\npassword = secret\n"
        "[viewer]\ntype=user\nread_only=yes\npassword=$6$x$y\npassword_format=crypt\n"
        "permit = 127.0.0.1, 10.0.0.0/8\ndeny = 0.0.0.0/0\nacl = office\n"
    )
    model, found = _build(text)
    assert found == []
    asterisk, viewer = model.users["asterisk"], model.users["viewer"]
    assert (asterisk.password, asterisk.read_only, asterisk.line) == ("secret", False, 1)
    assert (viewer.read_only, viewer.password_format) == (True, "crypt")
    assert viewer.permit == ("127.0.0.1", "10.0.0.0/8")
    assert (viewer.deny, viewer.acl) == (("0.0.0.0/0",), ("office",))


def test_user_without_password_is_disabled_with_a_warning() -> None:
    model, found = _build("[nopass]\ntype = user\n")
    assert model.users == {}
    assert found == ["ari.conf:1: ARI user [nopass] has no password; disabled"]


def test_outbound_websocket_sections_are_read() -> None:
    text = (
        "[me]\ntype = user\npassword = p\n"
        "[conn]\ntype = outbound_websocket\nwebsocket_client_id = c1\napps = a1, a2\n"
        "local_ari_user = me\nsubscribe_all = yes\n"
    )
    model, found = _build(text)
    assert found == []
    conn = model.outbound_websockets["conn"]
    assert (conn.websocket_client_id, conn.apps, conn.local_ari_user) == ("c1", ("a1", "a2"), "me")
    assert conn.subscribe_all is True


def test_outbound_websocket_naming_an_unknown_user_is_a_warning() -> None:
    _, found = _build("[c]\ntype = outbound_websocket\nlocal_ari_user = ghost\n")
    assert found == ["ari.conf:1: outbound_websocket [c] names unknown ARI user 'ghost'"]


def test_section_without_or_with_unknown_type_is_an_error() -> None:
    _, found = _build("[general]\n[alice]\npassword = x\n[bob]\ntype = admin\n")
    assert found == [
        "ari.conf:2: section [alice] in ari.conf has no 'type'",
        "ari.conf:4: section [bob] has unknown type 'admin'",
    ]


def test_bad_values_are_errors_and_unknown_options_warnings() -> None:
    text = (
        "[general]\npretty = sure\nwebsocket_write_timeout = 0\n"
        "[u]\ntype=user\npassword=p\ncolour=red\n"
    )
    _, found = _build(text)
    assert found == [
        "ari.conf:2: bad value for 'pretty': 'sure' is not a boolean (use yes or no)",
        "ari.conf:3: bad value for 'websocket_write_timeout': 0 is below the minimum 1",
        "ari.conf:7: unknown user option 'colour'",
    ]


def test_user_defined_twice_is_an_error() -> None:
    _, found = _build("[u]\ntype=user\npassword=a\n[u]\ntype=user\npassword=b\n")
    assert found == ["ari.conf:4: user [u] is defined twice"]
