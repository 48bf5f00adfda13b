"""The roster's warnings: overlapping shifts of one advisor, shifts on a holiday, on a day
without opening hours or outside the hours, and shifts of a deactivated advisor."""

from __future__ import annotations

from datetime import date, time, timedelta

from hypothesis import given
from hypothesis import strategies as st

from routing.hours import DateException, OpeningHours, parse_weekly
from routing.roster import Shift
from routing.roster_checks import (
    CLOSED,
    HOLIDAY,
    INACTIVE,
    OPEN,
    OTHER_HOURS,
    OUTSIDE,
    OVERLAP,
    day_kind,
    shift_warnings,
)
from tests.routing.routing_builders import HEL, hel

CHRISTMAS_EVE = DateException(date(2026, 12, 24), ())
SHORT_DAY = DateException(date(2026, 12, 23), ((time(10), time(12)),))
HOURS = OpeningHours(parse_weekly(["mon-fri 09:00-16:00"]), (CHRISTMAS_EVE, SHORT_DAY), tz=HEL)


def shift(advisor: str, day: int, start: int, end: int) -> Shift:
    return Shift(advisor, hel(2026, 12, day, start), hel(2026, 12, day, end))


def test_the_kind_of_each_date_follows_the_weekly_hours_and_the_exceptions() -> None:
    kinds = [day_kind(HOURS, date(2026, 12, day)) for day in (21, 23, 24, 26)]
    assert kinds == [OPEN, OTHER_HOURS, HOLIDAY, CLOSED]


def test_a_plain_shift_in_the_opening_hours_has_no_warning() -> None:
    assert shift_warnings([shift("anna", 21, 9, 13)], HOURS) == ((),)


def test_shifts_on_a_holiday_a_closed_day_and_outside_the_hours_are_each_named() -> None:
    shifts = [shift("anna", 24, 9, 13), shift("anna", 26, 9, 13), shift("anna", 21, 17, 20),
              shift("anna", 23, 13, 15), shift("bertil", 23, 11, 15)]
    assert shift_warnings(shifts, HOURS) == ((HOLIDAY,), (CLOSED,), (OUTSIDE,), (OUTSIDE,), ())


def test_overlapping_shifts_of_one_advisor_are_both_warned_and_other_advisors_not() -> None:
    shifts = [shift("anna", 21, 9, 13), shift("bertil", 21, 9, 13), shift("anna", 21, 12, 16),
              shift("anna", 22, 9, 12), shift("anna", 22, 12, 16)]  # back to back: no overlap
    assert shift_warnings(shifts, HOURS) == ((OVERLAP,), (), (OVERLAP,), (), ())


def test_a_deactivated_advisors_shift_says_so_beside_its_other_warnings() -> None:
    shifts = [shift("bertil", 26, 9, 13), shift("anna", 26, 9, 13)]
    assert shift_warnings(shifts, HOURS, inactive={"bertil"}) == ((CLOSED, INACTIVE), (CLOSED,))


@given(st.lists(st.tuples(st.integers(0, 47), st.integers(1, 12)), max_size=12))
def test_a_shift_is_warned_of_overlap_exactly_when_another_of_its_advisors_overlaps_it(
    spans: list[tuple[int, int]]
) -> None:
    start = hel(2026, 12, 21)
    shifts = [Shift("anna", start + timedelta(hours=a), start + timedelta(hours=a + n)) for a, n in spans]
    warned = [OVERLAP in codes for codes in shift_warnings(shifts, HOURS)]
    expected = [any(j != i and s.start < o.end and o.start < s.end for j, o in enumerate(shifts))
                for i, s in enumerate(shifts)]
    assert warned == expected
