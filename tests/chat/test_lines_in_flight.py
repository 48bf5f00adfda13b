"""A socket's lines are stored beside its reader: a client may send the next line before the
last one's `ack`, the lines keep the order they were sent in, and a `close` waits for them."""

from __future__ import annotations

import pytest
from sqlmodel import select

from chat.broker.memory import MemoryBroker
from chat.live.commands import Rejoin, SetStatus
from chat.live.service import LiveService
from chat.wire.errors import Unavailable
from storage.tables import Message
from tests.chat.test_group_commit import statements
from tests.service import Service, receive, send


async def test_lines_sent_back_to_back_are_stored_together_in_order_and_the_close_comes_after(
        service: Service) -> None:
    talk = await service.chat()
    anna, chat_id = talk.advisor, talk.chat
    ids = [f"a{n}" for n in range(1, 11)]
    with statements(service, "INSERT INTO MESSAGE") as inserts:
        for client_id in ids:
            await send(anna, {"type": "message", "chat": chat_id, "id": client_id, "text": f"line {client_id}"})
        await send(anna, {"type": "close", "chat": chat_id, "outcome": "answered"})
        frames = []
        while not frames or frames[-1]["type"] != "ended":
            frames.append(await receive(anna))
    acks = {frame["id"]: frame["seq"] for frame in frames if frame["type"] == "ack"}
    assert acks == {client_id: n for n, client_id in enumerate(ids, start=1)}, frames
    assert [frame["type"] for frame in frames].index("ended") > max(
        i for i, frame in enumerate(frames) if frame["type"] == "ack")
    # Waiting for each line's commit before reading the next would have taken ten transactions.
    assert len(inserts) <= 3, inserts
    async with service.db.transaction() as session:
        stored = (await session.execute(
            select(Message).where(Message.chat_id == chat_id).order_by(Message.seq))).scalars().all()
    assert [(m.seq, m.client_id) for m in stored] == list(enumerate(ids, start=1))



async def test_a_new_owner_refuses_a_status_as_unavailable_until_the_advisors_process_rejoins(
        service: Service) -> None:
    """Several processes: a process that has just taken over the live service rebuilt it from
    storage, which knows advisors with chats (in their grace period) but not the others' sockets
    until their process rejoins. A frame from such an advisor before then is `unavailable` (the
    client sends it again), not a failed assertion and a traceback."""
    await service.advisor("bertil")  # signed in, no chat
    owner = LiveService(db=service.db, broker=MemoryBroker(), settings=service.settings, clock=service.clock)
    await owner.start()
    try:
        with pytest.raises(Unavailable):
            await owner.run(SetStatus("bertil", "available"))
        await owner.run(Rejoin(advisors=(("bertil", 1, "away"),), visitors=()))
        assert (await owner.run(SetStatus("bertil", "available"))).status == "available"
    finally:
        await owner.stop()
