"""The dashboard server: Voilà with sign-in, a Host check, light pools, a cap and quick reclaim.

:func:`serve` runs :class:`WorkbookVoila`, Voilà's own application with four changes, each
using the mechanism Voilà or Jupyter Server already has:

- **Token.** Jupyter Server's identity provider (the one Voilà uses with ``--token``): a visit
  without the token gets the sign-in page (:class:`SignInHandler`, Jupyter's login form in
  words a manager can follow), the first visit with ``?token=`` sets a cookie.
- **Host check.** On loopback, every route is registered for loopback host names (and the
  ``--allow-host`` names) only; any other ``Host`` header gets a 403 page. Jupyter Server's
  own check (``allow_remote_access=False`` with ``local_hostnames``) guards its handlers too.
- **The cap.** Rendering a dashboard goes through :class:`CappedVoilaHandler`, which asks the
  :class:`~workbook.serve.gate.ViewerGate` first and answers the busy page (HTTP 503 with
  ``Retry-After``) beyond ``max_viewers``.
- **Reclaim.** The kernel manager gets :class:`~workbook.serve.kernels.ViewerKernels`;
  Jupyter Server's culler is set to spare connected pages and reap the rest.
"""

from __future__ import annotations

import re
from typing import Any

import tornado.web
from jupyter_server.utils import url_path_join
from traitlets.config import Config
from voila.app import Voila
from voila.tornado.handler import TornadoVoilaHandler
from voila.voila_identity_provider import VoilaLoginHandler

from workbook.serve.gate import ViewerGate
from workbook.serve.kernels import CURRENT_RESERVATION, viewer_kernel_manager
from workbook.serve.options import ServeOptions
from workbook.serve.pages import busy_page, foreign_host_text, sign_in_page

__all__ = ["CappedVoilaHandler", "ForeignHostHandler", "SignInHandler", "WorkbookVoila",
           "serve", "voila_config"]

TICKET_COOKIE = "workbook_queue_ticket"
LOOPBACK_HOST_PATTERN = r"(localhost|localhost\.localdomain|127\.\d{1,3}\.\d{1,3}\.\d{1,3}" \
                        r"|\[?::1\]?)"
RENDER_ROUTE = "/voila/render/(.*)"


class CappedVoilaHandler(TornadoVoilaHandler):
    """Voilà's page handler behind the viewer gate."""

    @tornado.web.authenticated
    async def get(self, path: str | None = None) -> None:
        gate: ViewerGate = self.settings["workbook_gate"]
        admission = gate.admit(self.get_cookie(TICKET_COOKIE))
        if not admission.admitted:
            self.set_cookie(TICKET_COOKIE, admission.ticket or "", httponly=True,
                            samesite="Lax", path="/")
            self.set_status(503)
            self.set_header("Retry-After", str(max(1, round(gate.retry_seconds))))
            self.set_header("Cache-Control", "no-store")
            self.set_header("Content-Type", "text/html; charset=utf-8")
            title = (path or "the dashboard").removesuffix(".ipynb").replace("-", " ")
            self.finish(busy_page(admission.position, gate.max_viewers, gate.retry_seconds,
                                  title))
            return
        if self.get_cookie(TICKET_COOKIE):
            self.clear_cookie(TICKET_COOKIE, path="/")
        reservation = admission.reservation
        token = CURRENT_RESERVATION.set(reservation)
        try:
            generator = self.get_generator(path=path)
            async for html in generator:
                self.write(html)
                self.flush()
        finally:
            CURRENT_RESERVATION.reset(token)
            if reservation is not None:
                reservation.release()


class ForeignHostHandler(tornado.web.RequestHandler):
    """Every request whose ``Host`` is not a name this server answers to."""

    def initialize(self, port: int) -> None:
        self.port = port

    def prepare(self) -> None:
        self.set_status(403)
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish(foreign_host_text(self.request.host, self.port))


class SignInHandler(VoilaLoginHandler):
    """Jupyter Server's login form, worded for managers (the token is the password)."""

    def _render(self, message: dict[str, str] | None = None) -> None:
        error = bool(message and message.get("error"))
        next_url = self.get_argument("next", default=self.base_url)
        action = url_path_join(self.base_url, "login")
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.write(sign_in_page(error=error, next_url=next_url, action=action,
                                xsrf_field=self.xsrf_form_html()))


