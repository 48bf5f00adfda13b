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
    bertil, _ = await service.advisor("bertil")  # signed in, away: the chat may wait for him
    await send(talk.advisor, {"type": "transfer", "chat": talk.chat, "to": {"topic": "wellbeing"}, "note": None})
    await until(talk.advisor, "transferred")
    await send(bertil, {"type": "status", "status": "available"})
    handed = (await until(bertil, "assigned"))["chat"]
    assert (handed["id"], handed["topic"]) == (talk.chat, "wellbeing")


async def test_transfer_to_someone_unknown_is_a_bad_field_and_the_chat_stays(service: Service) -> None:
    talk = await service.chat("anna")
    for to, code, words in (({"organisation": "nowhere"}, "bad_field", "unknown"),
                            ({"topic": "astrology"}, "unknown_topic", "unknown"), ({"desk": "x"}, "bad_field", "to"),
                            ({"advisor": "anna"}, "bad_field", "yourself")):
        await send(talk.advisor, {"type": "transfer", "chat": talk.chat, "to": to, "note": None})
        error = await until(talk.advisor, "error")
        assert error["code"] == code and words in error["message"], error
    assert service.live.view.chat(talk.chat).advisor == "anna"


async def test_transfer_to_a_colleague_not_signed_in_cannot_serve(service: Service) -> None:
    talk = await service.chat("anna")
    await send(talk.advisor, {"type": "transfer", "chat": talk.chat, "to": {"advisor": "bertil"}, "note": "x"})
    assert (await until(talk.advisor, "error"))["code"] == "cannot_serve"
    assert service.live.view.chat(talk.chat).advisor == "anna"


async def test_english_chat_to_a_colleague_who_speaks_no_english_cannot_serve_and_stays(service: Service) -> None:
    talk = await service.chat("anna", language="en")
    await service.available("bertil")  # sv, fi
    chloe = await service.available("chloe")  # en
    await send(talk.advisor, {"type": "transfer", "chat": talk.chat, "to": {"advisor": "bertil"}, "note": None})
    error = await until(talk.advisor, "error")
    assert error["code"] == "cannot_serve" and "'en'" in error["message"]
    assert service.live.view.chat(talk.chat).advisor == "anna"
    # Nothing was stored for the refused transfer, and the chat is still Anna's to hand on.
    await send(talk.advisor, {"type": "transfer", "chat": talk.chat, "to": {"advisor": "chloe"}, "note": None})
    await until(talk.advisor, "transferred")
    assert (await until(chloe, "assigned"))["chat"]["id"] == talk.chat


async def test_transfer_to_an_organisation_or_topic_nobody_on_duty_can_serve_is_refused(service: Service) -> None:
    talk = await service.chat("anna", language="en")
    await service.available("bertil")  # kaakko: sv, fi
    for to in ({"organisation": "kaakko"}, {"topic": "wellbeing"}):
        await send(talk.advisor, {"type": "transfer", "chat": talk.chat, "to": to, "note": None})
        assert (await until(talk.advisor, "error"))["code"] == "cannot_serve"
    assert service.live.view.chat(talk.chat).advisor == "anna"
