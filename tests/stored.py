"""What storage holds, read back by tests that check nothing was lost or doubled."""

from __future__ import annotations

from sqlmodel import col, select

from storage.database import Database
from storage.tables import Message


async def stored_lines(db: Database, chat_id: str) -> list[tuple[int, str | None, str]]:
    """The chat's stored lines as (seq, client id, text), in seq order."""
    async with db.transaction() as session:
        rows = await session.execute(
            select(Message.seq, Message.client_id, Message.text).where(Message.chat_id == chat_id)
            .order_by(col(Message.seq))
        )
    return [(seq, client_id, text) for seq, client_id, text in rows.all()]
