"""Nothing lost across dropped sockets; no advisor over capacity."""

from __future__ import annotations

from tests.service import Service, receive, send, until


async def test_resume_replays_after_the_last_seen_seq_without_duplicates(service: Service) -> None:
    talk = await service.chat()
    chat_id, token, visitor, anna = talk.chat, talk.token, talk.visitor, talk.advisor
    await send(visitor, {"type": "message", "id": "v1", "text": "one"})
    await until(visitor, "ack")
    await visitor.close()

    await send(anna, {"type": "message", "chat": chat_id, "id": "a1", "text": "two"})
    await send(anna, {"type": "message", "chat": chat_id, "id": "a2", "text": "three"})
    await until(anna, "ack", id="a2")

    again = await service.visitor()
    await send(again, {"type": "resume", "chat": chat_id, "token": token, "after": 1})
    replay = [await receive(again), await receive(again), await receive(again)]
    assert [(f["type"], f.get("seq")) for f in replay] == [("message", 2), ("message", 3), ("assigned", None)]

    # A message re-sent with the same id after the drop is stored once and acked with its seq.
    await send(again, {"type": "message", "id": "v1", "text": "one"})
    assert (await until(again, "ack")) == {"type": "ack", "id": "v1", "seq": 1}
    await send(again, {"type": "message", "id": "v2", "text": "four"})
    assert (await until(again, "ack"))["seq"] == 4


async def test_two_tabs_of_one_visitor_both_receive_every_frame(service: Service) -> None:
    talk = await service.chat()
    chat_id, token, first, anna = talk.chat, talk.token, talk.visitor, talk.advisor
    second = await service.visitor()
    await send(second, {"type": "resume", "chat": chat_id, "token": token, "after": 0})
    await until(second, "assigned")
    await send(anna, {"type": "message", "chat": chat_id, "id": "a1", "text": "hello both"})
    assert (await until(first, "message"))["text"] == "hello both"
    assert (await until(second, "message"))["text"] == "hello both"


async def test_wrong_token_is_unauthorized_and_closes_4401(service: Service) -> None:
    chat_id = (await service.chat()).chat
    intruder = await service.visitor()
    await send(intruder, {"type": "resume", "chat": chat_id, "token": "guess", "after": 0})
    error = await receive(intruder)
    assert error["type"] == "error" and error["code"] == "unauthorized"
    await intruder.wait_closed()
    assert intruder.close_code == 4401


async def test_capacity_is_respected_with_more_visitors_than_room(service: Service) -> None:
    anna = await service.available("anna")  # capacity 3, the only one available
    queued = []
    for _ in range(5):
        ws = await service.visitor()
        await send(ws, {"type": "start", "topic": "education", "language": "fi"})
        queued.append(await until(ws, "queued"))
    handed = [(await until(anna, "assigned"))["chat"]["id"] for _ in range(3)]
    assert handed == [q["chat"] for q in queued[:3]]
    assert len(service.live.view.advisor("anna").chats) == 3
    assert [c.id for c in service.live.view.waiting()] == [q["chat"] for q in queued[3:]]
    assert [q["position"] for q in queued[3:]] == [1, 2]

    # A closed chat frees a place: the oldest waiting chat is handed over, the next moves up.
    await send(anna, {"type": "close", "chat": handed[0], "outcome": "answered"})
    assert (await until(anna, "assigned"))["chat"]["id"] == queued[3]["chat"]
    assert len(service.live.view.advisor("anna").chats) == 3
