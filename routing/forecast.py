"""The staffing forecast: a draft week simulated with the routing the server runs.

Visitors arrive as `routing.arrivals` models them; the service takes them as the server does
(open, and somebody on shift, else refused: `unstaffed` or `closed`); `policy.assign` decides
who gets which chat after every arrival, every finished chat and every shift start, with the
fair-share tally counted from the week's start; waiting chats leave when their visitor's
patience runs out, and expire once the service has been closed for the closing grace
(`deadlines.closing_grace_over`). The clock is simulated: event by event, nothing waits.

What it assumes: every rostered advisor is signed in and available for all of their shifts and
serves up to their capacity at once, each chat taking a handling time drawn as if alone (the
times seen were measured so, with the advisors' usual load); nobody is transferred, and nobody
reconnects. Each run is seeded (`seed` and the run's number), so a forecast is reproducible.
"""

from __future__ import annotations

import heapq
import random
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from routing import policy
from routing.arrivals import Demand, Kind, nearest_rank, poisson_times
from routing.deadlines import closing_grace_over
from routing.hours import OpeningHours
from routing.roster import Roster, Shift
from routing.types import AdvisorId, AdvisorState, OrganisationId, WaitingChat
from routing.wallclock import utc

ANSWER_WITHIN_S = 120.0  # "answered within two minutes"
HOUR_S = 3600.0
# After the span's last arrival, how long its chats are followed before those still waiting
# count as unanswered (only reached when nobody serves them and nobody loses patience).
DRAIN_S = 12 * HOUR_S


class Fate(StrEnum):
    ANSWERED = "answered"
    ABANDONED = "abandoned"  # the visitor left while waiting
    EXPIRED = "expired"  # still waiting when the closing grace ran out
    REFUSED = "refused"  # arrived while closed or with nobody on shift
    UNANSWERED = "unanswered"  # still waiting when the simulation stopped following it


@dataclass(frozen=True, slots=True)
class Staff:
    """An advisor as routing sees them, for the whole draft week."""

    id: AdvisorId
    organisation: OrganisationId
    languages: frozenset[str]
    topics: frozenset[str] | None
    capacity: int


@dataclass(frozen=True)
class Plan:
    """A draft: its shifts, the advisors they name, and when the service is open."""

    shifts: tuple[Shift, ...]
    staff: Mapping[AdvisorId, Staff]
    hours: OpeningHours
    closing_grace_s: float = 900.0

    def with_shifts(self, extra: Iterable[tuple[Shift, Staff]]) -> Plan:
        added = list(extra)
        staff = {**self.staff, **{person.id: person for _, person in added}}
        return Plan((*self.shifts, *(shift for shift, _ in added)), staff, self.hours, self.closing_grace_s)


@dataclass(frozen=True, slots=True)
class Simulated:
    """One simulated visitor: when they arrived (seconds since the epoch), what about, what
    became of them, how long they waited (to an advisor, or before leaving), and, once answered,
    how long the chat took and who took it."""

    arrived: float
    kind: Kind
    fate: Fate
    wait_s: float | None
    handled_s: float | None = None
    advisor: AdvisorId | None = None


def simulate(demand: Demand, plan: Plan, start: datetime, end: datetime, *, seed: str, run: int) -> list[Simulated]:
    """One run over the visitors arriving within [start, end), in arrival order."""
    arrivals = _arrivals(demand, plan.hours, start, end, random.Random(f"{seed}/{run}/arrivals"))
    return _Run(demand, plan, utc(start).timestamp(), random.Random(f"{seed}/{run}/service")).play(arrivals)


def _arrivals(demand: Demand, hours: OpeningHours, start: datetime, end: datetime,
              rng: random.Random) -> list[tuple[float, Kind]]:
    """Each hour's arrivals, the hour read on the local clock (`hours.tz`), so a weekday's 14:00
    has that hour's rate on either side of a clock change."""
    found: list[tuple[float, Kind]] = []
    t, stop = utc(start).timestamp(), utc(end).timestamp()
    while t < stop:
        local = datetime.fromtimestamp(t, hours.tz)
        kinds = sorted(demand.in_cell((local.weekday(), local.hour)).items())
        total = sum(rate for _, rate in kinds)
        if total > 0:
            times = poisson_times(rng, total / HOUR_S, t, min(t + HOUR_S, stop))
            chosen = rng.choices([kind for kind, _ in kinds], [rate for _, rate in kinds], k=len(times))
            found.extend(zip(times, chosen, strict=True))
        t += HOUR_S
    return found


