"""Transfers: to a colleague, an organisation or a topic; the receiver gets the whole history and
the note, the visitor is told, the sender may no longer write."""

from __future__ import annotations

from tests.service import Service, send, until


async def test_transfer_to_a_colleague_hands_over_history_and_note(service: Service) -> None:
    talk = await service.chat("anna")
    await send(talk.visitor, {"type": "message", "id": "v1", "text": "Hej, på svenska?"})
    await until(talk.visitor, "ack")
    bertil = await service.available("bertil")
    await send(talk.advisor, {"type": "transfer", "chat": talk.chat, "to": {"advisor": "bertil"}, "note": "svenska"})
    assert await until(talk.advisor, "transferred") == {"type": "transferred", "chat": talk.chat}

    handed = (await until(bertil, "assigned"))["chat"]
    history = [(m["from"], m["text"]) for m in handed["messages"]]
    assert history == [("visitor", "Hej, på svenska?"), ("note", "svenska")]
    # Bertil has room, so the chat does not wait: the visitor is told the new advisor at once.
    assert (await until(talk.visitor, "assigned"))["advisor"]["name"] == "Bertil"

    await send(talk.advisor, {"type": "message", "chat": talk.chat, "id": "a9", "text": "still mine?"})
    assert (await until(talk.advisor, "error"))["code"] == "not_yours"


async def test_transfer_to_an_organisation_never_returns_to_the_sender(service: Service) -> None:
    talk = await service.chat("anna")
    chloe = await service.available("chloe")  # te, English only
    bertil = await service.available("bertil")  # kaakko, Swedish and Finnish
    await send(talk.advisor, {"type": "transfer", "chat": talk.chat, "to": {"organisation": "kaakko"}, "note": None})
    await until(talk.advisor, "transferred")
    assert (await until(bertil, "assigned"))["chat"]["id"] == talk.chat
    assert service.live.view.chat(talk.chat).advisor == "bertil"
    assert not service.live.view.advisor("chloe").chats
    await chloe.close()


async def test_transfer_to_a_topic_changes_the_chats_topic(service: Service) -> None:
    talk = await service.chat("anna", topic="work")
    await send(talk.advisor, {"type": "transfer", "chat": talk.chat, "to": {"topic": "wellbeing"}, "note": None})
    await until(talk.advisor, "transferred")
    bertil = await service.available("bertil")
    handed = (await until(bertil, "assigned"))["chat"]
    assert (handed["id"], handed["topic"]) == (talk.chat, "wellbeing")


async def test_transfer_to_someone_not_signed_in_or_unknown_is_refused_and_the_chat_stays(service: Service) -> None:
    talk = await service.chat("anna")
    for to, field in (({"advisor": "bertil"}, "not signed in"), ({"organisation": "nowhere"}, "unknown"),
                      ({"topic": "astrology"}, "unknown"), ({"desk": "x"}, "to")):
        await send(talk.advisor, {"type": "transfer", "chat": talk.chat, "to": to, "note": None})
        error = await until(talk.advisor, "error")
        assert error["code"] == "bad_field" and field in error["message"]
    assert service.live.view.chat(talk.chat).advisor == "anna"
