"""The line writer's statements (storage.messages.store_lines): on SQLite they go to the driver
past SQLAlchemy, so what they write must read back, and compare, exactly like any other row."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlmodel import col, select

from storage import chats, messages
from storage.database import Database
from storage.errors import STORAGE_FAILURES, is_outage
from storage.messages import NewLine
from storage.tables import Chat, Message

ARRIVED = datetime(2026, 3, 9, 10, 0, tzinfo=UTC)
# Not UTC on purpose: what is stored is the UTC instant, as for every other time column.
SAID = datetime(2026, 3, 9, 12, 5, 30, 123456, tzinfo=timezone(timedelta(hours=2)))


def _line(chat_id: str, seq: int, text: str) -> NewLine:
    return NewLine(chat_id=chat_id, seq=seq, sender="visitor", text=text, client_id=f"c{seq}", author="visitor",
                   user_id=None, created_at=SAID + timedelta(seconds=seq))


async def test_stored_lines_read_back_and_compare_like_rows_written_through_sqlalchemy(seeded: Database) -> None:
    async with seeded.transaction() as session:
        two = [chats.NewChat("a", "h", "study", "fi"), chats.NewChat("b", "h", "work", "sv")]
        await chats.add_chats(session, chats=two, status="active", now=ARRIVED)

    await messages.store_lines(seeded, lines=[_line("a", 1, "hei"), _line("b", 1, "hej"), _line("a", 2, "vielä")])

    async with seeded.transaction() as session:
        stored = (await session.execute(select(Message).order_by(col(Message.chat_id), col(Message.seq)))).scalars()
        rows = [(m.chat_id, m.seq, m.text, m.created_at) for m in stored]
        # A time bound by SQLAlchemy finds the line: the same stored form, not just the same instant.
        at_two = col(Message.created_at) == SAID + timedelta(seconds=2)
        found = (await session.execute(select(Message.text).where(at_two))).scalars().all()
        later = (await session.execute(select(Chat.id).where(col(Chat.last_activity_at) > ARRIVED))).scalars().all()
        moved = {c.id: (c.last_seq, c.last_activity_at) for c in (await session.execute(select(Chat))).scalars()}
    assert rows == [("a", 1, "hei", SAID + timedelta(seconds=1)), ("a", 2, "vielä", SAID + timedelta(seconds=2)),
                    ("b", 1, "hej", SAID + timedelta(seconds=1))]
    assert found == ["vielä"]
    assert sorted(later) == ["a", "b"]
    assert moved == {"a": (2, SAID + timedelta(seconds=2)), "b": (1, SAID + timedelta(seconds=1))}


async def test_a_batch_with_one_refused_line_stores_none_of_it_and_is_a_refusal_not_an_outage(seeded: Database) -> None:
    async with seeded.transaction() as session:
        await chats.add_chats(session, chats=[chats.NewChat("a", "h", "study", "fi")], status="active", now=ARRIVED)
    await messages.store_lines(seeded, lines=[_line("a", 1, "first")])

    with pytest.raises(STORAGE_FAILURES) as refused:  # seq 1 again: the unique (chat, seq) refuses it
        await messages.store_lines(seeded, lines=[_line("a", 2, "second"), _line("a", 1, "again")])
    # A refused statement, not the database down: the writer then tries each line alone.
    assert not is_outage(refused.value)

    async with seeded.transaction() as session:
        texts = (await session.execute(select(Message.text))).scalars().all()
        chat = await session.get(Chat, "a")
    assert texts == ["first"]
    assert chat is not None and chat.last_seq == 1
