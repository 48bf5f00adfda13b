"""Roster: who is on shift, until when, and where opening hours go uncovered."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from routing.hours import OpeningHours, parse_weekly
from routing.roster import Roster, Shift, coverage_gaps
from routing.types import Interval
from tests.routing.routing_builders import HEL, hel

MONDAY = Roster(
    (
        Shift("anna", hel(2026, 3, 2, 9), hel(2026, 3, 2, 12)),
        Shift("anna", hel(2026, 3, 2, 12), hel(2026, 3, 2, 16)),
        Shift("bea", hel(2026, 3, 2, 11), hel(2026, 3, 2, 14)),
        Shift("bea", hel(2026, 3, 2, 13), hel(2026, 3, 2, 15)),
        Shift("carl", hel(2026, 3, 2, 17), hel(2026, 3, 2, 20)),
    )
)
OFFICE = OpeningHours(parse_weekly(["mon-fri 09:00-16:00"]), tz=HEL)


def test_on_shift_lists_whoever_covers_the_instant() -> None:
    assert MONDAY.on_shift(hel(2026, 3, 2, 8)) == frozenset()
    assert MONDAY.on_shift(hel(2026, 3, 2, 9)) == {"anna"}
    assert MONDAY.on_shift(hel(2026, 3, 2, 13, 30)) == {"anna", "bea"}
    assert MONDAY.on_shift(hel(2026, 3, 2, 20)) == frozenset()


def test_a_shift_is_over_at_its_end_time() -> None:
    assert "bea" not in MONDAY.on_shift(hel(2026, 3, 2, 15))
    assert "carl" in MONDAY.on_shift(hel(2026, 3, 2, 19, 59))


def test_overlapping_shifts_keep_an_advisor_on_until_the_last_ends() -> None:
    assert "bea" in MONDAY.on_shift(hel(2026, 3, 2, 14, 30))


def test_shift_end_follows_back_to_back_shifts() -> None:
    assert MONDAY.shift_end("anna", hel(2026, 3, 2, 10)) == hel(2026, 3, 2, 16)


def test_shift_end_follows_overlapping_shifts() -> None:
    assert MONDAY.shift_end("bea", hel(2026, 3, 2, 11)) == hel(2026, 3, 2, 15)


def test_shift_end_is_none_off_shift_or_for_strangers() -> None:
    assert MONDAY.shift_end("carl", hel(2026, 3, 2, 16)) is None
    assert MONDAY.shift_end("carl", hel(2026, 3, 2, 20)) is None
    assert MONDAY.shift_end("zoe", hel(2026, 3, 2, 10)) is None


def test_staffed_intervals_are_the_union_of_shifts_clipped() -> None:
    assert MONDAY.staffed_intervals(hel(2026, 3, 2, 10), hel(2026, 3, 2, 18)) == [
        Interval(hel(2026, 3, 2, 10), hel(2026, 3, 2, 16)),
        Interval(hel(2026, 3, 2, 17), hel(2026, 3, 2, 18)),
    ]


def test_hours_by_advisor_count_overlaps_once_and_clip() -> None:
    assert MONDAY.hours_by_advisor(hel(2026, 3, 2), hel(2026, 3, 2, 18)) == {
        "anna": 7.0,
        "bea": 4.0,
        "carl": 1.0,
    }
    assert MONDAY.hours_by_advisor(hel(2026, 3, 3), hel(2026, 3, 4)) == {}


def test_hours_by_advisor_measure_real_time_over_the_clock_change() -> None:
    night = Roster((Shift("ville", hel(2026, 3, 28, 22), hel(2026, 3, 29, 6)),))
    assert night.hours_by_advisor(hel(2026, 3, 28), hel(2026, 3, 30)) == {"ville": 7.0}


def test_shifts_of_lists_whole_shifts_overlapping_the_window() -> None:
    assert MONDAY.shifts_of("bea", hel(2026, 3, 2, 14), hel(2026, 3, 2, 18)) == (
        Shift("bea", hel(2026, 3, 2, 13), hel(2026, 3, 2, 15)),
    )


def test_coverage_gaps_are_open_hours_with_nobody_on_shift() -> None:
    thin = Roster(
        (
            Shift("anna", hel(2026, 3, 2, 9), hel(2026, 3, 2, 12)),
            Shift("bea", hel(2026, 3, 2, 13), hel(2026, 3, 2, 17)),
            Shift("carl", hel(2026, 3, 3, 8), hel(2026, 3, 3, 10)),
        )
    )
    assert coverage_gaps(OFFICE, thin, hel(2026, 3, 2), hel(2026, 3, 4)) == [
        Interval(hel(2026, 3, 2, 12), hel(2026, 3, 2, 13)),
        Interval(hel(2026, 3, 3, 10), hel(2026, 3, 3, 16)),
    ]


def test_no_gaps_when_closed_or_fully_staffed() -> None:
    weekend = (hel(2026, 3, 7), hel(2026, 3, 9))
    assert coverage_gaps(OFFICE, Roster(()), *weekend) == []
    full = Roster((Shift("anna", hel(2026, 3, 2, 8), hel(2026, 3, 2, 17)),))
    assert coverage_gaps(OFFICE, full, hel(2026, 3, 2), hel(2026, 3, 3)) == []


BASE = datetime(2026, 3, 2, tzinfo=UTC)
quarters = st.integers(min_value=0, max_value=4 * 24 * 3)
shift_lists = st.lists(
    st.tuples(st.sampled_from(["anna", "bea", "carl"]), quarters, st.integers(1, 40)),
    max_size=30,
)


def build(specs: list[tuple[str, int, int]]) -> Roster:
    step = timedelta(minutes=15)
    return Roster(tuple(Shift(a, BASE + s * step, BASE + (s + n) * step) for a, s, n in specs))


@given(shift_lists, quarters)
def test_on_shift_agrees_with_checking_every_shift(
    specs: list[tuple[str, int, int]], q: int
) -> None:
    roster, t = build(specs), BASE + q * timedelta(minutes=15)
    assert roster.on_shift(t) == {s.advisor for s in roster.shifts if s.start <= t < s.end}


@given(shift_lists, quarters)
def test_shift_end_is_where_continuous_coverage_stops(
    specs: list[tuple[str, int, int]], q: int
) -> None:
    roster, t = build(specs), BASE + q * timedelta(minutes=15)
    for advisor in ("anna", "bea", "carl"):
        end = roster.shift_end(advisor, t)
        if advisor not in roster.on_shift(t):
            assert end is None
            continue
        assert end is not None and end > t
        assert advisor not in roster.on_shift(end)
        assert all(advisor in roster.on_shift(m) for m in _quarters_between(t, end))


def _quarters_between(a: datetime, b: datetime) -> list[datetime]:
    count = int((b - a) / timedelta(minutes=15))
    return [a + n * timedelta(minutes=15) for n in range(count)]
