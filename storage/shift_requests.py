"""Advisors' requests to change the roster (`storage.tables.ShiftRequest`, the lifecycle in
`routing.shift_requests`), and the service's setting that lets agreed swaps through at once.
The caller owns the transaction."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, func
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, or_, select

from routing.shift_requests import FINAL_STATES, RequestKind, RequestState
from storage import service
from storage.tables import ShiftRequest, ShiftRow

IMMEDIATE_SWAPS_KEY = "swaps_immediate"
UNDECIDED = tuple(s.value for s in RequestState if s not in FINAL_STATES)


async def add(session: AsyncSession, *, request: ShiftRequest) -> ShiftRequest:
    session.add(request)
    await session.flush()
    return request


async def by_id(session: AsyncSession, *, request_id: int, for_update: bool = False) -> ShiftRequest | None:
    """The request; `for_update` locks its row until the transaction ends (PostgreSQL; SQLite
    writes one transaction at a time anyway), so two coordinators deciding it at once decide it
    once: the second reads it decided."""
    return await session.get(ShiftRequest, request_id, with_for_update=for_update, populate_existing=for_update)


async def undecided_about_shift(session: AsyncSession, *, shift_id: int) -> ShiftRequest | None:
    """A request not decided yet that would hand the shift on (a swap or give-away of it, or a
    swap for it): one at a time, so two approvals never give one shift to two people."""
    result = await session.execute(
        select(ShiftRequest).where(col(ShiftRequest.status).in_(UNDECIDED),
                                   or_(col(ShiftRequest.shift_id) == shift_id,
                                       col(ShiftRequest.other_shift_id) == shift_id)).limit(1))
    return result.scalars().first()


async def requested_shifts(session: AsyncSession) -> set[int]:
    """The shifts that a request not decided yet would hand on."""
    result = await session.execute(
        select(ShiftRequest.shift_id, ShiftRequest.other_shift_id).where(col(ShiftRequest.status).in_(UNDECIDED)))
    return {shift_id for pair in result.all() for shift_id in pair if shift_id is not None}


async def undecided_offer(session: AsyncSession, *, requester_id: int, start: datetime,
                          end: datetime) -> ShiftRequest | None:
    """The requester's offer to cover that overlaps [start, end), not decided yet."""
    result = await session.execute(
        select(ShiftRequest).where(
            col(ShiftRequest.kind) == RequestKind.COVER.value, col(ShiftRequest.requester_id) == requester_id,
            col(ShiftRequest.status).in_(UNDECIDED), col(ShiftRequest.start) < end,
            col(ShiftRequest.end) > start).limit(1))
    return result.scalars().first()


async def requests(session: AsyncSession, *, statuses: Collection[str], decided_since: datetime | None = None,
                   user_id: int | None = None) -> Sequence[ShiftRequest]:
    """The requests in `statuses`, and with `decided_since` those decided since then too; with
    `user_id` only those the user made, those asked of them, and give-aways to anyone still
    undecided. Newest first."""
    wanted: ColumnElement[bool] = col(ShiftRequest.status).in_(statuses)
    if decided_since is not None:
        wanted = or_(wanted, col(ShiftRequest.decided_at) >= decided_since)
    query = select(ShiftRequest).where(wanted)
    if user_id is not None:
        query = query.where(or_(col(ShiftRequest.requester_id) == user_id, col(ShiftRequest.other_user_id) == user_id,
                                (col(ShiftRequest.kind) == RequestKind.GIVE.value)
                                & col(ShiftRequest.other_user_id).is_(None)
                                & col(ShiftRequest.status).in_(UNDECIDED)))
    result = await session.execute(query.order_by(col(ShiftRequest.created_at).desc(), col(ShiftRequest.id).desc()))
    return result.scalars().all()


async def count(session: AsyncSession, *, status: str) -> int:
    result = await session.execute(select(func.count()).where(col(ShiftRequest.status) == status))
    return result.scalar() or 0


async def shifts(session: AsyncSession, *, ids: Collection[int]) -> dict[int, ShiftRow]:
    """The shifts (cancelled ones too) with those ids."""
    if not ids:
        return {}
    result = await session.execute(select(ShiftRow).where(col(ShiftRow.id).in_(ids)))
    return {row.id or 0: row for row in result.scalars().all()}


async def immediate_swaps(session: AsyncSession) -> bool:
    """Whether a swap that both advisors agreed goes through without a coordinator."""
    return await service.get_setting(session, key=IMMEDIATE_SWAPS_KEY) == "1"


async def set_immediate_swaps(session: AsyncSession, *, on: bool) -> None:
    await service.set_setting(session, key=IMMEDIATE_SWAPS_KEY, value="1" if on else "0")
