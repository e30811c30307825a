"""Viewer kernels: counted against the cap, reclaimed after their page's last connection."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from workbook.serve.gate import ViewerGate
from workbook.serve.kernels import CURRENT_RESERVATION, viewer_kernel_manager


class FakeVoilaManager:
    """The parts of Voilà's kernel manager the mixin builds on."""

    log = logging.getLogger("fake-manager")

    def __init__(self) -> None:
        self._kernel_connections: dict[str, int] = {}
        self.started = 0
        self.shut: list[str] = []

    def __contains__(self, kernel_id: str) -> bool:
        return kernel_id in self._kernel_connections

    async def start_kernel(self, **_: object) -> str:
        self.started += 1
        kernel_id = f"kernel-{self.started}"
        self._kernel_connections[kernel_id] = 0
        return kernel_id

    async def get_rendered_notebook(self, **_: object) -> tuple[None, list[str], str]:
        kernel_id = await FakeVoilaManager.start_kernel(self)  # the pool's own start
        return None, [], kernel_id

    def notify_connect(self, kernel_id: str) -> None:
        self._kernel_connections[kernel_id] += 1

    def notify_disconnect(self, kernel_id: str) -> None:
        self._kernel_connections[kernel_id] -= 1

    async def shutdown_kernel(self, kernel_id: str) -> None:
        self.shut.append(kernel_id)
        del self._kernel_connections[kernel_id]


def manager(reclaim: float = 0.05, max_viewers: int = 5):
    instance = viewer_kernel_manager(FakeVoilaManager)()
    gate = ViewerGate(max_viewers)
    instance.setup_viewers(gate, reclaim)
    return instance, gate


def test_a_page_request_turns_its_reservation_into_a_viewer() -> None:
    async def scenario() -> None:
        kernels, gate = manager()
        admission = gate.admit(None)
        token = CURRENT_RESERVATION.set(admission.reservation)
        try:
            _, _, kernel_id = await kernels.get_rendered_notebook(notebook_name="x")
        finally:
            CURRENT_RESERVATION.reset(token)
        admission.reservation.release()  # the handler's finally: the place stays taken
        assert gate.is_viewer(kernel_id) and gate.in_use == 1
        cold = await kernels.start_kernel()
        assert gate.is_viewer(cold) and gate.viewers == 2

    asyncio.run(scenario())


def test_a_closed_page_is_reclaimed_and_a_reconnect_cancels_it() -> None:
    async def scenario() -> None:
        kernels, gate = manager(reclaim=0.05)
        blip, closed = await kernels.start_kernel(), await kernels.start_kernel()
        for kernel_id in (blip, closed):
            kernels.notify_connect(kernel_id)
            kernels.notify_disconnect(kernel_id)
        kernels.notify_connect(blip)  # the page came back before the reclaim time
        await asyncio.sleep(0.2)
        assert kernels.shut == [closed]
        assert gate.viewers == 1 and gate.is_viewer(blip)

    asyncio.run(scenario())


def test_a_page_with_another_tab_still_connected_keeps_its_kernel() -> None:
    async def scenario() -> None:
        kernels, _ = manager(reclaim=0.02)
        kernel_id = await kernels.start_kernel()
        kernels.notify_connect(kernel_id)
        kernels.notify_connect(kernel_id)
        kernels.notify_disconnect(kernel_id)
        await asyncio.sleep(0.1)
        assert kernels.shut == []

    asyncio.run(scenario())


def test_preheated_kernels_are_not_viewers_and_never_reclaimed() -> None:
    async def scenario() -> None:
        kernels, gate = manager(reclaim=0.02)
        pooled = await FakeVoilaManager.start_kernel(kernels)  # how the pool starts its own
        kernels.notify_connect(pooled)
        kernels.notify_disconnect(pooled)
        await asyncio.sleep(0.1)
        assert kernels.shut == [] and gate.viewers == 0

    asyncio.run(scenario())


def test_a_shutdown_frees_the_place_even_when_it_fails() -> None:
    async def scenario() -> None:
        kernels, gate = manager()
        kernel_id = await kernels.start_kernel()
        await kernels.shutdown_kernel(kernel_id)
        assert gate.viewers == 0
        other = await kernels.start_kernel()
        del kernels._kernel_connections[other]  # the kernel died: the base class raises
        with contextlib.suppress(KeyError):
            await kernels.shutdown_kernel(other)
        assert gate.viewers == 0

    asyncio.run(scenario())
