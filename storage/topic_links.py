"""Topic links (pages that may help with a topic, per language) and the anonymous count of
their use."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, func
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.tables import HelpClick, TopicLink


async def topic_links(session: AsyncSession) -> Sequence[TopicLink]:
    """Every link, by topic, language and the order they were added."""
    result = await session.execute(select(TopicLink).order_by(col(TopicLink.topic), col(TopicLink.language),
                                                              col(TopicLink.id)))
    return result.scalars().all()


async def topic_link(session: AsyncSession, *, link_id: int) -> TopicLink | None:
    return await session.get(TopicLink, link_id)


async def add_topic_link(session: AsyncSession, *, link: TopicLink) -> None:
    session.add(link)
    await session.flush()


async def delete_topic_link(session: AsyncSession, *, link_id: int) -> None:
    await session.execute(delete(TopicLink).where(col(TopicLink.id) == link_id))


async def record_click(session: AsyncSession, *, link: TopicLink, hour: datetime) -> None:
    session.add(HelpClick(topic=link.topic, language=link.language, hour_bucket=hour))


async def clicks_by_topic(session: AsyncSession, *, start: datetime, end: datetime) -> dict[str, int]:
    """How many times the topics' links were followed in [start, end)."""
    result = await session.execute(
        select(col(HelpClick.topic), func.count()).where(
            col(HelpClick.hour_bucket) >= start, col(HelpClick.hour_bucket) < end
        ).group_by(col(HelpClick.topic))
    )
    return {str(topic): int(count) for topic, count in result.all()}
