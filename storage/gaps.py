"""The gaps ahead (`routing.gaps`) from what is stored: the opening hours in force, the shifts on
the roster with their advisors' languages, and the languages the service offers."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from routing.gaps import HORIZON, Gap, gaps_ahead
from routing.roster import Shift
from storage import coverage, rostering, service


async def gaps(session: AsyncSession, *, now: datetime, tz: ZoneInfo) -> list[Gap]:
    """The gaps within the next 14 days from `now`, in `tz`."""
    end = now + HORIZON
    hours = await coverage.opening_hours(session, start=now, end=end, tz=tz)
    rostered = await rostering.shifts_with_users(session, start=now, end=end)
    speaks = {user.username: user.languages.split(",") for _, user in rostered if user.active}
    shifts = [Shift(user.username, row.start, row.end) for row, user in rostered]
    return gaps_ahead(hours, shifts, speaks=speaks, languages=await service.languages(session), now=now)
