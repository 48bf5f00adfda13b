"""Service settings: topics and close outcomes with their labels in every language, the service
handbook's canned answers, transcript retention, and the sites allowed to embed the widget.

The checks and the changes are chat.admin.settings'. Every change is written to the audit log and
the live service reloads its configuration at once, so a new topic or origin applies to the next visitor."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from contextlib import suppress
from typing import Any

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from chat.admin import settings
from chat.admin import topic_links as topic_links_admin
from chat.admin.changes import Administration
from chat.admin.errors import NotFound, Problem, Refused
from chat.admin.settings import LABEL_LANGUAGES
from chat.web.context import db_of, live_of, settings_of
from chat.web.i18n import Translator, request_language
from chat.web.pages.common import checked_form, redirect
from chat.web.pages.coordinator_base import admin_of, coordinator, form_errors, form_text, page, removal
from storage import handbook, retention, service, topic_links
from storage.tables import User

DONE = ("topic_added", "topic_saved", "outcome_added", "outcome_saved", "answer_added", "answer_saved",
        "answer_deleted", "retention_saved", "exit_url_saved", "origin_added", "origin_removed", "link_added",
        "link_deleted")


def _t(request: Request) -> Translator:
    return Translator(request_language(request))


async def _render(request: Request, user: User, *, errors: dict[str, str] | None = None,
                  values: dict[str, str] | None = None, status: int = 200) -> Response:
    async with db_of(request).transaction() as session:
        topics = await service.topics(session)
        outcomes = await service.outcomes(session)
        answers = await handbook.canned_answers(session)
        stored_origins = await service.json_list_setting(session, key=service.WIDGET_ORIGINS_KEY)
        links = await topic_links.topic_links(session)
        days = await retention.retention_days(session, default=settings_of(request).retention_days)
        exit_url = await service.get_setting(session, key=service.EXIT_URL_KEY) or ""
    t = _t(request)
    done = request.query_params.get("done")
    languages = live_of(request).config.languages
    context: dict[str, Any] = {
        "topics": topics, "outcomes": outcomes, "labels": LABEL_LANGUAGES,
        "answers": [(code, [a for a in answers if a.language == code]) for code in languages],
        "language_options": [(code, t(f"coord.language.{code}")) for code in languages],
        "stored_origins": stored_origins,
        "links": links, "topic_names": {tp.id: getattr(tp, f"label_{request_language(request)}") for tp in topics},
        "topic_options": [(tp.id, getattr(tp, f"label_{request_language(request)}")) for tp in topics],
        "server_origins": [o for o in settings_of(request).widget_origins if o not in stored_origins],
        "retention_days": days, "default_retention_days": settings_of(request).retention_days,
        "exit_url": exit_url,
        "errors": errors or {}, "values": values or {},
        "done": t(f"coord.settings.done.{done}") if done in DONE else None,
    }
    return page(request, "coordinator/settings.html", user, context, status=status)


async def settings_page(request: Request) -> Response:
    return await _render(request, await coordinator(request))


def _done(what: str, anchor: str) -> Response:
    return redirect(f"/coordinator/settings?done={what}#{anchor}")


# -- topics and outcomes: an id and a label per language --------------------------------------


# The catalog's text for each code of chat.admin.settings' problems.
KEYS = {code: f"coord.settings.error.{code}" for code in (
    "label", "id", "id_taken", "answer_title", "answer_text", "language", "retention", "exit_url", "origin",
    "origin_known", "unknown", "title", "url", "too_many")}
ANCHORS = {"topic": "topics", "outcome": "outcomes"}


def _errors(request: Request, refused: Refused, prefix: str) -> dict[str, str]:
    t = _t(request)

    def values(problem: Problem) -> Mapping[str, object]:
        if problem.code == "label":  # the language by its name, in the page's language
            return {"language": t(f"coord.language.{problem.values['language']}").lower()}
        return problem.values

    return form_errors(request, refused, prefix=prefix, keys=KEYS, values=values)


def _labels(form: FormData) -> dict[str, str]:
    return {code: form_text(form, f"label_{code}") for code in LABEL_LANGUAGES}


def _add_labelled(kind: str) -> Callable[[Request], Awaitable[Response]]:
    async def add(request: Request) -> Response:
        user = await coordinator(request)
        form = await checked_form(request)
        item_id, labels = form_text(form, "id").lower(), _labels(form)
        try:
            await settings.add_labelled(admin_of(request), actor=user.username, kind=kind, item_id=item_id,
                                        labels=labels)
        except Refused as refused:
            values = {f"{kind}_id": item_id, **{f"{kind}_{code}": label for code, label in labels.items()}}
            return await _render(request, user, errors=_errors(request, refused, kind), values=values, status=400)
        return _done(f"{kind}_added", ANCHORS[kind])

    return add


def _edit_labelled(kind: str) -> Callable[[Request], Awaitable[Response]]:
    async def edit(request: Request) -> Response:
        user = await coordinator(request)
        form = await checked_form(request)
        item_id, labels = request.path_params["item_id"], _labels(form)
        prefix = f"{kind}-{item_id}"
        try:
            await settings.edit_labelled(admin_of(request), actor=user.username, kind=kind, item_id=item_id,
                                         labels=labels)
        except NotFound:
            raise HTTPException(404, f"no such {kind}") from None
        except Refused as refused:
            values = {f"{prefix}-{code}": label for code, label in labels.items()}
            return await _render(request, user, errors=_errors(request, refused, prefix), values=values, status=400)
        return _done(f"{kind}_saved", ANCHORS[kind])

    return edit


# -- canned answers -----------------------------------------------------------------------------


async def add_answer(request: Request) -> Response:
    user = await coordinator(request)
    form = await checked_form(request)
    language, title, text = form_text(form, "language"), form_text(form, "title"), form_text(form, "text")
    try:
        await settings.add_answer(admin_of(request), actor=user.username, language=language, title=title, text=text,
                                  max_chars=settings_of(request).max_message_chars)
    except Refused as refused:
        values = {"answer_language": language, "answer_title": title, "answer_text": text}
        return await _render(request, user, errors=_errors(request, refused, "answer"), values=values, status=400)
    return _done("answer_added", "answers")


async def edit_answer(request: Request) -> Response:
    user = await coordinator(request)
    form = await checked_form(request)
    answer_id = request.path_params["answer_id"]
    title, text = form_text(form, "title"), form_text(form, "text")
    prefix = f"answer-{answer_id}"
    try:
        await settings.edit_answer(admin_of(request), actor=user.username, answer_id=answer_id, title=title,
                                   text=text, max_chars=settings_of(request).max_message_chars)
    except NotFound:
        raise HTTPException(404, "no such answer") from None
    except Refused as refused:
        return await _render(request, user, errors=_errors(request, refused, prefix), status=400,
                             values={f"{prefix}-title": title, f"{prefix}-text": text})
    return _done("answer_saved", f"answer-{answer_id}")


async def delete_answer(request: Request) -> Response:
    answer_id = request.path_params["answer_id"]
    return await removal(request, lambda admin, actor: settings.delete_answer(admin, actor=actor, answer_id=answer_id),
                         then="/coordinator/settings?done=answer_deleted#answers")


# -- retention, the quick exit and widget origins ---------------------------------------------------------------


Handler = Callable[[Request], Awaitable[Response]]


def _one_field(field: str, *, prefix: str, kept_as: str, done: str, anchor: str,
               save: Callable[[Administration, str, str], Awaitable[object]]) -> Handler:
    """A form of one field that `save(admin, actor, typed)` checks and stores; refused, the page
    again with the error and what was typed (`kept_as` in the template's values)."""
    async def handle(request: Request) -> Response:
        user = await coordinator(request)
        typed = form_text(await checked_form(request), field)
        try:
            await save(admin_of(request), user.username, typed)
        except Refused as refused:
            return await _render(request, user, errors=_errors(request, refused, prefix), values={kept_as: typed},
                                 status=400)
        return _done(done, anchor)
    return handle


save_retention = _one_field("days", prefix="retention", kept_as="days", done="retention_saved", anchor="retention",
                            save=lambda admin, actor, days: settings.set_retention(admin, actor=actor, days=days))
save_exit_url = _one_field("url", prefix="exit", kept_as="exit_url", done="exit_url_saved", anchor="exit",
                           save=lambda admin, actor, url: settings.set_exit_url(admin, actor=actor, url=url))


async def add_origin(request: Request) -> Response:
    user = await coordinator(request)
    form = await checked_form(request)
    typed = form_text(form, "origin")
    try:
        await settings.add_origin(admin_of(request), actor=user.username, origin=typed,
                                  server_origins=settings_of(request).widget_origins)
    except Refused as refused:
        errors = form_errors(request, refused, prefix="", keys=KEYS, fields={"origin": "origin"})
        return await _render(request, user, errors=errors, values={"origin": typed}, status=400)
    return _done("origin_added", "origins")


async def remove_origin(request: Request) -> Response:
    user = await coordinator(request)
    form = await checked_form(request)
    with suppress(NotFound):  # not allowed here (any more): nothing to remove
        await settings.remove_origin(admin_of(request), actor=user.username, origin=form_text(form, "origin"))
    return _done("origin_removed", "origins")


async def add_link(request: Request) -> Response:
    user = await coordinator(request)
    form = await checked_form(request)
    typed = {name: form_text(form, name) for name in ("topic", "language", "title", "url")}
    try:
        await topic_links_admin.add_link(admin_of(request), actor=user.username, **typed)
    except Refused as refused:
        return await _render(request, user, errors=_errors(request, refused, "link"), status=400,
                             values={f"link_{name}": value for name, value in typed.items()})
    return _done("link_added", "links")


async def delete_link(request: Request) -> Response:
    link_id = request.path_params["link_id"]
    return await removal(
        request, lambda admin, actor: topic_links_admin.delete_link(admin, actor=actor, link_id=link_id),
        then="/coordinator/settings?done=link_deleted#links")


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
    Route("/coordinator/settings/exit-url", save_exit_url, methods=["POST"]),
    Route("/coordinator/settings/origins", add_origin, methods=["POST"]),
    Route("/coordinator/settings/origins/remove", remove_origin, methods=["POST"]),
    Route("/coordinator/settings/links", add_link, methods=["POST"]),
    Route("/coordinator/settings/links/{link_id:int}/delete", delete_link, methods=["POST"]),
]
