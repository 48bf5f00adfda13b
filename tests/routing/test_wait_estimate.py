"""estimate_wait: a number only when one can be given honestly."""

from __future__ import annotations

from routing.estimate import estimate_wait


def test_no_estimate_when_nobody_can_serve() -> None:
    assert estimate_wait(1, 0, [300.0]) is None


def test_no_estimate_without_handling_history() -> None:
    assert estimate_wait(1, 3, []) is None


def test_mean_handling_time_times_position_over_servers() -> None:
    assert estimate_wait(4, 2, [600.0, 1200.0]) == 1800


def test_rounded_up_to_whole_seconds() -> None:
    assert estimate_wait(1, 3, [100.0]) == 34


def test_never_negative() -> None:
    assert estimate_wait(0, 1, [300.0]) == 0
    assert estimate_wait(1, 1, [-5.0]) == 0