_ARRIVE, _FINISH, _LEAVE, _SHIFT, _CLOSE = range(5)


class _Run:
    """The state of one simulated run: the queue, each advisor's chats and idle time, the
    fair-share tally, and the events still to come, soonest first."""

    def __init__(self, demand: Demand, plan: Plan, start_s: float, rng: random.Random) -> None:
        self.demand, self.plan, self.rng = demand, plan, rng
        self.roster = Roster(plan.shifts)
        self.events: list[tuple[float, int, int, str]] = []
        self.seq = 0
        self.waiting: dict[str, WaitingChat] = {}
        self.arrived: dict[str, float] = {}
        self.fates: dict[str, tuple[Fate, float | None, float | None, AdvisorId | None]] = {}
        self.active: Counter[AdvisorId] = Counter()
        self.idle_since: dict[AdvisorId, datetime] = {}
        self.week_counts: Counter[OrganisationId] = Counter()
        self.start = datetime.fromtimestamp(start_s, UTC)
        self.rostered = _rostered_hours(self.roster, plan.staff, plan.shifts)

    def _at(self, t: float, what: int, subject: str = "") -> None:
        self.seq += 1
        heapq.heappush(self.events, (t, self.seq, what, subject))

    def play(self, arrivals: Sequence[tuple[float, Kind]]) -> list[Simulated]:
        kinds = {}
        for n, (t, kind) in enumerate(arrivals):
            kinds[str(n)] = kind
            self._at(t, _ARRIVE, str(n))
        last = arrivals[-1][0] + DRAIN_S if arrivals else 0.0
        for shift in self.plan.shifts:
            self._at(utc(shift.start).timestamp(), _SHIFT)
        first = datetime.fromtimestamp(arrivals[0][0], UTC) if arrivals else self.start
        for opening in self.plan.hours.intervals(first - timedelta(days=1), datetime.fromtimestamp(last, UTC)):
            self._at(utc(opening.end).timestamp() + self.plan.closing_grace_s, _CLOSE)
        while self.events and self.events[0][0] <= last:
            t, _, what, subject = heapq.heappop(self.events)
            self._handle(t, what, subject, kinds)
        return [Simulated(self.arrived[n], kinds[n], *self.fates.get(n, (Fate.UNANSWERED, None, None, None)))
                for n in sorted(self.arrived, key=lambda n: self.arrived[n])]

    def _handle(self, t: float, what: int, subject: str, kinds: Mapping[str, Kind]) -> None:
        now = datetime.fromtimestamp(t, UTC)
        if what == _ARRIVE:
            self._arrive(t, now, subject, kinds[subject])
        elif what == _FINISH:
            self.active[subject] -= 1
        elif what == _LEAVE:
            self._end_waiting(subject, Fate.ABANDONED, t)
        elif what == _CLOSE and closing_grace_over(self.plan.hours, now, timedelta(seconds=self.plan.closing_grace_s)):
            for chat in list(self.waiting):
                self._end_waiting(chat, Fate.EXPIRED, t)
        if what in (_ARRIVE, _FINISH, _SHIFT):
            self._dispatch(t, now)

    def _arrive(self, t: float, now: datetime, chat: str, kind: Kind) -> None:
        self.arrived[chat] = t
        # As the server's `accepting`: open, and somebody on shift (all rostered are signed in).
        if not self.plan.hours.is_open(now) or not self.roster.on_shift(now).intersection(self.plan.staff):
            self.fates[chat] = (Fate.REFUSED, None, None, None)
            return
        topic, language = kind
        self.waiting[chat] = WaitingChat(chat, now, topic, language)
        if self.demand.patience_mean_s is not None:
            self._at(t + self.rng.expovariate(1 / self.demand.patience_mean_s), _LEAVE, chat)

    def _end_waiting(self, chat: str, fate: Fate, t: float) -> None:
        if self.waiting.pop(chat, None) is not None:
            self.fates[chat] = (fate, t - self.arrived[chat], None, None)

    def _dispatch(self, t: float, now: datetime) -> None:
        if not self.waiting:
            return
        on_shift = self.roster.on_shift(now)
        advisors = [self._state(self.plan.staff[a]) for a in sorted(on_shift.intersection(self.plan.staff))]
        decided = policy.assign(list(self.waiting.values()), advisors, on_shift, self.week_counts, self.rostered)
        for assignment in decided:
            chat = self.waiting.pop(assignment.chat)
            handled = self.demand.handling.draw(self.rng, (chat.topic, chat.language))
            advisor = self.plan.staff[assignment.advisor]
            self.fates[chat.id] = (Fate.ANSWERED, t - self.arrived[chat.id], handled, advisor.id)
            self.active[advisor.id] += 1
            self.idle_since[advisor.id] = now
            self.week_counts[advisor.organisation] += 1
            self._at(t + handled, _FINISH, advisor.id)

    def _state(self, staff: Staff) -> AdvisorState:
        return AdvisorState(
            id=staff.id, organisation=staff.organisation, languages=staff.languages, topics=staff.topics,
            capacity=staff.capacity, active=self.active[staff.id], signed_in=True, available=True,
            idle_since=self.idle_since.get(staff.id, self.start),
        )


