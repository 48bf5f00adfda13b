"""The forecast core: demand read from history, what the simulation makes of a draft, and the
smallest fix of a bad run of hours. Seeded, so every figure here is the same on every run."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from routing.arrivals import Demand, Empirical, Exponential, PastChat, demand_from, nearest_rank, patience_mean
from routing.forecast import Fate, Plan, Staff, forecast, simulate
from routing.hours import OpeningHours, WeeklyOpening
from routing.roster import Shift
from routing.staffing import MOST_SHIFTS, Fix, Target, bad_runs, fixes
from routing.wallclock import utc

TZ = ZoneInfo("Europe/Helsinki")
TUESDAY = datetime(2026, 11, 3, tzinfo=TZ)
WEDNESDAY = datetime(2026, 11, 4, tzinfo=TZ)
OFFICE = OpeningHours(weekly=tuple(WeeklyOpening(day, time(9), time(17)) for day in range(5)), tz=TZ)


def at(hour: int, day: datetime = TUESDAY) -> datetime:
    return day.replace(hour=hour)


def past(weekday: int = 1, hour: int = 14, language: str = "fi", *, wait: float | None = 30,
         handled: float | None = 600, abandoned: bool = False) -> PastChat:
    return PastChat(weekday, hour, "general", language, wait, handled, abandoned)


def staff(name: str, *languages: str, capacity: int = 1) -> Staff:
    return Staff(name, "org", frozenset(languages), None, capacity)


def test_rates_are_the_past_weeks_average_by_cell_and_kind() -> None:
    """A visitor refused because nobody was on shift is demand as much as a chat."""
    refused = PastChat(1, 14, "general", "sv", None, None, False, refused=True)
    history = [past(), past(), past(), past(language="sv"), refused, past(hour=15)]
    demand = demand_from(history, weeks=2)
    assert demand.in_cell((1, 14)) == {("general", "fi"): 1.5, ("general", "sv"): 1.0}
    assert demand.in_cell((1, 15)) == {("general", "fi"): 0.5}
    assert demand.in_cell((2, 14)) == {}


def test_patience_is_time_waited_over_those_who_left() -> None:
    """Two left after 60 s and 100 s; three were served after 20 s each: (60 + 100 + 60) / 2."""
    history = [past(wait=60, handled=None, abandoned=True), past(wait=100, handled=None, abandoned=True),
               *[past(wait=20) for _ in range(3)]]
    assert patience_mean(history) == 110
    assert patience_mean([past(), past()]) is None


def test_handling_draws_per_kind_only_with_enough_samples() -> None:
    history = [past(handled=100) for _ in range(20)] + [past(language="sv", handled=900)]
    handling = demand_from(history, weeks=1).handling
    assert isinstance(handling, Empirical)
    rng = random.Random(1)
    assert {handling.draw(rng, ("general", "fi")) for _ in range(50)} == {100}
    # Swedish has one sample: drawn from all 21, mostly the Finnish 100 s.
    assert {handling.draw(rng, ("general", "sv")) for _ in range(200)} == {100, 900}
    assert isinstance(demand_from([past(handled=None)], weeks=1).handling, Exponential)


def test_nearest_rank() -> None:
    assert nearest_rank([5, 1, 4, 2, 3], 50) == 3
    assert nearest_rank([5, 1, 4, 2, 3], 90) == 5
    assert nearest_rank([], 90) is None


def demand_at(hour: int, per_hour: dict[str, float], *, handling_s: float = 300,
              patience_s: float | None = None) -> Demand:
    return Demand({(1, hour): {("general", language): r for language, r in per_hour.items()}},
                  Exponential(handling_s), patience_s)


def test_nobody_on_shift_refuses_and_closed_hours_have_no_arrivals() -> None:
    plan = Plan((Shift("anna", at(9), at(12)),), {"anna": staff("anna", "fi")}, OFFICE)
    demand = Demand({(1, 13): {("general", "fi"): 6.0}, (1, 20): {("general", "fi"): 6.0}}, Exponential(60), None)
    chats = simulate(demand, plan, TUESDAY, WEDNESDAY, seed="s", run=0)
    assert chats and all(chat.fate is Fate.REFUSED for chat in chats)
    # The evening's demand arrives too (someone came), and is refused: the service is closed.
    assert any(datetime.fromtimestamp(chat.arrived, TZ).hour == 20 for chat in chats)


def test_a_language_nobody_on_shift_speaks_waits_until_the_visitor_leaves() -> None:
    plan = Plan((Shift("anna", at(9), at(17)),), {"anna": staff("anna", "fi")}, OFFICE)
    chats = simulate(demand_at(10, {"sv": 4.0}, patience_s=120), plan, TUESDAY, WEDNESDAY, seed="s", run=0)
    assert chats and all(chat.fate is Fate.ABANDONED and chat.wait_s is not None for chat in chats)


def test_waiting_chats_expire_after_the_closing_grace() -> None:
    """Swedish chats at 16, nobody speaking Swedish, nobody leaving: they expire at 17:15."""
    plan = Plan((Shift("anna", at(9), at(17)),), {"anna": staff("anna", "fi")}, OFFICE, closing_grace_s=900)
    chats = simulate(demand_at(16, {"sv": 4.0}), plan, TUESDAY, WEDNESDAY, seed="s", run=0)
    assert chats and all(chat.fate is Fate.EXPIRED for chat in chats)
    assert {datetime.fromtimestamp(c.arrived + (c.wait_s or 0), TZ).strftime("%H:%M") for c in chats} == {"17:15"}


def test_the_policy_routes_by_language() -> None:
    """A Swedish speaker is on: Swedish chats are answered, by her alone."""
    plan = Plan((Shift("anna", at(9), at(17)), Shift("sara", at(9), at(17))),
                {"anna": staff("anna", "fi"), "sara": staff("sara", "sv", capacity=3)}, OFFICE)
    chats = simulate(demand_at(10, {"sv": 3.0}, handling_s=60), plan, TUESDAY, WEDNESDAY, seed="s", run=0)
    assert chats and all(chat.fate is Fate.ANSWERED and chat.wait_s == 0 for chat in chats)


def test_runs_are_seeded() -> None:
    plan = Plan((Shift("anna", at(9), at(17)),), {"anna": staff("anna", "fi")}, OFFICE)
    demand = demand_at(10, {"fi": 20.0}, patience_s=300)
    first = forecast(demand, plan, TUESDAY, WEDNESDAY, runs=3, seed="x")
    assert first == forecast(demand, plan, TUESDAY, WEDNESDAY, runs=3, seed="x")
    assert first != forecast(demand, plan, TUESDAY, WEDNESDAY, runs=3, seed="y")


def test_an_overloaded_hour_is_bad_and_a_quiet_one_is_not() -> None:
    plan = Plan((Shift("anna", at(9), at(17)),), {"anna": staff("anna", "fi")}, OFFICE)
    demand = Demand({(1, 10): {("general", "fi"): 1.0}, (1, 14): {("general", "fi"): 30.0}}, Exponential(300), 600)
    hours = forecast(demand, plan, TUESDAY, WEDNESDAY, runs=10, seed="s")
    assert len(hours) == 24 and hours[14].start == at(14)
    quiet, busy = hours[10], hours[14]
    target = Target(p90_wait_s=120)
    assert not quiet.bad(target.p90_wait_s, target.lost) and busy.bad(target.p90_wait_s, target.lost)
    assert busy.wait_p90_s is not None and busy.wait_p90_s > 600
    assert busy.abandoned is not None and busy.abandoned > 0.3
    assert quiet.answered_in_time is not None and quiet.answered_in_time > busy.answered_in_time  # type: ignore[operator]
    assert hours[3].arrivals == 0 and hours[3].wait_p90_s is None and not hours[3].bad(120, 0.1)
    assert bad_runs(hours, target) == [(at(14), at(15))]


def test_the_fix_is_one_more_shift_of_the_language_that_waits() -> None:
    """Finnish is covered; Swedish chats 14-16 have nobody: one Swedish shift 14-16 fixes it."""
    plan = Plan((Shift("anna", at(9), at(17)),), {"anna": staff("anna", "fi", capacity=3)}, OFFICE)
    demand = Demand({(1, h): {("general", "fi"): 2.0, ("general", "sv"): 3.0} for h in (14, 15)},
                    Exponential(300), 600)
    target = Target(p90_wait_s=120)
    hours = forecast(demand, plan, TUESDAY, WEDNESDAY, runs=5, seed="s")
    found = fixes(demand, plan, bad_runs(hours, target), target=target, capacity=3, runs=5, seed="s")
    assert found == [Fix(at(14), at(16), (frozenset({"sv"}),))]


def test_a_load_one_shift_cannot_carry_needs_more_and_too_much_is_said_so() -> None:
    """One advisor of capacity 1, chats of 5 minutes: 12 an hour need two more advisors
    (a = 1, three servers), 40 an hour (a = 3.3) more than three."""
    plan = Plan((Shift("anna", at(9), at(17)),), {"anna": staff("anna", "fi")}, OFFICE)
    target = Target(p90_wait_s=120)
    found = []
    for per_hour in (12.0, 40.0):
        demand = Demand({(1, 11): {("general", "fi"): per_hour}}, Exponential(300), 900)
        hours = forecast(demand, plan, TUESDAY, WEDNESDAY, runs=4, seed="s")
        found += fixes(demand, plan, bad_runs(hours, target), target=target, capacity=1, runs=4, seed="s")
    assert found == [Fix(at(11), at(12), (frozenset({"fi"}), frozenset({"fi"}))), Fix(at(11), at(12), ())]
    assert not found[1].fixed and MOST_SHIFTS == 3


def test_two_languages_missing_take_a_bilingual_shift_if_the_draft_has_such_advisors() -> None:
    """Swedish and English chats at 14, only Finnish on shift: one shift of one language cannot
    fix it; one by someone speaking both can, when the draft has such a person (Bertil, on
    shift in the morning), else it takes two shifts."""
    target = Target(p90_wait_s=120)
    demand = Demand({(1, 14): {("general", "sv"): 3.0, ("general", "en"): 2.0}}, Exponential(300), 600)
    finnish = Plan((Shift("anna", at(9), at(17)),), {"anna": staff("anna", "fi", capacity=3)}, OFFICE)
    bilingual = Plan((*finnish.shifts, Shift("bertil", at(9), at(10))),
                     {**finnish.staff, "bertil": staff("bertil", "sv", "en", capacity=3)}, OFFICE)
    found = []
    for plan in (bilingual, finnish):
        hours = forecast(demand, plan, TUESDAY, WEDNESDAY, runs=5, seed="s")
        found += fixes(demand, plan, bad_runs(hours, target), target=target, capacity=3, runs=5, seed="s")
    assert found == [Fix(at(14), at(15), (frozenset({"sv", "en"}),)),
                     Fix(at(14), at(15), (frozenset({"sv"}), frozenset({"en"})))]


def test_a_night_the_clocks_change_has_its_real_hours() -> None:
    """Finnish chats every hour 01-06 of the two Sundays the clocks change in 2026, open all day
    and nobody on shift: each night's bad hours are one run, four hours long in spring (no 03:00)
    and six in autumn (03:00 twice), and one Finnish shift over exactly those hours fixes it."""
    sundays = OpeningHours(weekly=(WeeklyOpening(6, time(0), None),), tz=TZ)
    demand = Demand({(6, h): {("general", "fi"): 6.0} for h in range(1, 6)}, Exponential(300), 600)
    plan, target = Plan((), {}, sundays), Target(p90_wait_s=120)
    for sunday, day_hours, length in ((datetime(2026, 3, 29, tzinfo=TZ), 23, 4),
                                      (datetime(2026, 10, 25, tzinfo=TZ), 25, 6)):
        hours = forecast(demand, plan, sunday, sunday + timedelta(days=1), runs=3, seed="s")
        assert len(hours) == day_hours
        [(start, end)] = bad_runs(hours, target)
        assert (utc(start), utc(end)) == (utc(sunday.replace(hour=1)), utc(sunday.replace(hour=6)))
        assert utc(end) - utc(start) == timedelta(hours=length)
        found = fixes(demand, plan, [(start, end)], target=target, capacity=3, runs=3, seed="s")
        assert found == [Fix(start, end, (frozenset({"fi"}),))]
