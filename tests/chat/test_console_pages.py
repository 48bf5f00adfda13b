"""The console's own pages read as people read: topic, language and outcome labels, not ids."""

from __future__ import annotations

from tests.service import Service, send, until


async def test_my_chats_shows_labels_in_the_pages_language(service: Service) -> None:
    talk = await service.chat("anna", topic="work", language="fi")
    await send(talk.advisor, {"type": "close", "chat": talk.chat, "outcome": "referred"})
    await until(talk.advisor, "ended")
    ended = await service.chat("anna", topic="work", language="en")
    await send(ended.visitor, {"type": "end"})
    await until(ended.advisor, "ended")
    cookie = await service.session_cookie("anna")
    async with await service.http() as client:
        finnish = (await client.get("/console/chats", headers={"cookie": cookie})).text
        english = (await client.get("/console/chats?lang=en", headers={"cookie": cookie})).text
    assert "Työ" in finnish and "Ohjattu eteenpäin" in finnish and "englanti" in finnish
    assert "päättyi, ei lopputulosta" in finnish
    assert ">work<" not in finnish and ">referred<" not in finnish and ">ended<" not in finnish
    assert "Work" in english and "Referred" in english and "ended, no outcome" in english


async def test_the_offline_inbox_shows_topic_and_language_labels(service: Service) -> None:
    async with await service.http() as client:
        left = await client.post("/api/offline-messages", json={"topic": "wellbeing", "language": "sv",
                                                                "text": "Ring mig"})
        assert left.status_code == 201
        cookie = await service.session_cookie("anna")
        inbox = (await client.get("/console/offline", headers={"cookie": cookie})).text
    assert "Hyvinvointi · ruotsi" in inbox
