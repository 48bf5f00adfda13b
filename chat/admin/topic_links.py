"""Topic links: a few pages per topic and language that may help a visitor while they wait, when
the chat is closed and beside the offline form (title and address; coordinators keep them)."""

from __future__ import annotations

from urllib.parse import urlsplit

from chat.admin.changes import Administration
from chat.admin.errors import NotFound, Problems
from chat.admin.settings import LABEL_LANGUAGES, MAX_LABEL
from storage import service, topic_links
from storage.tables import TopicLink

MAX_LINKS = 5  # per topic and language: a few, so that each is read
MAX_URL = 2000


async def add_link(admin: Administration, *, actor: str, topic: str, language: str, title: str, url: str) -> None:
    problems = Problems()
    if language not in LABEL_LANGUAGES:
        problems.add("language", "unknown", "choose a language")
    if not title.strip() or len(title) > MAX_LABEL:
        problems.add("title", "title", f"a title of 1 to {MAX_LABEL} characters", most=MAX_LABEL)
    parts = urlsplit(url.strip())
    if parts.scheme not in ("https", "http") or not parts.netloc or len(url) > MAX_URL:
        problems.add("url", "url", "a web address starting https://")
    async with admin.change(actor=actor, action="topic_link_add", detail=f"{topic} {language}: {title}") as change:
        if topic not in {t.id for t in await service.topics(change.session)}:
            problems.add("topic", "unknown", "choose a topic")
        same = [link for link in await topic_links.topic_links(change.session)
                if link.topic == topic and link.language == language]
        if len(same) >= MAX_LINKS:
            problems.add("title", "too_many", f"at most {MAX_LINKS} links a topic in each language", most=MAX_LINKS)
        problems.raise_any()
        await topic_links.add_topic_link(change.session, link=TopicLink(
            topic=topic, language=language, title=title.strip(), url=url.strip()))


async def delete_link(admin: Administration, *, actor: str, link_id: int) -> None:
    async with admin.change(actor=actor, action="topic_link_delete") as change:
        link = await topic_links.topic_link(change.session, link_id=link_id)
        if link is None:
            raise NotFound(f"no link {link_id}")
        change.detail = f"{link.topic} {link.language}: {link.title}"
        await topic_links.delete_topic_link(change.session, link_id=link_id)
