"""Gaps ahead: open hours in the next 14 days with nobody rostered, or nobody rostered who speaks
one of the service's languages; by date, in the service's time zone, across the clock changes."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from routing.gaps import HORIZON, Gap, gaps_ahead
from routing.hours import DateException, OpeningHours, parse_weekly
from routing.roster import Shift
from routing.wallclock import utc
from tests.routing.routing_builders import HEL, hel

WEEKDAYS = OpeningHours(parse_weekly(["mon-fri 09:00-16:00"]), tz=HEL)
SPEAKS = {"anna": {"fi", "en"}, "bertil": {"sv", "fi"}, "chloe": {"en"}}
OFFERED = ("fi", "sv", "en")
# Monday 30 November 2026, 08:00: the next 14 days are the two weeks to Friday 11 December.
MONDAY_8 = hel(2026, 11, 30, 8)


def gap(day: int, start: int, end: int, *languages: str, nobody: bool = False, month: int = 12) -> Gap:
    return Gap(hel(2026, month, day, start), hel(2026, month, day, end), nobody, languages)


def on(day: int, *shifts: tuple[str, int, int]) -> list[Shift]:
    return [Shift(advisor, hel(2026, 12, day, start), hel(2026, 12, day, end)) for advisor, start, end in shifts]


def within(day: int, gaps: list[Gap]) -> list[Gap]:
    return [g for g in gaps if g.day == date(2026, 12, day)]


def test_an_afternoon_nobody_is_rostered_for_is_a_gap_and_so_is_a_morning_without_swedish() -> None:
    shifts = on(1, ("anna", 9, 14))
    gaps = gaps_ahead(WEEKDAYS, shifts, speaks=SPEAKS, languages=OFFERED, now=MONDAY_8)
    assert within(1, gaps) == [gap(1, 9, 14, "sv"), gap(1, 14, 16, *OFFERED, nobody=True)]


def test_a_day_covered_in_every_language_has_no_gap() -> None:
    shifts = on(2, ("anna", 9, 16), ("bertil", 9, 12), ("bertil", 12, 16))
    assert within(2, gaps_ahead(WEEKDAYS, shifts, speaks=SPEAKS, languages=OFFERED, now=MONDAY_8)) == []


def test_only_the_languages_the_service_offers_are_looked_for() -> None:
    shifts = on(2, ("chloe", 9, 16))
    assert within(2, gaps_ahead(WEEKDAYS, shifts, speaks=SPEAKS, languages=("en",), now=MONDAY_8)) == []
    assert within(2, gaps_ahead(WEEKDAYS, shifts, speaks=SPEAKS, languages=("fi", "en"), now=MONDAY_8)) == [
        gap(2, 9, 16, "fi")]


def test_the_missing_languages_change_where_a_shift_begins_or_ends() -> None:
    shifts = on(3, ("chloe", 9, 16), ("bertil", 11, 13))
    assert within(3, gaps_ahead(WEEKDAYS, shifts, speaks=SPEAKS, languages=OFFERED, now=MONDAY_8)) == [
        gap(3, 9, 11, "fi", "sv"), gap(3, 13, 16, "fi", "sv")]


def test_a_deactivated_advisors_shift_covers_nothing() -> None:
    shifts = on(1, ("dora", 9, 16))
    assert within(1, gaps_ahead(WEEKDAYS, shifts, speaks=SPEAKS, languages=OFFERED, now=MONDAY_8)) == [
        gap(1, 9, 16, *OFFERED, nobody=True)]


def test_exception_dates_close_a_day_or_give_it_other_hours() -> None:
    hours = OpeningHours(WEEKDAYS.weekly, (DateException(date(2026, 12, 1), ()),
                                           DateException(date(2026, 12, 2), ((time(10), time(12)),))), tz=HEL)
    gaps = gaps_ahead(hours, [], speaks=SPEAKS, languages=OFFERED, now=MONDAY_8)
    assert within(1, gaps) == [] and within(2, gaps) == [gap(2, 10, 12, *OFFERED, nobody=True)]


def test_the_window_starts_now_and_ends_fourteen_days_on() -> None:
    now = hel(2026, 11, 30, 12, 30)
    gaps = gaps_ahead(WEEKDAYS, [], speaks=SPEAKS, languages=OFFERED, now=now)
    assert gaps[0] == Gap(now, hel(2026, 11, 30, 16), True, OFFERED)
    assert gaps[-1] == Gap(hel(2026, 12, 14, 9), hel(2026, 12, 14, 12, 30), True, OFFERED)
    assert len(gaps) == 11  # ten whole weekdays between, and the two part days


def test_an_evening_past_midnight_is_one_gap_on_each_date() -> None:
    hours = OpeningHours(parse_weekly(["tue 20:00-24:00", "wed 00:00-02:00"]), tz=HEL)
    gaps = gaps_ahead(hours, [], speaks=SPEAKS, languages=("fi",), now=MONDAY_8)
    assert gaps[:2] == [Gap(hel(2026, 12, 1, 20), hel(2026, 12, 2), True, ("fi",)),
                        Gap(hel(2026, 12, 2), hel(2026, 12, 2, 2), True, ("fi",))]


def test_the_days_the_clocks_change_are_as_long_as_they_are() -> None:
    around_the_clock = OpeningHours(parse_weekly(["mon-sun 00:00-24:00"]), tz=HEL)
    spring = gaps_ahead(around_the_clock, [], speaks=SPEAKS, languages=("fi",), now=hel(2026, 3, 28))
    autumn = gaps_ahead(around_the_clock, [], speaks=SPEAKS, languages=("fi",), now=hel(2026, 10, 24))
    hours_of = {g.day: (utc(g.end) - utc(g.start)) / timedelta(hours=1) for g in spring + autumn}
    assert hours_of[date(2026, 3, 28)] == 24 and hours_of[date(2026, 3, 29)] == 23
    assert hours_of[date(2026, 10, 25)] == 25 and hours_of[date(2026, 10, 26)] == 24
    # A shift over the change covers what it covers: 02:00-05:00 on the spring day is two hours.
    shift = Shift("anna", hel(2026, 3, 29, 2), hel(2026, 3, 29, 5))
    [before, after] = [g for g in gaps_ahead(around_the_clock, [shift], speaks=SPEAKS, languages=("fi",),
                                             now=hel(2026, 3, 28)) if g.day == date(2026, 3, 29)]
    assert (before.end, after.start) == (shift.start, shift.end)
    assert (utc(shift.end) - utc(shift.start)) == timedelta(hours=2)


# -- properties ---------------------------------------------------------------------------------

START = hel(2026, 10, 19)  # the autumn change falls within two weeks of it
ADVISORS = [*sorted(SPEAKS), "dora"]


@st.composite
def shift_lists(draw: st.DrawFn) -> list[Shift]:
    shifts = []
    for _ in range(draw(st.integers(0, 12))):
        begins = START + timedelta(minutes=30 * draw(st.integers(0, 14 * 48)))
        length = timedelta(minutes=30 * draw(st.integers(1, 20)))
        shifts.append(Shift(draw(st.sampled_from(ADVISORS)), begins, begins + length))
    return shifts


hours_specs = st.sampled_from([["mon-fri 09:00-16:00"], ["mon-sun 00:00-24:00"], ["mon-sat 07:30-22:00"],
                               ["sun 20:00-24:00", "mon 00:00-02:00", "wed 10:00-11:00"]])


def missing_at(t: datetime, hours: OpeningHours, shifts: list[Shift]) -> tuple[bool, tuple[str, ...]] | None:
    """The slow reading: who is on shift at `t`, and what nobody of them speaks; None if closed
    or nothing is missing."""
    if not hours.is_open(t):
        return None
    present = {s.advisor for s in shifts if utc(s.start) <= utc(t) < utc(s.end) and s.advisor in SPEAKS}
    missing = tuple(code for code in OFFERED if not any(code in SPEAKS[p] for p in present))
    return (not present, missing) if missing else None


@given(shifts=shift_lists(), spec=hours_specs, probes=st.lists(st.integers(0, 14 * 24 * 60 - 1), max_size=30),
       offset=st.integers(0, 24 * 60))
def test_the_gaps_say_exactly_what_is_missing_at_every_instant(shifts: list[Shift], spec: list[str],
                                                               probes: list[int], offset: int) -> None:
    hours = OpeningHours(parse_weekly(spec), tz=HEL)
    now = START + timedelta(minutes=offset)
    gaps = gaps_ahead(hours, shifts, speaks=SPEAKS, languages=OFFERED, now=now)
    for before, after in pairwise(gaps):
        assert utc(before.end) <= utc(after.start)
        # Joined as far as they go: two touching gaps differ in their date or in what is missing.
        assert utc(before.end) < utc(after.start) or before.day != after.day or (
            before.nobody, before.languages) != (after.nobody, after.languages)
    for g in gaps:
        assert utc(now) <= utc(g.start) < utc(g.end) <= utc(now + HORIZON)
        assert (g.end - timedelta(microseconds=1)).astimezone(HEL).date() == g.day
    edges = [utc(t) for s in shifts for t in (s.start, s.end)] + [utc(now + timedelta(minutes=m)) for m in probes]
    for t in edges:
        if not utc(now) <= t < utc(now + HORIZON):
            continue
        covering = [g for g in gaps if utc(g.start) <= t < utc(g.end)]
        expected = missing_at(t, hours, shifts)
        assert [(g.nobody, g.languages) for g in covering] == ([] if expected is None else [expected])
