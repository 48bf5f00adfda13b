"""The accessibility statement and the privacy notice: public at stable URLs in each language,
written from the service's own settings, and the coordinators' own texts in their place."""

from __future__ import annotations

import html
from pathlib import Path

import httpx
from sqlmodel import select

from storage.tables import AuditEntry
from tests.chat.coordinator_fixtures import coordinating, csrf_of

STATEMENTS = "/coordinator/statements"


async def test_the_defaults_are_public_in_each_language_and_follow_the_settings(tmp_path: Path) -> None:
    async with coordinating(tmp_path) as (service, client), httpx.AsyncClient(base_url=service.base) as visitor:
        finnish = await visitor.get("/privacy", params={"lang": "fi"})  # nobody signed in
        csrf = await csrf_of(client, "/coordinator/settings")
        await client.post("/coordinator/settings/retention", data={"csrf": csrf, "days": "30"})
        english = await visitor.get("/privacy", params={"lang": "en"})
        swedish = await visitor.get("/accessibility", params={"lang": "sv"})
    assert finnish.status_code == 200 and "<h1>Tietosuojaseloste</h1>" in finnish.text
    assert "90 päivää chatin jälkeen" in finnish.text and "<h2>Mitä ei koskaan säilytetä</h2>" in finnish.text
    assert "30 days after the chat" in english.text  # the retention in force, not the default
    assert "<li>" in english.text and "have not reviewed it yet" in english.text
    assert "<h1>Tillgänglighetsutlåtande</h1>" in swedish.text and "WCAG" in swedish.text
    assert 'href="/privacy?lang=sv"' in swedish.text


async def test_coordinators_name_the_controller_and_write_their_own_text(tmp_path: Path) -> None:
    async with coordinating(tmp_path) as (service, client):
        csrf = await csrf_of(client, STATEMENTS)
        missing = await client.post(f"{STATEMENTS}/facts", data={"csrf": csrf, "controller": "", "contact": "x"})
        facts = await client.post(f"{STATEMENTS}/facts", data={
            "csrf": csrf, "controller": "Kaakko Guidance Network", "contact": "neuvo@example.fi"})
        named = await client.get("/accessibility", params={"lang": "en"})
        own = "## Our own\n- first <b>point</b>\n- second\n\nA paragraph\nover two lines."
        saved = await client.post(f"{STATEMENTS}/text", data={
            "csrf": csrf, "kind": "privacy", "language": "sv", "text": own})
        swedish = await client.get("/privacy", params={"lang": "sv"})
        finnish = await client.get("/privacy", params={"lang": "fi"})
        await client.post(f"{STATEMENTS}/text", data={"csrf": csrf, "kind": "privacy", "language": "sv", "text": " "})
        back = await client.get("/privacy", params={"lang": "sv"})
        # The default sent back as it was shown stays the default: it goes on following the settings.
        shown = (await client.get(STATEMENTS)).text
        default_en = html.unescape(shown.split('id="privacy-en"')[1].split(">", 1)[1].split("</textarea>")[0])
        await client.post(f"{STATEMENTS}/text", data={
            "csrf": csrf, "kind": "privacy", "language": "en", "text": default_en.replace("\n", "\r\n")})
        csrf = await csrf_of(client, "/coordinator/settings")
        await client.post("/coordinator/settings/retention", data={"csrf": csrf, "days": "45"})
        followed = await client.get("/privacy", params={"lang": "en"})
        async with service.db.transaction() as session:
            actions = [e.action for e in (await session.execute(select(AuditEntry))).scalars()]
    assert missing.status_code == 400 and 'href="#facts-controller"' in missing.text
    assert facts.status_code == 303 and saved.status_code == 303
    assert "Responsible for the service: Kaakko Guidance Network." in named.text
    assert "neuvo@example.fi" in named.text and "Reviewed on 24 Nov 2026." in named.text
    assert "<h2>Our own</h2>" in swedish.text
    assert "<li>first &lt;b&gt;point&lt;/b&gt;</li><li>second</li>" in swedish.text  # escaped, never markup
    assert "<p>A paragraph over two lines.</p>" in swedish.text
    assert "Kaakko Guidance Network" in finnish.text  # the other languages keep the default
    assert "Dataskyddsbeskrivning" in back.text and "Our own" not in back.text  # empty: the default again
    assert "45 days after the chat" in followed.text
    assert actions.count("statement_set") == 3 and actions.count("statement_facts") == 1
