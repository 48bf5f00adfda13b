"""Coverage: when the service was open, planned to be staffed, and actually staffed.

Three sets of intervals over a period [start, end):

- open: the opening hours (weekly hours and exception dates);
- planned: the union of the shifts (someone is rostered);
- actual: the union, over advisors, of the time each was on shift, signed in and available
  (the duty log's `signed_in` and `available` periods intersected with the advisor's shifts).

Gaps are open time not covered: `unrostered` (open, nobody on shift) and `unstaffed` (open and
rostered, but nobody on shift was signed in and available). Together they are open − actual.

Each organisation's share: the hours its advisors were rostered and actually on (as above), the
chats they served, and what it promised (`Organisation.promised_hours`, hours a month) prorated
over the period (`promised_over`: a month is one promise, a half-year six, a week a quarter or so).
The promise is the one recorded now: a changed promise is in the audit log, not in past periods.

Each is measured against what was in force at the time: the weekly hours of each date (they
keep their history, see `storage.service.weekly_opening_between`) and the shifts as they were
planned (a cancelled shift counts until it was cancelled, `storage.roster.planned_between`).

`measure` is pure arithmetic on routing values (tested against hand-computed weeks);
`coverage` loads its inputs for a period and calls it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, func, select

from routing.hours import DateException, OpeningHours, WeeklyOpening
from routing.intervals import clip, subtract, union
from routing.roster import Roster, Shift
from routing.types import Interval
from routing.wallclock import ONE_DAY, clock_time, utc
from storage import people, roster, service
from storage.tables import ChatStatistic, DutyPeriod


@dataclass(frozen=True, slots=True)
class DutySpan:
    """An advisor was signed in (`kind` "signed_in") or available over [start, end)."""

    advisor: str
    kind: str
    start: datetime
    end: datetime


@dataclass(frozen=True, slots=True)
class OrganisationShare:
    slug: str
    name: str
    rostered_hours: float
    actual_hours: float
    chats: int
    share_of_hours: float  # of all rostered hours, 0..1
    share_of_chats: float  # of all chats served by an organisation, 0..1
    promised_hours: float | None = None  # prorated over the period; None: no promise recorded

    @property
    def rostered_of_promised(self) -> float | None:
        """Rostered hours as a share of the promise (1 is the promise kept); None without one."""
        return self.rostered_hours / self.promised_hours if self.promised_hours else None

    @property
    def actual_of_promised(self) -> float | None:
        """Hours actually signed in and available as a share of the promise."""
        return self.actual_hours / self.promised_hours if self.promised_hours else None


@dataclass(frozen=True)
class Coverage:
    start: datetime
    end: datetime
    open: list[Interval]
    planned: list[Interval]
    actual: list[Interval]
    unrostered: list[Interval]
    unstaffed: list[Interval]
    organisations: list[OrganisationShare]

    @property
    def open_hours(self) -> float:
        return hours(self.open)

    @property
    def planned_hours(self) -> float:
        return hours(self.planned)

    @property
    def actual_hours(self) -> float:
        return hours(self.actual)

    @property
    def planned_open_hours(self) -> float:
        """Open hours that someone was rostered for."""
        return hours(intersect(self.open, self.planned))

    @property
    def actual_open_hours(self) -> float:
        """Open hours that someone on shift was signed in and available for."""
        return hours(intersect(self.open, self.actual))

    @property
    def gaps(self) -> list[tuple[str, Interval]]:
        """Every gap with its kind, in time order."""
        tagged = [("unrostered", g) for g in self.unrostered] + [("unstaffed", g) for g in self.unstaffed]
        return sorted(tagged, key=lambda kind_gap: kind_gap[1].start)


def hours(intervals: Iterable[Interval]) -> float:
    return sum(i.seconds for i in intervals) / 3600


def intersect(a: list[Interval], b: list[Interval]) -> list[Interval]:
    """The parts of sorted, disjoint `a` that `b` (sorted, disjoint) also covers."""
    return subtract(a, subtract(a, b))


def _month_of(moment: datetime) -> tuple[datetime, datetime]:
    """The local midnights starting the month of `moment` and the month after."""
    first = moment.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    following = (first.date().replace(day=28) + ONE_DAY * 4).replace(day=1)
    return first, datetime.combine(following, time(0), moment.tzinfo)


def promised_over(monthly: float, start: datetime, end: datetime, tz: ZoneInfo) -> float:
    """A promise of `monthly` hours a month over [start, end): each month's promise times the
    part of that month (by its local time) the period covers. A whole month is `monthly`, a
    half-year six times it, a week of November 7/30 of it."""
    total, at, end = 0.0, start.astimezone(tz), end.astimezone(tz)
    while utc(at) < utc(end):
        first, following = _month_of(at)
        upto = min(following, end, key=utc)
        total += monthly * (utc(upto) - utc(at)) / (utc(following) - utc(first))
        at = upto
    return total


def _in(intervals: Iterable[Interval], tz: ZoneInfo) -> list[Interval]:
    return [Interval(i.start.astimezone(tz), i.end.astimezone(tz)) for i in intervals]


def measure(
    *,
    start: datetime,
    end: datetime,
    hours_: OpeningHours,
    shifts: Sequence[Shift],
    duty: Sequence[DutySpan],
    organisation_of: dict[str, tuple[str, str]],
    chats_by_organisation: dict[str, int],
    measured_until: datetime | None = None,
    promised: Mapping[str, tuple[str, float]] | None = None,
) -> Coverage:
    """Coverage of [start, end). `organisation_of` maps an advisor to (slug, name);
    `chats_by_organisation` counts chats served per organisation slug in the period; `promised`
    maps an organisation's slug to its name and the hours it promised for the period. Results are
    in `hours_.tz`. The duty log says nothing of the future: with `measured_until` (now), rostered
    time after it is not reported as unstaffed."""
    tz = hours_.tz
    plan = Roster(tuple(shifts))
    open_ = hours_.intervals(start, end)
    planned = plan.staffed_intervals(start, end)
    signed: defaultdict[str, list[Interval]] = defaultdict(list)
    available: defaultdict[str, list[Interval]] = defaultdict(list)
    for span in duty:
        if span.end > span.start:
            (signed if span.kind == "signed_in" else available)[span.advisor].append(Interval(span.start, span.end))
    actual_by_advisor: dict[str, list[Interval]] = {}
    for advisor in {s.advisor for s in shifts}:
        on_shift = union(Interval(s.start, s.end) for s in plan.shifts_of(advisor, start, end))
        present = intersect(union(signed[advisor]), union(available[advisor]))
        actual_by_advisor[advisor] = clip(intersect(on_shift, present), start, end)
    actual = union(i for spans in actual_by_advisor.values() for i in spans)

    rostered = plan.hours_by_advisor(start, end)
    per_org: dict[str, list[float]] = {}
    names: dict[str, str] = {}
    for advisor, (slug, name) in organisation_of.items():
        names[slug] = name
        totals = per_org.setdefault(slug, [0.0, 0.0])
        totals[0] += rostered.get(advisor, 0.0)
        totals[1] += hours(actual_by_advisor.get(advisor, []))
    for slug, (name, _) in (promised or {}).items():
        per_org.setdefault(slug, [0.0, 0.0])
        names.setdefault(slug, name)
    for slug in chats_by_organisation:
        per_org.setdefault(slug, [0.0, 0.0])
        names.setdefault(slug, slug)
    all_hours = sum(t[0] for t in per_org.values())
    all_chats = sum(chats_by_organisation.values())
    organisations = [
        OrganisationShare(
            slug=slug,
            name=names[slug],
            rostered_hours=rostered_hours,
            actual_hours=actual_hours,
            chats=chats_by_organisation.get(slug, 0),
            share_of_hours=rostered_hours / all_hours if all_hours else 0.0,
            share_of_chats=chats_by_organisation.get(slug, 0) / all_chats if all_chats else 0.0,
            promised_hours=(promised or {}).get(slug, ("", None))[1],
        )
        for slug, (rostered_hours, actual_hours) in sorted(per_org.items())
    ]
    planned_open = intersect(open_, planned)
    return Coverage(
        start=start.astimezone(tz),
        end=end.astimezone(tz),
        open=_in(open_, tz),
        planned=_in(planned, tz),
        actual=_in(actual, tz),
        unrostered=_in(subtract(open_, planned), tz),
        unstaffed=_in(subtract(clip(planned_open, start, min(end, measured_until or end, key=utc)), actual), tz),
        organisations=organisations,
    )


async def opening_hours(session: AsyncSession, *, start: datetime, end: datetime, tz: ZoneInfo) -> OpeningHours:
    """The opening hours in force over [start, end): each date's weekly hours and exceptions."""
    first, last = start.astimezone(tz).date() - ONE_DAY, end.astimezone(tz).date() + ONE_DAY
    weekly = tuple(
        WeeklyOpening(weekday=row.weekday, start=clock_time(row.start) or time(0), end=clock_time(row.end, end=True),
                      since=row.since, until=row.until)
        for row in await service.weekly_opening_between(session, first=first, last=last)
    )
    exceptions = tuple(
        DateException(day=row.day, intervals=() if row.start is None or row.end is None else (
            (clock_time(row.start) or time(0), clock_time(row.end, end=True)),))
        for row in await service.opening_exceptions(session) if first <= row.day <= last
    )
    return OpeningHours(weekly=weekly, exceptions=exceptions, tz=tz)


