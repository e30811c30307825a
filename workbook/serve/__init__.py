"""Serving the dashboards to a team: sign-in, Host check, preheated pools, a cap, reclaim.

``workbook dashboard`` builds :class:`ServeOptions` from its arguments and calls
:func:`serve`. The pieces: :mod:`~workbook.serve.options` (the rules for tokens, pools and the
cap), :mod:`~workbook.serve.gate` (the cap with its queue), :mod:`~workbook.serve.pages` (the busy,
sign-in and wrong-host pages),
:mod:`~workbook.serve.kernels` (viewer kernels counted and reclaimed) and
:mod:`~workbook.serve.server` (Voilà with these wired in). Importing this package does not
import Voilà; :func:`serve` does.
"""

from __future__ import annotations

from workbook.serve.gate import Admission, ViewerGate
from workbook.serve.options import (
    TOKEN_ENV,
    ServeError,
    ServeOptions,
    default_max_viewers,
    default_pool_sizes,
    is_loopback,
)
from workbook.serve.pages import busy_page


def serve(options: ServeOptions) -> None:
    """Run the dashboard server for ``options`` (see :func:`workbook.serve.server.serve`)."""
    from workbook.serve.server import serve as run

    run(options)


__all__ = ["TOKEN_ENV", "Admission", "ServeError", "ServeOptions", "ViewerGate", "busy_page",
           "default_max_viewers", "default_pool_sizes", "is_loopback", "serve"]
