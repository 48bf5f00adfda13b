"""Fair share: organisations get chats in proportion to their rostered hours."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from routing.fairshare import deficits
from routing.policy import assign
from routing.roster import Roster, ShiftTemplate, expand_week
from routing.types import AdvisorState, WaitingChat
from tests.routing.routing_builders import HEL


def test_deficit_is_expected_share_minus_chats_had() -> None:
    result = deficits({"a": 6, "b": 4}, {"a": 30.0, "b": 10.0})
    assert result == {"a": 7.5 - 6, "b": 2.5 - 4}


def test_an_organisation_without_rostered_hours_is_due_nothing() -> None:
    assert deficits({"a": 3, "guest": 2}, {"a": 10.0}) == {"a": 2.0, "guest": -2.0}
    assert deficits({"a": 3}, {"a": 0.0}) == {"a": -3.0}


def test_an_organisation_with_hours_but_no_chats_yet_is_behind() -> None:
    assert deficits({"a": 4}, {"a": 10.0, "b": 30.0}) == {"a": -3.0, "b": 3.0}


def test_deficits_sum_to_zero_when_anyone_is_rostered() -> None:
    result = deficits({"a": 7, "b": 2, "c": 9}, {"a": 3.0, "b": 11.0, "c": 5.5})
    assert sum(result.values()) == pytest.approx(0.0)


def test_nothing_is_due_before_the_first_chat() -> None:
    assert deficits({}, {"a": 10.0}) == {"a": 0.0}


# A simulated week: chats arrive during the working day, are handled and close; advisors of
# equal capacity belong to organisations rostered for different hours.

WEEK = date(2026, 3, 2)
STEP = timedelta(minutes=5)
TEMPLATES = [
    *(ShiftTemplate(f"north{n}", day, time(8), time(16)) for n in range(3) for day in range(5)),
    *(ShiftTemplate("south", day, time(8), time(16)) for day in range(5)),
    *(ShiftTemplate(f"east{n}", day, time(8), time(12)) for n in range(2) for day in range(5)),
]
ORGANISATION = {"north0": "north", "north1": "north", "north2": "north"} | {
    "south": "south",
    "east0": "east",
    "east1": "east",
}


@dataclass
class Desk:
    """One advisor's chats in the simulation."""

    organisation: str
    idle_since: datetime
    chats: list[str] = field(default_factory=list)


def simulate_week(
    seed: int, rostered: dict[str, float], head_start: dict[str, int]
) -> Counter[str]:
    """Run Monday to Friday in five-minute steps; return the chats each organisation had,
    starting from `head_start` (chats had earlier in the week)."""
    rng = random.Random(seed)
    roster = Roster(expand_week(TEMPLATES, [], WEEK, HEL))
    desks = {a: Desk(org, datetime.combine(WEEK, time(8), HEL)) for a, org in ORGANISATION.items()}
    had = Counter(head_start)
    queue: list[WaitingChat] = []
    now = datetime.combine(WEEK, time(8), HEL)
    while now < datetime.combine(WEEK + timedelta(days=5), time(0), HEL):
        _close_some(desks, rng, now)
        if time(8) <= now.time() < time(16) and rng.random() < 0.7:
            queue.append(WaitingChat(f"chat-{now:%a-%H%M}", now, "study", "fi"))
        states = [_state(a, d) for a, d in desks.items()]
        for made in assign(queue, states, roster.on_shift(now), had, rostered):
            desk = desks[made.advisor]
            desk.chats.append(made.chat)
            had[desk.organisation] += 1
        handed = {c for d in desks.values() for c in d.chats}
        queue = [c for c in queue if c.id not in handed]
        now += STEP
    return had


def _close_some(desks: dict[str, Desk], rng: random.Random, now: datetime) -> None:
    for desk in desks.values():
        staying = [c for c in desk.chats if rng.random() >= 0.25]  # about 20 minutes each
        if len(staying) < len(desk.chats):
            desk.idle_since = now
        desk.chats = staying


def _state(advisor: str, desk: Desk) -> AdvisorState:
    return AdvisorState(
        advisor,
        desk.organisation,
        frozenset({"fi"}),
        None,
        2,
        len(desk.chats),
        True,
        True,
        desk.idle_since,
    )


def _hours_by_organisation() -> dict[str, float]:
    roster = Roster(expand_week(TEMPLATES, [], WEEK, HEL))
    week = (
        datetime.combine(WEEK, time(0), HEL),
        datetime.combine(WEEK + timedelta(7), time(0), HEL),
    )
    hours: dict[str, float] = {}
    for advisor, h in roster.hours_by_advisor(*week).items():
        hours[ORGANISATION[advisor]] = hours.get(ORGANISATION[advisor], 0.0) + h
    return hours


def _shares(counts: dict[str, float] | Counter[str]) -> dict[str, float]:
    total = sum(counts.values())
    return {org: counts[org] / total for org in sorted(counts)}


# A statistical property: a rare week strays past the tolerance, so the seeds are the same on
# every run (derandomize) rather than new ones in CI that could land on such a week.
@settings(max_examples=10, derandomize=True)
@given(st.integers(0, 2**32 - 1))
def test_shares_of_chats_converge_to_shares_of_hours_over_a_week(seed: int) -> None:
    hours = _hours_by_organisation()
    assert hours == {"north": 120.0, "south": 40.0, "east": 40.0}
    had = simulate_week(seed, hours, head_start={"south": 40})
    for org, share in _shares(hours).items():
        assert _shares(had)[org] == pytest.approx(share, abs=0.03), (org, dict(had))


def test_without_rostered_hours_the_shares_do_not_follow_the_hours() -> None:
    """The contrast that shows the convergence above is the fair-share rule's doing."""
    hours = _hours_by_organisation()
    had = simulate_week(1, {}, head_start={"south": 40})
    gaps = [abs(_shares(had)[org] - share) for org, share in _shares(hours).items()]
    assert max(gaps) > 0.05, dict(had)
