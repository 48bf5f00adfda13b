"""A chat from start to feedback, over real sockets, as PROTOCOL.md describes it."""

from __future__ import annotations

import json

from sqlmodel import select

from storage.tables import Chat, ChatStatistic, Feedback, Message
from tests.service import Service, receive, send, until


async def test_visitor_is_queued_assigned_and_chats_with_acks_and_seqs(service: Service) -> None:
    anna, _ = await service.advisor("anna")  # signed in and away: the service takes chats
    visitor = await service.visitor()
    await send(visitor, {"type": "start", "topic": "education", "language": "fi"})
    queued = await receive(visitor)
    assert queued["type"] == "queued" and queued["position"] == 1 and queued["token"]
    chat_id = queued["chat"]
    assert (await until(anna, "queue", length=1))["oldest_wait_s"] == 0

    await send(anna, {"type": "status", "status": "available"})
    assert await until(anna, "status") == {"type": "status", "status": "available", "on_shift": True}
    assigned = await until(anna, "assigned")
    assert assigned["chat"]["id"] == chat_id and assigned["chat"]["language"] == "fi"
    visitor_assigned = await until(visitor, "assigned")
    assert visitor_assigned["advisor"] == {"name": "Anna", "organisation": "Kotka College"}

    await send(visitor, {"type": "message", "id": "v1", "text": "Hei"})
    ack = await until(visitor, "ack")
    assert ack == {"type": "ack", "id": "v1", "seq": 1}
    seen = await until(anna, "message")
    assert (seen["chat"], seen["seq"], seen["from"], seen["text"]) == (chat_id, 1, "visitor", "Hei")

    await send(anna, {"type": "message", "chat": chat_id, "id": "a1", "text": "Hei, miten voin auttaa?"})
    assert (await until(anna, "ack"))["seq"] == 2
    reply = await until(visitor, "message", seq=2)
    assert reply["from"] == "advisor" and reply["at"].endswith("+02:00")


async def test_advisor_close_stores_transcript_statistics_and_feedback(service: Service) -> None:
    talk = await service.chat()
    visitor, anna, chat_id = talk.visitor, talk.advisor, talk.chat
    await send(visitor, {"type": "message", "id": "v1", "text": "Tarvitsen apua"})
    await until(visitor, "ack")
    await send(anna, {"type": "note", "chat": chat_id, "id": "n1", "text": "internal"})
    await until(anna, "ack")

    await send(anna, {"type": "close", "chat": chat_id, "outcome": "answered"})
    assert (await until(anna, "ended"))["chat"] == chat_id
    ended = await until(visitor, "ended")
    assert ended["by"] == "advisor"
    await send(visitor, {"type": "feedback", "rating": 5, "comment": "Kiitos"})
    assert (await until(visitor, "feedback_saved")) == {"type": "feedback_saved"}

    async with service.db.transaction() as session:
        chat = await session.get(Chat, chat_id)
        assert chat is not None and chat.status == "ended" and chat.outcome == "answered"
        lines = (await session.execute(
            select(Message).where(Message.chat_id == chat_id).order_by(Message.seq))).scalars().all()
        assert [(m.seq, m.sender) for m in lines] == [(1, "visitor"), (2, "note")]
        record = (await session.execute(select(ChatStatistic))).scalar_one()
        assert (record.topic, record.outcome, record.message_count, record.rating) == ("work", "answered", 1, 5)
        feedback = await session.get(Feedback, chat_id)
        assert feedback is not None and feedback.comment == "Kiitos"


async def test_notes_never_reach_the_visitor(service: Service) -> None:
    talk = await service.chat()
    visitor, anna, chat_id = talk.visitor, talk.advisor, talk.chat
    await send(anna, {"type": "note", "chat": chat_id, "id": "n1", "text": "secret note"})
    await until(anna, "ack")
    await send(anna, {"type": "message", "chat": chat_id, "id": "a1", "text": "visible"})
    frame = await until(visitor, "message")
    assert frame["text"] == "visible" and frame["seq"] == 2


async def test_a_chat_the_visitor_ended_gets_its_outcome_from_the_advisor_afterwards(service: Service) -> None:
    talk = await service.chat("anna")
    await send(talk.visitor, {"type": "end"})
    assert (await until(talk.advisor, "ended"))["by"] == "visitor"
    await send(talk.advisor, {"type": "close", "chat": talk.chat, "outcome": "referred"})
    assert await until(talk.advisor, "outcome_saved") == {
        "type": "outcome_saved", "chat": talk.chat, "outcome": "referred",
    }
    async with service.db.transaction() as session:
        chat = await session.get(Chat, talk.chat)
        assert chat is not None and chat.outcome == "referred" and chat.statistic_id is not None
        record = await session.get(ChatStatistic, chat.statistic_id)
        assert record is not None and record.outcome == "referred"
    # Once given, it stays; and nobody else may give one.
    await send(talk.advisor, {"type": "close", "chat": talk.chat, "outcome": "answered"})
    assert (await until(talk.advisor, "error"))["code"] == "chat_ended"
    bertil, _ = await service.advisor("bertil")
    await send(bertil, {"type": "close", "chat": talk.chat, "outcome": "answered"})
    assert (await until(bertil, "error"))["code"] == "not_yours"


async def test_the_sender_hears_its_ack_before_its_own_copy_of_the_line(service: Service) -> None:
    talk = await service.chat("anna")
    for n in range(10):
        await send(talk.visitor, {"type": "message", "id": f"v{n}", "text": f"line {n}"})
        first, second = await receive(talk.visitor), await receive(talk.visitor)
        assert (first["type"], second["type"]) == ("ack", "message"), (first, second)
        await send(talk.advisor, {"type": "message", "chat": talk.chat, "id": f"a{n}", "text": f"reply {n}"})
        frames = [await receive(talk.advisor) for _ in range(3)]  # the visitor's line, the ack, the copy
        assert [f["type"] for f in frames] == ["message", "ack", "message"], frames
        assert (await receive(talk.visitor))["text"] == f"reply {n}"


