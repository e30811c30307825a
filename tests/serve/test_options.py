"""The serving rules: who may connect, preheated pools, the viewer cap; bad options named."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbook.serve.options import (
    TOKEN_ENV,
    ServeError,
    ServeOptions,
    choose_token,
    default_max_viewers,
    default_pool_sizes,
    is_loopback,
    parse_pool,
)

DASHBOARDS = ["loyalty.ipynb", "responsiveness.ipynb", "service-roi.ipynb", "word-of-mouth.ipynb"]
TOKEN = "0123456789abcdef-token"


def options(**changes: object) -> ServeOptions:
    return ServeOptions(directory=Path("dashboards"), pool_sizes=dict.fromkeys(DASHBOARDS, 1),
                        **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize("host", ["127.0.0.1", "127.8.9.10", "::1", "[::1]", "localhost",
                                  "LOCALHOST"])
def test_loopback_names_and_addresses(host: str) -> None:
    assert is_loopback(host)


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "10.1.2.3", "192.168.0.7",
                                  "dashboards.example.com", "localhost.evil.com"])
def test_anything_else_is_beyond_loopback(host: str) -> None:
    assert not is_loopback(host)


def test_loopback_needs_no_token_but_the_network_does() -> None:
    assert not options().token_required
    assert options(host="0.0.0.0", token=TOKEN).token_required
    assert options(allowed_hosts=("dash.example.com",), token=TOKEN).token_required
    with pytest.raises(ServeError, match=r"--host 0\.0\.0\.0: .*needs a token"):
        options(host="0.0.0.0")
    with pytest.raises(ServeError, match="needs a token"):
        options(allowed_hosts=("dash.example.com",))


def test_a_short_token_is_refused_with_its_length() -> None:
    with pytest.raises(ServeError, match=f"{TOKEN_ENV}: expected at least 16 characters; got 5"):
        options(host="0.0.0.0", token="short")


def test_the_environment_token_wins_and_one_is_generated_only_when_needed() -> None:
    assert choose_token(True, {TOKEN_ENV: " given-secret-1234567 "}) == ("given-secret-1234567",
                                                                         False)
    first, generated = choose_token(True, {})
    second, _ = choose_token(True, {})
    assert generated and first != second and len(first) >= 40
    assert choose_token(False, {}) == (None, False)


@pytest.mark.parametrize(("field", "value", "message"), [
    ("port", 0, "--port: expected a port from 1 to 65535; got 0"),
    ("max_viewers", 0, "--max-viewers: expected 1 or more; got 0"),
    ("reclaim_seconds", 0, "--reclaim-seconds: expected a number of seconds above 0"),
    ("idle_cull_seconds", -1, "--idle-cull-seconds: expected a number of seconds above 0"),
    ("allowed_hosts", ("https://x.example.com/",), "--allow-host 'https://x.example.com/'"),
])
def test_bad_options_are_named(field: str, value: object, message: str) -> None:
    extra = {"token": TOKEN} if field == "allowed_hosts" else {}
    with pytest.raises(ServeError, match=message.replace("(", r"\(").replace(".", r"\.")):
        options(**{field: value}, **extra)


def test_negative_pool_is_refused() -> None:
    with pytest.raises(ServeError, match=r"--pool loyalty\.ipynb: expected 0 or more kernels"):
        ServeOptions(directory=Path("."), pool_sizes={"loyalty.ipynb": -1})


def test_pool_rule_one_per_core_for_the_landing_page_capped_at_four() -> None:
    assert default_pool_sizes(DASHBOARDS, cores=2) == {
        "loyalty.ipynb": 1, "responsiveness.ipynb": 1, "service-roi.ipynb": 2,
        "word-of-mouth.ipynb": 1}
    assert default_pool_sizes(DASHBOARDS, cores=1)["service-roi.ipynb"] == 1
    assert default_pool_sizes(DASHBOARDS, cores=16)["service-roi.ipynb"] == 4


def test_parse_pool_accepts_names_with_or_without_suffix_and_names_the_bad_ones() -> None:
    assert parse_pool("loyalty=0", DASHBOARDS) == ("loyalty.ipynb", 0)
    assert parse_pool("word-of-mouth.ipynb=3", DASHBOARDS) == ("word-of-mouth.ipynb", 3)
    with pytest.raises(ServeError, match=r"no dashboard 'sales\.ipynb'; the dashboards are "
                                         r"loyalty, responsiveness, service-roi, word-of-mouth"):
        parse_pool("sales=2", DASHBOARDS)
    for text in ("service-roi", "service-roi=two", "service-roi=-1"):
        with pytest.raises(ServeError, match="expected DASHBOARD=SIZE"):
            parse_pool(text, DASHBOARDS)


def test_max_viewers_follows_available_memory() -> None:
    assert default_max_viewers(1024 + 250 * 40) == 40
    assert default_max_viewers(1024 + 250 * 40 - 1) == 39
    assert default_max_viewers(100) == 1
    assert default_max_viewers(4096, budget_mb=100, reserve_mb=96) == 40
    assert default_max_viewers() >= 1  # this machine's own reading


def test_urls_carry_the_token_only_when_asked() -> None:
    served = options(host="0.0.0.0", token=TOKEN, port=9000)
    assert all("token" not in url for url in served.urls())
    assert served.urls(with_token=True)[2].endswith(
        f":9000/voila/render/service-roi.ipynb?token={TOKEN}")
    assert options().urls()[0] == "http://127.0.0.1:8866/voila/render/loyalty.ipynb"
