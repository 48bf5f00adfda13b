"""routing.wallclock: the one rule from a local date and wall-clock time to an instant.

Helsinki: on 2027-03-28 the clocks go from 03:00 to 04:00 (03:30 does not exist); on 2027-10-31
they go from 04:00 back to 03:00 (03:30 happens twice).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from routing.errors import BadSpec, SkippedTime
from routing.wallclock import at, clock_time, span
from tests.routing.routing_builders import HEL

SPRING = date(2027, 3, 28)
AUTUMN = date(2027, 10, 31)


def utc(*fields: int) -> datetime:
    return datetime(*fields, tzinfo=UTC)


def test_a_skipped_time_entered_for_a_date_is_refused_naming_it() -> None:
    with pytest.raises(SkippedTime, match='"03:30" does not exist on 2027-03-28') as refused:
        at(SPRING, time(3, 30), HEL, recurring=False)
    assert (refused.value.day, refused.value.clock) == (SPRING, time(3, 30))
    with pytest.raises(SkippedTime):
        at(SPRING, time(3, 0), HEL, recurring=False)  # 03:00 is the first minute skipped
    assert at(SPRING, time(2, 59), HEL, recurring=False) == utc(2027, 3, 28, 0, 59)
    assert at(SPRING, time(4, 0), HEL, recurring=False) == utc(2027, 3, 28, 1, 0)  # summer time from here


def test_a_skipped_time_in_a_recurring_rule_is_read_with_the_offset_before_the_change() -> None:
    assert at(SPRING, time(3, 30), HEL, recurring=True) == utc(2027, 3, 28, 1, 30)  # 04:30 summer time


@pytest.mark.parametrize("recurring", [False, True])
def test_a_time_shown_twice_means_its_first_showing(recurring: bool) -> None:
    assert at(AUTUMN, time(3, 30), HEL, recurring=recurring) == utc(2027, 10, 31, 0, 30)  # still summer time
    assert at(AUTUMN, time(3, 30, fold=1), HEL, recurring=recurring) == utc(2027, 10, 31, 1, 30)


def test_24_00_is_the_next_days_midnight() -> None:
    assert at(SPRING, None, HEL, recurring=False) == at(date(2027, 3, 29), time(0), HEL, recurring=False)


def test_a_span_across_the_change_keeps_its_wall_clock_times_and_an_end_not_after_the_start_is_next_day() -> None:
    assert span(SPRING, time(2), time(5), HEL, recurring=False) == (utc(2027, 3, 28, 0), utc(2027, 3, 28, 2))
    assert span(AUTUMN, time(2), time(5), HEL, recurring=False) == (utc(2027, 10, 30, 23), utc(2027, 10, 31, 3))
    assert span(SPRING, time(22), time(6), HEL, recurring=False) == (utc(2027, 3, 28, 19), utc(2027, 3, 29, 3))
    assert span(SPRING, time(9), time(9), HEL, recurring=False)[1] == utc(2027, 3, 29, 6)  # a whole day
    assert span(SPRING, time(12), None, HEL, recurring=False)[1] == utc(2027, 3, 28, 21)


def test_a_span_says_which_of_its_ends_the_clock_skips() -> None:
    with pytest.raises(SkippedTime, match=r'^end time "03:15" does not exist on 2027-03-28') as refused:
        span(date(2027, 3, 27), time(22), time(3, 15), HEL, recurring=False)
    assert refused.value.bound == "end"


@pytest.mark.parametrize("text", ["9:00", "24:00", "12:60", "25:00", "0900", " 09:00", "09:00:00", ""])
def test_a_clock_time_is_hh_mm(text: str) -> None:
    with pytest.raises(BadSpec, match="is not a time of day"):
        clock_time(text)


def test_24_00_is_a_clock_time_only_as_an_end() -> None:
    assert clock_time("24:00", end=True) is None
    assert clock_time("00:00") == time(0) and clock_time("23:59", end=True) == time(23, 59)
