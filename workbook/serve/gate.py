"""The viewer cap with a queue: who gets a dashboard now, who waits, in arrival order.

A *viewer* is a page holding a kernel. At most ``max_viewers`` are served at once. The next
manager gets the busy page (:func:`workbook.serve.pages.busy_page`), a ticket (a cookie) and
a place in line; the page asks again every few seconds by itself. When a place frees (a tab
closed, its kernel reclaimed), the first ticket in line gets it; a newcomer without a ticket
never jumps the line.
A ticket that stops asking (its tab was closed) leaves the line after three missed retries.

The gate is plain Python (no tornado): the server calls :meth:`ViewerGate.admit` before it
renders a page, holds the returned :class:`Reservation` until the page's kernel is known
(:meth:`Reservation.claim`), and tells the gate when a viewer's kernel is gone
(:meth:`ViewerGate.leave`).
"""

from __future__ import annotations

import secrets
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["Admission", "Reservation", "ViewerGate"]


class Reservation:
    """A place held for one page between admission and its kernel's start."""

    __slots__ = ("_gate", "kernel_id")

    def __init__(self, gate: ViewerGate) -> None:
        self._gate = gate
        self.kernel_id: str | None = None

    def claim(self, kernel_id: str) -> None:
        """The page got its kernel: the place is now that viewer's until :meth:`leave`."""
        if self.kernel_id is None and self in self._gate._reserved:
            self.kernel_id = kernel_id
            self._gate._reserved.discard(self)
            self._gate._viewers.add(kernel_id)

    def release(self) -> None:
        """The page is done (or failed) without a kernel: give the place back."""
        self._gate._reserved.discard(self)


@dataclass(frozen=True, slots=True)
class Admission:
    """The gate's answer: a reservation, or the ticket and place in line of a waiting viewer."""

    reservation: Reservation | None
    ticket: str | None = None
    position: int = 0
    """1 for the first in line."""

    @property
    def admitted(self) -> bool:
        return self.reservation is not None


class ViewerGate:
    """At most ``max_viewers`` pages at once; the rest wait in line, first come first served.

    Examples
    --------
    >>> gate = ViewerGate(max_viewers=1, retry_seconds=5, clock=lambda: 0.0)
    >>> first = gate.admit(None); first.admitted
    True
    >>> first.reservation.claim("kernel-1")
    >>> second = gate.admit(None); (second.admitted, second.position)
    (False, 1)
    >>> gate.leave("kernel-1")
    >>> gate.admit(None).admitted          # a newcomer waits behind the ticket in line
    False
    >>> gate.admit(second.ticket).admitted  # the first in line gets the free place
    True
    """

    def __init__(self, max_viewers: int, retry_seconds: float = 5.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if max_viewers < 1:
            raise ValueError(f"max_viewers: expected 1 or more; got {max_viewers}")
        self.max_viewers = max_viewers
        self.retry_seconds = retry_seconds
        self._clock = clock
        self._viewers: set[str] = set()
        self._reserved: set[Reservation] = set()
        self._line: OrderedDict[str, float] = OrderedDict()

    @property
    def viewers(self) -> int:
        """Pages holding a kernel."""
        return len(self._viewers)

    @property
    def in_use(self) -> int:
        """Places taken: viewers and pages still waiting for their kernel."""
        return len(self._viewers) + len(self._reserved)

    @property
    def waiting(self) -> int:
        """Tickets in line (after dropping those that stopped asking)."""
        self._drop_stale()
        return len(self._line)

    def is_viewer(self, kernel_id: str) -> bool:
        return kernel_id in self._viewers

    def leave(self, kernel_id: str) -> None:
        """A viewer's kernel is gone (shut down, reclaimed, culled)."""
        self._viewers.discard(kernel_id)

    def _drop_stale(self) -> None:
        limit = self._clock() - 3 * self.retry_seconds
        for ticket in [t for t, seen in self._line.items() if seen < limit]:
            del self._line[ticket]

    def admit(self, ticket: str | None) -> Admission:
        """Admit a page now, or give it (or keep it) a place in line."""
        self._drop_stale()
        free = self.max_viewers - self.in_use
        ahead = list(self._line)
        if ticket in self._line:
            position = ahead.index(ticket)
            if position < free:
                del self._line[ticket]
                return self._reserve()
            self._line[ticket] = self._clock()
            return Admission(None, ticket, position + 1)
        if free > len(ahead):  # room for everyone in line and this newcomer
            return self._reserve()
        ticket = ticket or secrets.token_urlsafe(16)
        self._line[ticket] = self._clock()
        return Admission(None, ticket, len(self._line))

    def _reserve(self) -> Admission:
        reservation = Reservation(self)
        self._reserved.add(reservation)
        return Admission(reservation)