def _rostered_hours(roster: Roster, staff: Mapping[AdvisorId, Staff],
                    shifts: Sequence[Shift]) -> dict[OrganisationId, float]:
    """Each organisation's rostered hours over the plan's shifts, as the fair share reads them."""
    if not shifts:
        return {}
    first = min(utc(s.start) for s in shifts)
    last = max(utc(s.end) for s in shifts)
    hours: defaultdict[OrganisationId, float] = defaultdict(float)
    for advisor, h in roster.hours_by_advisor(first, last).items():
        if advisor in staff:
            hours[staff[advisor].organisation] += h
    return dict(hours)


@dataclass(frozen=True, slots=True)
class HourForecast:
    """What the runs predict for visitors arriving in one hour. Waits are those of answered
    visitors; the shares are of all arriving (refused ones included); None where there were no
    arrivals (or, for the waits, nobody answered)."""

    start: datetime
    arrivals: float  # per run
    wait_p50_s: float | None
    wait_p90_s: float | None
    answered_in_time: float | None  # within ANSWER_WITHIN_S
    abandoned: float | None
    lost: float | None  # abandoned, expired, refused or never answered

    def bad(self, target_s: float, lost_limit: float) -> bool:
        """Whether the hour misses the target: its p90 wait over `target_s`, or more than
        `lost_limit` of its visitors lost, or visitors nobody answers."""
        if not self.arrivals:
            return False
        if self.wait_p90_s is None:
            return True
        return self.wait_p90_s > target_s or (self.lost or 0.0) > lost_limit


def forecast(demand: Demand, plan: Plan, start: datetime, end: datetime, *, runs: int, seed: str) -> list[HourForecast]:
    """Every hour of [start, end) over `runs` seeded runs."""
    simulated = [chat for run in range(runs) for chat in simulate(demand, plan, start, end, seed=seed, run=run)]
    return summarise(simulated, start, end, runs, plan.hours)


def summarise(simulated: Iterable[Simulated], start: datetime, end: datetime, runs: int,
              hours: OpeningHours) -> list[HourForecast]:
    """The simulated visitors by the hour they arrived in, as `HourForecast`s; hours in `hours.tz`."""
    first = utc(start).timestamp()
    by_hour: defaultdict[int, list[Simulated]] = defaultdict(list)
    for chat in simulated:
        by_hour[int((chat.arrived - first) // HOUR_S)].append(chat)
    count = int((utc(end).timestamp() - first) // HOUR_S)
    return [_hour(datetime.fromtimestamp(first + n * HOUR_S, hours.tz), by_hour.get(n, []), runs)
            for n in range(count)]


def _hour(start: datetime, chats: Sequence[Simulated], runs: int) -> HourForecast:
    if not chats:
        return HourForecast(start, 0.0, None, None, None, None, None)
    waits = [c.wait_s for c in chats if c.fate is Fate.ANSWERED and c.wait_s is not None]
    n = len(chats)
    return HourForecast(
        start=start,
        arrivals=n / runs,
        wait_p50_s=nearest_rank(waits, 50),
        wait_p90_s=nearest_rank(waits, 90),
        answered_in_time=sum(1 for w in waits if w <= ANSWER_WITHIN_S) / n,
        abandoned=sum(1 for c in chats if c.fate is Fate.ABANDONED) / n,
        lost=(n - len(waits)) / n,
    )
