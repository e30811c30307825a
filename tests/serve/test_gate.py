"""The viewer cap and its queue: first come, first served; stale tickets leave the line."""

from __future__ import annotations

import pytest

from workbook.serve.gate import ViewerGate


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def full_gate(max_viewers: int, clock: Clock) -> ViewerGate:
    gate = ViewerGate(max_viewers, retry_seconds=5, clock=clock)
    for number in range(max_viewers):
        admission = gate.admit(None)
        assert admission.admitted
        admission.reservation.claim(f"kernel-{number}")
    return gate


def test_admits_up_to_the_cap_counting_pages_still_starting() -> None:
    gate = ViewerGate(3, clock=Clock())
    starting = [gate.admit(None) for _ in range(3)]
    assert all(a.admitted for a in starting)
    assert gate.in_use == 3 and gate.viewers == 0
    assert not gate.admit(None).admitted  # three pages starting fill the cap already
    starting[0].reservation.claim("k0")
    assert (gate.viewers, gate.in_use) == (1, 3)


def test_a_page_that_fails_before_its_kernel_gives_its_place_back() -> None:
    gate = ViewerGate(1, clock=Clock())
    admission = gate.admit(None)
    admission.reservation.release()
    assert gate.in_use == 0
    assert gate.admit(None).admitted


def test_claim_after_release_and_double_claim_count_once() -> None:
    gate = ViewerGate(2, clock=Clock())
    admission = gate.admit(None)
    admission.reservation.claim("k")
    admission.reservation.claim("other")
    admission.reservation.release()
    assert (gate.viewers, gate.in_use) == (1, 1)


def test_the_line_is_first_come_first_served() -> None:
    clock = Clock()
    gate = full_gate(2, clock)
    first, second, third = (gate.admit(None) for _ in range(3))
    assert [a.position for a in (first, second, third)] == [1, 2, 3]
    assert len({first.ticket, second.ticket, third.ticket}) == 3
    gate.leave("kernel-0")
    # the free place is the first ticket's: the others and newcomers keep waiting
    assert gate.admit(third.ticket).position == 3
    assert not gate.admit(None).admitted
    assert gate.admit(second.ticket).position == 2
    assert gate.admit(first.ticket).admitted
    assert gate.admit(second.ticket).position == 1  # moved up


def test_a_ticket_that_stops_asking_leaves_the_line() -> None:
    clock = Clock()
    gate = full_gate(1, clock)
    gone, waiting = gate.admit(None), gate.admit(None)
    clock.now = 12.0
    assert gate.admit(waiting.ticket).position == 2  # asked again in time: still behind
    clock.now = 16.0  # `gone` last asked 16 s ago, over three retries of 5 s
    assert gate.admit(waiting.ticket).position == 1
    assert gate.waiting == 1
    gate.leave("kernel-0")
    assert gate.admit(waiting.ticket).admitted
    assert gate.admit(gone.ticket).ticket == gone.ticket  # back at the end, same ticket
    assert gate.waiting == 1


def test_room_for_everyone_admits_a_newcomer_beside_the_line() -> None:
    clock = Clock()
    gate = full_gate(2, clock)
    waiting = gate.admit(None)
    gate.leave("kernel-0")
    gate.leave("kernel-1")
    assert gate.admit(None).admitted  # two free places, one ticket in line
    assert gate.admit(waiting.ticket).admitted


def test_a_bad_cap_is_refused() -> None:
    with pytest.raises(ValueError, match="max_viewers: expected 1 or more; got 0"):
        ViewerGate(0)
