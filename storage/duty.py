"""The duty log: when each advisor was signed in and when available, for actual coverage."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.tables import DutyPeriod


async def open_period(session: AsyncSession, *, user_id: int, kind: str, now: datetime) -> None:
    session.add(DutyPeriod(user_id=user_id, kind=kind, started_at=now))


async def close_periods(session: AsyncSession, *, user_id: int, kinds: tuple[str, ...], now: datetime) -> None:
    await session.execute(
        update(DutyPeriod)
        .where(
            DutyPeriod.user_id == user_id,  # type: ignore[arg-type]
            DutyPeriod.kind.in_(kinds),  # type: ignore[attr-defined]
            DutyPeriod.ended_at.is_(None),  # type: ignore[union-attr]
        )
        .values(ended_at=now)
    )


async def close_all_open_periods(session: AsyncSession, *, now: datetime) -> None:
    """After a restart nobody is signed in until they reconnect."""
    await session.execute(
        update(DutyPeriod).where(DutyPeriod.ended_at.is_(None)).values(ended_at=now)  # type: ignore[union-attr]
    )
