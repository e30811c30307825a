"""deploy/nginx/workbook.conf for real: Debian's nginx with TLS in front of the dashboard.

The recipe file is the one the docs tell people to copy; only its ports, name and certificate
paths are substituted. Chromium resolves the public name to 127.0.0.1, trusts nothing (the
certificate is self-signed, so certificate errors are ignored), signs in with the token and
moves a slider: the NPV card changes only if the websocket goes through the proxy.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.serve.conftest import TOKEN, running_dashboard
from tests.ui.conftest import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, free_port
from workbook.core.paths import REPO_ROOT

pytestmark = pytest.mark.browser

RECIPE = REPO_ROOT / "deploy" / "nginx" / "workbook.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
NAME = "dashboards.workbook.test"
PAGE = "/voila/render/service-roi.ipynb"
NPV = ".kpi-npv .wb-kpi-value"


def render_recipe(text: str, *, https_port: int, http_port: int, upstream_port: int,
                  cert: Path, key: Path) -> str:
    """The recipe with this test's ports, name and certificate (nothing else changes)."""
    replacements = [
        ("listen 443 ssl", f"listen 127.0.0.1:{https_port} ssl"),
        ("listen 80;", f"listen 127.0.0.1:{http_port};"),
        ("server 127.0.0.1:8866;", f"server 127.0.0.1:{upstream_port};"),
        ("/etc/ssl/certs/dashboards.example.com.pem", str(cert)),
        ("/etc/ssl/private/dashboards.example.com.key", str(key)),
        ("dashboards.example.com", NAME),
    ]
    for old, new in replacements:
        assert old in text, f"{RECIPE} no longer contains {old!r}: update this test"
        text = text.replace(old, new)
    return text


@contextlib.contextmanager
def running_nginx(site: str, folder: Path) -> Iterator[Path]:
    """nginx (no daemon) with ``site`` as its only server config, files under ``folder``."""
    for sub in ("logs", "temp"):
        (folder / sub).mkdir(exist_ok=True)
        os.chmod(folder / sub, 0o777)
    user = "user root;\n" if os.geteuid() == 0 else ""
    conf = folder / "nginx.conf"
    conf.write_text(
        f"{user}worker_processes 1;\ndaemon off;\npid {folder}/nginx.pid;\n"
        f"error_log {folder}/logs/error.log info;\nevents {{ worker_connections 256; }}\n"
        f"http {{\n  access_log {folder}/logs/access.log;\n"
        f"  client_body_temp_path {folder}/temp/body;\n  proxy_temp_path {folder}/temp/proxy;\n"
        f"  fastcgi_temp_path {folder}/temp/fastcgi;\n  uwsgi_temp_path {folder}/temp/uwsgi;\n"
        f"  scgi_temp_path {folder}/temp/scgi;\n{site}\n}}\n")
    check = subprocess.run([NGINX, "-t", "-p", str(folder), "-c", str(conf)],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    process = subprocess.Popen([NGINX, "-p", str(folder), "-c", str(conf)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    try:
        ports = [int(port) for port in re.findall(r"listen 127\.0\.0\.1:(\d+)", site)]
        deadline = time.monotonic() + 20
        while not all(_listening(port) for port in ports):
            assert process.poll() is None, (folder / "logs" / "error.log").read_text()
            assert time.monotonic() < deadline, "nginx did not listen within 20 s"
            time.sleep(0.1)
        yield folder / "logs"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def self_signed(folder: Path) -> tuple[Path, Path]:
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", f"/CN={NAME}", "-addext", f"subjectAltName=DNS:{NAME}",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    return cert, key


def test_the_nginx_recipe_serves_the_dashboard_over_tls_with_websockets(browser,
                                                                        tmp_path) -> None:
    if not Path(NGINX).exists():
        pytest.fail("Debian's nginx is missing: run `make test` (it installs it) or "
                    "`sudo apt-get install nginx-light`")
    https_port, http_port = free_port(), free_port()
    cert, key = self_signed(tmp_path)
    with running_dashboard("nginx", "--allow-host", NAME, "--pool-size", "0", "--pool",
                           "service-roi=1", token=TOKEN) as (base, _):
        upstream = int(base.rsplit(":", 1)[1])
        site = render_recipe(RECIPE.read_text(), https_port=https_port, http_port=http_port,
                             upstream_port=upstream, cert=cert, key=key)
        with running_nginx(site, tmp_path) as logs:
            # plain http is sent to https (the recipe's first server block)
            redirect = http.client.HTTPConnection("127.0.0.1", http_port, timeout=10)
            redirect.request("GET", PAGE, headers={"Host": NAME})
            answer = redirect.getresponse()
            assert (answer.status, answer.getheader("Location")) == (301, f"https://{NAME}{PAGE}")
            chromium = browser.browser_type.launch(
                executable_path=CHROMIUM,
                args=[*CHROMIUM_ARGS, f"--host-resolver-rules=MAP {NAME} 127.0.0.1"])
            try:
                context = chromium.new_context(ignore_https_errors=True,
                                               viewport={"width": 1400, "height": 1000})
                page = context.new_page()
                # without the token: the sign-in page, through the proxy
                page.goto(f"https://{NAME}:{https_port}{PAGE}", timeout=60_000)
                assert page.inner_text("h1") == "Sign in to the dashboards"
                page.goto(f"https://{NAME}:{https_port}{PAGE}?token={TOKEN}", timeout=60_000)
                page.wait_for_selector(NPV, state="visible", timeout=60_000)
                before = page.inner_text(NPV)
                handle = page.locator(".param-spend_uplift_excellent_service .noUi-handle")
                handle.focus()
                page.keyboard.press("ArrowRight")
                page.wait_for_function(
                    "([sel, old]) => document.querySelector(sel).textContent.trim() !== old",
                    arg=[NPV, before], timeout=15_000)
                ARTIFACTS.mkdir(exist_ok=True)
                page.screenshot(path=str(ARTIFACTS / "nginx-tls-dashboard.png"))
                assert "Traceback" not in page.content()
                context.close()
            finally:
                chromium.close()
            access = (logs / "access.log").read_text()
            # the kernel's websocket went through nginx and was upgraded (101)
            assert re.search(r'"GET /api/kernels/[0-9a-f-]+/channels\S* HTTP/1\.1" 101', access)
