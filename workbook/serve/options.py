"""What ``workbook dashboard`` serves, to whom, and how much: checked before the server starts.

Three rules decide the defaults; each is documented in ``docs/serving.md``:

- **Who may connect.** On a loopback address the server answers only to loopback host names
  (``localhost``, ``127.x.x.x``, ``::1``) and to the names given with ``--allow-host`` (the
  name a reverse proxy forwards): a page on another site that rebinds its DNS name to
  127.0.0.1 is refused. Beyond loopback (``--host 0.0.0.0`` or an office address), or with
  ``--allow-host``, every visitor needs the token: ``WORKBOOK_DASHBOARD_TOKEN`` from the
  environment, or one generated at start and printed once. Jupyter Server's identity
  provider checks it; the first visit with ``?token=`` sets a login cookie.
- **Preheated pools** (:func:`default_pool_sizes`): one kernel ready per core for the
  landing dashboard (``service-roi``), one for every other dashboard.
- **The viewer cap** (:func:`default_max_viewers`): as many viewers as fit in the memory
  available at start, less a reserve, at :data:`VIEWER_BUDGET_MB` each.
"""

from __future__ import annotations

import ipaddress
import os
import re
import secrets
import socket
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "LANDING_DASHBOARD",
    "MEMORY_RESERVE_MB",
    "TOKEN_ENV",
    "VIEWER_BUDGET_MB",
    "ServeError",
    "ServeOptions",
    "available_memory_mb",
    "choose_token",
    "default_max_viewers",
    "default_pool_sizes",
    "is_loopback",
    "parse_pool",
]

TOKEN_ENV = "WORKBOOK_DASHBOARD_TOKEN"
"""Environment variable holding the access token (read once, then removed from the
environment the kernels inherit)."""

LANDING_DASHBOARD = "service-roi.ipynb"
"""The page a team opens first: it gets the larger preheated pool."""

VIEWER_BUDGET_MB = 250
"""Memory set aside per viewer for the cap: the heaviest dashboard kernel (loyalty, with its
data layer) plus the server's share per page, rounded up (measured: docs/serving.md)."""

MEMORY_RESERVE_MB = 1024
"""Memory the cap leaves to the server itself, the preheated pools and the system."""

_LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})
_HOST_NAME = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)"
                        r"(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$")


class ServeError(ValueError):
    """A serving option that cannot work; the text names the option and what was expected."""