async def coverage(session: AsyncSession, *, start: datetime, end: datetime, tz: ZoneInfo, now: datetime) -> Coverage:
    """Coverage of [start, end) from the opening hours and shifts in force then, the duty log and
    the statistics, in `tz`. A duty period still open counts until `now`."""
    hours_ = await opening_hours(session, start=start, end=end, tz=tz)
    users = {user.id: user for user in await people.all_users(session)}
    organisations = {org.id: org for org in await people.organisations(session)}
    rows = await roster.planned_between(session, start=start, end=end)
    shifts = [Shift(advisor=username, start=s, end=e) for username, s, e in rows]
    result = await session.execute(
        select(DutyPeriod).where(
            col(DutyPeriod.started_at) < end,
            (col(DutyPeriod.ended_at).is_(None)) | (col(DutyPeriod.ended_at) > start),
        )
    )
    duty = [
        DutySpan(advisor=users[p.user_id].username, kind=p.kind, start=p.started_at, end=p.ended_at or now)
        for p in result.scalars().all()
        if p.user_id in users
    ]
    counted = await session.execute(
        select(col(ChatStatistic.organisation_id), func.count())
        .where(
            col(ChatStatistic.hour_bucket) >= start,
            col(ChatStatistic.hour_bucket) < end,
            col(ChatStatistic.organisation_id).is_not(None),
        )
        .group_by(col(ChatStatistic.organisation_id))
    )
    chats = {
        organisations[org_id].slug: count for org_id, count in counted.all() if org_id in organisations
    }
    organisation_of = {
        user.username: (organisations[user.organisation_id].slug, organisations[user.organisation_id].name)
        for user in users.values()
        if user.organisation_id in organisations and user.role in ("advisor", "coordinator")
    }
    promised = {
        org.slug: (org.name, promised_over(org.promised_hours, start, end, tz))
        for org in organisations.values() if org.promised_hours is not None
    }
    return measure(
        start=start, end=end, hours_=hours_, shifts=shifts, duty=duty,
        organisation_of=organisation_of, chats_by_organisation=chats, measured_until=now, promised=promised,
    )


def next_month(first: date) -> date:
    """The first day of the month after the one `first` is in."""
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


async def by_month(session: AsyncSession, *, first: date, following: date, tz: ZoneInfo,
                   now: datetime) -> list[tuple[date, Coverage]]:
    """The coverage of each month (or its part) of the dates [first, following), by its first day."""
    months = []
    month = first
    while month < following:
        after = min(next_month(month), following)
        months.append((month, await coverage(session, start=datetime.combine(month, time(0), tz),
                                             end=datetime.combine(after, time(0), tz), tz=tz, now=now)))
        month = after
    return months
