"""http.conf: the HTTP server settings."""

from __future__ import annotations

from ariel.config.http import HttpConf, build_http_conf
from ariel.config.parser import parse_conf


def _build(text: str) -> tuple[HttpConf, list[str]]:
    model, found = build_http_conf(parse_conf(text, "http.conf"))
    return model, [str(d) for d in found]


def test_defaults_match_asterisk() -> None:
    model = HttpConf()
    assert model.enabled is False
    assert model.bindport == 8088
    assert model.prefix == ""
    assert model.sessionlimit == 100
    assert model.session_inactivity == 30000
    assert model.session_keep_alive == 15000
    assert model.servername is None
    assert model.enablestatic is False
    assert model.tlsenable is False
    assert model.tlsbindport == 8089
    assert model.redirects == ()


def test_quick_start_settings_are_read() -> None:
    model, found = _build("[general]\nenabled = yes\nbindaddr = 127.0.0.1\nbindport = 8088\n")
    assert found == []
    assert (model.enabled, model.bindaddr, model.bindport) == (True, "127.0.0.1", 8088)


def test_prefix_gets_one_leading_slash() -> None:
    assert _build("[general]\nprefix = asterisk\n")[0].prefix == "/asterisk"
    assert _build("[general]\nprefix = /ari/\n")[0].prefix == "/ari"


def test_servername_may_be_blank_to_send_no_server_header() -> None:
    assert _build("[general]\nservername =\n")[0].servername == ""
    assert _build("[general]\nservername = Ariel\n")[0].servername == "Ariel"


def test_redirects_accumulate_in_order() -> None:
    model, _ = _build("[general]\nredirect = / /static/index.html\nredirect = /a /b\n")
    assert model.redirects == (("/", "/static/index.html"), ("/a", "/b"))


def test_tls_options_and_ssl_aliases_are_parsed() -> None:
    text = (
        "[general]\ntlsenable = yes\ntlsbindaddr = 0.0.0.0:8443\nsslcert = /k/c.pem\n"
        "tlsprivatekey = /k/p.pem\ntlscipher = HIGH\ntlsdisablev11 = yes\n"
    )
    model, found = _build(text)
    assert found == []
    assert (model.tlsenable, model.tlsbindaddr, model.tlsbindport) == (True, "0.0.0.0", 8443)
    assert (model.tlscertfile, model.tlsprivatekey) == ("/k/c.pem", "/k/p.pem")
    assert (model.tlscipher, model.tlsdisablev11) == ("HIGH", True)


def test_bindaddr_with_port_sets_the_port_unless_bindport_is_given() -> None:
    assert _build("[general]\nbindaddr = 10.0.0.1:9000\n")[0].bindport == 9000
    model, _ = _build("[general]\nbindaddr = 10.0.0.1:9000\nbindport = 8000\n")
    assert (model.bindaddr, model.bindport) == ("10.0.0.1", 8000)


def test_post_mappings_section_is_kept() -> None:
    model, found = _build("[post_mappings]\nuploads = /var/lib/asterisk/uploads/\n")
    assert found == []
    assert model.post_mappings == {"uploads": "/var/lib/asterisk/uploads/"}


def test_non_integer_port_is_an_error_at_its_line() -> None:
    _, found = _build("[general]\nenabled = yes\nbindport = eighty\n")
    assert found == ["http.conf:3: bad value for 'bindport': 'eighty' is not a whole number"]


def test_out_of_range_port_and_bad_boolean_are_errors() -> None:
    _, found = _build("[general]\nbindport = 70000\nenabled = perhaps\n")
    assert found == [
        "http.conf:2: bad value for 'bindport': 70000 is above the maximum 65535",
        "http.conf:3: bad value for 'enabled': 'perhaps' is not a boolean (use yes or no)",
    ]


def test_unknown_option_is_a_warning() -> None:
    model, found = _build("[general]\nenabled = yes\nturbo = on\n")
    assert model.enabled is True
    assert found == ["http.conf:3: unknown [general] option 'turbo'"]
