from ariel.ari.cors import CorsPolicy

POLICY = CorsPolicy(["localhost:8088", "http://ari.asterisk.org"])


def test_allowed_origin_gets_origin_and_credentials() -> None:
    assert POLICY.simple_headers({"Origin": "http://ari.asterisk.org"}) == {
        "Access-Control-Allow-Origin": "http://ari.asterisk.org",
        "Access-Control-Allow-Credentials": "true",
    }


def test_other_origin_gets_no_cors_headers() -> None:
    assert POLICY.simple_headers({"Origin": "http://evil.example"}) == {}
    assert POLICY.simple_headers({}) == {}


def test_preflight_lists_methods_and_echoes_requested_headers() -> None:
    headers = POLICY.preflight_headers(
        {
            "Origin": "http://ari.asterisk.org",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "Content-Type",
        },
        ["OPTIONS", "GET", "POST"],
    )
    assert headers["Access-Control-Allow-Methods"] == "OPTIONS,GET,POST"
    assert headers["Access-Control-Allow-Headers"] == "Content-Type"


def test_preflight_for_unserved_method_gets_nothing() -> None:
    headers = POLICY.preflight_headers(
        {"Origin": "http://ari.asterisk.org", "Access-Control-Request-Method": "PUT"},
        ["OPTIONS", "GET"],
    )
    assert headers == {}


def test_star_allows_every_origin() -> None:
    assert CorsPolicy(["*"]).allows("http://anything.example")
