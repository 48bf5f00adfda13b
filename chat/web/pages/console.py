"""The advisors' duty console: the duty view (live over /ws/advisor) and the transcripts of the
advisor's own chats. The duty view's shifts, gaps ahead and shift requests are
console_requests.py's; the offline-message inbox is console_offline.py's."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from chat.admin import people as admin_people
from chat.live.commands import AskColleagues
from chat.web import ical
from chat.web.context import admin_of, clock_of, db_of, live_of, settings_of, tz_of
from chat.web.i18n import Translator, catalog, request_language
from chat.web.pages import console_requests
from chat.web.pages.common import checked_form, redirect, render, signed_in
from chat.web.pages.labels import chat_labels, label_in
from storage import chats, handbook, messages, people, service, statistics, survey

DUTY_ROLES = ("advisor", "coordinator")


async def duty(request: Request) -> Response:
    user = await signed_in(request, *DUTY_ROLES)
    tz = tz_of(request)
    language = request_language(request)
    now = clock_of(request).now()
    async with db_of(request).transaction() as session:
        outcomes = await service.outcomes(session)
    config = live_of(request).config
    t = Translator(language)
    setup = {
        "username": user.username,
        "lang": language,
        "timezone": settings_of(request).timezone,
        "today": now.astimezone(tz).date().isoformat(),  # the service's today, for "until 24:00"
        "texts": {key: text for key, text in catalog(language).items() if key.startswith("console.")},
        "outcomes": [{"id": outcome.id, "label": label_in(outcome, language)} for outcome in outcomes],
        "topics": [{"id": topic.id, "label": label_in(topic, language)} for topic in config.topics.values()],
        "organisations": [{"id": org.slug, "label": org.name} for org in config.organisations.values()],
        "languages": {code: t(f"coord.language.{code}") for code in config.languages},
    }
    return render(request, "console.html", {
        "user": user,
        **await console_requests.roster_context(request, user),
        "setup": setup,
        "calendar": ical.feed_path(request.app.state.secret_key, user),
        "calendar_renewed": request.query_params.get("done") == "calendar_renewed",
    })


async def colleagues(request: Request) -> Response:
    """Advisors signed in now, for a transfer to a named colleague."""
    user = await signed_in(request, *DUTY_ROLES)
    return JSONResponse([
        {"username": p.username, "name": p.name, "organisation": p.organisation, "available": p.available,
         "on_shift": p.on_shift, "languages": list(p.languages)}
        for p in sorted(await live_of(request).run(AskColleagues()), key=lambda p: p.name)
        if p.username != user.username
    ])


async def canned_answers(request: Request) -> Response:
    await signed_in(request, *DUTY_ROLES)
    async with db_of(request).transaction() as session:
        answers = await handbook.canned_answers(session)
    return JSONResponse([{"id": a.id, "language": a.language, "title": a.title, "text": a.text} for a in answers])


async def my_chats(request: Request) -> Response:
    user = await signed_in(request, *DUTY_ROLES)
    tz = tz_of(request)
    async with db_of(request).transaction() as session:
        handled = await chats.chats_handled_by(session, user_id=user.id or 0)
    return render(request, "console_chats.html", {
        "user": user, "chats": [(c, c.arrived_at.astimezone(tz)) for c in handled],
        "labels": await chat_labels(request),
    })


async def transcript(request: Request) -> Response:
    """A chat's whole transcript, notes and the visitor's feedback included, for an advisor who
    handled it; 403 for anyone else (coordinators included: transcript access for them is not
    switched on)."""
    user = await signed_in(request, *DUTY_ROLES)
    tz = tz_of(request)
    chat_id = str(request.path_params["id"])
    async with db_of(request).transaction() as session:
        if not await chats.handled_by(session, chat_id=chat_id, user_id=user.id or 0):
            raise HTTPException(403, Translator(request_language(request))("console.transcript.forbidden"))
        chat = await chats.chat_by_id(session, chat_id=chat_id)
        lines = await messages.messages_after(session, chat_id=chat_id, after=0, visitor_view=False)
        authors = {u.id: u.name for u in await people.active_users(session)}
        feedback = await statistics.feedback_of(session, chat_id=chat_id)
        texts = await survey.text_answers(session, chat_id=chat_id)
    language = request_language(request)
    return render(request, "console_transcript.html", {
        "survey_texts": [(getattr(question, f"text_{language}"), answer.text) for question, answer in texts],
        "user": user, "chat": chat, "arrived": chat.arrived_at.astimezone(tz) if chat else None,
        "lines": [(m, m.created_at.astimezone(tz), authors.get(m.user_id)) for m in lines],
        "feedback": feedback, "labels": await chat_labels(request),
    })


async def renew_calendar(request: Request) -> Response:
    """A new address for the advisor's own calendar feed; the old one stops answering."""
    user = await signed_in(request, *DUTY_ROLES)
    await checked_form(request)
    await admin_people.renew_calendar(admin_of(request), actor=user.username, username=user.username)
    return redirect("/console?done=calendar_renewed#shifts-title")


routes = [
    Route("/console", duty),
    Route("/console/calendar", renew_calendar, methods=["POST"]),
    Route("/console/chats", my_chats),
    Route("/console/chats/{id}", transcript),
    Route("/api/console/colleagues", colleagues),
    Route("/api/console/handbook", canned_answers),
    *console_requests.routes,
]
