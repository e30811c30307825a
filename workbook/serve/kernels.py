"""Viewer kernels: counted for the cap, shut down soon after their page has gone.

Voilà's kernel manager keeps a pool of preheated kernels and starts one more per viewer; a
viewer's kernel then lives until the idle culler finds it (30 minutes before). This mixin,
put in front of Voilà's manager class by :func:`viewer_kernel_manager`, adds three things:

- **Counting.** A kernel handed to a page (from the pool, or started for it) is a viewer's;
  the :class:`~workbook.serve.gate.ViewerGate` reservation of the request that asked for it
  (:data:`CURRENT_RESERVATION`, a context variable set by the page handler) becomes that
  viewer's place. Preheated kernels are not viewers.
- **Reclaim on disconnect.** When a viewer's page closes its last websocket, its kernel is
  shut down ``reclaim_seconds`` later unless the page reconnected (a network blip): a closed
  tab gives its memory and its place back in seconds, not at the next cull.
- **The backstop.** Pages closed before they ever connected are left to Jupyter Server's
  culler (``cull_idle_timeout``, ``cull_connected=False``), which Voilà tells to spare its
  preheated pool.
"""

from __future__ import annotations

import asyncio
import contextvars
from typing import Any

from workbook.serve.gate import Reservation, ViewerGate

__all__ = ["CURRENT_RESERVATION", "ViewerKernels", "viewer_kernel_manager"]

CURRENT_RESERVATION: contextvars.ContextVar[Reservation | None] = contextvars.ContextVar(
    "workbook_reservation", default=None)
"""The gate reservation of the page request being served (set by its handler)."""


class ViewerKernels:
    """Mixin for Voilà's kernel manager: viewer accounting and quick reclaim (see module)."""

    gate: ViewerGate
    reclaim_seconds: float = 30.0

    def setup_viewers(self, gate: ViewerGate, reclaim_seconds: float) -> None:
        """Attach the gate; called once by the server after construction."""
        self.gate = gate
        self.reclaim_seconds = reclaim_seconds
        self._reclaim_timers: dict[str, asyncio.TimerHandle] = {}

    def _became_viewer(self, kernel_id: str) -> None:
        reservation = CURRENT_RESERVATION.get()
        if reservation is not None:
            reservation.claim(kernel_id)
        else:  # no page request (e.g. a test driving the manager): count it anyway
            self.gate._viewers.add(kernel_id)

    async def get_rendered_notebook(self, *args: Any, **kwargs: Any) -> Any:
        result = await super().get_rendered_notebook(*args, **kwargs)  # type: ignore[misc]
        self._became_viewer(result[2])
        return result

    async def start_kernel(self, *args: Any, **kwargs: Any) -> str:
        # Only pages reach this method: the pool starts its kernels through the base class.
        kernel_id = await super().start_kernel(*args, **kwargs)  # type: ignore[misc]
        self._became_viewer(kernel_id)
        return kernel_id

    def notify_connect(self, kernel_id: str) -> None:
        super().notify_connect(kernel_id)  # type: ignore[misc]
        timer = self._reclaim_timers.pop(kernel_id, None)
        if timer is not None:
            timer.cancel()

    def notify_disconnect(self, kernel_id: str) -> None:
        super().notify_disconnect(kernel_id)  # type: ignore[misc]
        connections = self._kernel_connections.get(kernel_id)  # type: ignore[attr-defined]
        if connections == 0 and self.gate.is_viewer(kernel_id) \
                and kernel_id not in self._reclaim_timers:
            loop = asyncio.get_event_loop()
            self._reclaim_timers[kernel_id] = loop.call_later(
                self.reclaim_seconds, lambda: asyncio.ensure_future(self._reclaim(kernel_id)))

    async def _reclaim(self, kernel_id: str) -> None:
        self._reclaim_timers.pop(kernel_id, None)
        if kernel_id not in self or self._kernel_connections.get(kernel_id):  # type: ignore
            return
        self.log.info("Reclaiming kernel %s: its page closed %s s ago",  # type: ignore
                      kernel_id, self.reclaim_seconds)
        try:
            await self.shutdown_kernel(kernel_id)
        except Exception as error:  # noqa: BLE001 - a kernel that died meanwhile
            self.log.warning("Kernel %s was not shut down: %s", kernel_id, error)  # type: ignore

    async def shutdown_kernel(self, kernel_id: str, *args: Any, **kwargs: Any) -> Any:
        timer = self._reclaim_timers.pop(kernel_id, None)
        if timer is not None:
            timer.cancel()
        try:
            return await super().shutdown_kernel(kernel_id, *args, **kwargs)  # type: ignore
        finally:
            self.gate.leave(kernel_id)


def viewer_kernel_manager(base: type) -> type:
    """Voilà's kernel manager class ``base`` with :class:`ViewerKernels` in front."""
    return type("WorkbookKernelManager", (ViewerKernels, base), {})
