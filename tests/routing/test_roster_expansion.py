"""expand_week: a weekly template plus one-off changes becomes concrete shifts."""

from __future__ import annotations

from datetime import UTC, date, time

import pytest

from routing.errors import BadSpec
from routing.roster import (
    AddShift,
    CancelShift,
    RosterChange,
    Shift,
    ShiftTemplate,
    SwapShift,
    expand_week,
)
from tests.routing.routing_builders import HEL, hel

SPRING_WEEK = date(2026, 3, 23)  # Monday; the clocks go forward on Sunday 29 March
ANNA_WEEKDAYS = [ShiftTemplate("anna", day, time(9), time(16)) for day in range(5)]


def test_a_template_gives_one_shift_per_matching_day() -> None:
    shifts = expand_week(ANNA_WEEKDAYS, [], SPRING_WEEK, HEL)
    assert shifts == tuple(
        Shift("anna", hel(2026, 3, d, 9), hel(2026, 3, d, 16)) for d in range(23, 28)
    )


def test_an_overnight_template_ends_next_morning() -> None:
    [night] = expand_week([ShiftTemplate("ville", 3, time(22), time(6))], [], SPRING_WEEK, HEL)
    assert (night.start, night.end) == (hel(2026, 3, 26, 22), hel(2026, 3, 27, 6))


def test_an_overnight_shift_over_the_spring_gap_is_an_hour_shorter() -> None:
    [night] = expand_week([ShiftTemplate("ville", 5, time(22), time(6))], [], SPRING_WEEK, HEL)
    assert (night.start, night.end) == (hel(2026, 3, 28, 22), hel(2026, 3, 29, 6))
    assert night.end.timestamp() - night.start.timestamp() == 7 * 3600


def test_a_template_ending_at_midnight_ends_at_the_next_days_start() -> None:
    [evening] = expand_week([ShiftTemplate("eve", 6, time(18), None)], [], SPRING_WEEK, HEL)
    assert evening.end == hel(2026, 3, 30)


def test_cancel_drops_exactly_that_shift() -> None:
    cancel = CancelShift("anna", hel(2026, 3, 24, 9))
    starts = [s.start for s in expand_week(ANNA_WEEKDAYS, [cancel], SPRING_WEEK, HEL)]
    assert hel(2026, 3, 24, 9) not in starts
    assert len(starts) == 4


def test_swap_gives_the_shift_to_the_replacement() -> None:
    swap = SwapShift(hel(2026, 3, 25, 9), "anna", "bea")
    shifts = expand_week(ANNA_WEEKDAYS, [swap], SPRING_WEEK, HEL)
    assert Shift("bea", hel(2026, 3, 25, 9), hel(2026, 3, 25, 16)) in shifts
    assert [s.advisor for s in shifts].count("anna") == 4


def test_add_puts_an_extra_shift_in_its_week_only() -> None:
    extra = Shift("carl", hel(2026, 3, 26, 18), hel(2026, 3, 26, 21))
    next_week = Shift("carl", hel(2026, 3, 30, 18), hel(2026, 3, 30, 21))
    shifts = expand_week([], [AddShift(extra), AddShift(next_week)], SPRING_WEEK, HEL)
    assert shifts == (extra,)


def test_changes_apply_in_order() -> None:
    changes: list[RosterChange] = [
        SwapShift(hel(2026, 3, 25, 9), "anna", "bea"),
        CancelShift("bea", hel(2026, 3, 25, 9)),
    ]
    shifts = expand_week(ANNA_WEEKDAYS, changes, SPRING_WEEK, HEL)
    assert [s.start.day for s in shifts] == [23, 24, 26, 27]


def test_changes_matching_nothing_are_ignored() -> None:
    changes: list[RosterChange] = [
        CancelShift("anna", hel(2026, 3, 24, 10)),
        SwapShift(hel(2026, 3, 24, 9), "zoe", "bea"),
    ]
    assert expand_week(ANNA_WEEKDAYS, changes, SPRING_WEEK, HEL) == expand_week(
        ANNA_WEEKDAYS, [], SPRING_WEEK, HEL
    )


def test_a_change_matches_the_instant_whatever_its_time_zone() -> None:
    cancel = CancelShift("anna", hel(2026, 3, 24, 9).astimezone(UTC))
    assert len(expand_week(ANNA_WEEKDAYS, [cancel], SPRING_WEEK, HEL)) == 4


def test_a_shift_must_end_after_it_starts() -> None:
    with pytest.raises(BadSpec, match="end is not after the start"):
        Shift("anna", hel(2026, 3, 2, 16), hel(2026, 3, 2, 9))


def test_a_template_weekday_must_exist() -> None:
    with pytest.raises(BadSpec, match="weekday 7"):
        ShiftTemplate("anna", 7, time(9), time(16))
