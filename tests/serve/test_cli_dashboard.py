"""`workbook dashboard`'s serving options: bad ones exit 2 with one line, before serving."""

from __future__ import annotations

import argparse
import socket
from pathlib import Path

import pytest

from workbook.cli import _parser, main, serve_options
from workbook.core.paths import DASHBOARDS


def parse(*argv: str) -> argparse.Namespace:
    return _parser().parse_args(["dashboard", *argv])


@pytest.mark.parametrize(("argv", "message"), [
    (["--pool", "sales=2"], "--pool sales=2: no dashboard 'sales.ipynb'"),
    (["--pool", "service-roi"], "--pool service-roi: expected DASHBOARD=SIZE"),
    (["--pool-size", "-1"], "--pool-size: expected 0 or more; got -1"),
    (["--max-viewers", "0"], "--max-viewers: expected 1 or more; got 0"),
    (["--allow-host", "https://dash.example.com"], "--allow-host 'https://dash.example.com'"),
    (["--port", "70000"], "--port: expected a port from 1 to 65535; got 70000"),
    (["--reclaim-seconds", "0"], "--reclaim-seconds: expected a number of seconds above 0"),
])
def test_bad_serving_options_exit_2_naming_the_option(argv: list[str], message: str,
                                                      capsys: pytest.CaptureFixture[str]
                                                      ) -> None:
    assert main(["dashboard", *argv]) == 2
    error = capsys.readouterr().err
    assert error.startswith("workbook dashboard: error: ")
    assert message in error
    assert error.count("\n") == 1 and "Traceback" not in error


def test_a_port_in_use_is_named(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["dashboard", "--port", str(port)]) == 2
    assert f"--port: 127.0.0.1:{port} is in use" in capsys.readouterr().err


def test_an_empty_folder_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["dashboard", "--dir", str(tmp_path)]) == 2
    assert f"{tmp_path}: no dashboard notebooks" in capsys.readouterr().err


def test_defaults_pool_the_landing_page_and_cap_by_memory() -> None:
    options, generated = serve_options(parse(), environ={})
    assert options.directory == DASHBOARDS.resolve()
    assert options.pool_sizes["service-roi.ipynb"] >= 1
    assert set(options.pool_sizes) == {p.name for p in DASHBOARDS.glob("*.ipynb")}
    assert options.max_viewers >= 1 and options.token is None and not generated
    assert options.loopback and not options.token_required


def test_per_dashboard_pools_win_over_the_common_size() -> None:
    options, _ = serve_options(parse("--pool-size", "0", "--pool", "service-roi=3"), environ={})
    assert options.pool_sizes["service-roi.ipynb"] == 3
    assert options.pool_sizes["loyalty.ipynb"] == 0


def test_beyond_loopback_a_token_is_generated_unless_given() -> None:
    options, generated = serve_options(parse("--host", "0.0.0.0"), environ={})
    assert generated and options.token and len(options.token) >= 40
    given, generated = serve_options(parse("--allow-host", "dash.example.com"),
                                     environ={"WORKBOOK_DASHBOARD_TOKEN": "x" * 20})
    assert (given.token, generated) == ("x" * 20, False)
    assert given.allowed_hosts == ("dash.example.com",)
