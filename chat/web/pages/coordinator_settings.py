"""Service settings: topics and close outcomes with their labels in every language, the service
handbook's canned answers, transcript retention, and the sites allowed to embed the widget.

Every change is written to the audit log and the hub reloads its configuration at once, so a new
topic or origin applies to the next visitor."""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from chat.web.i18n import LANGUAGES, Translator, request_language
from chat.web.pages.common import checked_form, hub_of, redirect
from chat.web.pages.coordinator_base import changed, coordinator, form_text, page
from storage import handbook, retention, service
from storage.tables import Outcome, Topic, User

ITEM_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
ORIGIN = re.compile(r"(https?)://([a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(?::(\d{1,5}))?/?")
MAX_LABEL = 200
MAX_RETENTION_DAYS = 3650
DONE = ("topic_added", "topic_saved", "outcome_added", "outcome_saved", "answer_added", "answer_saved",
        "answer_deleted", "retention_saved", "origin_added", "origin_removed")


def _t(request: Request) -> Translator:
    return Translator(request_language(request))


async def _render(request: Request, user: User, *, errors: dict[str, str] | None = None,
                  values: dict[str, str] | None = None, status: int = 200) -> Response:
    hub = hub_of(request)
    async with hub.transaction() as session:
        topics = await service.topics(session)
        outcomes = await service.outcomes(session)
        answers = await handbook.canned_answers(session)
        stored_origins = await service.json_list_setting(session, key=service.WIDGET_ORIGINS_KEY)
        days = await retention.retention_days(session, default=hub.settings.retention_days)
    t = _t(request)
    done = request.query_params.get("done")
    languages = hub.config.languages
    context: dict[str, Any] = {
        "topics": topics, "outcomes": outcomes, "labels": LANGUAGES,
        "answers": [(code, [a for a in answers if a.language == code]) for code in languages],
        "language_options": [(code, t(f"coord.language.{code}")) for code in languages],
        "stored_origins": stored_origins,
        "server_origins": [o for o in hub.settings.widget_origins if o not in stored_origins],
        "retention_days": days, "default_retention_days": hub.settings.retention_days,
        "errors": errors or {}, "values": values or {},
        "done": t(f"coord.settings.done.{done}") if done in DONE else None,
    }
    return page(request, "coordinator/settings.html", user, context, status=status)


async def settings_page(request: Request) -> Response:
    return await _render(request, await coordinator(request))


def _done(what: str, anchor: str) -> Response:
    return redirect(f"/coordinator/settings?done={what}#{anchor}")


# -- topics and outcomes: an id and a label per language --------------------------------------


def _label_errors(request: Request, form: FormData, prefix: str) -> tuple[dict[str, str], dict[str, str]]:
    t = _t(request)
    labels = {code: form_text(form, f"label_{code}") for code in LANGUAGES}
    errors = {
        f"{prefix}-{code}": t("coord.settings.error.label", language=t(f"coord.language.{code}").lower())
        for code, label in labels.items() if not label or len(label) > MAX_LABEL
    }
    return labels, errors


Item = Topic | Outcome
Kind = tuple[str, type[Item], Callable[..., Awaitable[Sequence[Any]]], Callable[..., Awaitable[None]]]
KINDS: dict[str, Kind] = {
    "topic": ("topics", Topic, service.topics, lambda session, item: service.save_topic(session, topic=item)),
    "outcome": ("outcomes", Outcome, service.outcomes,
                lambda session, item: service.save_outcome(session, outcome=item)),
}


