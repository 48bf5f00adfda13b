"""The console's own pages read as people read: topic, language and outcome labels, not ids."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from html import unescape

from chat.web.pages.common import clock_span
from storage import people, roster
from tests.service import TUESDAY_10, Service, send, until


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


async def test_a_whole_day_shift_reads_00_24_and_an_overnight_one_says_plus_one(service: Service) -> None:
    tomorrow = TUESDAY_10.replace(hour=0) + timedelta(days=1)
    async with service.db.transaction() as session:
        anna = await people.user_by_username(session, username="anna")
        assert anna is not None and anna.id is not None
        await roster.add_shifts(session, shifts=[
            (anna.id, tomorrow, tomorrow + timedelta(days=1)),
            (anna.id, tomorrow + timedelta(days=2, hours=20), tomorrow + timedelta(days=3, hours=2)),
        ])
    cookie = await service.session_cookie("anna")
    async with await service.http() as client:
        duty = (await client.get("/console", headers={"cookie": cookie})).text
    assert "00:00–24:00" in duty and "00:00–00:00" not in duty
    assert "20:00–02:00 (+1)" in duty
    assert "08:00–17:00" in duty  # today's ordinary shift, as it was


def test_clock_spans() -> None:
    day = datetime(2026, 11, 24, tzinfo=UTC)
    assert clock_span(day.replace(hour=9), day.replace(hour=16)) == "09:00–16:00"
    assert clock_span(day, day + timedelta(days=1)) == "00:00–24:00"
    assert clock_span(day.replace(hour=16), day + timedelta(days=1)) == "16:00–24:00"
    assert clock_span(day.replace(hour=20), day + timedelta(days=1, hours=2)) == "20:00–02:00 (+1)"


async def test_the_transcript_shows_the_visitors_feedback_comment_to_the_advisor_who_handled_it(
    service: Service,
) -> None:
    talk = await service.chat("anna")
    await send(talk.visitor, {"type": "end"})
    await until(talk.visitor, "ended")
    await send(talk.visitor, {"type": "feedback", "rating": 4, "comment": "Kiitos <b>paljon</b>!\nToinen rivi"})
    await until(talk.visitor, "feedback_saved")
    untouched = await service.chat("anna", language="en")  # no feedback given
    anna = await service.session_cookie("anna")
    async with await service.http() as client:
        page = (await client.get(f"/console/chats/{talk.chat}", headers={"cookie": anna})).text
        english = unescape((await client.get(f"/console/chats/{talk.chat}?lang=en", headers={"cookie": anna})).text)
        none = unescape((await client.get(f"/console/chats/{untouched.chat}?lang=en", headers={"cookie": anna})).text)
        other = await service.session_cookie("bertil")
        bertil = await client.get(f"/console/chats/{talk.chat}", headers={"cookie": other})
    assert "Arvio: 4/5" in page and "Kävijän kommentti" in page
    assert "Kiitos &lt;b&gt;paljon&lt;/b&gt;!\nToinen rivi" in page  # the visitor's text, escaped
    assert "Rating: 4 out of 5" in english and "The visitor's comment" in english
    assert "The visitor gave no feedback." in none
    assert bertil.status_code == 403 and "paljon" not in bertil.text
