"""/api/service, closed and unstaffed starts, offline messages, the timed endings."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import select

from storage.tables import Chat, OfflineMessage, RefusedAttempt
from tests.service import Service, receive, send, until

SATURDAY = datetime.fromisoformat("2026-11-28T12:00:00+02:00")


async def test_service_reports_open_accepting_topics_and_limits(service: Service) -> None:
    await service.advisor("anna")
    async with await service.http() as client:
        body = (await client.get("/api/service")).json()
    assert body["open"] is True and body["accepting"] is True
    assert [t["id"] for t in body["topics"]] == ["education", "work", "wellbeing"]
    assert body["topics"][0]["label"] == {"fi": "Opiskelu", "sv": "Studier", "en": "Education"}
    assert body["languages"] == ["fi", "sv", "en"] and body["max_length"] == 2000
    assert body["retention_days"] == 90
    assert body["queue_length"] == 0 and body["next_open"] is None


async def test_service_tells_its_time_zone_and_the_hours_of_today_and_the_six_dates_after(service: Service) -> None:
    service.clock.set(SATURDAY)
    async with await service.http() as client:
        body = (await client.get("/api/service")).json()
    assert body["timezone"] == "Europe/Helsinki"
    assert [day["date"] for day in body["week"]] == [f"2026-{d}" for d in (
        "11-28", "11-29", "11-30", "12-01", "12-02", "12-03", "12-04")]
    assert [day["hours"] for day in body["week"][:3]] == [[], [], [
        {"start": "2026-11-30T09:00:00+02:00", "end": "2026-11-30T16:00:00+02:00"}]]
    assert all(len(day["hours"]) == 1 for day in body["week"][2:])


async def test_service_tells_which_languages_somebody_on_duty_speaks(service: Service) -> None:
    async with await service.http() as client:
        nobody = (await client.get("/api/service")).json()
        await service.advisor("anna")  # fi, en; signed in and away still counts: chats wait for her
        anna = (await client.get("/api/service")).json()
        await service.advisor("bertil")  # sv, fi
        both = (await client.get("/api/service")).json()
        service.clock.advance(7.5 * 3600)  # 17:30: their shifts (08-17) are over, though they are signed in
        after_shifts = (await client.get("/api/service")).json()
    assert nobody["languages_on_duty"] == {"fi": False, "sv": False, "en": False}
    assert anna["languages_on_duty"] == {"fi": True, "sv": False, "en": True}
    assert both["languages_on_duty"] == {"fi": True, "sv": True, "en": True}
    assert after_shifts["languages_on_duty"] == {"fi": False, "sv": False, "en": False}


async def test_open_but_nobody_signed_in_is_not_accepting_and_start_says_unstaffed(service: Service) -> None:
    async with await service.http() as client:
        body = (await client.get("/api/service")).json()
    assert (body["open"], body["accepting"]) == (True, False)
    visitor = await service.visitor()
    await send(visitor, {"type": "start", "topic": "work", "language": "fi"})
    assert await receive(visitor) == {"type": "closed", "reason": "unstaffed", "next_open": None}
    async with service.db.transaction() as session:
        refused = (await session.execute(select(RefusedAttempt))).scalars().all()
    assert [(r.reason, r.topic) for r in refused] == [("unstaffed", "work")]


async def test_closed_on_saturday_names_the_next_opening_and_keeps_the_socket(service: Service) -> None:
    service.clock.set(SATURDAY)
    visitor = await service.visitor()
    await send(visitor, {"type": "start", "topic": "work", "language": "fi"})
    closed = await receive(visitor)
    assert closed == {"type": "closed", "reason": "closed", "next_open": "2026-11-30T09:00:00+02:00"}
    await send(visitor, {"type": "start", "topic": "work", "language": "fi"})
    assert (await receive(visitor))["type"] == "closed"


async def test_offline_message_is_stored_and_bad_input_gets_a_readable_422(service: Service) -> None:
    async with await service.http() as client:
        good = await client.post(
            "/api/offline-messages",
            json={"topic": "work", "language": "sv", "text": "Ring mig", "contact": "040 123"},
            headers={"Origin": "https://college.example"},
        )
        bad = await client.post("/api/offline-messages", json={"topic": "work", "language": "sv", "text": ""})
    assert good.status_code == 201 and good.json()["id"]
    assert good.headers["access-control-allow-origin"] == "https://college.example"
    assert bad.status_code == 422 and bad.json()["code"] == "bad_field" and "text" in bad.json()["message"]
    async with service.db.transaction() as session:
        stored = (await session.execute(select(OfflineMessage))).scalars().all()
    assert [(m.text, m.contact) for m in stored] == [("Ring mig", "040 123")]


async def test_waiting_visitor_gone_past_the_grace_is_abandoned(service: Service) -> None:
    await service.advisor("anna")  # signed in, away: chats wait
    visitor = await service.visitor()
    await send(visitor, {"type": "start", "topic": "work", "language": "fi"})
    chat_id = (await until(visitor, "queued"))["chat"]
    await service.hang_up_visitor(visitor, chat_id)
    await service.tick(119)
    assert service.live.carries(chat_id)
    await service.tick(2)
    assert not service.live.carries(chat_id)
    async with service.db.transaction() as session:
        chat = await session.get(Chat, chat_id)
    assert chat is not None and (chat.status, chat.ended_by, chat.end_reason) == ("abandoned", "system", "abandoned")


async def test_silent_active_chat_ends_as_idle(service: Service) -> None:
    visitor = (await service.chat()).visitor
    await service.tick(1801)
    assert await until(visitor, "ended") == {"type": "ended", "by": "system", "reason": "idle"}


async def test_lost_advisor_past_the_grace_puts_the_chat_back_first_in_queue(service: Service) -> None:
    anna = await service.available("anna")
    first = await service.visitor()
    await send(first, {"type": "start", "topic": "work", "language": "fi"})
    chat_id = (await until(first, "queued"))["chat"]
    await until(anna, "assigned")
    service.clock.advance(10)
    later = await service.visitor()
    await send(later, {"type": "start", "topic": "work", "language": "fi"})
    await until(later, "queued")
    await service.hang_up_advisor(anna, "anna")
    await service.tick(61)
    requeued = await until(first, "queued")
    assert requeued["chat"] == chat_id and requeued["position"] == 1 and "token" not in requeued
    bertil = await service.available("bertil")
    assert (await until(bertil, "assigned"))["chat"]["id"] == chat_id


async def test_advisor_reconnecting_within_the_grace_keeps_status_and_chats(service: Service) -> None:
    talk = await service.chat()
    visitor, anna, chat_id = talk.visitor, talk.advisor, talk.chat
    await send(visitor, {"type": "message", "id": "v1", "text": "still there?"})
    await until(visitor, "ack")
    await service.hang_up_advisor(anna, "anna")
    await service.tick(30)
    _, welcome = await service.advisor("anna")
    assert welcome["status"] == "available"
    assert [c["id"] for c in welcome["chats"]] == [chat_id]
    assert [m["text"] for m in welcome["chats"][0]["messages"]] == ["still there?"]


async def test_an_advisor_signing_in_is_told_the_queue_at_once(service: Service) -> None:
    await service.advisor("anna")
    for _ in range(2):
        visitor = await service.visitor()
        await send(visitor, {"type": "start", "topic": "work", "language": "sv"})
        await until(visitor, "queued")
    service.clock.advance(90)
    bertil, _ = await service.advisor("bertil")
    assert await receive(bertil) == {"type": "queue", "length": 2, "oldest_wait_s": 90}


async def test_queue_after_closing_time_is_served_then_told_the_service_closed(service: Service) -> None:
    await service.advisor("anna")  # away: the chat waits
    service.clock.set(datetime.fromisoformat("2026-11-24T15:59:00+02:00"))
    visitor = await service.visitor()
    await send(visitor, {"type": "start", "topic": "work", "language": "fi"})
    await until(visitor, "queued")
    await service.tick(60 + 899)
    assert service.live.view.waiting()
    await service.tick(2)
    assert await until(visitor, "ended") == {"type": "ended", "by": "system", "reason": "service_closed"}


async def test_both_parties_are_warned_before_an_idle_end_and_still_here_starts_the_clock_again(
        service: Service) -> None:
    talk = await service.chat("anna")
    await service.tick(1680)  # 30 minutes of silence less the two-minute warning
    assert await until(talk.visitor, "idle_warning") == {"type": "idle_warning", "ends_in_s": 120}
    assert await until(talk.advisor, "idle_warning") == {"type": "idle_warning", "ends_in_s": 120, "chat": talk.chat}
    await send(talk.visitor, {"type": "still_here"})
    assert await until(talk.visitor, "idle_cleared") == {"type": "idle_cleared"}
    assert await until(talk.advisor, "idle_cleared") == {"type": "idle_cleared", "chat": talk.chat}
    await service.tick(1700)  # silent again since the answer: warned again, not ended
    assert (await until(talk.advisor, "idle_warning"))["ends_in_s"] == 100
    assert service.live.carries(talk.chat)
    await send(talk.advisor, {"type": "still_here", "chat": talk.chat})
    await until(talk.visitor, "idle_cleared")
    await service.tick(1799)
    assert service.live.carries(talk.chat)
    await service.tick(1)
    assert await until(talk.visitor, "ended") == {"type": "ended", "by": "system", "reason": "idle"}


async def test_a_quick_exit_tells_the_advisor_and_ends_the_chat_after_the_visitor_grace(service: Service) -> None:
    talk = await service.chat("anna")
    await send(talk.visitor, {"type": "quick_exit"})
    assert await until(talk.advisor, "visitor_left") == {"type": "visitor_left", "chat": talk.chat, "quickly": True}
    await service.hang_up_visitor(talk.visitor, talk.chat)
    await service.tick(119)
    assert service.live.carries(talk.chat)  # the advisor may still finish their line
    await service.tick(1)
    assert await until(talk.advisor, "ended") == {"type": "ended", "chat": talk.chat, "by": "system",
                                                  "reason": "left_quickly"}
