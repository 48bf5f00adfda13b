"""The settings page: topics and outcomes with labels, canned answers, retention, the quick exit's
page, and widget origins that take effect at once on the visitor socket and in CORS (and stop when
removed)."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from sqlmodel import select
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from chat.admin.settings import checked_exit_url, normalised_origin
from storage import handbook
from storage.tables import AuditEntry
from tests.chat.coordinator_fixtures import coordinating, csrf_of
from tests.service import WIDGET_ORIGIN, Service, receive, send

SETTINGS = "/coordinator/settings"
SCHOOL = "https://school.example"


def labels(csrf: str, **changes: str) -> dict[str, str]:
    return {"csrf": csrf, "label_fi": "Asuminen", "label_sv": "Boende", "label_en": "Housing", **changes}


async def test_topics_and_outcomes_are_added_and_relabelled_with_their_checks(tmp_path: Path) -> None:
    async with coordinating(tmp_path) as (service, client):
        csrf = await csrf_of(client, SETTINGS)
        added = await client.post(f"{SETTINGS}/topics", data={**labels(csrf), "id": "housing"})
        assert added.status_code == 303
        assert service.live.config.topics["housing"].label_sv == "Boende"  # the next visitor can choose it
        assert service.live.config.topics["housing"].position == 4
        taken = await client.post(f"{SETTINGS}/topics", data={**labels(csrf), "id": "work"})
        assert taken.status_code == 400 and "The identifier work is already taken" in taken.text
        bad = await client.post(f"{SETTINGS}/topics", data={**labels(csrf, label_sv=""), "id": "Bad id"})
        assert bad.status_code == 400 and 'href="#topic-id"' in bad.text and 'href="#topic-sv"' in bad.text
        assert 'value="Asuminen"' in bad.text
        edited = await client.post(f"{SETTINGS}/topics/work", data=labels(csrf, label_en="Jobs"))
        assert edited.status_code == 303 and service.live.config.topics["work"].label_en == "Jobs"
        assert service.live.config.topics["work"].position == 2
        empty = await client.post(f"{SETTINGS}/topics/work", data=labels(csrf, label_fi=" "))
        assert empty.status_code == 400 and 'href="#topic-work-fi"' in empty.text
        assert (await client.post(f"{SETTINGS}/topics/nothing", data=labels(csrf))).status_code == 404

        assert (await client.post(f"{SETTINGS}/outcomes", data={**labels(csrf), "id": "booked"})).status_code == 303
        assert "booked" in service.live.config.outcomes
        relabelled = await client.post(f"{SETTINGS}/outcomes/booked", data=labels(csrf, label_en="Booked"))
        assert relabelled.status_code == 303
        page = await client.get(SETTINGS)
        assert 'value="Booked"' in page.text and 'value="Jobs"' in page.text
        async with service.db.transaction() as session:
            actions = {e.action for e in (await session.execute(select(AuditEntry))).scalars().all()}
        assert {"topic_add", "topic_edit", "outcome_add", "outcome_edit"} <= actions


async def test_canned_answers_are_added_edited_and_deleted_per_language(tmp_path: Path) -> None:
    async with coordinating(tmp_path) as (service, client):
        csrf = await csrf_of(client, SETTINGS)
        answer = {"csrf": csrf, "language": "sv", "title": "Öppettider", "text": "Vi har öppet vardagar 9–16."}
        assert (await client.post(f"{SETTINGS}/answers", data=answer)).status_code == 303
        bad = await client.post(f"{SETTINGS}/answers", data={**answer, "language": "de", "title": "", "text": ""})
        assert bad.status_code == 400
        assert all(f'href="#answer-{f}"' in bad.text for f in ("language", "title", "text"))
        async with service.db.transaction() as session:
            [stored] = await handbook.canned_answers(session)
        assert (stored.language, stored.title) == ("sv", "Öppettider")
        edited = await client.post(f"{SETTINGS}/answers/{stored.id}", data={**answer, "title": "Tider"})
        assert edited.status_code == 303
        empty = await client.post(f"{SETTINGS}/answers/{stored.id}", data={**answer, "text": ""})
        assert empty.status_code == 400 and f'href="#answer-{stored.id}-text"' in empty.text
        assert (await client.post(f"{SETTINGS}/answers/999", data=answer)).status_code == 404
        async with service.db.transaction() as session:
            assert [a.title for a in await handbook.canned_answers(session)] == ["Tider"]
        deleted = await client.post(f"{SETTINGS}/answers/{stored.id}/delete", data={"csrf": csrf})
        assert deleted.status_code == 303
        async with service.db.transaction() as session:
            assert list(await handbook.canned_answers(session)) == []


async def test_retention_is_checked_and_reported_by_the_service_api(tmp_path: Path) -> None:
    async with coordinating(tmp_path) as (_, client):
        csrf = await csrf_of(client, SETTINGS)
        assert (await client.get("/api/service")).json()["retention_days"] == 90
        for wrong in ("0", "ten", "3651"):
            bad = await client.post(f"{SETTINGS}/retention", data={"csrf": csrf, "days": wrong})
            assert bad.status_code == 400 and 'href="#retention-days"' in bad.text, wrong
        assert (await client.post(f"{SETTINGS}/retention", data={"csrf": csrf, "days": "30"})).status_code == 303
        assert (await client.get("/api/service")).json()["retention_days"] == 30
        assert 'value="30"' in (await client.get(SETTINGS)).text


@pytest.mark.parametrize(("typed", "stored"), [
    ("https://www.example.fi/", "https://www.example.fi/"),
    ("  https://weather.example/today?city=Kotka#now ", "https://weather.example/today?city=Kotka#now"),
    ("http://www.example.fi/", None),
    ("javascript:alert(1)", None),
    ("https://user:pw@www.example.fi/", None),
    ("https://www.example.fi/a b", None),
    ("https://www.example.fi:0/", None),
    ("https://www.example.fi:99999/", None),
    ("https:///path", None),
    ("https://example.fi/\u0000", None),
    ("https://example.fi/" + "x" * 500, None),
])
def test_the_exit_page_is_an_https_address_only(typed: str, stored: str | None) -> None:
    assert checked_exit_url(typed) == stored


async def test_the_exit_page_is_saved_audited_and_reported_by_the_service_api(tmp_path: Path) -> None:
    async with coordinating(tmp_path) as (service, client):
        csrf = await csrf_of(client, SETTINGS)
        assert (await client.get("/api/service")).json()["exit_url"] is None
        bad = await client.post(f"{SETTINGS}/exit-url", data={"csrf": csrf, "url": "javascript:alert(1)"})
        assert bad.status_code == 400 and 'href="#exit-url"' in bad.text
        assert "javascript:alert(1)" in bad.text, "what was typed stays in the field"
        assert (await client.get("/api/service")).json()["exit_url"] is None, "nothing stored"
        good = await client.post(f"{SETTINGS}/exit-url", data={"csrf": csrf, "url": "https://weather.example/"})
        assert good.status_code == 303
        assert (await client.get("/api/service")).json()["exit_url"] == "https://weather.example/"
        assert (await client.post(f"{SETTINGS}/exit-url", data={"csrf": csrf, "url": ""})).status_code == 303
        assert (await client.get("/api/service")).json()["exit_url"] is None, "empty: the widget's default"
        async with service.db.transaction() as session:
            audited = (await session.execute(select(AuditEntry.detail).where(
                AuditEntry.action == "exit_url_set"))).scalars().all()
        assert audited == ["https://weather.example/", "default"]


@pytest.mark.parametrize(("typed", "origin"), [
    ("https://School.example", "https://school.example"),
    ("https://school.example/", "https://school.example"),
    ("http://localhost:8080", "http://localhost:8080"),
    ("https://school.example/chat", None),
    ("https://school.example?x=1", None),
    ("https://user@school.example", None),
    ("ftp://school.example", None),
    ("school.example", None),
    ("https://school.example:99999", None),
    ("https://", None),
])
def test_an_origin_is_scheme_host_and_port_only(typed: str, origin: str | None) -> None:
    assert normalised_origin(typed) == origin


async def visitor_allowed(service: Service, origin: str) -> bool:
    try:
        ws = await connect(f"{service.ws_base}/ws/visitor", origin=origin)  # type: ignore[arg-type]
    except InvalidStatus as refused:
        assert refused.response.status_code == 403
        return False
    async with ws:
        await send(ws, {"type": "start", "topic": "work", "language": "fi"})
        assert (await receive(ws))["type"] == "closed"  # an answer, not an error: nobody is available
    return True


async def cors(service: Service, origin: str) -> tuple[str | None, str | None]:
    """Access-Control-Allow-Origin on /api/service, and on a preflight for an offline message."""
    async with httpx.AsyncClient(base_url=service.base) as client:
        simple = await client.get("/api/service", headers={"Origin": origin})
        preflight = await client.options("/api/offline-messages", headers={
            "Origin": origin, "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type"})
    assert simple.status_code == 200 and "Origin" in simple.headers.get("vary", "")
    allowed = preflight.headers.get("access-control-allow-origin")
    if allowed is not None:
        assert preflight.status_code == 200
        assert "POST" in preflight.headers["access-control-allow-methods"]
        assert "content-type" in preflight.headers["access-control-allow-headers"].lower()
    else:
        assert preflight.status_code == 400
    return simple.headers.get("access-control-allow-origin"), allowed


async def test_an_origin_added_on_the_page_is_allowed_at_once_and_refused_once_removed(tmp_path: Path) -> None:
    async with coordinating(tmp_path) as (service, client):
        csrf = await csrf_of(client, SETTINGS)
        assert not await visitor_allowed(service, SCHOOL)
        assert await cors(service, SCHOOL) == (None, None)
        bad = await client.post(f"{SETTINGS}/origins", data={"csrf": csrf, "origin": "https://school.example/chat"})
        assert bad.status_code == 400 and 'href="#origin"' in bad.text
        known = await client.post(f"{SETTINGS}/origins", data={"csrf": csrf, "origin": WIDGET_ORIGIN})
        assert known.status_code == 400 and "is already allowed" in known.text

        assert (await client.post(f"{SETTINGS}/origins", data={"csrf": csrf, "origin": SCHOOL})).status_code == 303
        assert await visitor_allowed(service, SCHOOL)
        assert await cors(service, SCHOOL) == (SCHOOL, SCHOOL)
        assert await cors(service, WIDGET_ORIGIN) == (WIDGET_ORIGIN, WIDGET_ORIGIN)  # the server's still count
        page = await client.get(SETTINGS)
        assert SCHOOL in page.text and "NEUVO_WIDGET_ORIGINS" in page.text

        removed = await client.post(f"{SETTINGS}/origins/remove", data={"csrf": csrf, "origin": SCHOOL})
        assert removed.status_code == 303
        assert not await visitor_allowed(service, SCHOOL)
        assert await cors(service, SCHOOL) == (None, None)
        assert await visitor_allowed(service, WIDGET_ORIGIN)
        async with service.db.transaction() as session:
            actions = [e.action for e in (await session.execute(select(AuditEntry))).scalars().all()]
        assert actions.count("origin_add") == 1 and actions.count("origin_remove") == 1
