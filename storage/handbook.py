"""The service handbook: canned answers per language."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.tables import CannedAnswer


async def canned_answers(session: AsyncSession) -> Sequence[CannedAnswer]:
    result = await session.execute(
        select(CannedAnswer).order_by(col(CannedAnswer.language), col(CannedAnswer.position), col(CannedAnswer.id))
    )
    return result.scalars().all()
