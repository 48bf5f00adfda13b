"""The forecast's simulation against a case with a known answer: Erlang C.

One language, one topic, c advisors of capacity 1 on shift all the time, Poisson arrivals of
rate λ, exponential handling of rate μ, nobody leaving while waiting: an M/M/c queue served
first come first served (the policy serves the oldest chat first). With offered load a = λ/μ
and c > a, in the steady state

    P(wait > 0) = C(c, a) = (a^c / c!) · c/(c − a) / (Σ_{k<c} a^k / k! + (a^c / c!) · c/(c − a))
    E[wait]     = C(c, a) / (c·μ − λ)

The simulation runs a week, 4 seeded runs (about 40,000 chats), and the first hour (the empty
start) and the last two (the shifts' end) are left out. The tolerances: ±0.025 on the
probability of waiting and ±15% on the mean wait. Waits in a queue are correlated, so four
weekly runs' mean wait still varies by some 6% from seed to seed (over eight seeds the
differences from the formula were within ±0.015 and ±12%); the seed is fixed, so the test is
deterministic, and it would catch a policy that idles an advisor (C(2, 1.8) is 0.85) or a
clock that drifts.
"""

from __future__ import annotations

import math
from datetime import datetime, time
from zoneinfo import ZoneInfo

from routing.arrivals import Demand, Exponential
from routing.forecast import Fate, Plan, Simulated, Staff, simulate
from routing.hours import OpeningHours, WeeklyOpening
from routing.roster import Shift

TZ = ZoneInfo("Europe/Helsinki")
START = datetime(2026, 11, 2, tzinfo=TZ)  # a Monday, far from a clock change
END = datetime(2026, 11, 9, tzinfo=TZ)
ALWAYS_OPEN = OpeningHours(weekly=tuple(WeeklyOpening(day, time(0), None) for day in range(7)), tz=TZ)


def erlang_c(c: int, a: float) -> float:
    """C(c, a), the probability an arrival waits in an M/M/c queue with offered load a < c."""
    top = a**c / math.factorial(c) * c / (c - a)
    return top / (sum(a**k / math.factorial(k) for k in range(c)) + top)


def steady(c: int, per_hour: float, handling_s: float, *, runs: int = 4, seed: str = "erlang") -> list[Simulated]:
    demand = Demand(
        rates={(day, hour): {("general", "fi"): per_hour} for day in range(7) for hour in range(24)},
        handling=Exponential(handling_s),
        patience_mean_s=None,
    )
    staff = {f"a{n}": Staff(f"a{n}", "org", frozenset({"fi"}), None, 1) for n in range(c)}
    plan = Plan(tuple(Shift(a, START, END) for a in staff), staff, ALWAYS_OPEN)
    # Steady: after the first hour, and before the last two (when the shifts' end nears).
    first, last = START.timestamp() + 3600, END.timestamp() - 7200
    return [chat for run in range(runs) for chat in simulate(demand, plan, START, END, seed=seed, run=run)
            if first <= chat.arrived < last]


def test_probability_of_waiting_and_mean_wait_match_erlang_c() -> None:
    c, per_hour, handling_s = 3, 60.0, 108.0  # a = 1.8, utilisation 0.6
    chats = steady(c, per_hour, handling_s)
    assert chats and all(chat.fate is Fate.ANSWERED for chat in chats)
    waits = [chat.wait_s for chat in chats if chat.fate is Fate.ANSWERED and chat.wait_s is not None]
    a = per_hour / 3600 * handling_s
    expected_p = erlang_c(c, a)
    expected_mean = expected_p / (c / handling_s - per_hour / 3600)
    waited = sum(1 for w in waits if w > 0) / len(waits)
    mean = sum(waits) / len(waits)
    assert abs(waited - expected_p) <= 0.025, (waited, expected_p)
    assert abs(mean - expected_mean) <= 0.15 * expected_mean, (mean, expected_mean)


def test_an_idle_service_never_keeps_anyone_waiting() -> None:
    """Far more advisors than chats: C(c, a) is about 0, and so is every simulated wait."""
    chats = steady(12, 20.0, 120.0, runs=1)
    assert erlang_c(12, 20 / 3600 * 120) < 1e-6
    assert chats and all(chat.fate is Fate.ANSWERED and chat.wait_s == 0 for chat in chats)


def test_the_formula_itself() -> None:
    """C(1, a) is a (an M/M/1 queue waits with probability ρ); C(2, 1) is 1/3."""
    assert math.isclose(erlang_c(1, 0.6), 0.6)
    assert math.isclose(erlang_c(2, 1.0), 1 / 3)
