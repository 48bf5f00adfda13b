"""A seeded synthetic history for back-testing the staffing forecast: weeks of a small service
(weekdays 9-17, Finnish, Swedish and English, two topics, eight advisors of three
organisations), each week's roster and the anonymous records its chats would have left.

The truth is made to differ from what the forecast assumes, as real weeks do: demand grows 1%
a week and each week's level varies (a log-normal factor, σ 0.15); handling times are
log-normal, not drawn from a fixed sample; some weeks lose shifts (an advisor off sick), so
the roster changes from week to week. The chats are played through the same simulation with
this truth; a visitor refused while open (nobody on shift) leaves a refused record, one
refused while closed none, as in the service.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from routing.arrivals import Demand, Empirical, PastChat
from routing.forecast import Fate, Plan, Simulated, Staff, simulate
from routing.hours import OpeningHours, WeeklyOpening
from routing.roster import Shift

TZ = ZoneInfo("Europe/Helsinki")
HOURS = OpeningHours(weekly=tuple(WeeklyOpening(day, time(9), time(17)) for day in range(5)), tz=TZ)
# Chats an hour at the level of week 0, by local hour: a morning peak and an after-lunch one.
PROFILE = {9: 11.0, 10: 20.0, 11: 17.0, 12: 11.0, 13: 17.0, 14: 15.0, 15: 11.0, 16: 7.0}
KINDS = {("general", "fi"): 0.55, ("money", "fi"): 0.2, ("general", "sv"): 0.15, ("money", "sv"): 0.03,
         ("general", "en"): 0.07}
ADVISORS = (
    Staff("aino", "north", frozenset({"fi"}), None, 3),
    Staff("eero", "north", frozenset({"fi", "en"}), None, 2),
    Staff("liisa", "north", frozenset({"fi", "sv"}), None, 3),
    Staff("mika", "south", frozenset({"fi"}), frozenset({"general"}), 3),
    Staff("sara", "south", frozenset({"sv", "fi"}), None, 2),
    Staff("tuomas", "south", frozenset({"fi", "en"}), None, 3),
    Staff("ulla", "west", frozenset({"fi"}), None, 2),
    Staff("viktor", "west", frozenset({"sv", "en", "fi"}), None, 3),
)
PATIENCE_S = 360.0
HANDLING_MEDIAN_S, HANDLING_SIGMA = 420.0, 0.6


@dataclass(frozen=True)
class Week:
    """One week: its Monday 00:00 local, its roster as a draft, and the records its chats left."""

    start: datetime
    plan: Plan
    chats: tuple[PastChat, ...]

    @property
    def end(self) -> datetime:
        return self.start + timedelta(days=7)


def history(first: date, weeks: int, seed: str) -> list[Week]:
    """`weeks` consecutive weeks from the Monday `first`, the same for the same seed (the
    truth's growth counted from the first week)."""
    rng = random.Random(f"{seed}/truth")
    handling = Empirical({}, tuple(HANDLING_MEDIAN_S * math.exp(rng.gauss(0, HANDLING_SIGMA)) for _ in range(5000)))
    found = []
    for n in range(weeks):
        level = 1.01**n * math.exp(rng.gauss(0, 0.15))
        demand = Demand({(day, hour): {kind: rate * share * level for kind, share in KINDS.items()}
                         for day in range(5) for hour, rate in PROFILE.items()}, handling, PATIENCE_S)
        start = datetime.combine(first + timedelta(weeks=n), time(0), TZ)
        plan = _roster(start, rng)
        played = simulate(demand, plan, start, start + timedelta(days=7), seed=f"{seed}/week", run=n)
        found.append(Week(start, plan, tuple(_record(chat) for chat in played
                                             if chat.fate is not Fate.REFUSED or _unstaffed(chat))))
    return found


def _roster(monday: datetime, rng: random.Random) -> Plan:
    """Two shifts a weekday (9-13, 13-17) of two advisors each, taken in turn; now and then
    one of them is off and the shift goes unfilled."""
    shifts = []
    turn = 0
    for day in range(5):
        date = monday.date() + timedelta(days=day)
        for start, end in ((9, 13), (13, 17)):
            for _ in range(2):
                advisor = ADVISORS[turn % len(ADVISORS)]
                turn += 1
                if rng.random() < 0.12:
                    continue
                shifts.append(Shift(advisor.id, datetime.combine(date, time(start), TZ),
                                    datetime.combine(date, time(end), TZ)))
    return Plan(tuple(shifts), {a.id: a for a in ADVISORS}, HOURS)


def _unstaffed(chat: Simulated) -> bool:
    return HOURS.is_open(datetime.fromtimestamp(chat.arrived, TZ))


def _record(chat: Simulated) -> PastChat:
    """The statistics record the chat would have left (wait and handling in whole seconds)."""
    local = datetime.fromtimestamp(chat.arrived, TZ)
    topic, language = chat.kind
    return PastChat(local.weekday(), local.hour, topic, language, _whole(chat.wait_s), _whole(chat.handled_s),
                    chat.fate is Fate.ABANDONED, refused=chat.fate is Fate.REFUSED)


def _whole(seconds: float | None) -> float | None:
    return None if seconds is None else float(round(seconds))