def is_loopback(host: str) -> bool:
    """Whether ``host`` (an address or a name) is this machine only.

    Examples
    --------
    >>> [is_loopback(h) for h in ("127.0.0.1", "::1", "localhost", "0.0.0.0", "10.0.0.5")]
    [True, True, True, False, False]
    """
    name = host.strip("[]").lower()
    if name in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def available_memory_mb() -> int:
    """Memory the system can give new processes without swapping (``MemAvailable``), in MB."""
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) // 1024
    except OSError:
        pass
    pages = os.sysconf("SC_AVPHYS_PAGES") if hasattr(os, "sysconf") else 0
    return int(pages * os.sysconf("SC_PAGE_SIZE") // (1024 * 1024)) if pages else 4096


def default_max_viewers(memory_mb: int | None = None, *, budget_mb: int = VIEWER_BUDGET_MB,
                        reserve_mb: int = MEMORY_RESERVE_MB) -> int:
    """The default ``--max-viewers``: the viewers that fit in the available memory.

    ``floor((available − reserve) / budget)``, at least 1.

    Examples
    --------
    >>> default_max_viewers(20_000)   # 20 GB available: (20000 − 1024) // 250
    75
    >>> default_max_viewers(900)      # less than the reserve: still one viewer
    1
    """
    memory = available_memory_mb() if memory_mb is None else memory_mb
    return max(1, (memory - reserve_mb) // budget_mb)


def default_pool_sizes(dashboards: Sequence[str], cores: int | None = None) -> dict[str, int]:
    """Preheated kernels per dashboard: one per core for the landing page, one for the others.

    A preheated kernel has already run its dashboard up to the viewer's arrival, so that many
    managers opening a page at once get it in about a second; the next ones wait for a kernel
    to start (about a CPU-second each). The landing dashboard, where a team arrives together,
    keeps one kernel per core (at most 4): more would only queue on the same cores while they
    refill. Every preheated kernel holds its memory while idle (docs/serving.md).

    Examples
    --------
    >>> default_pool_sizes(["loyalty.ipynb", "service-roi.ipynb"], cores=2)
    {'loyalty.ipynb': 1, 'service-roi.ipynb': 2}
    """
    cores = cores or os.cpu_count() or 1
    return {name: (min(max(cores, 1), 4) if name == LANDING_DASHBOARD else 1)
            for name in dashboards}


def parse_pool(text: str, dashboards: Sequence[str]) -> tuple[str, int]:
    """One ``--pool NAME=SIZE`` option: a dashboard (with or without ``.ipynb``) and a size.

    Examples
    --------
    >>> parse_pool("service-roi=3", ["service-roi.ipynb"])
    ('service-roi.ipynb', 3)
    """
    name, sep, size = text.partition("=")
    name = name.strip()
    if not sep or not size.strip().isdigit():
        raise ServeError(f"--pool {text}: expected DASHBOARD=SIZE, e.g. service-roi=2")
    file = name if name.endswith(".ipynb") else name + ".ipynb"
    if file not in dashboards:
        raise ServeError(f"--pool {text}: no dashboard {file!r}; the dashboards are "
                         + ", ".join(d.removesuffix(".ipynb") for d in dashboards))
    return file, int(size)


@dataclass(frozen=True, slots=True, kw_only=True)
class ServeOptions:
    """Everything the dashboard server needs, checked on construction.

    Attributes
    ----------
    directory
        Folder of dashboard notebooks.
    host, port
        Address to bind. Loopback (the default) keeps the dashboards on this machine.
    pool_sizes
        Preheated kernels per dashboard file name (0 = start a kernel per viewer).
    max_viewers
        Most pages served at once; the next viewer gets the busy page and a place in line.
    token
        Access token, or ``None`` for none (allowed on loopback without ``allowed_hosts``).
    allowed_hosts
        Extra host names accepted on loopback: the public name a reverse proxy forwards.
    reclaim_seconds
        A viewer's kernel is shut down this long after its page's last connection closed.
    idle_cull_seconds
        Backstop: a viewer's kernel idle this long with no page connected is shut down (pages
        closed before they connected). Preheated kernels are never culled.
    retry_seconds
        How often the busy page asks again.
    """

    directory: Path
    host: str = "127.0.0.1"
    port: int = 8866
    pool_sizes: Mapping[str, int] = field(default_factory=dict)
    max_viewers: int = 10
    token: str | None = None
    allowed_hosts: tuple[str, ...] = ()
    reclaim_seconds: float = 30.0
    idle_cull_seconds: float = 120.0
    retry_seconds: float = 5.0

    def __post_init__(self) -> None:
        if not 1 <= self.port <= 65535:
            raise ServeError(f"--port: expected a port from 1 to 65535; got {self.port}")
        if self.max_viewers < 1:
            raise ServeError(f"--max-viewers: expected 1 or more; got {self.max_viewers}")
        for name, size in self.pool_sizes.items():
            if size < 0:
                raise ServeError(f"--pool {name}: expected 0 or more kernels; got {size}")
        for name in self.allowed_hosts:
            if not _HOST_NAME.match(name.lower()):
                raise ServeError(f"--allow-host {name!r}: expected a host name such as "
                                 "dashboards.example.com (no scheme, port or path)")
        if self.token_required and not self.token:
            raise ServeError(f"--host {self.host}: serving beyond this machine needs a token "
                             f"(set {TOKEN_ENV} or let `workbook dashboard` generate one)")
        if self.token is not None and len(self.token) < 16:
            raise ServeError(f"{TOKEN_ENV}: expected at least 16 characters; got "
                             f"{len(self.token)}")
        for label, value in (("--reclaim-seconds", self.reclaim_seconds),
                             ("--idle-cull-seconds", self.idle_cull_seconds),
                             ("retry_seconds", self.retry_seconds)):
            if not value > 0:
                raise ServeError(f"{label}: expected a number of seconds above 0; got {value}")

    @property
    def loopback(self) -> bool:
        """Whether the server is bound to this machine only."""
        return is_loopback(self.host)

    @property
    def token_required(self) -> bool:
        """Reachable from other machines (bound beyond loopback or behind a named proxy)."""
        return not self.loopback or bool(self.allowed_hosts)

    @property
    def url_host(self) -> str:
        """The host part of the URLs printed at start."""
        if self.host in ("0.0.0.0", "::", ""):  # every interface: the name colleagues use
            return socket.gethostname()
        return f"[{self.host}]" if ":" in self.host else self.host

    def urls(self, with_token: bool = False) -> list[str]:
        """One URL per dashboard (with ``?token=`` if ``with_token`` and a token is set)."""
        query = f"?token={self.token}" if self.token and with_token else ""
        return [f"http://{self.url_host}:{self.port}/voila/render/{name}{query}"
                for name in sorted(self.pool_sizes)]


def choose_token(required: bool, environ: Mapping[str, str] | None = None) -> tuple[str | None,
                                                                                   bool]:
    """The access token and whether it was generated here.

    ``WORKBOOK_DASHBOARD_TOKEN`` wins (used even on loopback); else a new random token when
    one is required, else none.

    Examples
    --------
    >>> choose_token(False, {})
    (None, False)
    >>> choose_token(False, {"WORKBOOK_DASHBOARD_TOKEN": "a-long-shared-secret"})
    ('a-long-shared-secret', False)
    >>> token, generated = choose_token(True, {}); (len(token) >= 32, generated)
    (True, True)
    """
    given = (os.environ if environ is None else environ).get(TOKEN_ENV, "").strip()
    if given:
        return given, False
    if required:
        return secrets.token_urlsafe(32), True
    return None, False
