"""What the staffing forecast reads: past chats' anonymous records, and a week's draft (its
shifts, the advisors they name, the opening hours). Only `chat_statistic` and
`refused_attempt` are read of the chats, never a transcript."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, func, select

from routing.arrivals import PastChat
from routing.forecast import Plan, Staff
from routing.roster import Shift
from storage import coverage, people, roster
from storage.tables import ChatStatistic, RefusedAttempt


async def past_chats(session: AsyncSession, *, start: datetime, end: datetime, tz: ZoneInfo) -> list[PastChat]:
    """The chats that arrived in [start, end) (by their hour), in arrival order, then the
    visitors refused then because nobody was on shift (`refused`; their local hour in `tz`).
    A visitor who left while waiting is `abandoned`; one whose chat expired at closing is not
    (the service ended that wait). Refusals while closed are left out: they are no demand a
    roster can serve."""
    result = await session.execute(
        select(ChatStatistic)
        .where(col(ChatStatistic.hour_bucket) >= start, col(ChatStatistic.hour_bucket) < end)
        .order_by(col(ChatStatistic.hour_bucket), col(ChatStatistic.id))
    )
    chats = [
        PastChat(r.weekday, r.local_hour, r.topic, r.language, None if r.wait_s is None else float(r.wait_s),
                 None if r.duration_s is None else float(r.duration_s), r.status == "abandoned")
        for r in result.scalars().all()
    ]
    refused = await session.execute(
        select(RefusedAttempt)
        .where(col(RefusedAttempt.hour_bucket) >= start, col(RefusedAttempt.hour_bucket) < end,
               col(RefusedAttempt.reason) == "unstaffed")
        .order_by(col(RefusedAttempt.hour_bucket), col(RefusedAttempt.id))
    )
    for attempt in refused.scalars().all():
        local = attempt.hour_bucket.astimezone(tz)
        chats.append(PastChat(local.weekday(), local.hour, attempt.topic, attempt.language, None, None, False,
                              refused=True))
    return chats


async def first_record(session: AsyncSession) -> datetime | None:
    """The hour the first chat or turned-away visitor on record arrived in (statistics are kept
    for good), None before any: the history the forecast can draw on begins there."""
    found = [(await session.execute(select(func.min(col(table.hour_bucket))))).scalar()
             for table in (ChatStatistic, RefusedAttempt)]
    return min((hour for hour in found if hour is not None), default=None)


async def draft(session: AsyncSession, *, start: datetime, end: datetime, tz: ZoneInfo,
                closing_grace_s: float) -> Plan:
    """The shifts on the roster over [start, end) (as planned: one cancelled after it began
    counts), the advisors they name as routing sees them, and the opening hours in force."""
    users = {user.username: user for user in await people.all_users(session)}
    slugs = {org.id: org.slug for org in await people.organisations(session)}
    rows = await roster.planned_between(session, start=start, end=end)
    shifts = tuple(Shift(username, s, e) for username, s, e in rows if username in users)
    rostered = {shift.advisor for shift in shifts}
    staff = {
        name: Staff(name, slugs.get(user.organisation_id, ""), frozenset(user.languages.split(",")),
                    frozenset(user.topics.split(",")) if user.topics else None, user.capacity)
        for name, user in users.items() if name in rostered
    }
    hours = await coverage.opening_hours(session, start=start, end=end, tz=tz)
    return Plan(shifts, staff, hours, closing_grace_s)
