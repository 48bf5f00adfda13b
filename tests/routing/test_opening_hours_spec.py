"""parse_weekly: the opening-hours strings typed on the command line."""

from __future__ import annotations

from datetime import time

import pytest

from routing.errors import BadSpec
from routing.hours import WeeklyOpening, parse_weekly


def test_a_day_range_gives_one_opening_per_day() -> None:
    assert parse_weekly(["mon-fri 09:00-16:00"]) == tuple(
        WeeklyOpening(day, time(9), time(16)) for day in range(5)
    )


def test_single_days_and_several_specs() -> None:
    assert parse_weekly(["sat 10:00-14:00", "sun 18:00-24:00"]) == (
        WeeklyOpening(5, time(10), time(14)),
        WeeklyOpening(6, time(18), None),
    )


def test_comma_lists_mix_days_and_ranges() -> None:
    weekdays = [o.weekday for o in parse_weekly(["mon,wed,fri-sun 12:00-13:00"])]
    assert weekdays == [0, 2, 4, 5, 6]


def test_day_names_ignore_case_and_extra_spaces() -> None:
    assert parse_weekly(["  Mon   09:00-10:00 "]) == (WeeklyOpening(0, time(9), time(10)),)


def test_no_specs_means_never_open() -> None:
    assert parse_weekly([]) == ()


@pytest.mark.parametrize(
    ("spec", "complaint"),
    [
        ("mnd 09:00-16:00", "unknown day 'mnd'"),
        ("mon-fre 09:00-16:00", "unknown day 'fre'"),
        ("fri-mon 09:00-16:00", "day range 'fri-mon' runs backwards"),
        ("mon 9:00-16:00", "'9:00' is not a time of day"),
        ("mon 09:00-25:00", "'25:00' is not a time of day"),
        ("mon 09:60-10:00", "'09:60' is not a time of day"),
        ("mon 24:00-24:00", "24:00 is allowed only as an end"),
        ("mon 16:00-09:00", "end 09:00 is not after start 16:00"),
        ("mon 09:00-09:00", "end 09:00 is not after start 09:00"),
        ("mon 09:00", "hours '09:00' should be a range"),
        ("09:00-16:00", "expected days and hours"),
        ("mon 09:00 - 16:00", "expected days and hours"),
    ],
)
def test_bad_specs_name_the_bad_part(spec: str, complaint: str) -> None:
    with pytest.raises(BadSpec) as caught:
        parse_weekly(["mon-fri 09:00-16:00", spec])
    assert complaint in str(caught.value)
    assert repr(spec) in str(caught.value)