def _add_labelled(kind: str) -> Callable[[Request], Awaitable[Response]]:
    anchor, model, listing, save = KINDS[kind]

    async def add(request: Request) -> Response:
        user = await coordinator(request)
        form = await checked_form(request)
        item_id = form_text(form, "id").lower()
        labels, errors = _label_errors(request, form, kind)
        if not ITEM_ID.fullmatch(item_id):
            errors = {f"{kind}-id": _t(request)("coord.settings.error.id"), **errors}
        if not errors:
            async with hub_of(request).transaction() as session:
                existing = await listing(session)
                if any(item.id == item_id for item in existing):
                    errors[f"{kind}-id"] = _t(request)("coord.settings.error.id_taken", id=item_id)
                else:
                    position = max((item.position for item in existing), default=0) + 1
                    await save(session, model(id=item_id, position=position,
                                              **{f"label_{code}": label for code, label in labels.items()}))
        if errors:
            values = {f"{kind}_id": item_id, **{f"{kind}_{code}": label for code, label in labels.items()}}
            return await _render(request, user, errors=errors, values=values, status=400)
        await changed(request, user, f"{kind}_add", item_id)
        return _done(f"{kind}_added", anchor)

    return add


def _edit_labelled(kind: str) -> Callable[[Request], Awaitable[Response]]:
    anchor, model, listing, save = KINDS[kind]

    async def edit(request: Request) -> Response:
        user = await coordinator(request)
        form = await checked_form(request)
        item_id = request.path_params["item_id"]
        prefix = f"{kind}-{item_id}"
        labels, errors = _label_errors(request, form, prefix)
        if errors:
            values = {f"{prefix}-{code}": label for code, label in labels.items()}
            return await _render(request, user, errors=errors, values=values, status=400)
        async with hub_of(request).transaction() as session:
            item = next((item for item in await listing(session) if item.id == item_id), None)
            if item is None:
                raise HTTPException(404, f"no such {kind}")
            await save(session, model(id=item_id, position=item.position,
                                      **{f"label_{code}": label for code, label in labels.items()}))
        await changed(request, user, f"{kind}_edit", item_id)
        return _done(f"{kind}_saved", anchor)

    return edit


# -- canned answers -----------------------------------------------------------------------------


def _answer_errors(request: Request, title: str, text: str, prefix: str) -> dict[str, str]:
    t = _t(request)
    errors = {}
    if not title or len(title) > MAX_LABEL:
        errors[f"{prefix}-title"] = t("coord.settings.error.answer_title")
    if not text or len(text) > hub_of(request).settings.max_message_chars:
        errors[f"{prefix}-text"] = t("coord.settings.error.answer_text",
                                     count=hub_of(request).settings.max_message_chars)
    return errors


async def add_answer(request: Request) -> Response:
    user = await coordinator(request)
    form = await checked_form(request)
    language, title, text = form_text(form, "language"), form_text(form, "title"), form_text(form, "text")
    errors = {}
    if language not in hub_of(request).config.languages:
        errors["answer-language"] = _t(request)("coord.settings.error.language")
    errors.update(_answer_errors(request, title, text, "answer"))
    if errors:
        values = {"answer_language": language, "answer_title": title, "answer_text": text}
        return await _render(request, user, errors=errors, values=values, status=400)
    async with hub_of(request).transaction() as session:
        position = 1 + sum(1 for a in await handbook.canned_answers(session) if a.language == language)
        await service.add_canned_answer(session, language=language, title=title, text=text, position=position)
    await changed(request, user, "answer_add", f"{language}: {title}")
    return _done("answer_added", "answers")


async def edit_answer(request: Request) -> Response:
    user = await coordinator(request)
    form = await checked_form(request)
    answer_id = request.path_params["answer_id"]
    title, text = form_text(form, "title"), form_text(form, "text")
    prefix = f"answer-{answer_id}"
    errors = _answer_errors(request, title, text, prefix)
    if errors:
        return await _render(request, user, errors=errors, status=400,
                             values={f"{prefix}-title": title, f"{prefix}-text": text})
    async with hub_of(request).transaction() as session:
        if not await service.update_canned_answer(session, answer_id=answer_id, title=title, text=text):
            raise HTTPException(404, "no such answer")
    await changed(request, user, "answer_edit", f"{answer_id}: {title}")
    return _done("answer_saved", f"answer-{answer_id}")


