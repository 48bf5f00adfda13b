"""Opening hours: weekly hours, exception dates and the clock changes, in Europe/Helsinki."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from routing.errors import BadSpec
from routing.hours import DateException, OpeningHours, WeeklyOpening, parse_weekly
from routing.types import Interval
from tests.routing.routing_builders import HEL, hel

OFFICE = OpeningHours(parse_weekly(["mon-fri 09:00-16:00"]), tz=HEL)
EVERY_DAY = OpeningHours(parse_weekly(["mon-sun 09:00-16:00"]), tz=HEL)
SUNDAY_NIGHT = OpeningHours(parse_weekly(["sun 02:00-05:00"]), tz=HEL)
EASTER = (DateException(date(2026, 4, 3), ()), DateException(date(2026, 4, 6), ()))
EXTRA_EVENING = DateException(date(2026, 4, 2), ((time(9), time(16)), (time(18), time(22))))


def spans(hours: OpeningHours, a: datetime, b: datetime) -> list[tuple[datetime, datetime]]:
    return [(i.start, i.end) for i in hours.intervals(a, b)]


def test_hours_stay_nine_to_four_local_on_the_spring_forward_day() -> None:
    [saturday, sunday] = EVERY_DAY.intervals(hel(2026, 3, 28), hel(2026, 3, 30))
    assert (sunday.start, sunday.end) == (hel(2026, 3, 29, 9), hel(2026, 3, 29, 16))
    assert saturday.start.utcoffset() == timedelta(hours=2)
    assert sunday.start.utcoffset() == timedelta(hours=3)
    assert sunday.seconds == 7 * 3600


def test_hours_stay_nine_to_four_local_on_the_fall_back_day() -> None:
    [saturday, sunday] = EVERY_DAY.intervals(hel(2026, 10, 24), hel(2026, 10, 26))
    assert (sunday.start, sunday.end) == (hel(2026, 10, 25, 9), hel(2026, 10, 25, 16))
    assert saturday.start.utcoffset() == timedelta(hours=3)
    assert sunday.start.utcoffset() == timedelta(hours=2)
    assert sunday.seconds == 7 * 3600


def test_an_interval_over_the_spring_gap_is_an_hour_shorter() -> None:
    [night] = SUNDAY_NIGHT.intervals(hel(2026, 3, 29), hel(2026, 3, 30))
    assert (night.start, night.end) == (hel(2026, 3, 29, 2), hel(2026, 3, 29, 5))
    assert night.seconds == 2 * 3600


def test_an_interval_over_the_autumn_repeat_is_an_hour_longer() -> None:
    [night] = SUNDAY_NIGHT.intervals(hel(2026, 10, 25), hel(2026, 10, 26))
    assert night.seconds == 4 * 3600


def test_results_come_back_in_the_service_time_zone() -> None:
    closing = OFFICE.next_close(hel(2026, 3, 2, 12).astimezone(UTC))
    assert closing == hel(2026, 3, 2, 16)
    assert closing is not None and closing.tzinfo is HEL


def test_open_inside_hours_and_closed_at_the_closing_minute() -> None:
    assert OFFICE.is_open(hel(2026, 3, 2, 9))
    assert OFFICE.is_open(hel(2026, 3, 2, 15, 59))
    assert not OFFICE.is_open(hel(2026, 3, 2, 16))
    assert not OFFICE.is_open(hel(2026, 3, 2, 8, 59))


def test_closed_all_day_on_a_holiday() -> None:
    hours = OpeningHours(OFFICE.weekly, EASTER, HEL)
    assert not hours.is_open(hel(2026, 4, 3, 12))
    assert spans(hours, hel(2026, 4, 3), hel(2026, 4, 4)) == []


def test_an_exception_date_replaces_the_weekly_hours() -> None:
    hours = OpeningHours(OFFICE.weekly, (EXTRA_EVENING,), HEL)
    assert spans(hours, hel(2026, 4, 2), hel(2026, 4, 3)) == [
        (hel(2026, 4, 2, 9), hel(2026, 4, 2, 16)),
        (hel(2026, 4, 2, 18), hel(2026, 4, 2, 22)),
    ]
    assert hours.is_open(hel(2026, 4, 2, 19))
    assert hours.next_close(hel(2026, 4, 2, 19)) == hel(2026, 4, 2, 22)
    assert hours.next_open(hel(2026, 4, 2, 17)) == hel(2026, 4, 2, 18)


def test_an_exception_with_shorter_hours_closes_early() -> None:
    short_day = DateException(date(2026, 4, 30), ((time(9), time(12)),))
    hours = OpeningHours(OFFICE.weekly, (short_day,), HEL)
    assert not hours.is_open(hel(2026, 4, 30, 13))
    assert hours.next_close(hel(2026, 4, 30, 10)) == hel(2026, 4, 30, 12)


def test_next_open_skips_the_weekend() -> None:
    assert OFFICE.next_open(hel(2026, 3, 27, 16)) == hel(2026, 3, 30, 9)


def test_next_open_skips_holidays() -> None:
    hours = OpeningHours(OFFICE.weekly, EASTER, HEL)
    assert hours.next_open(hel(2026, 4, 2, 17)) == hel(2026, 4, 7, 9)


def test_next_open_while_open_is_now() -> None:
    assert OFFICE.next_open(hel(2026, 3, 2, 10, 30)) == hel(2026, 3, 2, 10, 30)


def test_next_open_is_none_when_never_open() -> None:
    assert OpeningHours((), tz=HEL).next_open(hel(2026, 3, 2)) is None


def test_next_open_is_none_beyond_a_year() -> None:
    closed_for_a_year = tuple(
        DateException(date(2026, 3, 2) + timedelta(days=n), ()) for n in range(400)
    )
    assert OpeningHours(OFFICE.weekly, closed_for_a_year, HEL).next_open(hel(2026, 3, 2)) is None


def test_next_close_is_none_while_closed() -> None:
    assert OFFICE.next_close(hel(2026, 3, 2, 17)) is None


def test_next_close_follows_an_evening_past_midnight() -> None:
    hours = OpeningHours(parse_weekly(["sun 20:00-24:00", "mon 00:00-02:00"]), tz=HEL)
    assert hours.next_close(hel(2026, 3, 1, 21)) == hel(2026, 3, 2, 2)


def test_next_close_is_none_when_open_around_the_clock() -> None:
    always = OpeningHours(parse_weekly(["mon-sun 00:00-24:00"]), tz=HEL)
    assert always.is_open(hel(2026, 3, 2, 3))
    assert always.next_close(hel(2026, 3, 2, 3)) is None


def test_intervals_merge_across_midnight() -> None:
    hours = OpeningHours(parse_weekly(["mon 20:00-24:00", "tue 00:00-02:00"]), tz=HEL)
    assert spans(hours, hel(2026, 3, 2), hel(2026, 3, 4)) == [
        (hel(2026, 3, 2, 20), hel(2026, 3, 3, 2)),
    ]


def test_intervals_are_clipped_to_the_window() -> None:
    assert OFFICE.intervals(hel(2026, 3, 2, 10), hel(2026, 3, 2, 12)) == [
        Interval(hel(2026, 3, 2, 10), hel(2026, 3, 2, 12)),
    ]


def test_intervals_over_a_week_list_each_working_day() -> None:
    week = spans(OFFICE, hel(2026, 3, 2), hel(2026, 3, 9))
    assert week == [(hel(2026, 3, d, 9), hel(2026, 3, d, 16)) for d in range(2, 7)]


def test_days_list_each_date_of_a_week_with_its_hours_and_a_holiday_closed() -> None:
    hours = OpeningHours(parse_weekly(["mon-fri 09:00-16:00"]), exceptions=(*EASTER, EXTRA_EVENING), tz=HEL)
    week = hours.days(date(2026, 4, 1), 7)  # Wednesday to Tuesday: Maundy Thursday, Good Friday, Easter Monday
    assert [day for day, _ in week] == [date(2026, 4, d) for d in range(1, 8)]
    assert [[(i.start, i.end) for i in intervals] for _, intervals in week] == [
        [(hel(2026, 4, 1, 9), hel(2026, 4, 1, 16))],
        [(hel(2026, 4, 2, 9), hel(2026, 4, 2, 16)), (hel(2026, 4, 2, 18), hel(2026, 4, 2, 22))],
        [], [], [], [],
        [(hel(2026, 4, 7, 9), hel(2026, 4, 7, 16))],
    ]


def test_days_cut_an_evening_past_midnight_at_each_dates_end() -> None:
    hours = OpeningHours(parse_weekly(["mon 20:00-24:00", "tue 00:00-02:00"]), tz=HEL)
    [(_, monday), (_, tuesday)] = hours.days(date(2026, 3, 2), 2)
    assert [(i.start, i.end) for i in monday] == [(hel(2026, 3, 2, 20), hel(2026, 3, 3))]
    assert [(i.start, i.end) for i in tuesday] == [(hel(2026, 3, 3), hel(2026, 3, 3, 2))]


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        OFFICE.is_open(datetime(2026, 3, 2, 12))


def test_an_opening_must_end_after_it_starts() -> None:
    with pytest.raises(BadSpec, match="not after start"):
        WeeklyOpening(0, time(16), time(9))


def test_two_exceptions_for_one_date_are_refused() -> None:
    with pytest.raises(BadSpec, match="two exceptions"):
        OpeningHours((), (EASTER[0], EASTER[0]), HEL)


def test_weekly_hours_in_force_over_dates_answer_for_each_date_what_was_in_force_then() -> None:
    # Open around the clock on weekdays until Monday 2026-11-23, 09-16 from then on; Saturdays
    # 10-14 only in the week of the change.
    around_the_clock = tuple(WeeklyOpening(d, time(0), None, until=date(2026, 11, 23)) for d in range(5))
    office = tuple(WeeklyOpening(d, time(9), time(16), since=date(2026, 11, 23)) for d in range(5))
    saturday = WeeklyOpening(5, time(10), time(14), since=date(2026, 11, 23), until=date(2026, 11, 30))
    hours = OpeningHours((*around_the_clock, *office, saturday), tz=HEL)
    assert sum(i.seconds for i in hours.intervals(hel(2026, 11, 16), hel(2026, 11, 23))) == 5 * 24 * 3600
    assert spans(hours, hel(2026, 11, 20, 12), hel(2026, 11, 24)) == [
        (hel(2026, 11, 20, 12), hel(2026, 11, 21)),
        (hel(2026, 11, 23, 9), hel(2026, 11, 23, 16)),
    ]
    assert sum(i.seconds for i in hours.intervals(hel(2026, 11, 23), hel(2026, 11, 30))) == (5 * 7 + 4) * 3600
    assert sum(i.seconds for i in hours.intervals(hel(2026, 11, 30), hel(2026, 12, 7))) == 5 * 7 * 3600
    assert hours.is_open(hel(2026, 11, 20, 23)) and not hours.is_open(hel(2026, 11, 23, 23))
    assert hours.next_open(hel(2026, 11, 22, 12)) == hel(2026, 11, 23, 9)


def test_an_opening_in_force_over_no_dates_is_refused() -> None:
    with pytest.raises(BadSpec, match="2026-11-23"):
        WeeklyOpening(0, time(9), time(16), since=date(2026, 11, 23), until=date(2026, 11, 23))