class WorkbookVoila(Voila):
    """Voilà with the workbook's serving options (see the module docstring)."""

    name = "workbook-dashboard"
    options: ServeOptions

    def init_settings(self) -> dict[str, Any]:
        settings = super().init_settings()
        options = self.options
        gate = ViewerGate(options.max_viewers, retry_seconds=options.retry_seconds)
        manager = self.kernel_manager
        manager.__class__ = viewer_kernel_manager(type(manager))
        manager.setup_viewers(gate, options.reclaim_seconds)
        settings["workbook_gate"] = gate
        if hasattr(self, "identity_provider"):
            self.identity_provider.login_handler_class = SignInHandler
        if options.loopback:
            # Jupyter Server's own Host check, for its handlers (Voilà turns it off).
            settings["allow_remote_access"] = False
            settings["local_hostnames"] = ["localhost", *options.allowed_hosts]
        return settings

    def init_handlers(self) -> list[Any]:
        handlers = []
        for spec in super().init_handlers():
            if spec[0].endswith(RENDER_ROUTE) and spec[1] is TornadoVoilaHandler:
                spec = (spec[0], CappedVoilaHandler, *spec[2:])
            handlers.append(spec)
        # Voilà adds what this returns for every host; the routes are added in listen()
        # below, for the accepted host names only when bound to loopback.
        self._workbook_handlers = handlers
        return []

    def listen(self) -> None:
        options = self.options
        if options.loopback:
            names = "|".join([LOOPBACK_HOST_PATTERN, *map(re.escape, options.allowed_hosts)])
            self.app.add_handlers(f"({names})$", self._workbook_handlers)
            self.app.add_handlers(".*$", [(r".*", ForeignHostHandler, {"port": options.port})])
        else:
            self.app.add_handlers(".*$", self._workbook_handlers)
        super().listen()


def voila_config(options: ServeOptions) -> Config:
    """The traitlets configuration :func:`serve` gives Voilà for ``options``."""
    from workbook.ui.assets import FILE_ALLOWLIST

    pools = {name: {"pool_size": size} for name, size in options.pool_sizes.items()}
    preheat = any(size > 0 for size in options.pool_sizes.values())
    config = Config()
    config.Voila.ip = options.host
    config.Voila.port = options.port
    config.Voila.port_retries = 0
    config.Voila.open_browser = False
    config.Voila.token = options.token or ""
    config.VoilaConfiguration.show_tracebacks = False
    config.VoilaConfiguration.theme = "light"
    config.VoilaConfiguration.file_allowlist = list(FILE_ALLOWLIST)
    config.VoilaConfiguration.preheat_kernel = preheat
    config.VoilaConfiguration.default_pool_size = 0
    # Pools per dashboard; a dashboard not listed gets none.
    config.VoilaKernelManager.kernel_pools_config = {"default": {"pool_size": 0}, **pools}
    # Unix sockets beside the connection files instead of TCP ports: no port races between
    # kernels starting together, no "running over TCP without encryption" warning.
    config.KernelManager.transport = "ipc"
    # Backstop for pages closed before they connected: idle, unconnected viewer kernels go
    # after idle_cull_seconds. Connected pages are never culled; Voilà spares its pool.
    config.MappingKernelManager.cull_idle_timeout = int(options.idle_cull_seconds)
    config.MappingKernelManager.cull_interval = max(5, int(options.idle_cull_seconds // 4))
    config.MappingKernelManager.cull_connected = False
    # Under load the kernel's output can trail its "cell done" reply by seconds; nbclient's
    # default 4 s wait then drops the dashboard's output silently (the page never shows its
    # app: field notes). Wait for it.
    config.VoilaExecutor.iopub_timeout = 60
    return config


def serve(options: ServeOptions) -> None:
    """Run the dashboard server in this process until SIGTERM or Ctrl-C."""
    app = WorkbookVoila(config=voila_config(options))
    app.options = options
    app.initialize([str(options.directory)])
    app.start()