async def test_lines_acked_together_do_not_keep_back_what_comes_after_them(service: Service) -> None:
    """Two lines sent at once are stored in one batch and acked one after the other; the copies
    kept back behind the acks follow the second, and later frames are not kept back at all."""
    talk = await service.chat("anna")
    for n in range(3):
        await talk.advisor.send(json.dumps({"type": "message", "chat": talk.chat, "id": f"a{n}x", "text": "one"}))
        await talk.advisor.send(json.dumps({"type": "message", "chat": talk.chat, "id": f"a{n}y", "text": "two"}))
        frames = [await receive(talk.advisor) for _ in range(4)]
        kinds = [(f["type"], f.get("id") or f.get("text")) for f in frames]
        assert kinds.index(("ack", f"a{n}x")) < kinds.index(("message", "one")), kinds
        assert kinds.index(("ack", f"a{n}y")) < kinds.index(("message", "two")), kinds
        await send(talk.visitor, {"type": "message", "id": f"v{n}", "text": f"after {n}"})
        assert (await receive(talk.advisor))["text"] == f"after {n}"  # nothing sent by Anna meanwhile


async def test_a_line_waiting_for_its_ack_keeps_back_only_its_own_copy(service: Service) -> None:
    """Under load an ack can take a second; what the others send meanwhile is not held behind
    it (it was: every frame waited while any ack of the socket's was due)."""
    talk = await service.chat("anna")
    async with service.db.transaction():  # holds the write lock: Anna's line cannot be stored yet
        await send(talk.advisor, {"type": "message", "chat": talk.chat, "id": "a1", "text": "slow"})
        await send(talk.advisor, {"type": "ping"})
        assert (await receive(talk.advisor))["type"] == "pong"  # her line was read: its ack is due
        await send(talk.visitor, {"type": "typing"})
        assert (await receive(talk.advisor))["type"] == "typing"
    frames = [await receive(talk.advisor) for _ in range(2)]
    assert [(f["type"], f.get("id") or f.get("text")) for f in frames] == [("ack", "a1"), ("message", "slow")]


async def test_a_repeated_lines_ack_lets_no_other_copy_go_before_its_own_ack(service: Service) -> None:
    """A line sent again (after a reconnect) is acked with the seq it has and brings no copy:
    the copy of the new line sent beside it still comes after that line's own ack."""
    talk = await service.chat("anna")
    await send(talk.advisor, {"type": "message", "chat": talk.chat, "id": "a1", "text": "one"})
    assert (await until(talk.advisor, "message"))["text"] == "one"
    for n in range(3):
        await talk.advisor.send(json.dumps({"type": "message", "chat": talk.chat, "id": "a1", "text": "one"}))
        await talk.advisor.send(json.dumps({"type": "message", "chat": talk.chat, "id": f"b{n}", "text": f"new {n}"}))
        frames = [await receive(talk.advisor) for _ in range(3)]
        kinds = [(f["type"], f.get("id") or f.get("text")) for f in frames]
        assert sorted(kinds) == sorted([("ack", "a1"), ("ack", f"b{n}"), ("message", f"new {n}")]), kinds
        assert kinds.index(("ack", f"b{n}")) < kinds.index(("message", f"new {n}")), kinds


async def test_client_ids_are_each_senders_own(service: Service) -> None:
    talk = await service.chat("anna")
    await send(talk.visitor, {"type": "message", "id": "m1", "text": "from the visitor"})
    assert (await until(talk.visitor, "ack"))["seq"] == 1
    await send(talk.advisor, {"type": "message", "chat": talk.chat, "id": "m1", "text": "from Anna"})
    assert (await until(talk.advisor, "ack"))["seq"] == 2  # a line of its own, not the visitor's repeat
    assert (await until(talk.visitor, "message", seq=2))["text"] == "from Anna"
    await send(talk.advisor, {"type": "message", "chat": talk.chat, "id": "m1", "text": "from Anna"})
    assert (await until(talk.advisor, "ack"))["seq"] == 2  # Anna's own repeat stores nothing
    async with service.db.transaction() as session:
        lines = (await session.execute(
            select(Message).where(Message.chat_id == talk.chat).order_by(Message.seq))).scalars().all()
    assert [(m.seq, m.sender, m.text) for m in lines] == [
        (1, "visitor", "from the visitor"), (2, "advisor", "from Anna"),
    ]


async def test_the_advisor_is_told_when_each_chat_arrived_on_assignment_and_after_a_reconnect(
    service: Service,
) -> None:
    """Issue 16: the console names its tabs by arrival time; `waited_s` alone cannot give it after
    a reconnect (it counts to the assignment, not to now)."""
    anna, _ = await service.advisor("anna")
    visitor = await service.visitor()
    await send(visitor, {"type": "start", "topic": "work", "language": "fi"})
    await until(visitor, "queued")
    service.clock.advance(90)
    await send(anna, {"type": "status", "status": "available"})
    card = (await until(anna, "assigned"))["chat"]
    assert (card["arrived"], card["waited_s"]) == ("2026-11-24T10:00:00+02:00", 90)
    service.clock.advance(600)
    _, welcome = await service.advisor("anna")
    assert [(c["arrived"], c["waited_s"]) for c in welcome["chats"]] == [("2026-11-24T10:00:00+02:00", 90)]
