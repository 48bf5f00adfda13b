"""Topic links: coordinators keep a few pages per topic and language; /api/service offers them
to the widget; following one is counted per topic (no identifier) on the way to the page."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.chat.coordinator_fixtures import coordinating, csrf_of, rows_of

LINKS = "/coordinator/settings/links"


async def test_links_are_kept_offered_per_language_and_counted_when_followed(tmp_path: Path) -> None:
    async with coordinating(tmp_path) as (service, client), httpx.AsyncClient(base_url=service.base) as visitor:
        csrf = await csrf_of(client, "/coordinator/settings")
        bad = await client.post(LINKS, data={"csrf": csrf, "topic": "work", "language": "fi", "title": "Apua",
                                             "url": "javascript:alert(1)"})
        added = await client.post(LINKS, data={"csrf": csrf, "topic": "work", "language": "fi",
                                               "title": "Työnhaun opas", "url": "https://example.fi/opas"})
        topics = {t["id"]: t for t in (await visitor.get("/api/service")).json()["topics"]}
        [link] = topics["work"]["help"]["fi"]
        followed = [await visitor.get(link["href"]) for _ in range(3)]
        unknown = await visitor.get("/help/999")
        stats = await client.get("/coordinator/statistics", params={"from": "2026-11-24", "to": "2026-11-24"})
        csv = await client.get("/coordinator/statistics", params={"from": "2026-11-24", "to": "2026-11-24",
                                                                  "format": "csv", "table": "help"})
    assert bad.status_code == 400 and 'href="#link-url"' in bad.text
    assert added.status_code == 303
    assert link == {"title": "Työnhaun opas", "href": link["href"]} and "sv" not in topics["work"]["help"]
    assert all(r.status_code == 303 and r.headers["location"] == "https://example.fi/opas" for r in followed)
    assert unknown.status_code == 404
    assert "Topic links opened" in stats.text and '<td class="num">3</td>' in stats.text
    assert rows_of(csv.text)[1] == ["work", "Work", "3"]


async def test_a_few_links_a_topic_and_language_and_a_link_can_be_deleted(tmp_path: Path) -> None:
    async with coordinating(tmp_path) as (service, client):
        csrf = await csrf_of(client, "/coordinator/settings")
        answers = [await client.post(LINKS, data={"csrf": csrf, "topic": "work", "language": "sv", "title": f"L{n}",
                                                  "url": f"https://example.fi/{n}"}) for n in range(6)]
        page = await client.get("/coordinator/settings")
        link_id = page.text.split('action="/coordinator/settings/links/')[1].split("/")[0]
        deleted = await client.post(f"{LINKS}/{link_id}/delete", data={"csrf": csrf})
        left = service.live.config.topic_links["work"]["sv"]
    assert [a.status_code for a in answers] == [303] * 5 + [400]
    assert "At most 5 links a topic in each language" in answers[-1].text
    assert deleted.status_code == 303 and len(left) == 4
