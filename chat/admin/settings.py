"""Service settings: topics and close outcomes with a label in every language, the service
handbook's canned answers, transcript retention, the sites allowed to embed the widget, and
where the widget's quick exit goes."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Collection, Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

from chat.admin.changes import Administration
from chat.admin.errors import NotFound, Problems
from storage import handbook, retention, service
from storage.tables import Outcome, Topic

# A label is kept in each of these (the label_* columns of a topic and an outcome).
LABEL_LANGUAGES = ("fi", "sv", "en")
ITEM_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
ORIGIN = re.compile(r"(https?)://([a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(?::(\d{1,5}))?/?")
MAX_LABEL = 200
MAX_RETENTION_DAYS = 3650
MAX_EXIT_URL = 500

Item = Topic | Outcome
# What a labelled kind is stored as, how its items are listed and how one is saved.
Kind = tuple[type[Item], Callable[..., Awaitable[Sequence[Any]]], Callable[..., Awaitable[None]]]
KINDS: dict[str, Kind] = {
    "topic": (Topic, service.topics, lambda session, item: service.save_topic(session, topic=item)),
    "outcome": (Outcome, service.outcomes, lambda session, item: service.save_outcome(session, outcome=item)),
}


# -- topics and outcomes: an id and a label per language --------------------------------------


def _check_labels(labels: Mapping[str, str], problems: Problems) -> dict[str, str]:
    """The label_* columns; a problem of the field named by its language for each missing one."""
    for code in LABEL_LANGUAGES:
        label = labels.get(code, "")
        if not label or len(label) > MAX_LABEL:
            problems.add(code, "label", f"the {code} label must have 1 to {MAX_LABEL} characters", language=code)
    return {f"label_{code}": labels.get(code, "") for code in LABEL_LANGUAGES}


async def add_labelled(admin: Administration, *, actor: str, kind: str, item_id: str,
                       labels: Mapping[str, str]) -> None:
    """A new topic or outcome (`kind`), last in the order."""
    model, listing, save = KINDS[kind]
    item_id = item_id.strip().lower()
    async with admin.change(actor=actor, action=f"{kind}_add", detail=item_id) as change:
        problems = Problems()
        existing = await listing(change.session)
        if not ITEM_ID.fullmatch(item_id):
            problems.add("id", "id", f"the identifier {item_id!r} must be lowercase letters, digits, _ and -")
        elif any(item.id == item_id for item in existing):
            problems.add("id", "id_taken", f"{kind} {item_id!r} already exists", id=item_id)
        columns = _check_labels(labels, problems)
        problems.raise_any()
        position = max((item.position for item in existing), default=0) + 1
        await save(change.session, model(id=item_id, position=position, **columns))


async def edit_labelled(admin: Administration, *, actor: str, kind: str, item_id: str,
                        labels: Mapping[str, str]) -> None:
    """New labels for a topic or an outcome; its place in the order stays."""
    model, listing, save = KINDS[kind]
    async with admin.change(actor=actor, action=f"{kind}_edit", detail=item_id) as change:
        problems = Problems()
        columns = _check_labels(labels, problems)
        problems.raise_any()
        item = next((item for item in await listing(change.session) if item.id == item_id), None)
        if item is None:
            raise NotFound(f"no {kind} {item_id!r}")
        await save(change.session, model(id=item_id, position=item.position, **columns))


# -- canned answers -----------------------------------------------------------------------------


def _check_answer(title: str, text: str, max_chars: int, problems: Problems) -> None:
    if not title or len(title) > MAX_LABEL:
        problems.add("title", "answer_title", f"the title must have 1 to {MAX_LABEL} characters")
    if not text or len(text) > max_chars:
        problems.add("text", "answer_text", f"the text must have 1 to {max_chars} characters", count=max_chars)


async def add_answer(admin: Administration, *, actor: str, language: str, title: str, text: str,
                     max_chars: int) -> None:
    """A canned answer for the handbook of one of the service's languages, last in its list;
    `max_chars` is the longest message an advisor may send (NEUVO_MAX_MESSAGE_CHARS)."""
    async with admin.change(actor=actor, action="answer_add", detail=f"{language}: {title}") as change:
        problems = Problems()
        if language not in await service.languages(change.session):
            problems.add("language", "language", f"unknown language {language!r}")
        _check_answer(title, text, max_chars, problems)
        problems.raise_any()
        position = 1 + sum(1 for a in await handbook.canned_answers(change.session) if a.language == language)
        await service.add_canned_answer(change.session, language=language, title=title, text=text, position=position)


async def edit_answer(admin: Administration, *, actor: str, answer_id: int, title: str, text: str,
                      max_chars: int) -> None:
    async with admin.change(actor=actor, action="answer_edit", detail=f"{answer_id}: {title}") as change:
        problems = Problems()
        _check_answer(title, text, max_chars, problems)
        problems.raise_any()
        if not await service.update_canned_answer(change.session, answer_id=answer_id, title=title, text=text):
            raise NotFound(f"no answer {answer_id}")


async def delete_answer(admin: Administration, *, actor: str, answer_id: int) -> None:
    async with admin.change(actor=actor, action="answer_delete") as change:
        answer = await service.canned_answer(change.session, answer_id=answer_id)
        if answer is None:
            raise NotFound(f"no answer {answer_id}")
        await service.delete_canned_answer(change.session, answer_id=answer_id)
        change.detail = f"{answer.language}: {answer.title}"


# -- retention and widget origins ---------------------------------------------------------------


async def set_retention(admin: Administration, *, actor: str, days: str) -> int:
    """How many days transcripts are kept (1 to MAX_RETENTION_DAYS), in place of
    NEUVO_RETENTION_DAYS."""
    problems = Problems()
    if not days.isdigit() or not 1 <= int(days) <= MAX_RETENTION_DAYS:
        problems.add("days", "retention", f"the retention must be 1 to {MAX_RETENTION_DAYS} days",
                     most=MAX_RETENTION_DAYS)
    problems.raise_any()
    async with admin.change(actor=actor, action="retention_set", detail=f"{int(days)} days") as change:
        await service.set_setting(change.session, key=retention.RETENTION_KEY, value=str(int(days)))
    return int(days)


def normalised_origin(text: str) -> str | None:
    """"scheme://host[:port]" in lower case without a trailing slash; None when the text is not
    an http(s) origin (a path, a query, credentials or a bad port)."""
    found = ORIGIN.fullmatch(text.strip().lower())
    if found is None or (found.group(3) is not None and not 0 < int(found.group(3)) <= 65535):
        return None
    return text.strip().lower().rstrip("/")


async def add_origin(admin: Administration, *, actor: str, origin: str, server_origins: Collection[str]) -> str:
    """Allow a site to embed the widget; `server_origins` are those NEUVO_WIDGET_ORIGINS allows
    already. The origin as stored."""
    normalised = normalised_origin(origin)
    async with admin.change(actor=actor, action="origin_add", detail=normalised or origin) as change:
        stored = await service.json_list_setting(change.session, key=service.WIDGET_ORIGINS_KEY)
        problems = Problems()
        if normalised is None:
            problems.add("origin", "origin", f"{origin!r} is not an origin like https://school.example")
        elif normalised in stored or normalised in server_origins:
            problems.add("origin", "origin_known", f"{normalised} is already allowed", origin=normalised)
        problems.raise_any()
        assert normalised is not None
        await service.set_json_list_setting(change.session, key=service.WIDGET_ORIGINS_KEY,
                                                values=[*stored, normalised])
    return normalised


async def remove_origin(admin: Administration, *, actor: str, origin: str) -> None:
    """Stop allowing a site that was allowed here (NotFound for one that was not)."""
    async with admin.change(actor=actor, action="origin_remove", detail=origin) as change:
        stored = await service.json_list_setting(change.session, key=service.WIDGET_ORIGINS_KEY)
        if origin not in stored:
            raise NotFound(f"{origin} was not allowed here")
        await service.set_json_list_setting(change.session, key=service.WIDGET_ORIGINS_KEY,
                                            values=[o for o in stored if o != origin])


# -- the quick exit -----------------------------------------------------------------------------


def checked_exit_url(text: str) -> str | None:
    """The address as stored: an https URL with a host and no credentials, whitespace or
    control characters (the widget follows nothing else); None when it is not one."""
    url = text.strip()
    if not url or len(url) > MAX_EXIT_URL or any(c.isspace() or not c.isprintable() for c in url):
        return None
    try:
        parts = urlsplit(url)
        port_ok = parts.port is None or parts.port > 0
    except ValueError:  # a bad port or bracketed host
        return None
    if parts.scheme.lower() != "https" or not parts.hostname or parts.username or parts.password or not port_ok:
        return None
    return url


async def set_exit_url(admin: Administration, *, actor: str, url: str) -> str | None:
    """Where the quick exit sends a visitor: an https address, or empty for the widget's own
    default (a search engine's front page). The address as stored, None for the default."""
    typed = url.strip()
    stored = checked_exit_url(typed) if typed else None
    problems = Problems()
    if typed and stored is None:
        problems.add("url", "exit_url", f"{typed[:80]!r} is not an https address like https://www.example.fi/",
                     most=MAX_EXIT_URL)
    problems.raise_any()
    async with admin.change(actor=actor, action="exit_url_set", detail=stored or "default") as change:
        await service.set_setting(change.session, key=service.EXIT_URL_KEY, value=stored or "")
    return stored
