"""The post-chat questionnaire: coordinators design up to five questions in three languages;
/api/service asks them; a visitor answers once after the chat; numbers reach the anonymous
statistics, free texts only the transcript (and its purge)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlmodel import select

from storage import retention
from storage.tables import SurveyAnswer
from tests.chat.coordinator_fixtures import client_of, coordinating, csrf_of
from tests.service import send, until

QUESTIONS = "/coordinator/survey/questions"
TEXTS = {"text_fi": "Saitko apua?", "text_sv": "Fick du hjälp?", "text_en": "Did you get help?"}


async def test_a_questionnaire_is_designed_answered_once_and_reported(tmp_path: Path) -> None:
    async with coordinating(tmp_path) as (service, client):
        csrf = await csrf_of(client, "/coordinator/survey")
        uneven = await client.post(QUESTIONS, data={"csrf": csrf, "kind": "choice", **TEXTS, "options_fi": "Kyllä\nEi",
                                                    "options_sv": "Ja", "options_en": "Yes\nNo"})
        options = {"options_fi": "Kyllä\nEi", "options_sv": "Ja\nNej", "options_en": "Yes\nNo"}
        for kind, extra in (("scale", {}), ("choice", options), ("text", {})):
            added = await client.post(QUESTIONS, data={"csrf": csrf, "kind": kind, **TEXTS, **extra})
            assert added.status_code == 303
        asked = (await client.get("/api/service")).json()["survey"]
        scale, choice, text = (q["id"] for q in asked)
        talk = await service.chat("anna")
        await send(talk.visitor, {"type": "survey", "answers": [{"question": scale, "value": 4}]})
        assert (await until(talk.visitor, "error"))["code"] == "not_ended"
        await send(talk.advisor, {"type": "close", "chat": talk.chat, "outcome": "answered"})
        await until(talk.visitor, "ended")
        await send(talk.visitor, {"type": "survey", "answers": [{"question": choice, "value": 2}]})
        assert (await until(talk.visitor, "error"))["code"] == "bad_field"  # only two options: 0 and 1
        answers = [{"question": scale, "value": 4}, {"question": choice, "value": 0},
                   {"question": text, "text": "Kiitos, tämä auttoi"}]
        await send(talk.visitor, {"type": "survey", "answers": answers})
        assert await until(talk.visitor, "survey_saved") == {"type": "survey_saved"}
        await send(talk.visitor, {"type": "survey", "answers": answers})  # a resend after a cut
        assert await until(talk.visitor, "survey_saved") == {"type": "survey_saved"}
        stats = await client.get("/coordinator/statistics", params={"from": "2026-11-24", "to": "2026-11-24"})
        async with client_of(service, "anna") as anna:
            transcript = await anna.get(f"/console/chats/{talk.chat}")
        async with service.db.transaction() as session:
            stored = (await session.execute(select(SurveyAnswer))).scalars().all()
    assert uneven.status_code == 400 and 'href="#question-options_fi"' in uneven.text
    assert [q["kind"] for q in asked] == ["scale", "choice", "text"]
    assert asked[1]["options"] == [{"fi": "Kyllä", "sv": "Ja", "en": "Yes"}, {"fi": "Ei", "sv": "Nej", "en": "No"}]
    assert {(a.value, a.text, a.chat_id) for a in stored} == {
        (4, None, None), (0, None, None), (None, "Kiitos, tämä auttoi", talk.chat)}  # numbers anonymous
    assert len(stored) == 3  # once, though sent twice
    assert "Did you get help?" in stats.text and "Free answers: 1" in stats.text
    assert "Kiitos, tämä auttoi" not in stats.text and "Kiitos, tämä auttoi" in transcript.text


async def test_free_answers_are_purged_with_the_transcript_and_numbers_stay(tmp_path: Path) -> None:
    async with coordinating(tmp_path) as (service, client):
        csrf = await csrf_of(client, "/coordinator/survey")
        for kind in ("scale", "text"):
            await client.post(QUESTIONS, data={"csrf": csrf, "kind": kind, **TEXTS})
        scale, text = (q["id"] for q in (await client.get("/api/service")).json()["survey"])
        talk = await service.chat("anna")
        await send(talk.visitor, {"type": "end"})
        await until(talk.visitor, "ended")
        await send(talk.visitor, {"type": "survey", "answers": [{"question": scale, "value": 5},
                                                                 {"question": text, "text": "hyvä"}]})
        await until(talk.visitor, "survey_saved")
        await retention.purge(service.db, now=service.clock.now() + timedelta(days=91), default_days=90, actor="test")
        async with service.db.transaction() as session:
            left = (await session.execute(select(SurveyAnswer))).scalars().all()
    assert [(a.value, a.text) for a in left] == [(5, None)]