async def delete_answer(request: Request) -> Response:
    user = await coordinator(request)
    await checked_form(request)
    answer_id = request.path_params["answer_id"]
    async with hub_of(request).transaction() as session:
        answer = await service.canned_answer(session, answer_id=answer_id)
        await service.delete_canned_answer(session, answer_id=answer_id)
    if answer is not None:
        await changed(request, user, "answer_delete", f"{answer.language}: {answer.title}")
    return _done("answer_deleted", "answers")


# -- retention and widget origins ---------------------------------------------------------------


async def save_retention(request: Request) -> Response:
    user = await coordinator(request)
    form = await checked_form(request)
    days = form_text(form, "days")
    if not days.isdigit() or not 1 <= int(days) <= MAX_RETENTION_DAYS:
        error = _t(request)("coord.settings.error.retention", most=MAX_RETENTION_DAYS)
        return await _render(request, user, errors={"retention-days": error}, values={"days": days}, status=400)
    async with hub_of(request).transaction() as session:
        await service.set_setting(session, key=retention.RETENTION_KEY, value=str(int(days)))
    await changed(request, user, "retention_set", f"{int(days)} days")
    return _done("retention_saved", "retention")


def normalised_origin(text: str) -> str | None:
    """"scheme://host[:port]" in lower case without a trailing slash; None when the text is not
    an http(s) origin (a path, a query, credentials or a bad port)."""
    found = ORIGIN.fullmatch(text.strip().lower())
    if found is None or (found.group(3) is not None and not 0 < int(found.group(3)) <= 65535):
        return None
    return text.strip().lower().rstrip("/")


async def _origins(request: Request) -> list[str]:
    async with hub_of(request).transaction() as session:
        return await service.json_list_setting(session, key=service.WIDGET_ORIGINS_KEY)


async def _store_origins(request: Request, origins: list[str]) -> None:
    async with hub_of(request).transaction() as session:
        await service.set_setting(session, key=service.WIDGET_ORIGINS_KEY, value=json.dumps(origins))


async def add_origin(request: Request) -> Response:
    user = await coordinator(request)
    form = await checked_form(request)
    typed = form_text(form, "origin")
    origin = normalised_origin(typed)
    stored = await _origins(request)
    error = None
    if origin is None:
        error = _t(request)("coord.settings.error.origin")
    elif origin in stored or origin in hub_of(request).settings.widget_origins:
        error = _t(request)("coord.settings.error.origin_known", origin=origin)
    if error is not None or origin is None:
        return await _render(request, user, errors={"origin": error or ""}, values={"origin": typed}, status=400)
    await _store_origins(request, [*stored, origin])
    await changed(request, user, "origin_add", origin)
    return _done("origin_added", "origins")


async def remove_origin(request: Request) -> Response:
    user = await coordinator(request)
    form = await checked_form(request)
    origin = form_text(form, "origin")
    stored = await _origins(request)
    if origin in stored:
        await _store_origins(request, [o for o in stored if o != origin])
        await changed(request, user, "origin_remove", origin)
    return _done("origin_removed", "origins")


routes = [
    Route("/coordinator/settings", settings_page, methods=["GET"]),
    Route("/coordinator/settings/topics", _add_labelled("topic"), methods=["POST"]),
    Route("/coordinator/settings/topics/{item_id}", _edit_labelled("topic"), methods=["POST"]),
    Route("/coordinator/settings/outcomes", _add_labelled("outcome"), methods=["POST"]),
    Route("/coordinator/settings/outcomes/{item_id}", _edit_labelled("outcome"), methods=["POST"]),
    Route("/coordinator/settings/answers", add_answer, methods=["POST"]),
    Route("/coordinator/settings/answers/{answer_id:int}", edit_answer, methods=["POST"]),
    Route("/coordinator/settings/answers/{answer_id:int}/delete", delete_answer, methods=["POST"]),
    Route("/coordinator/settings/retention", save_retention, methods=["POST"]),
    Route("/coordinator/settings/origins", add_origin, methods=["POST"]),
    Route("/coordinator/settings/origins/remove", remove_origin, methods=["POST"]),
]
